#!/usr/bin/env python3
"""Runs a command RUNS times and prints its best wall time in seconds and its peak resident size
in MiB: what the bench scripts compare. Output is discarded; exit 0 and 1 (findings) count as
runs, any other exit stops the benchmark.

    scripts/measure.py RUNS [--one-core] [--cpu] CMD...

--one-core pins the command to core 0 with taskset, when there is one. --cpu prints a third
number: the least CPU time (user and system) a run took, which a machine busy with other work
changes less than the wall time.
"""
import resource
import shutil
import subprocess
import sys
import time

runs, cmd = int(sys.argv[1]), sys.argv[2:]
flags = set()
while cmd and cmd[0] in ("--one-core", "--cpu"):
    flags.add(cmd.pop(0))
cpu = "--cpu" in flags
if "--one-core" in flags and shutil.which("taskset"):
    cmd = ["taskset", "-c", "0"] + cmd


def cpu_seconds():
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


best = least_cpu = None
for _ in range(runs):
    cpu_before = cpu_seconds()
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    used = cpu_seconds() - cpu_before
    if done.returncode not in (0, 1):
        sys.exit(f"{cmd} exited with {done.returncode}")
    best = elapsed if best is None else min(best, elapsed)
    least_cpu = used if least_cpu is None else min(least_cpu, used)
# This process's children are the runs of this one command.
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{best:.3f} {peak:.1f}" + (f" {least_cpu:.3f}" if cpu else ""))
