//! The engine on its own: parse and check records, against a plain serde_json parse of the same bytes.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use handover_core::{Api, CheckSettings, Checker, Parser, contract};
use std::hint::black_box;

const VALID: &str = r#"{"transferContext":{"queueId":"a1b2c3d4-5678-90ab-cdef-123456789012","participant":{"name":"Maria Garcia","phoneNumber":"+442071234567"},"customAttributes":{"intent":"billing_inquiry","confidence":0.731,"language":"en-US","sessionId":"5f0c6a8e-1b2d-4c3e-8f9a-0b1c2d3e4f5a","turns":12,"account":{"tier":"gold","id":4512345}},"flowVersionId":"0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011"}}"#;
const BROKEN: &str = r#"{"transferContext":{"queueID":"{{context.queueId}}","participant":{"phoneNumber":"+1 555 123 4567"},"customAttributes":[["intent","billing"]],"flowVersionId":"v2-7"}}"#;

fn engine(c: &mut Criterion) {
    let settings = CheckSettings {
        api: Api::RoutingV2,
        ..CheckSettings::default()
    };
    let checker = Checker::new(settings, contract::find("transfer-context").unwrap());
    let mut group = c.benchmark_group("record");
    for (name, record) in [("valid", VALID), ("broken", BROKEN)] {
        group.throughput(Throughput::Bytes(record.len() as u64));
        group.bench_function(format!("check/{name}"), |b| {
            let mut parser = Parser::new();
            let mut findings = Vec::new();
            b.iter(|| {
                findings.clear();
                checker.check(&mut parser, black_box(record.as_bytes()), &mut findings);
                findings.len()
            })
        });
        group.bench_function(format!("serde_json_value/{name}"), |b| {
            b.iter(|| {
                serde_json::from_slice::<serde_json::Value>(black_box(record.as_bytes())).is_ok()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
