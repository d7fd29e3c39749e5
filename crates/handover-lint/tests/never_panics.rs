//! Bad input gets a finding or nothing, never a panic: charts and scripts of every wrong shape.

const SHAPES: &[&str] = &[
    r#"{"nodes": 1, "relations": "x"}"#,
    r#"{"nodes": [1, "a", null, []], "relations": [1, null, {}]}"#,
    r#"{"nodes": [{"_id": 5, "type": ["handoverToCXone"], "config": []}], "relations": [{"node": 5, "next": [], "children": "x"}]}"#,
    r#"{"nodes": [{"_id": "a", "type": "handoverToCXone", "config": {"contactId": 1, "spawnedContactId": null, "optionalParamsObject": "[", "optionalParamsMode": 3}}], "relations": [{"node": "a", "next": "a", "children": ["a", "b", 7]}]}"#,
    r#"{"nodes": [{"_id": "a", "type": "handoverToCXone", "isEntryPoint": "yes", "config": {"contactId": "{{", "spawnedContactId": "[[snippet-%%%]]"}}], "relations": []}"#,
    r#"{"actions": [], "branches": []}"#,
    r#"{"actions": {"1": 5, "2": {"name": 7}}, "properties": {"1": []}, "branches": {"1": [5, {"to": 9}], "9": "x"}}"#,
    r#"{"actions": {"1": {"name": "REQAGENT"}}, "properties": {"1": {"0": {"name": "Skill", "value": {}}}}, "branches": {"1": [{"to": "1"}]}}"#,
    "<ActionStruct/>",
    "<ActionStruct><ActionStruct><ActionID>1</ActionID></ActionStruct><ActionID/></ActionStruct>",
    "<a><ActionStruct><ActionID>1</ActionID><Action/><Cases><BranchStruct><ActionID>x</ActionID></BranchStruct></Cases></ActionStruct></a>",
    "<a><ActionStruct><ActionID>1</ActionID><Action>ONSIGNAL</Action><Action>REQAGENT</Action><x><ActionID><b>1</b></ActionID></x></ActionStruct></a>",
    "<a>ActionStruct",
    "<ActionStruct",
    "<a><ActionStruct>&unknown;</ActionStruct></a>",
    "\u{feff}<a>é<ActionStruct><ActionID>1</ActionID></ActionStruct>é</a",
];

#[test]
fn no_shape_of_chart_or_script_panics() {
    for shape in SHAPES {
        let bytes = shape.as_bytes();
        let kind =
            handover_lint::detect(bytes).unwrap_or_else(|| panic!("not recognised: {shape}"));
        let mut findings = Vec::new();
        handover_lint::lint(kind, "shape", bytes, &mut findings);
        for f in &findings {
            assert!(
                f.span.start <= f.span.end && f.span.end <= bytes.len(),
                "{shape}: {f:?}"
            );
        }
    }
}

/// Very deep or very long Desktop scripts end, well-formed or not, without overflowing the stack.
#[test]
fn deep_and_long_xml_scripts_end() {
    let depth = 200_000;
    let deep = format!(
        "<a>{}<ActionStruct/>{}",
        "<b>".repeat(depth),
        "</b>".repeat(depth)
    );
    let long = format!(
        "<a>{}</a>",
        (0..20_000)
            .map(|i| format!(
                "<ActionStruct><ActionID>{i}</ActionID><Action>MUSIC</Action><DefaultNextAction><ActionID>{}</ActionID></DefaultNextAction></ActionStruct>",
                i + 1
            ))
            .collect::<String>()
    );
    let nested = format!(
        "<a>{}{}</a>",
        "<ActionStruct><ActionID>1</ActionID><Action>REQAGENT</Action><x>".repeat(depth / 4),
        "</x></ActionStruct>".repeat(depth / 4)
    );
    for text in [deep.clone(), format!("{deep}</a>"), long, nested] {
        let bytes = text.as_bytes();
        assert_eq!(
            handover_lint::detect(bytes),
            Some(handover_lint::Kind::StudioXml)
        );
        let mut findings = Vec::new();
        handover_lint::lint(handover_lint::Kind::StudioXml, "big", bytes, &mut findings);
        assert!(!findings.is_empty());
    }
    let mut findings = Vec::new();
    handover_lint::lint(
        handover_lint::Kind::StudioXml,
        "deep",
        format!("{deep}</a>").as_bytes(),
        &mut findings,
    );
    assert!(
        findings[0]
            .message
            .contains("nested deeper than 128 levels"),
        "{:?}",
        findings[0]
    );
}
