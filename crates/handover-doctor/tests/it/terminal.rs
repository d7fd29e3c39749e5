//! What a terminal shows: tables that fit its width, logs that stay readable in a file.

use crate::test::Test;

/// The widest line of `text`, in characters (the tables' borders are one column each).
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn tables_fit_the_width_columns_gives() {
    for args in [&["rules"][..], &["settings"], &["queue", "--demo", "--all"]] {
        let wide = Test::new().args(args.iter().copied()).run();
        assert!(widest(&wide.stdout) > 80, "{}", wide.stdout);
        let narrow = Test::new()
            .args(args.iter().copied())
            .env("COLUMNS", "80")
            .run();
        assert!(widest(&narrow.stdout) <= 80, "{}", narrow.stdout);
        // Wrapped, not cut: every word of the wide table is still there.
        for word in [
            "HD304",
            "phone-not-e164",
            "HANDOVER_DOCTOR_MAX_CUSTOM_ATTRIBUTES_BYTES",
            "Billing",
        ] {
            assert_eq!(
                wide.stdout.contains(word),
                narrow.stdout.contains(word),
                "{word}\n{}",
                narrow.stdout
            );
        }
    }
}

const ONE_ERROR: &str = r#"{"transferContext":{"queueId":"4012345","participant":{"name":"J","phoneNumber":"4155552671"}}}"#;
const ONE_WARNING: &str = r#"{"transferContext":{"queueId":"4012345","participant":{"name":"J","phoneNumber":"+14155552671"},"extra":1}}"#;
const ONE_OF_EACH: &str = r#"{"transferContext":{"queueId":"4012345","participant":{"name":"J","phoneNumber":"4155552671"},"extra":1}}"#;

#[test]
fn one_of_anything_is_counted_in_the_singular() {
    Test::new()
        .file("one.json", ONE_WARNING)
        .args(["validate", "one.json"])
        .stdout_contains("! 1 record checked: all valid, 1 warning\n")
        .run();
    Test::new()
        .file("one.json", ONE_OF_EACH)
        .args(["validate", "--max-findings", "1", "one.json"])
        .status(1)
        .stdout_contains("… and 1 more finding not shown")
        .stdout_contains("1 invalid, 1 error, 1 warning")
        .run();
    Test::new()
        .file("one.json", ONE_ERROR)
        .args(["diagnose", "--demo", "--payload", "one.json"])
        .status(1)
        .stdout_contains("(transfer-context): 1 error, 0 warnings")
        .run();
    Test::new()
        .args(["auth", "--demo"])
        .stdout_contains("(1 of 1 step ran, ")
        .run();
    Test::new()
        .args(["queue", "4012346", "--demo"])
        // The chat skill in the healthy scenario is a voice handover's wrong media: HD704.
        .status(1)
        .stdout_contains("1 of 1 assigned agent Available")
        .run();
}

#[test]
fn help_says_what_each_exit_status_means() {
    let help = Test::new().args(["--help"]).run().stdout;
    assert!(
        help.contains("warnings alone exit 0 unless --deny-warnings"),
        "{help}"
    );
    assert!(!help.contains("1 problems"), "{help}");
}

/// Lines of a log that come from `crate`, by the target fmt prints after the level.
fn lines_from<'a>(log: &'a str, krate: &str) -> Vec<&'a str> {
    log.lines()
        .filter(|line| {
            line.split_whitespace()
                .nth(2)
                .is_some_and(|target| target.starts_with(krate))
        })
        .collect()
}

#[test]
fn logs_in_a_file_are_plain_and_only_the_projects_own() {
    let log = Test::new()
        .args(["auth", "--demo", "-vvv"])
        // Unset: colour is decided by standard error alone, which is not a terminal here.
        .env("NO_COLOR", "")
        .run()
        .stderr;
    assert!(!log.contains('\u{1b}'), "{log}");
    assert!(!lines_from(&log, "cxone_client").is_empty(), "{log}");
    for other in ["hyper", "rustls", "reqwest", "axum"] {
        assert!(lines_from(&log, other).is_empty(), "{other}:\n{log}");
    }
}

#[test]
fn rust_log_opens_the_other_crates_and_still_no_secret_is_logged() {
    let log = Test::new()
        .args(["auth", "--demo", "-vvv"])
        .env("RUST_LOG", "trace")
        .run()
        .stderr;
    assert!(!lines_from(&log, "hyper").is_empty(), "{log}");
    for secret in [
        "mock-client-secret",
        "mock-access-key-secret",
        "eyJhbGciOiJub25l",
    ] {
        assert!(!log.contains(secret), "{secret}:\n{log}");
    }
}
