#!/usr/bin/env bash
# Builds the docker example images the tests and examples use, once per
# content: each image is tagged with a hash of its inputs and rebuilt only
# when that tag is missing.
#   bonfire-examples/hello          FROM scratch + a static Go binary
#   bonfire-examples/numpy-digits   Debian bookworm minbase + python3-numpy
#                                   (debootstrap; the root filesystem is cached
#                                   under ~/.cache/bonfire/ keyed by the
#                                   package list)
# Each is also tagged :latest. Needs a running Docker engine; the numpy image
# needs root and debootstrap the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

hash_of() { cat "$@" | sha256sum | cut -c1-16; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
# drop_stale REPO:TAG untags the repository's other content-hash tags.
drop_stale() {
  docker images --format '{{.Repository}}:{{.Tag}}' "${1%%:*}" | grep -v -x -e "$1" -e "${1%%:*}:latest" |
    xargs -r docker rmi >/dev/null 2>&1 || true
}
build_dir=$(mktemp -d)
trap 'rm -rf "$build_dir"' EXIT

# hello: a static Go binary FROM scratch.
tag="bonfire-examples/hello:$(hash_of examples/docker-hello/main.go examples/docker-hello/Dockerfile <(go version))"
if ! have_image "$tag"; then
  CGO_ENABLED=0 GOOS=linux go build -trimpath -o "$build_dir/hello" ./examples/docker-hello
  cp examples/docker-hello/Dockerfile "$build_dir/"
  DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$build_dir" >/dev/null 2>"$build_dir/build.log" ||
    { cat "$build_dir/build.log" >&2; exit 1; }
  echo "built $tag"
fi
docker tag "$tag" bonfire-examples/hello:latest
drop_stale "$tag"

# numpy-digits: debootstrap a minimal Debian with numpy, import it, add the script.
packages="python3-minimal,python3-numpy"
suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
base_key=$(echo "$suite $packages v1" | sha256sum | cut -c1-16)
base="bonfire-examples/debian-numpy-base:$base_key"
if ! have_image "$base"; then
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/bonfire/rootfs-$base_key"
  if [ ! -f "$cache.tar" ]; then
    if [ "$(id -u)" != 0 ] || ! command -v debootstrap >/dev/null; then
      echo "building $base needs root and debootstrap (apt-get install debootstrap)" >&2
      exit 1
    fi
    mkdir -p "$(dirname "$cache")"
    rootfs="$build_dir/rootfs"
    debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$build_dir/debootstrap.log" 2>&1 ||
      { tail -30 "$build_dir/debootstrap.log" >&2; exit 1; }
    rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/* \
      "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$cache.tar.tmp" . && mv "$cache.tar.tmp" "$cache.tar"
    rm -rf "$rootfs"
    echo "cached the root filesystem in $cache.tar"
  fi
  docker import "$cache.tar" "$base" >/dev/null
  echo "imported $base"
fi
tag="bonfire-examples/numpy-digits:$(hash_of examples/numpy-digits/train.py <(echo "$base"))"
if ! have_image "$tag"; then
  cp examples/numpy-digits/train.py "$build_dir/"
  printf 'FROM %s\nCOPY train.py /app/train.py\nENTRYPOINT ["python3", "/app/train.py"]\n' "$base" >"$build_dir/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t "$tag" "$build_dir" >/dev/null 2>"$build_dir/build.log" ||
    { cat "$build_dir/build.log" >&2; exit 1; }
  echo "built $tag"
fi
docker tag "$tag" bonfire-examples/numpy-digits:latest
drop_stale "$tag"
