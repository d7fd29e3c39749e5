#!/usr/bin/env bash
# Lint speed on a generated Cognigy agent directory (scripts/gen_agent.py: 200 flows of 100 nodes,
# 20,000 nodes), on one core, beside what reading and parsing the same files costs in the same
# run: `validate` of the same charts as plain JSON payloads (every file read, parsed and checked
# as a record, each failing as a payload does), on one thread.
#
#   scripts/bench-lint.sh [FLOWS] [NODES] [RUNS]     (defaults: 200 100 5)
set -euo pipefail
cd "$(dirname "$0")/.."
flows=${1:-200}
nodes=${2:-100}
runs=${3:-5}
work=${BENCH_DIR:-target/bench}
agent="$work/agent-$flows-$nodes"
if [ ! -d "$agent/flows" ]; then
  python3 scripts/gen_agent.py "$agent" "$flows" "$nodes"
fi
cargo build --release --quiet -p handover-doctor
tool=target/release/handover-doctor

# Best wall time in seconds of $runs runs, on one core (taskset when there is one).
measure() {
  python3 scripts/measure.py "$runs" --one-core "$@" | cut -d" " -f1
}

files=$(find "$agent/flows" -name chart.json | wc -l)
bytes=$(find "$agent/flows" -name chart.json -exec cat {} + | wc -c)
lint_s=$(measure "$tool" lint "$agent" --format json)
read_s=$(measure "$tool" validate --threads 1 -q --format json "$agent" -g 'chart.json')
python3 - "$flows" "$nodes" "$files" "$bytes" "$lint_s" "$read_s" <<'PY'
import sys
flows, nodes, files, size = map(int, sys.argv[1:5]); lint, read = map(float, sys.argv[5:7])
print(f"agent                          {flows} flows x {nodes} nodes = {flows * nodes:,} nodes, {files} charts, {size / 1e6:.1f} MB")
print(f"lint (one core)                {lint:.3f} s   {flows * nodes / lint:,.0f} nodes/s   (goal: well under 1 s)")
print(f"validate of the same files     {read:.3f} s   (read, parse and check each as a payload, one thread)")
print(f"lint / validate                {lint / read:.2f}")
PY
