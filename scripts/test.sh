#!/usr/bin/env bash
# Runs every test of CCRE from a fresh machine: prerequisites, the build, the Rust tests (unit,
# runtime integration and end-to-end with real nodes), the polkadot-js tests, and a smoke run of
# the demo.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$CCRE_ROOT"

bash scripts/setup.sh

start=$SECONDS
step "Building the workspace (target directory: $CARGO_TARGET_DIR)"
cargo build --workspace --locked
echo "build: $((SECONDS - start)) s"

step "Rust tests: pallets, runtime, end-to-end"
cargo test --workspace --locked --no-fail-fast

step "polkadot-js tests (tests/js)"
(cd tests/js && npm test)

step "Demo smoke run"
bash scripts/demo.sh --exit-after-blocks 3

echo "test.sh: everything passed in $((SECONDS - start)) s"
