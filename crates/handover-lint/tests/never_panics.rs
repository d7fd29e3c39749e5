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
