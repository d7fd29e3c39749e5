//! Help, manual pages and rule explanations, as a new user meets them.

use std::path::Path;
use std::process::Stdio;

/// The commands `--help` lists, but clap's own `help`.
fn commands() -> Vec<String> {
    let out = crate::doctor().arg("--help").output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(String::from)
        .collect()
}

/// The example lines under `Examples:` in a `--help`.
fn examples(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Examples:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.trim().to_string())
        .collect()
}

/// Every example in every `--help` runs as shown, from a fresh directory that has the
/// repository's examples/ (as a clone does): it finishes with 0 or 1, never 2 or a crash. Only
/// the mock's servers are left out: they run until stopped.
#[test]
fn every_example_in_the_help_works_from_a_clone() {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(crate::root().join("examples"), dir.path().join("examples"))
        .unwrap();
    let binary = assert_cmd::cargo::cargo_bin("handover-doctor");
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for command in std::iter::once(String::new()).chain(commands()) {
        let mut help = crate::doctor();
        if !command.is_empty() {
            help.arg(&command);
        }
        let help = String::from_utf8(help.arg("--help").output().unwrap().stdout).unwrap();
        let examples = examples(&help);
        assert!(!examples.is_empty(), "`{command} --help` shows no example");
        for example in examples {
            if example.contains("handover-doctor mock") && !example.contains("--list") {
                continue;
            }
            let status = crate::isolated(std::process::Command::new("sh"))
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("HOME", dir.path())
                .args(["-c", &example])
                .stdin(Stdio::null())
                .output()
                .unwrap();
            assert!(
                matches!(status.status.code(), Some(0 | 1)),
                "{example}: {}\n{}",
                status.status,
                String::from_utf8_lossy(&status.stderr)
            );
            ran += 1;
        }
    }
    assert!(ran >= 30, "only {ran} examples ran");
}

/// Every `name(1)` a roff page refers to, with roff's escapes (`\-`, `\fB`) undone.
fn references(page: &str) -> Vec<String> {
    let text = page
        .replace("\\-", "-")
        .replace("\\fB", "")
        .replace("\\fR", "");
    text.match_indices("(1)")
        .map(|(at, _)| {
            let before = &text[..at];
            let start = before
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .map_or(0, |i| i + 1);
            before[start..].to_string()
        })
        .collect()
}

#[test]
fn manpage_dir_writes_a_page_per_command_and_every_reference_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let man = dir.path().join("man");
    let out = crate::doctor()
        .args(["manpage", "--dir"])
        .arg(&man)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let commands = commands();
    assert!(commands.len() >= 12, "{commands:?}");
    let page = |name: &str| man.join(format!("{name}.1"));
    for command in &commands {
        let path = page(&format!("handover-doctor-{command}"));
        assert!(path.is_file(), "no page for `{command}`");
    }
    let mut referenced = 0;
    for entry in std::fs::read_dir(&man).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for name in references(&text) {
            assert!(
                Path::new(&page(&name)).is_file(),
                "{} refers to {name}(1), which has no page",
                path.display()
            );
            referenced += 1;
        }
    }
    assert!(referenced > commands.len(), "only {referenced} references");
}

#[test]
fn the_top_page_has_environment_files_and_exit_status() {
    let out = crate::doctor().arg("manpage").output().unwrap();
    let page = String::from_utf8(out.stdout).unwrap().replace("\\-", "-");
    assert!(page.contains("\n.TH handover-doctor 1 "), "{page}");
    assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble:\n{page}");
    for section in [
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH EXIT STATUS",
        ".SH EXAMPLES",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    let settings = crate::doctor().arg("settings").output().unwrap();
    let settings = String::from_utf8(settings.stdout).unwrap();
    let variables = settings
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("HANDOVER_DOCTOR_"))
        .chain(["NO_COLOR", "RUST_LOG"]);
    let environment = &page[page.find(".SH ENVIRONMENT").unwrap()..page.find(".SH FILES").unwrap()];
    for variable in variables {
        assert!(
            environment.contains(variable),
            "ENVIRONMENT lacks {variable}"
        );
    }
    for file in ["handover-doctor.yaml", "handover-doctor/config.yaml"] {
        assert!(page.contains(file), "FILES lacks {file}");
    }
}

#[test]
fn rules_code_shows_the_example_its_fix_and_the_link_and_explain_is_the_same() {
    let rules = crate::doctor().args(["rules", "HD304"]).output().unwrap();
    assert_eq!(rules.status.code(), Some(0));
    let text = String::from_utf8(rules.stdout).unwrap();
    for part in [
        "HD304 phone-not-e164 (error)",
        "Fails:\n\n    {\"transferContext\"",
        "\"phoneNumber\": \"+1 (415) 555-2671\"",
        "error[HD304]: \"+1 (415) 555-2671\" is not an E.164 phone number",
        "\"phoneNumber\": \"+14155552671\"",
        "Passes:",
        "Documentation: https://",
        "/docs/rules.md#hd304-phone-not-e164\n",
    ] {
        assert!(text.contains(part), "no {part:?} in\n{text}");
    }
    assert!(!text.contains("Examples and fixes: docs/"), "{text}");
    let explain = crate::doctor()
        .args(["--explain", "hd304"])
        .output()
        .unwrap();
    assert_eq!(explain.status.code(), Some(0));
    assert_eq!(String::from_utf8(explain.stdout).unwrap(), text);
}

#[test]
fn explain_links_to_the_configs_docs_url_and_refuses_an_unknown_code() {
    let out = crate::doctor()
        .args(["--explain", "HD201"])
        .env(
            "HANDOVER_DOCTOR_DOCS_URL",
            "https://wiki.example/handover-rules",
        )
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Documentation: https://wiki.example/handover-rules#hd201-missing-queue-id"),
        "{text}"
    );
    let out = crate::doctor()
        .args(["--explain", "HD999"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no rule `HD999`"));
    let out = crate::doctor()
        .args(["--explain", "HD304", "rules"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "--explain with a command is a usage error"
    );
}
