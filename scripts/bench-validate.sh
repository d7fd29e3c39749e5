#!/usr/bin/env bash
# Batch validation speed against a plain serde_json parse of the same file, in the same run. Needs
# python3 for the corpus (scripts/gen_corpus.py) and nothing outside the repository.
#
#   scripts/bench-validate.sh [RECORDS] [RUNS]     (defaults: 1000000 records, best of 3 runs)
#   BEFORE=REV scripts/bench-validate.sh ...       also builds REV (a commit) beside this tree and
#                                                  times it on the same corpus, in the same run, on
#                                                  one and two threads: its ratios beside this tree's
#
# Prints records/s for the parse-only baseline and for `validate --format json` on one and two
# threads, the ratios the goals in docs/performance.md are stated in, each run's peak memory, and
# what detecting the contract per record costs against a fixed contract.
set -euo pipefail
cd "$(dirname "$0")/.."

records=${1:-1000000}
runs=${2:-3}
work=${BENCH_DIR:-target/bench}
corpus="$work/corpus-$records.jsonl"
mkdir -p "$work"

if [ ! -s "$corpus" ]; then
  echo "generating $records records into $corpus"
  python3 scripts/gen_corpus.py "$records" > "$corpus.tmp"
  mv "$corpus.tmp" "$corpus"
fi

cargo build --release --quiet -p handover-doctor
cargo build --release --quiet -p handover-core --example parse_baseline

# Runs a command $runs times; prints the best wall time in seconds and the peak RSS in MiB.
measure() {
  python3 scripts/measure.py "$runs" "$@"
}

tool=target/release/handover-doctor
read -r base_s base_mb < <(measure target/release/examples/parse_baseline "$corpus")
read -r one_s one_mb < <(measure "$tool" validate --api routing-v2 --jsonl --format json --threads 1 -q "$corpus")
read -r two_s two_mb < <(measure "$tool" validate --api routing-v2 --jsonl --format json --threads 2 -q "$corpus")
# The same with the contract fixed: what detecting it per record (--contract auto, the default) costs.
read -r fixed_s fixed_mb < <(measure "$tool" validate --api routing-v2 --jsonl --format json --threads 1 -q --contract transfer-context "$corpus")

# An earlier commit, built in a worktree of its own, timed on the same corpus between the same runs.
before_s=""
if [ -n "${BEFORE:-}" ]; then
  before_tree="$work/before-$BEFORE"
  [ -d "$before_tree" ] || git worktree add --detach "$before_tree" "$BEFORE" >/dev/null
  (cd "$before_tree" && CARGO_TARGET_DIR="$PWD/../before-target" cargo build --release --quiet -p handover-doctor)
  before_tool="$work/before-target/release/handover-doctor"
  read -r before_s _ < <(measure "$before_tool" validate --api routing-v2 --jsonl --format json --threads 1 -q "$corpus")
  # This tree again, right after it: both sides best of the same number of runs, side by side.
  read -r again_s _ < <(measure "$tool" validate --api routing-v2 --jsonl --format json --threads 1 -q "$corpus")
  # The two-thread ratio of each, measured the same way, one after the other.
  read -r before_two_s _ < <(measure "$before_tool" validate --api routing-v2 --jsonl --format json --threads 2 -q "$corpus")
  read -r again_two_s _ < <(measure "$tool" validate --api routing-v2 --jsonl --format json --threads 2 -q "$corpus")
  read -r again_base_s _ < <(measure target/release/examples/parse_baseline "$corpus")
fi

python3 - "$records" "$base_s" "$one_s" "$two_s" "$base_mb" "$one_mb" "$two_mb" "$fixed_s" "$before_s" "${BEFORE:-}" "${again_s:-}" "${before_two_s:-}" "${again_two_s:-}" "${again_base_s:-}" <<'PY'
import sys
n = int(sys.argv[1]); base, one, two = map(float, sys.argv[2:5]); mb = sys.argv[5:8]; fixed = float(sys.argv[8])
before, before_rev, again = sys.argv[9], sys.argv[10], sys.argv[11]
before_two, again_two, again_base = sys.argv[12], sys.argv[13], sys.argv[14]
rate = lambda s: n / s
print(f"records                       {n}")
print(f"serde_json parse (baseline)   {rate(base):>12,.0f} records/s   peak {mb[0]} MiB")
print(f"validate --threads 1          {rate(one):>12,.0f} records/s   peak {mb[1]} MiB")
print(f"validate --threads 2          {rate(two):>12,.0f} records/s   peak {mb[2]} MiB")
print(f"ratio 1 thread / baseline     {base / one:.2f}   (goal >= 0.70)")
print(f"ratio 2 threads / 1 thread    {one / two:.2f}   (goal >= 1.70)")
print(f"contract detection cost       {one / fixed - 1:+.1%}   (auto vs --contract transfer-context, 1 thread; goal <= +5%)")
if before:
    before = float(before)
    print(f"validate --threads 1, {before_rev[:10]} {rate(before):>12,.0f} records/s")
    print(f"validate --threads 1, this tree {rate(float(again)):>12,.0f} records/s   (run right after it)")
    print(f"time against {before_rev[:10]}         {float(again) / before - 1:+.1%}   (goal <= +3%)")
    again, before_two, again_two, again_base = map(float, (again, before_two, again_two, again_base))
    # The ratios of both trees against the baseline parse timed beside them, and their change.
    print(f"ratio 1 thread / baseline     {again_base / before:.2f} before, {again_base / again:.2f} this tree   ({again_base / again / (again_base / before) - 1:+.1%}; goal >= -3%)")
    print(f"ratio 2 threads / 1 thread    {before / before_two:.2f} before, {again / again_two:.2f} this tree   ({(again / again_two) / (before / before_two) - 1:+.1%}; goal >= -3%)")
PY
