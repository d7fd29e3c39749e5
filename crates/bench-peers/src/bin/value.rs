//! The baseline docs/performance.md used to compare against: every line parsed into
//! `serde_json::Value`, which allocates a map, a string and a vector for every object, key and
//! array. It measures the allocator as much as the parse.
//!
//! usage: value FILE

fn main() -> std::io::Result<()> {
    bench_peers::parse_every_line::<serde_json::Value>("value FILE")
}
