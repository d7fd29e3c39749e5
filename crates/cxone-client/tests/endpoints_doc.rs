//! docs/cxone-endpoints.md lists every endpoint the client calls, with its source, and no other.

use cxone_client::endpoints::ALL;

fn rows() -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/cxone-endpoints.md"
    ))
    .unwrap();
    let table = doc
        .split("## The table")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("docs/cxone-endpoints.md has a section `## The table`")
        .to_string();
    table
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn every_endpoint_has_a_row_with_its_base_and_a_source() {
    let rows = rows();
    for endpoint in ALL {
        let row = rows
            .iter()
            .find(|r| {
                r[0] == format!("`{}`", endpoint.method) && r[1] == format!("`{}`", endpoint.path)
            })
            .unwrap_or_else(|| {
                panic!(
                    "docs/cxone-endpoints.md lacks a row for {} {}",
                    endpoint.method, endpoint.path
                )
            });
        assert_eq!(row.len(), 7, "{row:?}");
        let base = if endpoint.base.starts_with("{api_endpoint}") {
            "ACD"
        } else {
            endpoint.base
        };
        assert!(
            row[2].contains(base.split(',').next().unwrap()),
            "{} {}: the doc says relative to `{}`, the code to `{}`",
            endpoint.method,
            endpoint.path,
            row[2],
            endpoint.base
        );
        let retried = endpoint.retry == cxone_client::Retry::Idempotent;
        assert_eq!(
            row[5].starts_with("yes"),
            retried,
            "{} {}: retried is `{}`",
            endpoint.method,
            endpoint.path,
            row[5]
        );
        assert!(
            row[6].len() > 10,
            "{} {} names no source",
            endpoint.method,
            endpoint.path
        );
    }
}

#[test]
fn the_doc_lists_no_endpoint_the_client_does_not_call() {
    for row in rows() {
        let known = ALL
            .iter()
            .any(|e| row[0] == format!("`{}`", e.method) && row[1] == format!("`{}`", e.path));
        assert!(
            known,
            "docs/cxone-endpoints.md lists {row:?}, which the client never calls"
        );
    }
    assert_eq!(rows().len(), ALL.len());
}
