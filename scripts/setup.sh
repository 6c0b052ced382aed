#!/usr/bin/env bash
# Installs every prerequisite for building and testing CCRE. Safe to run again: each step
# checks first and does nothing when its part is already in place.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# protoc: the networking crates (sc-network, litep2p) compile protobuf definitions at build time.
# clang/libclang: bindgen-based -sys crates. make: the wasm-opt C++ build. curl: the demo polls RPC.
# podman, runc, iptables: the provider's container engine, its runtime (crun refuses this
# host's hybrid cgroups) and the firewall keeping tenants off the host. busybox-static: the
# test and demo images, built locally (registries are out of reach). iproute2: the container
# tests stand a host of the provider's network up in a network namespace.
DEBIAN_PACKAGES=(protobuf-compiler clang libclang-dev make pkg-config curl podman runc iptables iproute2 busybox-static)

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
		missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
	step "Installing Debian packages: ${missing[*]}"
	sudo_cmd=()
	[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
	"${sudo_cmd[@]}" apt-get update -qq
	DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

if ! command -v rustup >/dev/null 2>&1; then
	echo "rustup is required (https://rustup.rs); it installs the toolchain rust-toolchain.toml names" >&2
	exit 1
fi

# The runtime is compiled to wasm by substrate-wasm-builder, which needs a wasm target and the
# standard library's source. rust-toolchain.toml names them; installing them here means a fresh
# machine never depends on rustup's automatic install.
cd "$CCRE_ROOT"
installed_targets="$(rustup target list --installed)"
for target in wasm32-unknown-unknown wasm32v1-none; do
	if ! grep -qx "$target" <<<"$installed_targets"; then
		step "Adding Rust target $target"
		rustup target add "$target"
	fi
done
installed_components="$(rustup component list --installed)"
for component in rust-src rustfmt; do
	if ! grep -q "^$component" <<<"$installed_components"; then
		step "Adding the Rust component $component"
		rustup component add "$component"
	fi
done

# Node.js runs the polkadot-js tests; npm installs their pinned dependencies.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	step "Installing Node.js and npm"
	sudo_cmd=()
	[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
	DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq nodejs npm
fi
if [ -f "$CCRE_ROOT/tests/js/package-lock.json" ]; then
	lock="$CCRE_ROOT/tests/js/package-lock.json"
	stamp="$CCRE_ROOT/tests/js/node_modules/.ccre-lock-installed"
	if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
		step "Installing the polkadot-js test dependencies (npm ci)"
		(cd "$CCRE_ROOT/tests/js" && npm ci --no-audit --no-fund --loglevel=error)
		cp "$lock" "$stamp"
	fi
fi

bash "$CCRE_ROOT/scripts/build-images.sh"

echo "setup: prerequisites in place"
