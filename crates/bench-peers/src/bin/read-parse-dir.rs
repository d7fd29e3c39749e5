//! The baseline for directories: every file under a directory read whole and parsed by serde_json
//! into `IgnoredAny`, one after another on one thread. What any tool that checks files must do at
//! least.
//!
//! usage: read-parse-dir DIR

use std::path::Path;

fn main() -> std::io::Result<()> {
    let dir = bench_peers::path_argument("read-parse-dir DIR");
    bench_peers::timed(|| {
        let (mut records, mut invalid) = (0, 0);
        walk(Path::new(&dir), &mut |bytes| {
            records += 1;
            if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() {
                invalid += 1;
            }
        })?;
        Ok((records, invalid))
    })
}

fn walk(dir: &Path, each: &mut impl FnMut(&[u8])) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            walk(&entry.path(), each)?;
        } else {
            each(&std::fs::read(entry.path())?);
        }
    }
    Ok(())
}
