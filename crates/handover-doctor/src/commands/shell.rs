//! What a shell and `man` read: `completions SHELL` and `manpage`.

use crate::error::exit;

/// `completions SHELL`: the completion script for the shell.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<i32> {
    use clap::CommandFactory;
    clap_complete::generate(
        shell,
        &mut crate::cli::Cli::command(),
        "handover-doctor",
        &mut std::io::stdout(),
    );
    Ok(exit::OK)
}

/// `manpage`: the manual page, as roff.
pub fn manpage() -> anyhow::Result<i32> {
    use clap::CommandFactory;
    clap_mangen::Man::new(crate::cli::Cli::command()).render(&mut std::io::stdout())?;
    Ok(exit::OK)
}
