#!/usr/bin/env python3
"""Writes each record of a JSON Lines corpus (scripts/gen_corpus.py) as a payload file of its own,
DIR/dNN/NNNNNN.json, a thousand to a subdirectory: a directory of many small payload files, as a
flow's exported payloads or a test suite's fixtures would be.

usage: gen_dir.py CORPUS DIR
"""
import os
import sys

corpus, out = sys.argv[1], sys.argv[2]
with open(corpus, "rb") as lines:
    for n, line in enumerate(lines):
        sub = os.path.join(out, f"d{n // 1000:02d}")
        if n % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"{n:06d}.json"), "wb") as f:
            f.write(line)
