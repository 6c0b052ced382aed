#!/usr/bin/env bash
# Runs every test of CCRE from a fresh machine: prerequisites, the build, the Rust tests (unit,
# runtime integration, the fuzzer's corpus replayed, and end-to-end with real nodes), the
# polkadot-js tests, a bounded run of the runtime fuzzer, and a smoke run of the demo.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$CCRE_ROOT"

bash scripts/setup.sh

results="$(mktemp)"
trap 'rm -f "$results"' EXIT

start=$SECONDS
step "Formatting (cargo fmt --check)"
cargo fmt --all --check

step "Building the workspace (target directory: $CARGO_TARGET_DIR)"
cargo build --workspace --locked
echo "build: $((SECONDS - start)) s"

# Each runner's output also goes to $results, to total the counts in one closing line; a
# failing runner does not stop the others, so one run shows every failure.
status=0
step "Rust tests: pallets, runtime, end-to-end"
cargo test --workspace --locked --no-fail-fast 2>&1 | tee -a "$results" || status=1

# The benchmarks run as tests against each pallet's mock, so a benchmark that no longer sets up
# its worst case fails here rather than in scripts/benchmark.sh. The feature is enabled for the
# pallets alone: their frame dependencies build a second time (about 3 minutes here), the node
# does not.
step "Benchmark tests (runtime-benchmarks, pallets only)"
cargo test --locked -p pallet-providers -p pallet-certificates -p pallet-escrow -p pallet-leases \
	-p pallet-orders -p pallet-sla -p pallet-exchange --features runtime-benchmarks \
	-- benchmarking \
	2>&1 | tee -a "$results" || status=1

step "polkadot-js tests (tests/js)"
(cd tests/js && npm test) 2>&1 | tee -a "$results" || status=1

# The runtime fuzzer for a bounded time from its checked-in corpus (its build is the longest of
# this script's after the workspace's; CCRE_FUZZ_SECONDS=0 skips the run, not the build).
step "Runtime fuzzer (${CCRE_FUZZ_SECONDS:-120} s from fuzz/corpus/runtime)"
bash scripts/fuzz.sh "${CCRE_FUZZ_SECONDS:-120}" || status=1

step "Demo smoke run"
bash scripts/demo.sh --exit-after-blocks 3 || status=1

echo "test.sh: finished in $((SECONDS - start)) s"
# cargo prints "test result: ok. N passed; M failed"; node prints "# pass N" and "# fail M".
python3 - "$results" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
cargo = re.findall(r"test result: \w+\. (\d+) passed; (\d+) failed", text)
passed = sum(int(p) for p, _ in cargo) + sum(int(n) for n in re.findall(r"^# pass (\d+)", text, re.M))
failed = sum(int(f) for _, f in cargo) + sum(int(n) for n in re.findall(r"^# fail (\d+)", text, re.M))
print(f"total: {passed} passed, {failed} failed")
PY
exit "$status"
