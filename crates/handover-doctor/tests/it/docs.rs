//! The documentation lists what the code has.

#[test]
fn configuration_md_lists_every_setting() {
    let doc = std::fs::read_to_string(crate::root().join("docs/configuration.md")).unwrap();
    let out = crate::doctor().arg("settings").output().unwrap();
    let listed = String::from_utf8(out.stdout).unwrap();
    let variables: Vec<&str> = listed
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("HANDOVER_DOCTOR_"))
        .collect();
    assert!(variables.len() >= 27, "{listed}");
    for variable in variables {
        assert!(
            doc.contains(&format!("`{variable}`")),
            "docs/configuration.md lacks {variable}"
        );
    }
}
