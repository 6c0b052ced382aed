#!/usr/bin/env bash
# Generates the CCRE pallets' weights: builds ccre-node with the `runtime-benchmarks` feature,
# runs `ccre-node benchmark pallet` for each pallet on the dev chain's runtime, and writes
# pallets/<name>/src/weights.rs from scripts/weight-template.hbs.
#
# Usage: scripts/benchmark.sh [pallet ...]    (default: every CCRE pallet)
# Environment: STEPS (default 50) and REPEAT (default 20) per benchmark;
# WASM_BUILD_TYPE=release to measure an optimised runtime, as production weights should be.
#
# The feature set differs from the tests', so the first run rebuilds much of the tree (the
# artifacts are kept beside the normal ones in the shared target directory); the benchmark
# binary is kept as $CARGO_TARGET_DIR/ccre-node-benchmarks and the normal node is rebuilt at
# the end so the tests keep using a node without benchmark code.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$CCRE_ROOT"

steps="${STEPS:-50}"
repeat="${REPEAT:-20}"
pallets=("$@")
if [ ${#pallets[@]} -eq 0 ]; then
	pallets=(certificates providers escrow leases orders sla)
fi
for pallet in "${pallets[@]}"; do
	if [ ! -f "pallets/$pallet/src/benchmarking.rs" ]; then
		echo "error: pallets/$pallet has no benchmarks" >&2
		exit 2
	fi
done

# frame-benchmarking-cli embeds a test runtime for `benchmark storage`, which this script does
# not run; its wasm build cannot find its package through this workspace's
# WASM_BUILD_WORKSPACE_HINT, so skip it.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1

bench_node="$CARGO_TARGET_DIR/ccre-node-benchmarks"
step "Building ccre-node with runtime-benchmarks"
start=$SECONDS
cargo build --workspace --locked --features ccre-node/runtime-benchmarks
cp "$CARGO_TARGET_DIR/debug/ccre-node" "$bench_node"
echo "build: $((SECONDS - start)) s"

for pallet in "${pallets[@]}"; do
	step "Benchmarking pallet_${pallet//-/_} ($steps steps, $repeat repeats)"
	"$bench_node" benchmark pallet \
		--chain dev \
		--pallet "pallet_${pallet//-/_}" \
		--extrinsic '*' \
		--steps "$steps" \
		--repeat "$repeat" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template scripts/weight-template.hbs \
		--output "pallets/$pallet/src/weights.rs"
done

step "Rebuilding the normal node"
cargo build --workspace --locked
