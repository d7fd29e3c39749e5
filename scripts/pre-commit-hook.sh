#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml): runs handover-doctor with the hook's arguments and
# the staged files. pre-commit's `language: rust` installs with `cargo install --path .`, which a
# workspace root refuses ("found a virtual manifest"), so the hook builds the binary itself, once,
# inside pre-commit's clone of this repository; later runs find it built.
#
# HANDOVER_DOCTOR_BIN names a binary to use instead (an installed one, or a test's).
set -euo pipefail
if [ -n "${HANDOVER_DOCTOR_BIN:-}" ]; then
  exec "$HANDOVER_DOCTOR_BIN" "$@"
fi
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/target/release/handover-doctor"
if [ ! -x "$bin" ]; then
  echo "handover-doctor: building the hook's binary once (cargo build --release)..." >&2
  cargo build --release --locked --quiet --manifest-path "$here/Cargo.toml" -p handover-doctor >&2
fi
exec "$bin" "$@"
