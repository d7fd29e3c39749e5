//! What a shell and `man` read: `completions SHELL` and `manpage`.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;
use clap_mangen::Man;

use crate::cli::ManpageArgs;
use crate::error::{Error, exit};

/// `completions SHELL`: the completion script for the shell.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<i32> {
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

/// `manpage`: the top page on standard output, or (`--dir DIR`) it and one page per command,
/// so that every `handover-doctor-COMMAND(1)` the top page names is there.
pub fn manpage(args: ManpageArgs) -> anyhow::Result<i32> {
    let mut cli = crate::cli::Cli::command().disable_help_subcommand(true);
    // Built, the commands know their full names (handover-doctor-validate), which name their pages.
    cli.build();
    let Some(dir) = args.dir else {
        std::io::stdout().write_all(&page(&cli, true)?)?;
        return Ok(exit::OK);
    };
    std::fs::create_dir_all(&dir).map_err(|e| write_error(&dir, e))?;
    let commands = cli.get_subcommands().filter(|c| !c.is_hide_set());
    let mut written = String::new();
    for (command, top) in std::iter::once((&cli, true)).chain(commands.map(|c| (c, false))) {
        let path = dir.join(Man::new(command.clone()).get_filename());
        std::fs::write(&path, page(command, top)?).map_err(|e| write_error(&path, e))?;
        written += &format!("{}\n", path.display());
    }
    // Listed once every page is written, so that a reader who stops early costs no page.
    std::io::stdout().write_all(written.as_bytes())?;
    Ok(exit::OK)
}

fn write_error(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// One page: clap_mangen's sections, the examples, then for the top page what `man` readers look
/// for (ENVIRONMENT, FILES, EXIT STATUS), and SEE ALSO to the other pages.
fn page(command: &clap::Command, top: bool) -> std::io::Result<Vec<u8>> {
    let man = Man::new(command.clone());
    let mut roff = Vec::new();
    man.render_title(&mut roff)?;
    man.render_name_section(&mut roff)?;
    man.render_synopsis_section(&mut roff)?;
    man.render_description_section(&mut roff)?;
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut roff)?;
    }
    if command.has_subcommands() {
        man.render_subcommands_section(&mut roff)?;
    }
    if let Some(examples) = command.get_after_help() {
        let examples = examples.to_string();
        let examples = examples.strip_prefix("Examples:\n").unwrap_or(&examples);
        section(&mut roff, "EXAMPLES");
        roff.extend_from_slice(b".nf\n");
        for line in examples.lines() {
            line_text(&mut roff, line.trim_start());
        }
        roff.extend_from_slice(b".fi\n");
    }
    if top {
        environment(&mut roff);
        files(&mut roff);
        exit_status(&mut roff);
    }
    section(&mut roff, "SEE ALSO");
    let see_also: Vec<String> = if top {
        command
            .get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| reference(c.get_display_name().unwrap_or_else(|| c.get_name())))
            .collect()
    } else {
        vec![reference("handover-doctor")]
    };
    line_text(&mut roff, &see_also.join(", "));
    // clap_mangen's version section expects a version, which only the top command has.
    if command.get_version().is_some() {
        man.render_version_section(&mut roff)?;
    }
    Ok(once_preamble(roff))
}

/// The page with clap_mangen's preamble (how to draw an apostrophe) once, at the top, rather than
/// before each section it rendered.
fn once_preamble(roff: Vec<u8>) -> Vec<u8> {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let text = String::from_utf8_lossy(&roff);
    let body = text.replace(PREAMBLE, "");
    format!("{PREAMBLE}{body}").into_bytes()
}

fn reference(page: &str) -> String {
    format!("\\fB{page}\\fR(1)")
}

fn section(roff: &mut Vec<u8>, name: &str) {
    roff.extend_from_slice(format!(".SH {name}\n").as_bytes());
}

/// A line of text, escaped for roff: a backslash is `\e`, and a line may not start with a
/// control character (`.` or `'`). `\fB` and `\fR` are ours, not the text's, and kept.
fn line_text(roff: &mut Vec<u8>, text: &str) {
    let escaped = text
        .replace('\\', "\\e")
        .replace("\\efB", "\\fB")
        .replace("\\efR", "\\fR")
        .replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        roff.extend_from_slice(b"\\&");
    }
    roff.extend_from_slice(escaped.as_bytes());
    roff.push(b'\n');
}

/// A tagged paragraph: a term in bold, its description under it.
fn item(roff: &mut Vec<u8>, term: &str, description: &str) {
    roff.extend_from_slice(b".TP\n");
    line_text(roff, &format!("\\fB{term}\\fR"));
    line_text(roff, description);
}

fn environment(roff: &mut Vec<u8>) {
    section(roff, "ENVIRONMENT");
    line_text(
        roff,
        "Every config key can be set as HANDOVER_DOCTOR_ and the key in capitals; flags override the environment, which overrides the config file.",
    );
    for setting in crate::settings::SETTINGS {
        item(roff, &setting.env(), setting.help);
    }
    item(
        roff,
        "NO_COLOR",
        "when set and not empty, no colour in human output and logs (--color always overrides it)",
    );
    item(
        roff,
        "COLUMNS",
        "the width tables are fitted to; without it, the terminal's, and none into a pipe",
    );
    item(
        roff,
        "RUST_LOG",
        "with -v, what is logged: a tracing filter such as debug or hyper=trace, in place of this project's own crates at the level -v, -vv or -vvv says",
    );
}

fn files(roff: &mut Vec<u8>) {
    section(roff, "FILES");
    item(
        roff,
        crate::settings::DEFAULT_CONFIG,
        "the config file, looked for in the working directory and then in each folder above it up to the root, when --config (or HANDOVER_DOCTOR_CONFIG) names no other; one in a shared folder such as /tmp is passed over. `handover-doctor init` writes it",
    );
    item(
        roff,
        "$XDG_CONFIG_HOME/handover-doctor/config.yaml",
        "the user's config file (~/.config/handover-doctor/config.yaml without XDG_CONFIG_HOME), read when no folder from the working directory up has one",
    );
}

fn exit_status(roff: &mut Vec<u8>) {
    section(roff, "EXIT STATUS");
    item(
        roff,
        "0",
        "nothing failed: every record is valid, every step passed or warned (warnings fail only with --deny-warnings); also when the reader of the output went away (| head)",
    );
    item(
        roff,
        "1",
        "problems found: an error-severity finding (with --deny-warnings, a warning too), or a diagnosis step failed",
    );
    item(
        roff,
        "2",
        "the tool could not do its job: bad usage, an unreadable path, a bad config file, or a diagnosis that could not finish",
    );
}
