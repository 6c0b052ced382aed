#!/usr/bin/env bash
# Runs the runtime fuzzer: libFuzzer (through cargo-fuzz) drives random call sequences from a
# cast of tenants, providers, underwriters and an arbitrator through the whole runtime, block by
# block, and checks every invariant after each block (see runtime-fuzz/src/lib.rs).
#
# Usage: scripts/fuzz.sh [SECONDS]      (default 60)
#
# It starts from the checked-in corpus (fuzz/corpus/runtime), which it only reads: what it finds
# goes to a scratch corpus (kept in CCRE_FUZZ_CORPUS_OUT if that names a directory, to refresh
# the checked-in one from), and a crashing input to $CARGO_TARGET_DIR/fuzz/artifacts, named in
# the output; replay one with `cargo fuzz run runtime FILE` or add it to the corpus, whose every
# input `cargo test -p ccre-runtime-fuzz` replays. Prints executions per second and coverage.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$CCRE_ROOT"
bash scripts/setup.sh

seconds="${1:-60}"
case "$seconds" in
	'' | *[!0-9]*)
		echo "usage: scripts/fuzz.sh [SECONDS]" >&2
		exit 2
		;;
esac

# cargo-fuzz drives libFuzzer; a stable toolchain does, with no sanitizer (the runtime is
# safe Rust: coverage, the invariants and debug assertions are what find bugs).
CARGO_FUZZ_VERSION=0.13.1
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
	step "Installing cargo-fuzz $CARGO_FUZZ_VERSION"
	cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi

# The fuzzer runs the runtime natively; it never needs the wasm blob.
export SKIP_WASM_BUILD=1
target_dir="$CARGO_TARGET_DIR/fuzz"
# No sanitizer, and no tracing of comparisons: most of the time an execution spends is in the
# storage trie, and tracing every comparison there halves the executions for little coverage.
fuzz_flags=(--sanitizer none --no-trace-compares --target-dir "$target_dir")
step "Building the runtime fuzzer (target directory: $target_dir)"
start=$SECONDS
(cd fuzz && cargo fuzz build "${fuzz_flags[@]}" runtime)
echo "build: $((SECONDS - start)) s"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
corpus_out="${CCRE_FUZZ_CORPUS_OUT:-$scratch/corpus}"
mkdir -p "$corpus_out"
artifacts="$target_dir/artifacts"
mkdir -p "$artifacts"
log="$scratch/fuzz.log"
step "Fuzzing the runtime for $seconds s (corpus: fuzz/corpus/runtime)"
status=0
# libFuzzer's pulses and the final lines show as it runs; everything goes to the log.
(cd fuzz && cargo fuzz run "${fuzz_flags[@]}" runtime \
	"$corpus_out" corpus/runtime -- \
	-max_total_time="$seconds" -print_final_stats=1 -timeout=60 -rss_limit_mb=4096 \
	-artifact_prefix="$artifacts/") \
	> >(tee "$log" | grep --line-buffered -E '^#[0-9]+[[:space:]]+(INITED|DONE|pulse)|panicked|artifact') 2>&1 ||
	status=$?
wait
# libFuzzer's closing figures: executions, their rate, and the edges and features covered.
python3 - "$log" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
runs = re.findall(r"stat::number_of_executed_units: (\d+)", text)
rate = re.findall(r"stat::average_exec_per_sec: +(\d+)", text)
cov = re.findall(r"cov: (\d+) ft: (\d+) corp: (\d+)", text)
if runs and rate and cov:
    edges, features, corpus = cov[-1]
    print(f"fuzz: {runs[-1]} executions, {rate[-1]} per second, {edges} edges and {features} features covered, corpus {corpus} inputs")
PY
if [ "$status" -ne 0 ]; then
	echo "fuzz: the fuzzer found a failure; the input is in $artifacts (see the log above)" >&2
fi
exit "$status"
