#!/usr/bin/env bash
# Measures how much market a CCRE chain carries: builds ccre-node and ccre in the `production`
# profile (the node with `runtime-benchmarks`, as scripts/benchmark.sh builds it, so one
# 40-minute build serves both; a running chain never calls the benchmarking code), starts a
# dev node at 6 s blocks (or, with --local, the three-validator `local` network, with the
# runtime built into the node measured), and runs `ccre bench` against it: bursts of
# transfers, orders and bids from many accounts, then the matching of a block's worth of
# orders with ten bids each. Prints included per second and per block, what limited the
# blocks, and each market call's rate over the transfers'.
#
# Usage: scripts/loadtest.sh [--local] [ccre bench arguments ...]
#        (default arguments: --workload all --count 20000 --accounts 20 --bid-window 20)
# Run it by hand on an idle machine; it is not part of the tests (tests/tests/load.rs runs
# `ccre bench` on a small count against a dev node).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$CCRE_ROOT"
bash scripts/setup.sh

network=dev
if [ "${1:-}" = "--local" ]; then
	network=local
	shift
fi
bench_args=("$@")
if [ ${#bench_args[@]} -eq 0 ]; then
	bench_args=(--workload all --count 20000 --accounts 20 --bid-window 20)
fi

step "Building ccre-node and ccre (production profile)"
start=$SECONDS
# The node as scripts/benchmark.sh builds it (one production build serves both), and the
# command line on its own, so neither changes the other's dependencies' features.
cargo build --profile production --locked -p ccre-node --features ccre-node/runtime-benchmarks
cargo build --profile production --locked -p ccre-cli
echo "build: $((SECONDS - start)) s"
bin="$CARGO_TARGET_DIR/production"

dir="$(mktemp -d "${TMPDIR:-/tmp}/ccre-loadtest.XXXXXX")"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

# Starts a node named $1 with the remaining arguments; its RPC port is in $rpc_port.
start_node() {
	local name="$1"
	shift
	rpc_port=$((20000 + RANDOM % 20000))
	"$bin/ccre-node" --base-path "$dir/$name" --rpc-port "$rpc_port" --port $((rpc_port + 1)) \
		--no-telemetry \
		--no-prometheus --no-mdns "$@" >"$dir/$name.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 120); do
		if curl -sf -H 'content-type: application/json' \
			-d '{"jsonrpc":"2.0","id":1,"method":"chain_getHeader"}' \
			"http://127.0.0.1:$rpc_port" | grep -q '"number":"0x[1-9a-f]'; then
			return 0
		fi
		sleep 1
	done
	echo "$name produced no block; its log:" >&2
	tail -20 "$dir/$name.log" >&2
	exit 1
}

if [ "$network" = dev ]; then
	step "Starting a dev node at 6 s blocks"
	start_node dev --dev --dev-block-time 6000
	url="ws://127.0.0.1:$rpc_port"
else
	step "Starting the three-validator local network"
	spec=local
	# Node keys for this run only: validators need a stable network identity to peer.
	alice_port=$((40000 + RANDOM % 10000))
	"$bin/ccre-node" --chain "$spec" --validator --alice --base-path "$dir/alice" \
		--node-key "$(printf '%064x' 1)" --port "$alice_port" --rpc-port $((alice_port + 1)) \
		--no-telemetry --no-prometheus --no-mdns >"$dir/alice.log" 2>&1 &
	pids+=($!)
	bootnode="/ip4/127.0.0.1/tcp/$alice_port/p2p/$("$bin/ccre-node" key inspect-node-key \
		--file <(printf '%064x' 1))"
	for validator in bob charlie; do
		start_node "$validator" --chain "$spec" --validator "--$validator" \
			--node-key "$(printf '%064x' $((RANDOM + 2)))" --bootnodes "$bootnode"
	done
	url="ws://127.0.0.1:$((alice_port + 1))"
fi

step "ccre bench ${bench_args[*]} against $url"
CCRE_SEED=//Alice "$bin/ccre" --url "$url" bench "${bench_args[@]}"
