#!/usr/bin/env bash
# The main job: builds CCRE, starts a development chain, sets up a provider (ccre-provider init:
# key, certificate, registration, stake) and runs its daemon, then deploys examples/web.yaml as a
# tenant (ccre deploy: order, bids, lease, manifest over mTLS) and asks the service for a page;
# then buys a lot of cpu.small from the provider's ask on the exchange (ccre market deploy) and
# asks that service for a page too. It then tells you where everything is; stop it with Ctrl-C (the leases are closed first).
#
# Usage: scripts/demo.sh [--rpc-port PORT] [--gateway-port PORT] [--exit-after-blocks N]
#   --rpc-port PORT         RPC (WebSocket and HTTP) port, default 9944
#   --gateway-port PORT     the provider's manifest gateway, default 8443 (metrics on PORT+1)
#   --exit-after-blocks N   stop once block N is finalized (for scripted smoke runs)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$CCRE_ROOT"

rpc_port=9944
gateway_port=8443
exit_after=""
while [ $# -gt 0 ]; do
	case "$1" in
		--rpc-port) rpc_port="$2"; shift 2 ;;
		--gateway-port) gateway_port="$2"; shift 2 ;;
		--exit-after-blocks) exit_after="$2"; shift 2 ;;
		-h|--help) sed -n '2,10p' "$0"; exit 0 ;;
		*) echo "demo.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
	esac
done

bash scripts/setup.sh
step "Building ccre-node, ccre-provider and ccre"
cargo build --workspace --locked

base_path="$(mktemp -d "${TMPDIR:-/tmp}/ccre-demo.XXXXXX")"
log="$base_path/node.log"
step "Starting a development chain (base path $base_path, log $log)"
"$CCRE_NODE_BIN" --dev --base-path "$base_path" --rpc-port "$rpc_port" --rpc-cors all \
	--no-telemetry --no-prometheus >"$log" 2>&1 &
node_pid=$!
url="ws://127.0.0.1:$rpc_port"
bin="$CARGO_TARGET_DIR/debug"
daemon_pid=""
leases=()
cleanup() {
	if [ "${#leases[@]}" -gt 0 ]; then
		for lease in "${leases[@]}"; do
			echo "closing lease $lease; the provider tears its service down"
			CCRE_SEED=//Charlie "$bin/ccre" --url "$url" lease close "$lease" >/dev/null 2>&1 || true
		done
		# The services stop before their networks and firewall rules go: stopping the daemon
		# now would leave them behind.
		for _ in $(seq 1 40); do
			curl -sf "http://127.0.0.1:$((gateway_port + 1))/metrics" 2>/dev/null |
				grep -q '^ccre_provider_leases 0' && break
			sleep 0.5
		done
	fi
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null || true
	kill "$node_pid" 2>/dev/null || true
	wait 2>/dev/null || true
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

step "Provider (//Alice): ccre-provider init, then the daemon"
CCRE_PROVIDER_SEED=//Alice "$bin/ccre-provider" init --dir "$base_path/provider" --node "$url" \
	--gateway-port "$gateway_port" --metrics-port "$((gateway_port + 1))" --overcommit --local-images-only \
	--attributes '{"cpu_millicores":2000,"memory_mib":2048,"region":"local"}' \
	--stake 1000000000000000 --contact ops@alice.example
# It also makes a market: two lots of the dev chain's cpu.small (0.5 vCPU, 512 MiB) at cost.
grep -q '^\[market\]' "$base_path/provider/provider.toml" || cat >>"$base_path/provider/provider.toml" <<'TOML'

[market]
prices = { cpu_millicores = 1, memory_mib = 1 }
lots = 2
classes = ["cpu.small"]
TOML
CCRE_PROVIDER_SEED=//Alice "$bin/ccre-provider" run --config "$base_path/provider/provider.toml" \
	>"$base_path/provider.log" 2>&1 &
daemon_pid=$!

step "Tenant (//Charlie): a client certificate, then ccre deploy examples/web.yaml"
export CCRE_SEED=//Charlie CCRE_URL="$url" CCRE_CERT_DIR="$base_path/tenant"
"$bin/ccre" cert new "$CCRE_CERT_DIR" --days 30
"$bin/ccre" cert publish "$CCRE_CERT_DIR/client.crt"
# Shown as it happens and kept for the lease id and endpoint (tee to a file: /dev/stderr may be a
# log file that reopening would truncate).
"$bin/ccre" deploy examples/web.yaml --max-price 1000 --funding 1000000000000000 \
	--region local --timeout 120 | tee "$base_path/deploy.out"
deployed="$(cat "$base_path/deploy.out")"
lease="$(echo "$deployed" | awk '/^order [0-9]+ placed/ { print $2; exit }')"
leases+=("$lease")
endpoint="$(echo "$deployed" | awk '/port 8080\/tcp/ { print $NF; exit }')"
step "The service answers at http://$endpoint/"
curl -sf "http://$endpoint/" | head -5

step "The exchange: the provider's ask on cpu.small, then ccre market deploy buys a lot of it"
"$bin/ccre" market book 1
"$bin/ccre" market deploy examples/web.yaml --class 1 --limit 1100 --duration 3600 --timeout 120 |
	tee "$base_path/spot.out"
spot_lease="$(awk '/^bought .*: lease [0-9]+$/ { print $NF; exit }' "$base_path/spot.out")"
leases+=("$spot_lease")
spot_endpoint="$(awk '/port 8080\/tcp/ { print $NF; exit }' "$base_path/spot.out")"
curl -sf "http://$spot_endpoint/" | head -5
"$bin/ccre" market book 1

cat <<INFO

CCRE development chain is running, with a provider serving lease $lease and lease $spot_lease (a lot of cpu.small).
  Service:                  http://$endpoint/  (ccre status $lease / ccre logs $lease)
  Bought on the exchange:   http://$spot_endpoint/  (ccre status $spot_lease / ccre market index 1)
  Provider daemon log:      $base_path/provider.log, metrics http://127.0.0.1:$((gateway_port + 1))/metrics
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
