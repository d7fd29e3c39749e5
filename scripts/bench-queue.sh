#!/usr/bin/env bash
# `queue` with 20 ids against the mock with 100 ms of latency on every request: wall time and the
# requests the mock served, beside a reference in the same run, and the ratio.
#
#   scripts/bench-queue.sh [RUNS] [LATENCY_MS]   (defaults: best of 3 runs, 100 ms)
#   BEFORE=REV scripts/bench-queue.sh ...         the reference is REV's `queue` with the same 20
#                                                 ids, built in a worktree of its own
#   PROFILE=dev scripts/bench-queue.sh ...        debug builds (default: release); the run waits on
#                                                 the mock's latency, not on the CPU
#
# Without BEFORE the reference is 20 runs of `queue` with one id each, one after another: a
# single id still runs today's plan (its own client, sign-in, discovery and agent states), so this
# is the old way with 19 more process and mock starts.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
latency=${2:-100}
profile=${PROFILE:-release}
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
out_dir=$([ "$profile" = dev ] && echo debug || echo "$profile")

cargo build --profile "$profile" --quiet -p handover-doctor
tool=$PWD/target/$out_dir/handover-doctor

# 20 phone skills (ids 5000000 to 5000019) and 200 agents on 3 skills each, beside the healthy
# tenant's 2 skills and 3 agents: 203 agents' states, 3 pages of 100.
scenario="$work/queue-20.yaml"
echo "crowd: {skills: 20, agents: 200, skills_per_agent: 3}" > "$scenario"
ids=$(seq 5000000 5000019 | tr '\n' ' ')
demo=(--demo "$scenario" --demo-latency-ms "$latency")

# The requests the mock served in one run: the last report's demo.requests_served.
served() {
  "$@" --format json | tail -n 1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["demo"]["requests_served"])'
}

# shellcheck disable=SC2086 # the ids are words on purpose
read -r new_s _ < <(python3 scripts/measure.py "$runs" "$tool" queue $ids "${demo[@]}" --format json)
# shellcheck disable=SC2086
new_requests=$(served "$tool" queue $ids "${demo[@]}")

if [ -n "${BEFORE:-}" ]; then
  before_tree="$work/before-$BEFORE"
  [ -d "$before_tree" ] || git worktree add --detach "$before_tree" "$BEFORE" >/dev/null
  (cd "$before_tree" && CARGO_TARGET_DIR="$PWD/../before-target" cargo build --profile "$profile" --quiet -p handover-doctor)
  ref_tool="$work/before-target/$out_dir/handover-doctor"
  ref_name="$BEFORE, queue with 20 ids"
  # shellcheck disable=SC2086
  read -r ref_s _ < <(python3 scripts/measure.py "$runs" "$ref_tool" queue $ids "${demo[@]}" --format json)
  # shellcheck disable=SC2086
  ref_requests=$(served "$ref_tool" queue $ids "${demo[@]}")
else
  ref_name="20 runs of queue with one id"
  one_by_one="for id in $ids; do '$tool' queue \$id --demo '$scenario' --demo-latency-ms $latency --format json; done"
  read -r ref_s _ < <(python3 scripts/measure.py "$runs" sh -c "$one_by_one")
  ref_requests=0
  for id in $ids; do
    ref_requests=$((ref_requests + $(served "$tool" queue "$id" "${demo[@]}")))
  done
fi

python3 - "$latency" "$runs" "$new_s" "$new_requests" "$ref_name" "$ref_s" "$ref_requests" <<'PY'
import sys
latency = int(sys.argv[1]) / 1000
runs, new_s, new_n, ref_name, ref_s, ref_n = sys.argv[2:8]
new_s, ref_s = float(new_s), float(ref_s)
print(f"queue, 20 ids, {latency * 1000:.0f} ms a request, best of {runs}")
print(f"  {ref_name:<36} {ref_s:6.3f} s  {ref_n:>4} requests  {ref_s / latency:5.1f}x the latency")
print(f"  {'this tree, queue with 20 ids':<36} {new_s:6.3f} s  {new_n:>4} requests  {new_s / latency:5.1f}x the latency (goal < 1 s)")
print(f"  ratio {ref_s / new_s:.1f}x faster, {int(ref_n) / int(new_n):.1f}x fewer requests")
PY
