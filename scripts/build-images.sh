#!/usr/bin/env bash
# Builds the container images the demo and the tests run, from Debian's busybox-static, since
# registries are out of reach here. Safe to run again: an image already built from the same
# inputs is kept.
#
#   localhost/ccre/busybox:latest   busybox (sh, httpd, nc, ...) and a page at /www/index.html
#
# Usage: scripts/build-images.sh [--force]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

IMAGE=localhost/ccre/busybox:latest
busybox=/bin/busybox
# The inputs' digest, kept as a label: a change to busybox or to this script rebuilds.
inputs="$(cat "$busybox" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"
if [ "${1:-}" != "--force" ] &&
	[ "$(podman image inspect --format '{{index .Labels "ccre.inputs"}}' "$IMAGE" 2>/dev/null)" = "$inputs" ]; then
	echo "images: $IMAGE is current"
	exit 0
fi

step "Building $IMAGE from $busybox"
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/rootfs/bin" "$context/rootfs/www" "$context/rootfs/tmp" "$context/rootfs/data"
cp "$busybox" "$context/rootfs/bin/busybox"
# Every applet as a link to /bin/busybox, made here rather than in a RUN step, which needs
# no runtime at build time.
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$context/rootfs/bin/$applet"
done
printf '<!DOCTYPE html>\n<title>CCRE</title>\n<p>Served from a CCRE lease.</p>\n' \
	>"$context/rootfs/www/index.html"
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >"$context/rootfs/passwd"
mkdir -p "$context/rootfs/etc" && mv "$context/rootfs/passwd" "$context/rootfs/etc/passwd"
chmod 1777 "$context/rootfs/tmp" "$context/rootfs/data"
cat >"$context/Containerfile" <<CONTAINERFILE
FROM scratch
COPY rootfs/ /
LABEL ccre.inputs="$inputs"
ENV PATH=/bin
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
CONTAINERFILE
podman build --quiet --tag "$IMAGE" "$context" >/dev/null
echo "images: built $IMAGE"
