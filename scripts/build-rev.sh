#!/usr/bin/env bash
# Builds handover-doctor as it was at a commit, beside this tree and without touching it: the
# commit's files are exported (git archive) into target/bench/rev-COMMIT and built there in release
# mode with a target directory of their own, shared by every commit built this way.
#
#   scripts/build-rev.sh REV     prints the path of the binary built
set -euo pipefail
cd "$(dirname "$0")/.."
rev=$(git rev-parse --verify --quiet "${1:?usage: build-rev.sh REV}^{commit}") ||
  { echo "build-rev.sh: $1 is not a commit here" >&2; exit 2; }
work=${BENCH_DIR:-target/bench}
tree="$work/rev-$rev"
binary="$work/handover-doctor-$rev"
if [ ! -x "$binary" ]; then
  if [ ! -f "$tree/Cargo.toml" ]; then
    mkdir -p "$tree"
    git archive "$rev" | tar -x -C "$tree"
  fi
  target="$(pwd)/$work/rev-target"
  (cd "$tree" && CARGO_TARGET_DIR="$target" cargo build --release --quiet -p handover-doctor) >&2
  cp "$target/release/handover-doctor" "$binary.tmp"
  mv "$binary.tmp" "$binary"
fi
echo "$binary"
