#!/usr/bin/env bash
# A long watch of a large tenant: `watch --all` at a 1 s interval against the mock's `large`
# scenario (2,000 skills, 10,000 agents, 30,000 skill assignments), served by a separate mock
# process so that the watch's own memory is what is measured. Every minute it prints the watch's
# resident memory (now and peak, from /proc), the rounds finished and skipped, and the requests
# per round in that minute, read from the watch's own /metrics.
#
#   scripts/watch-soak.sh [SECONDS]      # default 3600: an hour
#
# Needs only a clone: it builds the release binary. Nothing leaves this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-3600}"
cargo build --release --quiet -p handover-doctor
bin=target/release/handover-doctor
work="$(mktemp -d)"
trap 'kill $watch $mock 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" mock --scenario large --print-config cxone >"$work/config.yaml" 2>/dev/null &
mock=$!
for _ in $(seq 100); do grep -q base_url "$work/config.yaml" 2>/dev/null && break; sleep 0.1; done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" watch --config "$work/config.yaml" --all --interval 1s --listen "127.0.0.1:$port" \
    --format human >"$work/events.log" 2>"$work/watch.err" &
watch=$!

metric() { # sum of a metric's samples, from the watch's /metrics
    curl -s "http://127.0.0.1:$port/metrics" |
        awk -v m="$1" '$1 == m || index($1, m "{") == 1 {s += $NF} END {printf "%d", s}'
}
mib() { awk -v k="$1" '$1 == k":" {printf "%.1f", $2 / 1024}' "/proc/$watch/status"; }

echo "machine: $(nproc) cores; watch --all --interval 1s against mock scenario large, ${seconds} s"
printf '%8s %10s %10s %8s %8s %14s\n' minute rss_mib peak_mib rounds skipped requests/round
last_rounds=0
last_requests=0
elapsed=0
while [ "$elapsed" -lt "$seconds" ]; do
    step=$(( seconds - elapsed < 60 ? seconds - elapsed : 60 ))
    sleep "$step"
    elapsed=$(( elapsed + step ))
    kill -0 "$watch" 2>/dev/null || { echo "the watch stopped:"; cat "$work/watch.err"; exit 2; }
    rounds=$(metric handover_rounds_total)
    requests=$(metric handover_api_requests_total)
    per_round="-"
    if [ "$rounds" -gt "$last_rounds" ]; then
        per_round=$(( (requests - last_requests) / (rounds - last_rounds) ))
    fi
    printf '%8d %10s %10s %8d %8d %14s\n' $(( elapsed / 60 )) "$(mib VmRSS)" "$(mib VmHWM)" \
        "$rounds" "$(metric handover_rounds_skipped_total)" "$per_round"
    last_rounds=$rounds
    last_requests=$requests
done
kill -TERM "$watch"
wait "$watch" || true
echo "findings raised: $(grep -c ' raised ' "$work/events.log" || true), cleared: $(grep -c ' cleared ' "$work/events.log" || true)"
