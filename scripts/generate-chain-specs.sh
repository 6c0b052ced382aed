#!/usr/bin/env bash
# Regenerates chain-specs/dev.json and chain-specs/local.json from the runtime. Run it after
# any runtime change; the chain_specs test fails while they are stale.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$CCRE_ROOT"
bash scripts/setup.sh

step "Building ccre-node"
cargo build --workspace --locked
for chain in dev local; do
	"$CCRE_NODE_BIN" export-chain-spec --chain "$chain" --output "chain-specs/$chain.json"
done
