#!/usr/bin/env bash
# Runs every Bonfire test. It first installs what the tests need and a
# fresh clone lacks (the pinned npm packages the contract build check and
# the dashboard's browser test use, and, as root, Debian's chromium), so it
# works on a clean machine with only Go, Node and npm present.
#
# The docker executor's tests need a Docker engine. When none answers and
# this runs as root, it installs Debian's docker.io (and debootstrap, for the
# numpy example image), starts dockerd in the background for the length of
# the run and builds the example images (cached by content). In CI
# (CI=true) a missing engine fails the docker tests; elsewhere they skip.
set -euo pipefail
cd "$(dirname "$0")/.."

# Install when missing, or when the lock file changed since the last install.
if [ -f contracts/package-lock.json ] && { [ ! -f contracts/node_modules/.package-lock.json ] ||
   [ contracts/package-lock.json -nt contracts/node_modules/.package-lock.json ]; }; then
  echo "installing pinned npm packages for contracts/ ..."
  npm ci --prefix contracts --no-audit --no-fund --loglevel=error
fi

# The dashboard's browser test drives Debian's Chromium through the pinned
# playwright-core, which never downloads a browser of its own.
if [ -f e2e/browser/package-lock.json ] && { [ ! -f e2e/browser/node_modules/.package-lock.json ] ||
   [ e2e/browser/package-lock.json -nt e2e/browser/node_modules/.package-lock.json ]; }; then
  echo "installing pinned npm packages for e2e/browser/ ..."
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix e2e/browser --no-audit --no-fund --loglevel=error
fi
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the dashboard's browser test ..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >/dev/null 2>&1 ||
    echo "could not install chromium: the browser test will skip (and fail with CI=true)" >&2
fi

engine_up() { timeout 10 docker info >/dev/null 2>&1; }

dockerd_pid=""
stop_dockerd() {
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null || true
    wait "$dockerd_pid" 2>/dev/null || true
  fi
}
trap stop_dockerd EXIT

if ! engine_up && [ "$(id -u)" = 0 ] && [ "${BONFIRE_NO_DOCKER:-}" != 1 ]; then
  t0=$SECONDS
  if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
    echo "installing docker.io and debootstrap for the docker executor tests ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends docker.io debootstrap >/dev/null
  fi
  t1=$SECONDS
  dockerd_log=$(mktemp -t bonfire-dockerd.XXXXXX)
  # First as the engine is packaged; if that cannot start (no overlayfs, no
  # iptables in a sandbox), with the vfs storage driver and no bridge: tasks
  # run without network anyway, only --allow-network needs the bridge.
  for opts in "" "--storage-driver=vfs --iptables=false --bridge=none"; do
    # shellcheck disable=SC2086
    dockerd $opts >>"$dockerd_log" 2>&1 &
    dockerd_pid=$!
    for _ in $(seq 1 120); do
      engine_up && break
      kill -0 "$dockerd_pid" 2>/dev/null || break
      sleep 0.5
    done
    engine_up && break
    echo "dockerd ${opts:-(defaults)} did not start; log tail:" >&2
    tail -5 "$dockerd_log" >&2
    stop_dockerd
    dockerd_pid=""
  done
  if engine_up; then
    echo "dockerd started (install $((t1 - t0))s, start $((SECONDS - t1))s; log $dockerd_log)"
  fi
fi

if engine_up; then
  t0=$SECONDS
  ./scripts/docker-examples.sh
  echo "docker example images ready in $((SECONDS - t0))s"
elif [ "${CI:-}" = true ]; then
  echo "no Docker engine: the docker executor tests will fail (CI=true)" >&2
fi

go vet ./...
go test -count=1 -timeout 25m ./...
