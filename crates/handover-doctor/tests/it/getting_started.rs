//! docs/getting-started.md shows real output: each `$ handover-doctor ...` block is run, in order,
//! in one fresh folder as a new user would, and every line it shows must come out, in that order
//! (the mock's port and the timings normalised; `...` stands for lines left out).

use std::process::{Command, Stdio};

use crate::test::normalise;

/// The doc's command blocks: the command line and the lines shown under it.
fn blocks(doc: &str) -> Vec<(String, Vec<String>)> {
    let mut blocks = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if line != "```text" {
            continue;
        }
        let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        if let Some((first, shown)) = block.split_first()
            && let Some(command) = first.strip_prefix("$ ")
        {
            let shown = shown
                .iter()
                .filter(|l| **l != "..." && !l.is_empty())
                .map(|l| l.to_string())
                .collect();
            blocks.push((command.to_string(), shown));
        }
    }
    blocks
}

#[test]
fn every_command_in_getting_started_shows_what_the_doc_shows() {
    let doc = std::fs::read_to_string(crate::root().join("docs/getting-started.md")).unwrap();
    let blocks = blocks(&doc);
    assert!(blocks.len() >= 5, "{blocks:?}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        crate::root().join("examples/transfer-context/broken.json"),
        dir.path().join("payload.json"),
    )
    .unwrap();
    for (command, shown) in blocks {
        let mut words = command.split_whitespace();
        assert_eq!(words.next(), Some("handover-doctor"), "{command}");
        let mut cmd = crate::isolated(Command::new(assert_cmd::cargo::cargo_bin(
            "handover-doctor",
        )));
        let out = cmd
            .args(words)
            .current_dir(dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join(".config"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let got = normalise(
            &format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
            dir.path(),
        );
        let mut rest = got.as_str();
        for line in &shown {
            let line = normalise(line, dir.path());
            match rest.find(line.as_str()) {
                Some(at) => rest = &rest[at + line.len()..],
                None => panic!(
                    "`{command}` does not show, after what came before it in the doc:\n{line}\n\nit shows:\n{got}"
                ),
            }
        }
    }
}
