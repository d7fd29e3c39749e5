//! What a shell and `man` read: `completions SHELL` and `manpage`.

use crate::error::exit;

/// `completions SHELL`: the completion script for the shell.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<i32> {
    use clap::CommandFactory;
    use std::io::Write;
    // clap_complete panics when its writer fails (a closed pipe): it writes to memory instead.
    let mut script = Vec::new();
    clap_complete::generate(
        shell,
        &mut crate::cli::Cli::command(),
        "handover-doctor",
        &mut script,
    );
    std::io::stdout().write_all(&script)?;
    Ok(exit::OK)
}

/// `manpage`: the manual page, as roff.
pub fn manpage() -> anyhow::Result<i32> {
    use clap::CommandFactory;
    clap_mangen::Man::new(crate::cli::Cli::command()).render(&mut std::io::stdout())?;
    Ok(exit::OK)
}
