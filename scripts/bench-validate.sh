#!/usr/bin/env bash
# Batch validation speed against its baselines and its peer, all built and run in this one run:
#
#   ignored-any       every line streamed through a 1 MiB buffer as the tool streams it and parsed
#                     by serde_json into IgnoredAny: the parse limit the tool is measured against;
#   value             the same lines parsed into serde_json::Value (the old baseline: slow);
#   jsonschema-peer   the jsonschema crate validating every line against `handover-doctor schema
#                     --api routing-v2` and printing every error with its line number;
#   read-parse-dir    every file of a directory read whole and parsed into IgnoredAny, one thread.
#
# They are the binaries of crates/bench-peers (never part of the release binary). Needs python3
# for the corpus (scripts/gen_corpus.py) and nothing outside the repository.
#
#   scripts/bench-validate.sh [RECORDS] [RUNS]   (defaults: 1000000 records, best of 5 runs)
#   FILES=N scripts/bench-validate.sh ...        payload files in the directory part (20000)
#   BEFORE=REV scripts/bench-validate.sh ...     also times REV (a commit, built by
#                                                scripts/build-rev.sh) in the same rounds
#
# Every round runs each command once, one after another, so that a machine that slows down
# part-way slows every command alike; each command's best run counts, and the spread (its slowest
# run against its best) says how noisy the machine was. The goals are about wall time; beside the
# one-thread ratios, the same ratios of CPU time (user and system) say what they would be on a
# machine with nothing else to do, which a shared one is not.
set -euo pipefail
cd "$(dirname "$0")/.."

records=${1:-1000000}
runs=${2:-5}
files=${FILES:-20000}
work=${BENCH_DIR:-target/bench}
corpus="$work/corpus-$records.jsonl"
small="$work/corpus-$files.jsonl"
dir="$work/payloads-$files"
mkdir -p "$work"

echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(uname -sr)"
for n in "$records" "$files"; do
  if [ ! -s "$work/corpus-$n.jsonl" ]; then
    python3 scripts/gen_corpus.py "$n" > "$work/corpus-$n.jsonl.tmp"
    mv "$work/corpus-$n.jsonl.tmp" "$work/corpus-$n.jsonl"
  fi
done
if [ ! -d "$dir" ]; then
  python3 scripts/gen_dir.py "$small" "$dir.tmp"
  mv "$dir.tmp" "$dir"
fi

# Two builds, so that the bench crate's dependencies cannot change the features the tool is built with.
cargo build --release --quiet -p handover-doctor
cargo build --release --quiet -p bench-peers
tool=target/release/handover-doctor
peers=target/release
schema="$work/routing-v2.schema.json"
"$tool" schema --api routing-v2 > "$schema"
before=""
if [ -n "${BEFORE:-}" ]; then
  before=$(scripts/build-rev.sh "$BEFORE")
fi

python3 - "$runs" "$records" "$files" "$corpus" "$dir" "$schema" "$tool" "$peers" "$before" "${BEFORE:-}" <<'PY'
import subprocess
import sys

runs, records, files = map(int, sys.argv[1:4])
corpus, payloads, schema, tool, peers, before, before_rev = sys.argv[4:11]
validate = ["validate", "--api", "routing-v2", "--format", "json", "-q"]
commands = {
    "ignored-any": [f"{peers}/ignored-any", corpus],
    "value": [f"{peers}/value", corpus],
    "jsonschema-peer": [f"{peers}/jsonschema-peer", schema, corpus],
    "tool 1": [tool, *validate, "--jsonl", "--threads", "1", corpus],
    "tool 2": [tool, *validate, "--jsonl", "--threads", "2", corpus],
    "tool fixed": [tool, *validate, "--jsonl", "--threads", "1", "--contract", "transfer-context", corpus],
    "read-parse-dir": [f"{peers}/read-parse-dir", payloads],
    "dir 1": [tool, *validate, "--threads", "1", payloads],
    "dir 2": [tool, *validate, "--threads", "2", payloads],
}
if before:
    for name in ["tool 1", "tool 2", "dir 1", "dir 2"]:
        commands["before " + name] = [before, *commands[name][1:]]

times = {name: [] for name in commands}
cpus = {name: [] for name in commands}
peaks = {name: 0.0 for name in commands}
for _ in range(runs):
    for name, cmd in commands.items():
        out = subprocess.run(["python3", "scripts/measure.py", "1", "--cpu", *cmd], capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"{name}: {out.stderr.strip()}")
        seconds, peak, cpu = map(float, out.stdout.split())
        times[name].append(seconds)
        cpus[name].append(cpu)
        peaks[name] = max(peaks[name], peak)

best = {name: min(t) for name, t in times.items()}
cpu = {name: min(t) for name, t in cpus.items()}
spread = {name: max(t) / min(t) - 1 for name, t in times.items()}
rate = lambda name: records / best[name]

def row(label, name, per="records/s"):
    value = f"{rate(name):>12,.0f} {per}" if per else f"{best[name]:>10.3f} s"
    print(f"{label:<34}{value}   cpu {cpu[name]:6.3f} s   peak {peaks[name]:5.1f} MiB   spread {spread[name]:+.0%}")

def ratio(label, value, goal, met, by_cpu=None):
    cpu_too = f"   by CPU time {by_cpu:.2f}" if by_cpu is not None else ""
    print(f"{label:<34}{value:>8.2f}   (goal {goal}: {'met' if met else 'NOT MET'}){cpu_too}")

print(f"records                           {records:,} ({corpus}), best of {runs} runs")
row("ignored-any (parse limit)", "ignored-any")
row("value (old baseline)", "value")
row("jsonschema-peer", "jsonschema-peer")
row("validate --threads 1", "tool 1")
row("validate --threads 2", "tool 2")
row("validate --threads 1, fixed", "tool fixed")
one, two = best["tool 1"], best["tool 2"]
ratio("1 thread / ignored-any", best["ignored-any"] / one, ">= 0.6", best["ignored-any"] / one >= 0.6,
      cpu["ignored-any"] / cpu["tool 1"])
ratio("2 threads / 1 thread", one / two, ">= 1.8", one / two >= 1.8)
ratio("speed against jsonschema-peer", best["jsonschema-peer"] / one, ">= 3", best["jsonschema-peer"] / one >= 3,
      cpu["jsonschema-peer"] / cpu["tool 1"])
ratio("1 thread / value (old baseline)", best["value"] / one, "none, for the record", True,
      cpu["value"] / cpu["tool 1"])
peak = max(peaks["tool 1"], peaks["tool 2"])
print(f"{'peak memory of validate':<34}{peak:>8.1f} MiB   (goal < 64 MB = 61.0 MiB: {'met' if peak * 2**20 < 64e6 else 'NOT MET'})")
cost = best["tool 1"] / best["tool fixed"] - 1
print(f"{'contract detection cost':<34}{cost:>+8.1%}   (auto against --contract transfer-context; goal <= +5%: {'met' if cost <= 0.05 else 'NOT MET'})")

print()
print(f"directory                         {files:,} payload files ({payloads})")
row("read-parse-dir (one thread)", "read-parse-dir", per=None)
row("validate DIR --threads 1", "dir 1", per=None)
row("validate DIR --threads 2", "dir 2", per=None)
d1, d2, base = best["dir 1"], best["dir 2"], best["read-parse-dir"]
ratio("1 thread / read-parse-dir (time)", d1 / base, "<= 1.2", d1 / base <= 1.2,
      cpu["dir 1"] / cpu["read-parse-dir"])
ratio("2 threads against 1 (speed-up)", d1 / d2, "> 1", d1 / d2 > 1)

if before:
    print()
    print(f"{before_rev} ({before}), in the same rounds:")
    row("validate --threads 1", "before tool 1")
    row("validate --threads 2", "before tool 2")
    row("validate DIR --threads 1", "before dir 1", per=None)
    row("validate DIR --threads 2", "before dir 2", per=None)
    b1, b2 = best["before tool 1"], best["before tool 2"]
    print(f"{'1 thread / ignored-any':<34}{best['ignored-any'] / b1:>8.2f} before, {best['ignored-any'] / one:.2f} this tree")
    print(f"{'2 threads / 1 thread':<34}{b1 / b2:>8.2f} before, {one / two:.2f} this tree")
    bd1, bd2 = best["before dir 1"], best["before dir 2"]
    print(f"{'DIR 1 thread / read-parse-dir':<34}{bd1 / base:>8.2f} before, {d1 / base:.2f} this tree")
    print(f"{'DIR 2 threads against 1':<34}{bd1 / bd2:>8.2f} before, {d1 / d2:.2f} this tree")
PY
