#!/usr/bin/env bash
# The main job: builds CCRE, starts a development chain, deploys on it as a provider and a
# tenant would (tests/js/demo-deployment.mjs: register and stake, order, bid, match, start, paid
# per block) and tells you where to point polkadot-js. Stop it with Ctrl-C.
#
# Usage: scripts/demo.sh [--rpc-port PORT] [--exit-after-blocks N]
#   --rpc-port PORT         RPC (WebSocket and HTTP) port, default 9944
#   --exit-after-blocks N   stop once block N is finalized (for scripted smoke runs)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$CCRE_ROOT"

rpc_port=9944
exit_after=""
while [ $# -gt 0 ]; do
	case "$1" in
		--rpc-port) rpc_port="$2"; shift 2 ;;
		--exit-after-blocks) exit_after="$2"; shift 2 ;;
		-h|--help) sed -n '2,7p' "$0"; exit 0 ;;
		*) echo "demo.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done

bash scripts/setup.sh
step "Building ccre-node"
cargo build --workspace --locked

base_path="$(mktemp -d "${TMPDIR:-/tmp}/ccre-demo.XXXXXX")"
log="$base_path/node.log"
step "Starting a development chain (base path $base_path, log $log)"
"$CCRE_NODE_BIN" --dev --base-path "$base_path" --rpc-port "$rpc_port" --rpc-cors all \
	--no-telemetry --no-prometheus >"$log" 2>&1 &
node_pid=$!
cleanup() {
	kill "$node_pid" 2>/dev/null || true
	wait "$node_pid" 2>/dev/null || true
	rm -rf "$base_path"
}
trap cleanup EXIT INT TERM

rpc() {
	curl -sf -H 'content-type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":${2:-[]}}" \
		"http://127.0.0.1:$rpc_port"
}
finalized_number() {
	local hash
	hash="$(rpc chain_getFinalizedHead | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])')" || return 1
	rpc chain_getHeader "[\"$hash\"]" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"]["number"], 16))'
}

for _ in $(seq 1 240); do
	kill -0 "$node_pid" 2>/dev/null || { echo "ccre-node exited; its log:" >&2; cat "$log" >&2; exit 1; }
	number="$(finalized_number 2>/dev/null || true)"
	[ -n "$number" ] && [ "$number" -ge 1 ] && break
	sleep 0.5
done
[ -n "${number:-}" ] && [ "$number" -ge 1 ] || { echo "no finalized block after 120 s; log:" >&2; tail -50 "$log" >&2; exit 1; }

step "Deploying on chain: a provider and a tenant (tests/js/demo-deployment.mjs)"
node tests/js/demo-deployment.mjs "ws://127.0.0.1:$rpc_port"

cat <<INFO

CCRE development chain is running.
  RPC (WebSocket and HTTP): ws://127.0.0.1:$rpc_port
  polkadot-js apps:         https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$rpc_port#/explorer
  Funded dev accounts:      //Alice, //Bob, //Charlie, //Dave, //Eve, //Ferdie (1,000,000 CCRE each)
  Sudo key:                 //Alice
  Node log:                 $log
INFO

last=""
while kill -0 "$node_pid" 2>/dev/null; do
	number="$(finalized_number 2>/dev/null || true)"
	if [ -n "$number" ] && [ "$number" != "$last" ]; then
		echo "finalized block #$number"
		last="$number"
		if [ -n "$exit_after" ] && [ "$number" -ge "$exit_after" ]; then
			echo "demo: reached block #$exit_after, stopping"
			exit 0
		fi
	fi
	sleep 1
done
echo "ccre-node stopped unexpectedly; last lines of its log:" >&2
tail -30 "$log" >&2
exit 1
