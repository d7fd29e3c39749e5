#!/usr/bin/env python3
"""Runs a command RUNS times and prints its best wall time in seconds and its peak resident size
in MiB: what the bench scripts compare. Output is discarded; exit 0 and 1 (findings) count as
runs, any other exit stops the benchmark.

    scripts/measure.py RUNS [--one-core] CMD...

--one-core pins the command to core 0 with taskset, when there is one.
"""
import resource
import shutil
import subprocess
import sys
import time

runs, cmd = int(sys.argv[1]), sys.argv[2:]
if cmd and cmd[0] == "--one-core":
    cmd = cmd[1:]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0"] + cmd
best = None
for _ in range(runs):
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{cmd} exited with {done.returncode}")
    best = elapsed if best is None else min(best, elapsed)
# This process's children are the runs of this one command.
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{best:.3f} {peak:.1f}")
