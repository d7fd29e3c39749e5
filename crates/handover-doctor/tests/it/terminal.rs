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
