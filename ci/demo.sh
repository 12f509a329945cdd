#!/usr/bin/env bash
# The README's first command: builds the `kmskit` CLI (once; later runs reuse the build) and
# runs `kmskit demo`, an end-to-end walk-through on embedded data. Extra arguments are passed
# on, so `bash ci/demo.sh verify --help` runs any kmskit command.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_PROGRESS_WHEN=never
# --target: share target/x86_64-unknown-linux-gnu/release with the Python and Node builds
cargo build -q --release --target x86_64-unknown-linux-gnu -p kmskit-cli
exec target/x86_64-unknown-linux-gnu/release/kmskit "${@:-demo}"
