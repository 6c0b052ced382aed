#!/usr/bin/env bash
# Generates the CCRE runtime's weights on this machine, from the build operators run: builds
# ccre-node in the `production` cargo profile (release, one codegen unit, thin LTO) with the
# `runtime-benchmarks` feature, then
#   - `benchmark pallet` for each CCRE pallet -> pallets/<name>/src/weights.rs
#     (from scripts/weight-template.hbs);
#   - `benchmark overhead` -> runtime/src/weights/{block,extrinsic}_weights.rs: the base
#     weights of a block and of a transaction;
#   - `benchmark storage` on a dev chain's database after a `ccre bench` run has filled it with
#     accounts, orders, bids, providers and leases -> runtime/src/weights/paritydb_weights.rs
#     (from scripts/storage-weight-template.hbs): one read and one write on ParityDB.
# Each file's header names the machine and the profile. Run it by hand on an idle machine and
# check the outputs in; the tests and CI keep the dev profile and never run it.
#
# Usage: scripts/benchmark.sh [pallet ...]    (default: every CCRE pallet, then the overhead
#                                               and storage benchmarks; naming pallets runs
#                                               only theirs)
# Environment: STEPS (default 50) and REPEAT (default 20) per pallet benchmark.
#
# The profile and feature set differ from the tests', so the first run builds the tree again
# under $CARGO_TARGET_DIR/production (about 50 minutes on 2 cores); the benchmark binary is
# kept as $CARGO_TARGET_DIR/ccre-node-benchmarks.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$CCRE_ROOT"
bash scripts/setup.sh

steps="${STEPS:-50}"
repeat="${REPEAT:-20}"
pallets=("$@")
if [ ${#pallets[@]} -eq 0 ]; then
	pallets=(certificates providers escrow leases orders sla exchange)
fi
for pallet in "${pallets[@]}"; do
	if [ ! -f "pallets/$pallet/src/benchmarking.rs" ]; then
		echo "error: pallets/$pallet has no benchmarks" >&2
		exit 2
	fi
done

bench_node="$CARGO_TARGET_DIR/ccre-node-benchmarks"
step "Building ccre-node (production profile, runtime-benchmarks) and ccre"
start=$SECONDS
# Two invocations: built together, the command line's dependencies would change the features
# of crates the node shares with it, and much of the node would build again.
cargo build --profile production --locked -p ccre-node --features ccre-node/runtime-benchmarks
cargo build --profile production --locked -p ccre-cli
cp "$CARGO_TARGET_DIR/production/ccre-node" "$bench_node"
echo "build: $((SECONDS - start)) s"

# What every generated file says of where it was measured.
header="$(mktemp)"
state="$(mktemp -d)"
trap 'rm -rf "$header" "$state"; [ -z "${node_pid:-}" ] || kill "$node_pid" 2>/dev/null || true' EXIT
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
cat >"$header" <<HEADER
// Measured by scripts/benchmark.sh with ccre-node built in the \`production\` cargo profile
// (release, one codegen unit, thin LTO) on \`$(hostname)\` ($cpu, $(nproc) cores), $(date -u +%F).
HEADER

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

if [ $# -gt 0 ]; then
	exit 0
fi

step "Benchmarking the block and transaction overhead"
"$bench_node" benchmark overhead \
	--chain dev \
	--wasm-execution compiled \
	--header "$header" \
	--weight-path runtime/src/weights

step "Filling a dev chain's database for the storage benchmark"
rpc_port=$((20000 + RANDOM % 20000))
"$bench_node" --dev --base-path "$state" --rpc-port "$rpc_port" --port 0 --no-prometheus \
	--no-telemetry --no-mdns >"$state/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 60); do
	if curl -sf -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader"}' \
		"http://127.0.0.1:$rpc_port" >/dev/null; then
		break
	fi
	sleep 1
done
CCRE_SEED=//Alice "$CARGO_TARGET_DIR/production/ccre" --url "ws://127.0.0.1:$rpc_port" bench \
	--workload all --count 5000 --accounts 10
kill "$node_pid"
wait "$node_pid" || true
node_pid=

step "Benchmarking ParityDB reads and writes on that state"
"$bench_node" benchmark storage \
	--chain dev \
	--base-path "$state" \
	--db paritydb \
	--state-version 1 \
	--batch-size 100 \
	--template-path scripts/storage-weight-template.hbs \
	--header "$header" \
	--weight-path runtime/src/weights

echo "Weights written. The runtime changed: run scripts/generate-chain-specs.sh, then the tests."
