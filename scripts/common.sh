# Shared settings for the project's scripts. Source it; do not run it.

# The repository root, wherever the clone lives.
CCRE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CCRE_ROOT

# One cargo target directory outside the clone, shared by the scripts, the tests and CI, so a
# fresh clone reuses what was already built.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ccre/target}"

# The node with `runtime-benchmarks` (benchmark.sh, loadtest.sh) pulls in frame-benchmarking-cli,
# which embeds a test runtime for a storage-access benchmark CCRE does not run; that runtime's
# wasm build cannot find its package through this workspace, so it is skipped.
export SKIP_FRAME_STORAGE_ACCESS_TEST_RUNTIME_WASM_BUILD=1

# The node binary every script and test runs.
export CCRE_NODE_BIN="${CCRE_NODE_BIN:-$CARGO_TARGET_DIR/debug/ccre-node}"

# Cargo and rustup live under ~/.cargo/bin on a machine set up by rustup.
if [ -d "$HOME/.cargo/bin" ]; then
	case ":$PATH:" in
		*":$HOME/.cargo/bin:"*) ;;
		*) export PATH="$HOME/.cargo/bin:$PATH" ;;
	esac
fi

# Prints a step heading, so long runs show where they are.
step() {
	printf '\n==> %s\n' "$*"
}
