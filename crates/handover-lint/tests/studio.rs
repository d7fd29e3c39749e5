//! The Studio script rules on the fixtures in examples/studio/ and on scripts built to trip the
//! graph walk: each broken fixture fires its rule (and only it) at the right value, the healthy
//! ones fire nothing, and odd shapes never panic or raise a false finding.

use handover_core::Finding;
use handover_lint::studio::{SkillFact, lint_script, lint_script_with_skills};
use handover_lint::{Kind, detect, lint};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../examples/studio/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A fixture's findings, after checking that it is told as a script (by its content: web-Studio
/// JSON or Desktop Studio XML).
fn findings(bytes: &[u8]) -> Vec<Finding> {
    let kind = detect(bytes);
    assert!(
        matches!(kind, Some(Kind::StudioScript | Kind::StudioXml)),
        "{kind:?}"
    );
    let mut findings = Vec::new();
    lint(kind.unwrap(), "example", bytes, &mut findings);
    findings
}

fn text_at<'a>(bytes: &'a [u8], finding: &Finding) -> &'a str {
    std::str::from_utf8(&bytes[finding.span.start..finding.span.end]).unwrap()
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule.code).collect()
}

/// The fixture fires `code` alone, `count` times, each at `at` (the text of its span) and
/// `pointer` (an XML element's path in a Desktop script), with a message that names the script
/// and the action.
fn fires(file: &str, code: &str, count: usize, at: &str, pointer: &str, message: &str) {
    let bytes = fixture(file);
    let found = findings(&bytes);
    assert_eq!(codes(&found), vec![code; count], "{file}: {found:#?}");
    for f in &found {
        assert_eq!(text_at(&bytes, f), at, "{file}: span of {f:#?}");
        assert_eq!(f.pointer, pointer, "{file}");
        assert!(f.message.contains(message), "{file}: {}", f.message);
    }
}

#[test]
fn the_healthy_scripts_have_no_finding() {
    for file in ["healthy.json", "healthy-chat.json"] {
        let found = findings(&fixture(file));
        assert!(found.is_empty(), "{file}: {found:#?}");
    }
}

#[test]
fn no_reqagent_points_at_the_actions_key() {
    fires(
        "no-reqagent.json",
        "HD970",
        1,
        "\"actions\"",
        "/actions",
        "script `example` has no REQAGENT action",
    );
}

#[test]
fn an_empty_skill_points_at_its_value() {
    fires(
        "reqagent-skill-missing.json",
        "HD971",
        1,
        "\"\"",
        "/properties/13/0/value",
        "script `example`, action \"Queue: Support\" (13): the Skill property is empty",
    );
}

#[test]
fn a_second_onsignal_points_at_its_kind() {
    fires(
        "two-onsignals.json",
        "HD972",
        1,
        "\"ONSIGNAL\"",
        "/actions/20/name",
        "action \"Second signal handler\" (20): a second ONSIGNAL event; the script already has \"Signal from Cognigy\" (10)",
    );
}

#[test]
fn a_phone_script_without_onsignal_is_warned() {
    fires(
        "no-onsignal.json",
        "HD973",
        1,
        "\"actions\"",
        "/actions",
        "has no ONSIGNAL event",
    );
}

#[test]
fn an_onsignal_that_cannot_reach_reqagent_is_warned() {
    fires(
        "onsignal-no-path.json",
        "HD974",
        1,
        "\"ONSIGNAL\"",
        "/actions/10/name",
        "action \"Signal from Cognigy\" (10): no path of branches leads from it to a REQAGENT",
    );
}

#[test]
fn each_unwired_textbot_branch_is_warned() {
    fires(
        "textbot-branch-unwired.json",
        "HD975",
        1,
        "\"TEXTBOTEXCHANGE\"",
        "/actions/4/name",
        "action \"TextBotExchange_Cognigy\" (4): the OnError branch is not connected",
    );
}

#[test]
fn a_bare_reqagent_is_warned() {
    fires(
        "reqagent-default-unwired.json",
        "HD976",
        1,
        "\"REQAGENT\"",
        "/actions/13/name",
        "action \"Queue: Support\" (13): the Default branch is not connected",
    );
}

/// A script from JSON text, whatever its shape.
fn lint_text(text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    lint_script("odd", text.as_bytes(), &mut findings);
    findings
}

#[test]
fn cycles_unknown_actions_and_branches_to_unknown_ids_raise_nothing_false() {
    // ONSIGNAL -> A -> B -> A loops, and B also reaches REQAGENT; a branch leads to an id the
    // script lacks, an action kind no rule knows, an action with no name, properties and
    // branches of odd types.
    let text = r#"{
      "header": {"mediaType": 4},
      "actions": {
        "1": {"name": "BEGIN", "label": "Begin"},
        "2": {"name": "ONSIGNAL", "label": "Signal"},
        "3": {"name": "FROBNICATE", "label": "A", "extra": {"deep": [1, 2]}},
        "4": {"name": "SNIPPET", "label": "B"},
        "5": {"name": "REQAGENT", "label": "Queue"},
        "6": {"label": "nameless"},
        "7": {"name": "MUSIC"},
        "8": "not an action"
      },
      "properties": {"5": {"0": {"name": "Skill", "value": "Support"}, "1": 7}, "3": "odd"},
      "branches": {
        "1": [{"to": 999, "label": "", "type": "default"}],
        "2": [{"to": "3", "type": "default"}],
        "3": [{"to": 4, "type": "default"}, null],
        "4": [{"to": 3, "type": "default"}, {"to": 5, "label": "True", "type": "true"}],
        "5": [{"to": 7, "label": "", "type": "default"}],
        "7": [{"to": 7, "type": "default"}, {"to": 7}],
        "6": "odd"
      }
    }"#;
    let found = lint_text(text);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn a_reqagent_branch_to_an_unknown_id_counts_as_wired() {
    let text = r#"{"actions": {"1": {"name": "ONSIGNAL"}, "2": {"name": "REQAGENT", "label": "Q"}},
      "properties": {"2": {"0": {"name": "Skill", "value": "S"}}},
      "branches": {"1": [{"to": 2}], "2": [{"to": "77", "type": "default"}]}}"#;
    assert!(lint_text(text).is_empty());
}

#[test]
fn a_cycle_without_reqagent_reports_once_and_ends() {
    let text = r#"{"actions": {"1": {"name": "ONSIGNAL", "label": "S"}, "2": {"name": "X"},
        "3": {"name": "REQAGENT", "label": "Q"}},
      "properties": {"3": [{"name": "Skill", "value": "S"}]},
      "branches": {"1": [{"to": 2}], "2": [{"to": 1}, {"to": 2}], "3": [{"to": 3, "type": "default"}]}}"#;
    assert_eq!(codes(&lint_text(text)), ["HD974"]);
}

#[test]
fn actions_as_an_array_and_a_missing_skill_property() {
    let text = r#"{"actions": [{"actionId": 1, "name": "ONSIGNAL"}, {"actionId": 2, "name": "REQAGENT", "label": "Q"}],
      "properties": {}, "branches": {"1": [{"to": 2}], "2": [{"to": 2, "type": "default"}]}}"#;
    let found = lint_text(text);
    assert_eq!(codes(&found), ["HD971"]);
    assert!(
        found[0]
            .message
            .contains("(2): the Skill property is missing")
    );
    assert_eq!(text_at(text.as_bytes(), &found[0]), "\"REQAGENT\"");
}

#[test]
fn a_digital_script_needs_no_reqagent_and_no_onsignal() {
    let text =
        r#"{"header": {"mediaType": 9}, "actions": {"1": {"name": "BEGIN"}}, "branches": {}}"#;
    assert!(lint_text(text).is_empty());
}

#[test]
fn a_script_that_runs_another_may_queue_there() {
    let text = r#"{"actions": {"1": {"name": "BEGIN"}, "2": {"name": "ONSIGNAL"}, "3": {"name": "RUNSUB"}},
      "branches": {"2": [{"to": 3}]}}"#;
    assert!(lint_text(text).is_empty());
}

#[test]
fn invalid_json_is_one_finding_at_the_error() {
    let found = lint_text(r#"{"actions": {"1": {"name": "BEGIN"}, }"#);
    assert_eq!(codes(&found), ["HD100"]);
    assert!(found[0].message.starts_with("script `odd`: invalid JSON"));
    assert_eq!(found[0].span.start, 37);
    assert_eq!(found[0].span.end, 38);
}

#[test]
fn odd_roots_raise_no_panic() {
    for text in [
        "[]",
        "null",
        "1",
        "\"x\"",
        "{}",
        r#"{"actions": 3, "branches": []}"#,
    ] {
        let found = lint_text(text);
        assert!(
            found
                .iter()
                .all(|f| matches!(f.rule.code, "HD970" | "HD973")),
            "{text}: {found:#?}"
        );
    }
}

fn skill(id: u64, name: &str, active: bool, media_type: u32) -> SkillFact {
    SkillFact {
        id,
        name: name.to_string(),
        active,
        media_type,
    }
}

fn with_skills(file: &str, skills: &[SkillFact]) -> (Vec<u8>, Vec<Finding>) {
    let bytes = fixture(file);
    let mut found = Vec::new();
    lint_script_with_skills("example", &bytes, skills, &mut found);
    (bytes, found)
}

#[test]
fn the_skill_is_checked_against_the_tenant() {
    let (_, found) = with_skills("healthy.json", &[skill(11, "support", true, 4)]);
    assert!(found.is_empty(), "{found:#?}");
    let (_, found) = with_skills("healthy.json", &[skill(12, "Support", true, 4)]);
    assert!(found.is_empty(), "matched by name, whatever the case");

    let cases = [
        (
            vec![skill(11, "Sales", true, 4)],
            "HD977",
            "the skill `Support` is not a skill of the tenant",
        ),
        (
            vec![skill(11, "Support", false, 4)],
            "HD978",
            "the skill `Support` (11) is inactive",
        ),
        (
            vec![skill(11, "Support", true, 3)],
            "HD979",
            "the skill `Support` (11) has media type 3, not phone (4)",
        ),
    ];
    for (skills, code, message) in cases {
        let (bytes, found) = with_skills("healthy.json", &skills);
        assert_eq!(codes(&found), [code]);
        assert_eq!(text_at(&bytes, &found[0]), "\"Support\"");
        assert_eq!(found[0].pointer, "/properties/13/0/value");
        assert!(found[0].message.contains(message), "{}", found[0].message);
    }
}

#[test]
fn a_skill_by_id_or_variable_is_resolved_or_left_alone() {
    let text = |value: &str| {
        format!(
            r#"{{"actions": {{"1": {{"name": "ONSIGNAL"}}, "2": {{"name": "REQAGENT"}}}},
              "properties": {{"2": {{"0": {{"name": "Skill", "value": {value}}}}}}},
              "branches": {{"1": [{{"to": 2}}], "2": [{{"to": 2, "type": "default"}}]}}}}"#
        )
    };
    let skills = [skill(4242, "Support", true, 4)];
    for value in ["\"4242\"", "4242", "\"{skillVar}\""] {
        let mut found = Vec::new();
        lint_script_with_skills("s", text(value).as_bytes(), &skills, &mut found);
        assert!(found.is_empty(), "{value}: {found:#?}");
    }
}

#[test]
fn the_healthy_desktop_scripts_have_no_finding() {
    for file in ["healthy.xml", "healthy-chat.xml"] {
        let found = findings(&fixture(file));
        assert!(found.is_empty(), "{file}: {found:#?}");
    }
}

#[test]
fn a_desktop_script_without_reqagent_points_at_its_actions() {
    fires(
        "no-reqagent.xml",
        "HD970",
        1,
        "Actions",
        "/Actions",
        "script `example` has no REQAGENT action",
    );
}

#[test]
fn a_second_onsignal_in_xml_points_at_its_action_element() {
    fires(
        "two-onsignals.xml",
        "HD972",
        1,
        "<Action>ONSIGNAL</Action>",
        "/Actions/ActionStruct[9]/Action",
        "action \"Signal again\" (20): a second ONSIGNAL event; the script already has \"Signal from Cognigy\" (10)",
    );
}

#[test]
fn an_onsignal_in_xml_that_cannot_reach_reqagent_is_warned() {
    fires(
        "onsignal-no-path.xml",
        "HD974",
        1,
        "<Action>ONSIGNAL</Action>",
        "/Actions/ActionStruct[2]/Action",
        "action \"Signal from Cognigy\" (10): no path of branches leads from it to a REQAGENT",
    );
}

#[test]
fn an_unwired_textbot_case_in_xml_is_warned() {
    fires(
        "textbot-branch-unwired.xml",
        "HD975",
        1,
        "<Action>TEXTBOTEXCHANGE</Action>",
        "/Actions/ActionStruct[3]/Action",
        "action \"Cognigy bot\" (4): the OnError branch is not connected",
    );
}

#[test]
fn a_reqagent_whose_default_next_action_is_minus_one_is_warned() {
    fires(
        "reqagent-default-unwired.xml",
        "HD976",
        1,
        "<Action>REQAGENT</Action>",
        "/Actions/ActionStruct[6]/Action",
        "action \"Queue: Support\" (13): the Default branch is not connected",
    );
}

#[test]
fn a_desktop_script_that_is_not_well_formed_is_one_finding_where_it_breaks() {
    let bytes = fixture("not-well-formed.xml");
    let found = findings(&bytes);
    assert_eq!(codes(&found), ["HD980"], "{found:#?}");
    let f = &found[0];
    assert!(
        f.message
            .starts_with("script `example`: not well-formed XML: "),
        "{}",
        f.message
    );
    // The REQAGENT's ActionStruct is never closed, so the reading stops at `</Actions>`.
    assert!(f.message.contains("ActionStruct"), "{}", f.message);
    let rest = &bytes[f.span.start..];
    assert!(
        rest.starts_with(b"</Actions>"),
        "{}",
        String::from_utf8_lossy(rest)
    );
    assert_eq!(text_at(&bytes, f), "<");
}

/// A Desktop script from XML text.
fn lint_xml(text: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    lint(Kind::StudioXml, "odd", text.as_bytes(), &mut findings);
    findings
}

#[test]
fn properties_and_media_type_are_not_read_from_xml() {
    // No Skill property, no media type, no ONSIGNAL: HD971 and HD973 would need what the XML's
    // unpublished properties hold, so neither is raised.
    let text = "<Actions><ActionStruct><ActionID>1</ActionID><Action>REQAGENT</Action>\
        <DefaultNextAction><Text /><ActionID>2</ActionID></DefaultNextAction></ActionStruct>\
        <ActionStruct><ActionID>2</ActionID><Action>MUSIC</Action>\
        <DefaultNextAction><ActionID>2</ActionID></DefaultNextAction></ActionStruct></Actions>";
    assert!(lint_xml(text).is_empty(), "{:#?}", lint_xml(text));
}

#[test]
fn odd_xml_raises_a_finding_or_nothing_false() {
    // A branch in an element the public reader does not show is still followed; ids with spaces,
    // an action without an id, a namespace, and a branch to an id the script lacks.
    let text = r#"<Script xmlns="urn:x"><Actions>
        <ActionStruct><ActionID> 2 </ActionID><Action>ONSIGNAL</Action>
          <OnSomething><ActionID>3</ActionID></OnSomething></ActionStruct>
        <ActionStruct><Action>HANGUP</Action></ActionStruct>
        <ActionStruct><ActionID>3</ActionID><Action>REQAGENT</Action>
          <DefaultNextAction><ActionID>99</ActionID></DefaultNextAction></ActionStruct>
        </Actions></Script>"#;
    assert!(lint_xml(text).is_empty(), "{:#?}", lint_xml(text));
    for (text, code) in [
        ("<Actions><ActionStruct>", "HD980"),
        (
            "<!DOCTYPE x [<!ENTITY a \"b\">]><Actions><ActionStruct/></Actions>",
            "HD980",
        ),
        ("<Actions>\u{0}</Actions>", "HD980"),
        ("<Actions><ActionStruct/></Actions>", "HD970"),
    ] {
        assert_eq!(codes(&lint_xml(text)), [code], "{text}");
    }
    let mut found = Vec::new();
    lint(
        Kind::StudioXml,
        "odd",
        b"<Actions>\xFF</Actions>",
        &mut found,
    );
    assert_eq!(codes(&found), ["HD980"]);
    assert_eq!((found[0].span.start, found[0].span.end), (9, 10));
    assert!(
        found[0].message.contains("not UTF-8"),
        "{}",
        found[0].message
    );
}
