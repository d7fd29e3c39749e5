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
# The tool and ignored-any also run on the corpus's records the tool finds nothing in (about 70%):
# how much nearer the parse limit the tool is there says how much of the gap is the findings' work.
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
# The records without findings, by this tree's verdict (`-q` lists only the others).
clean="$work/corpus-$records-clean.jsonl"
if [ ! -s "$clean" ]; then
  status=0
  "$tool" validate --api routing-v2 --format jsonl -q --jsonl "$corpus" > "$clean.findings" || status=$?
  [ "$status" -le 1 ] || exit "$status"
  python3 - "$corpus" "$clean.findings" > "$clean.tmp" <<'PY'
import json, sys
found = {json.loads(l)["line"] for l in open(sys.argv[2]) if l.startswith('{"source"')}
with open(sys.argv[1], "rb") as corpus:
    sys.stdout.buffer.writelines(l for n, l in enumerate(corpus, 1) if n not in found)
PY
  mv "$clean.tmp" "$clean"
  rm "$clean.findings"
fi
before=""
if [ -n "${BEFORE:-}" ]; then
  before=$(scripts/build-rev.sh "$BEFORE")
fi

python3 - "$runs" "$records" "$files" "$corpus" "$dir" "$schema" "$tool" "$peers" "$before" "${BEFORE:-}" "$clean" <<'PY'
import subprocess
import sys

runs, records, files = map(int, sys.argv[1:4])
corpus, payloads, schema, tool, peers, before, before_rev, clean = sys.argv[4:12]
clean_records = sum(1 for _ in open(clean, "rb"))
validate = ["validate", "--api", "routing-v2", "--format", "json", "-q"]
commands = {
    "ignored-any": [f"{peers}/ignored-any", corpus],
    "value": [f"{peers}/value", corpus],
    "jsonschema-peer": [f"{peers}/jsonschema-peer", schema, corpus],
    "tool 1": [tool, *validate, "--jsonl", "--threads", "1", corpus],
    "tool 2": [tool, *validate, "--jsonl", "--threads", "2", corpus],
    "tool fixed": [tool, *validate, "--jsonl", "--threads", "1", "--contract", "transfer-context", corpus],
    "ignored-any clean": [f"{peers}/ignored-any", clean],
    "tool 1 clean": [tool, *validate, "--jsonl", "--threads", "1", clean],
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

def row(label, name, per="records/s", count=records):
    value = f"{count / best[name]:>12,.0f} {per}" if per else f"{best[name]:>10.3f} s"
    print(f"{label:<34}{value}   cpu {cpu[name]:6.3f} s   peak {peaks[name]:5.1f} MiB   spread {spread[name]:+.0%}")

def ratio(label, value, goal, met, by_cpu=None):
    """`met` None: a ratio with no goal, printed for what `goal` says."""
    cpu_too = f"   by CPU time {by_cpu:.2f}" if by_cpu is not None else ""
    verdict = f"({goal})" if met is None else f"(goal {goal}: {'met' if met else 'NOT MET'})"
    print(f"{label:<34}{value:>8.2f}   {verdict}{cpu_too}")

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
ratio("1 thread / value (old baseline)", best["value"] / one, "no goal: for the record", None,
      cpu["value"] / cpu["tool 1"])
peak = max(peaks["tool 1"], peaks["tool 2"])
print(f"{'peak memory of validate':<34}{peak:>8.1f} MiB   (goal < 64 MB = 61.0 MiB: {'met' if peak * 2**20 < 64e6 else 'NOT MET'})")
cost = best["tool 1"] / best["tool fixed"] - 1
print(f"{'contract detection cost':<34}{cost:>+8.1%}   (auto against --contract transfer-context; goal <= +5%: {'met' if cost <= 0.05 else 'NOT MET'})")

print()
print(f"records without findings          {clean_records:,} of the {records:,} ({clean})")
row("ignored-any (parse limit)", "ignored-any clean", count=clean_records)
row("validate --threads 1", "tool 1 clean", count=clean_records)
ratio("1 thread / ignored-any", best["ignored-any clean"] / best["tool 1 clean"],
      "no goal: the gap without the findings' work", None,
      cpu["ignored-any clean"] / cpu["tool 1 clean"])

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
