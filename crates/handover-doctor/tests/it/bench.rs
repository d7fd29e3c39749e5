//! The bench scripts run from a clone: scripts/gen_corpus.py is the project's copy of the reference
//! generator in ../shared/bench, and it must write the same corpus for the same seed, or the
//! numbers in docs/performance.md would stop being comparable.

use std::process::Command;

/// The corpus a generator writes: `records` records from `seed`.
fn corpus(script: &std::path::Path, records: u32, seed: u32) -> Result<Vec<u8>, String> {
    let out = Command::new("python3")
        .arg(script)
        .args([records.to_string(), seed.to_string()])
        .output()
        .map_err(|e| format!("no python3: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(out.stdout)
}

#[test]
fn the_corpus_generator_writes_the_references_corpus() {
    let reference = crate::root().join("../shared/bench/gen_corpus.py");
    if !reference.is_file() {
        // Outside the project's machine the reference is not there; CI always has it.
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing in CI",
            reference.display()
        );
        eprintln!("skipped: {} is not there", reference.display());
        return;
    }
    let ours = crate::root().join("scripts/gen_corpus.py");
    for seed in [7, 20261125] {
        let expected = corpus(&reference, 3000, seed).unwrap();
        let got = corpus(&ours, 3000, seed).unwrap();
        assert_eq!(expected.iter().filter(|&&b| b == b'\n').count(), 3000);
        assert!(
            expected == got,
            "scripts/gen_corpus.py and the reference differ for seed {seed}"
        );
    }
}
