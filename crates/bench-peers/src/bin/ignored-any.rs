//! The parse limit the tool is measured against: every line of a JSON Lines file, streamed as the
//! tool streams it, parsed by serde_json into `IgnoredAny` (full RFC 8259 syntax checking, nothing
//! built, nothing checked beyond syntax).
//!
//! usage: ignored-any FILE

fn main() -> std::io::Result<()> {
    bench_peers::parse_every_line::<serde::de::IgnoredAny>("ignored-any FILE")
}
