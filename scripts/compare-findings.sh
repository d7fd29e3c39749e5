#!/usr/bin/env bash
# Proves that a change leaves every finding as it was: builds REV (a commit, by
# scripts/build-rev.sh) and this tree, runs both with `--format json` on a generated corpus of
# 300,000 records and on a directory of 20,000 payload files, and compares the outputs byte for
# byte. This tree runs on one thread and on two; each output must equal REV's on one thread.
#
#   scripts/compare-findings.sh REV      prints "identical", or the first difference and exits 1
#   RECORDS=N FILES=N ...                other sizes (300000 and 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: compare-findings.sh REV}
records=${RECORDS:-300000}
files=${FILES:-20000}
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
for n in "$records" "$files"; do
  if [ ! -s "$work/corpus-$n.jsonl" ]; then
    python3 scripts/gen_corpus.py "$n" > "$work/corpus-$n.jsonl.tmp"
    mv "$work/corpus-$n.jsonl.tmp" "$work/corpus-$n.jsonl"
  fi
done
dir="$work/payloads-$files"
if [ ! -d "$dir" ]; then
  python3 scripts/gen_dir.py "$work/corpus-$files.jsonl" "$dir.tmp"
  mv "$dir.tmp" "$dir"
fi

before=$(scripts/build-rev.sh "$rev")
cargo build --release --quiet -p handover-doctor
after=target/release/handover-doctor

out="$work/compare"
mkdir -p "$out"
different=0
# Runs one binary on one input; exit 1 (findings) is the expected outcome, anything above is not.
run() {
  local binary=$1 threads=$2 into=$3
  shift 3
  local status=0
  "$binary" validate --api routing-v2 --format json -q --threads "$threads" "$@" > "$into" || status=$?
  if [ "$status" -gt 1 ]; then
    echo "$binary exited with $status on $*" >&2
    exit 2
  fi
}
for input in corpus dir; do
  if [ "$input" = corpus ]; then
    args=(--jsonl "$work/corpus-$records.jsonl")
  else
    args=("$dir")
  fi
  run "$before" 1 "$out/$input-before.json" "${args[@]}"
  for threads in 1 2; do
    run "$after" "$threads" "$out/$input-after-$threads.json" "${args[@]}"
    if first=$(cmp "$out/$input-before.json" "$out/$input-after-$threads.json"); then
      echo "$input, $threads thread(s): identical ($(wc -c < "$out/$input-before.json") bytes)"
    else
      # cmp names the first differing byte and its line; show that line from each side.
      line=$(echo "$first" | sed -n 's/.* line \([0-9]*\).*/\1/p')
      echo "$input, $threads thread(s): $first"
      echo "  $rev: $(sed -n "${line:-1}p" "$out/$input-before.json" | cut -c1-300)"
      echo "  this tree: $(sed -n "${line:-1}p" "$out/$input-after-$threads.json" | cut -c1-300)"
      different=1
    fi
  done
done
[ "$different" -eq 0 ] || exit 1
echo identical
