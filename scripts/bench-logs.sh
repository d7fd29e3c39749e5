#!/usr/bin/env bash
# `validate --from cognigy-logs` on a generated day of a busy project's log (scripts/gen_logs.py:
# LINES entries, one session in forty a voice handover), beside two baselines on the same file in
# the same run: `wc -l` (a read that only splits lines) and `validate --jsonl` of the same lines
# as payloads (every line parsed and checked, as the tool checks payload logs). One thread each,
# then the logs run on every core.
#
#   scripts/bench-logs.sh [LINES] [RUNS]     (defaults: 1000000 5)
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-1000000}
runs=${2:-5}
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
log="$work/cognigy-logs-$lines.jsonl"
if [ ! -f "$log" ]; then
  python3 scripts/gen_logs.py "$log" "$lines"
fi
cargo build --release --quiet -p handover-doctor
tool=target/release/handover-doctor

# Best wall time in seconds and peak memory (MiB) of $runs runs.
measure() {
  python3 scripts/measure.py "$runs" "$@"
}

read wc_s _ < <(measure wc -l "$log")
read logs_s logs_mb < <(measure "$tool" validate --from cognigy-logs --threads 1 -q --format json "$log")
read all_s all_mb < <(measure "$tool" validate --from cognigy-logs -q --format json "$log")
read payload_s _ < <(measure "$tool" validate --jsonl --threads 1 -q --format json "$log")
python3 - "$lines" "$(wc -c < "$log")" "$wc_s" "$logs_s" "$logs_mb" "$all_s" "$all_mb" "$payload_s" <<'PY'
import sys
lines, size = int(sys.argv[1]), int(sys.argv[2])
wc, logs, logs_mb, every, every_mb, payload = map(float, sys.argv[3:])
print(f"log                                  {lines:,} entries, {size / 1e6:.0f} MB")
print(f"wc -l (split lines only)             {wc:.3f} s")
print(f"validate --jsonl, one thread         {payload:.3f} s   (every line parsed and checked as a payload)")
print(f"--from cognigy-logs, one thread      {logs:.3f} s   {lines / logs:,.0f} entries/s, peak {logs_mb:.0f} MiB")
print(f"--from cognigy-logs, every core      {every:.3f} s   peak {every_mb:.0f} MiB")
print(f"logs / wc -l                         {logs / wc:.2f}")
print(f"logs / validate --jsonl              {logs / payload:.2f}")
PY
