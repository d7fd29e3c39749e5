#!/usr/bin/env bash
# Round trips and wall time of a full live diagnose against the mock with 100 ms of latency on every
# request, beside the tutorial's own script on the same mock, in the same run; then the requests
# and polls of `diagnose --live --follow` on the cxone profile, endpoint by endpoint.
#
#   scripts/bench-diagnose.sh [LATENCY_MS]     (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
latency=${1:-100}
# The tutorial's script is not part of this repository: it is compared when ../shared (or $SHARED)
# holds it, and reported as n/a otherwise.
shared=$(cd "${SHARED:-../shared}" 2>/dev/null && pwd || echo /nonexistent)
cargo build --release --quiet -p handover-doctor
tool=$PWD/target/release/handover-doctor
work=$(mktemp -d)
trap 'kill "$mock_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$tool" mock --latency-ms "$latency" > "$work/mock.log" &
mock_pid=$!
for _ in $(seq 50); do grep -q '^listening on' "$work/mock.log" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^listening on \([^ ]*\).*/\1/p' "$work/mock.log")

cat > "$work/config.yaml" <<YAML
client_id: "mock-client-id"
client_secret: "mock-client-secret"
base_url: "$url"
test_payload:
  transferContext:
    queueId: "a1b2c3d4-5678-90ab-cdef-123456789012"
    participant:
      name: "John Doe"
      phoneNumber: "+15551234567"
    customAttributes:
      intent: "billing"
YAML
chmod 600 "$work/config.yaml"

requests() { grep -cE '^(GET|POST) ' "$work/mock.log" || true; }

# Seconds a command takes, by the wall clock.
timed() { python3 -c 'import subprocess, sys, time; t = time.perf_counter(); subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(f"{time.perf_counter() - t:.3f}")' "$@"; }

before=$(requests)
tool_s=$(cd "$work" && timed "$tool" diagnose --live --yes --config config.yaml --format json)
tool_requests=$(( $(requests) - before ))

tutorial_s=n/a
tutorial_requests=n/a
if python3 -c 'import requests, yaml' 2>/dev/null && [ -f "$shared/seed/cxone_handover_diagnostic.py" ]; then
  before=$(requests)
  tutorial_s=$(cd "$work" && timed python3 "$shared/seed/cxone_handover_diagnostic.py")
  tutorial_requests=$(( $(requests) - before ))
fi

cat > "$work/cxone.yaml" <<YAML
api: cxone
auth_url: $url
access_key_url: $url
client_id: mock-client-id
client_secret: mock-client-secret
access_key_id: mock-access-key-id
access_key_secret: mock-access-key-secret
script_path: Handover\Cognigy
test_payload:
  transferContext:
    queueId: "4012345"
    participant:
      name: "John Doe"
      phoneNumber: "+15551234567"
YAML
chmod 600 "$work/cxone.yaml"
log_lines=$(wc -l < "$work/mock.log")
cxone_s=$(cd "$work" && timed sh -c "'$tool' diagnose --live --yes --follow 10 --config cxone.yaml --format json > cxone.json")
cxone_requests=$(tail -n +"$((log_lines + 1))" "$work/mock.log" | grep -cE '^(GET|POST) ' || true)
cxone_polls=$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print([s.get("polls") for s in r["steps"] if s["id"] == "simulate"][0])' "$work/cxone.json")
cxone_by_endpoint=$(tail -n +"$((log_lines + 1))" "$work/mock.log" | grep -E '^(GET|POST) ' \
  | sed -E 's#/inContactAPI/services/v[0-9.]+/##; s#[0-9]{6,}#{id}#g' | awk '{print $1, $2}' | sort | uniq -c | sort -rn)

python3 - "$latency" "$tool_s" "$tool_requests" "$tutorial_s" "$tutorial_requests" <<'PY'
import sys
latency = int(sys.argv[1]) / 1000
tool_s, tool_n, tut_s, tut_n = sys.argv[2:6]
print(f"latency per request            {latency * 1000:.0f} ms")
print(f"handover-doctor diagnose --live {float(tool_s):.3f} s, {tool_n} requests, {float(tool_s) / latency:.2f}x the latency (goal < 3.5)")
if tut_s != "n/a":
    print(f"tutorial script                 {float(tut_s):.3f} s, {tut_n} requests, {float(tut_s) / latency:.2f}x the latency")
PY
echo "cxone diagnose --live --follow  ${cxone_s} s, ${cxone_requests} requests, ${cxone_polls} polls of the contact's state history"
echo "$cxone_by_endpoint" | sed 's/^/  /'
