//! Writing a file whole or not at all: a sibling temporary file, renamed over the path, so that a
//! crash or a full disk never leaves half a file where a whole one was.

use std::fs::Permissions;
use std::io::{self, Write};
use std::path::Path;

/// Writes `contents` to `path` with `permissions`, set before the file has its name (it is made
/// readable by its owner alone), so that it is never readable by more than they allow. Without
/// `replace`, an existing file is left as it is and the error is [`io::ErrorKind::AlreadyExists`],
/// even when the file appeared while this one was written.
pub fn write(
    path: &Path,
    contents: &[u8],
    permissions: Permissions,
    replace: bool,
) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".handover-doctor")
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    // Set rather than given at creation, where the umask would take from them.
    temp.as_file().set_permissions(permissions)?;
    if replace {
        temp.persist(path).map_err(|e| e.error)?;
    } else {
        temp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}
