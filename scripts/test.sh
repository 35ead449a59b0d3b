#!/usr/bin/env bash
# Runs every Bonfire test. It first installs what the tests need and a
# fresh clone lacks (the pinned npm packages the contract build check and
# the dashboard's browser test use, and, as root, Debian's chromium), so it
# works on a clean machine with only Go, Node and npm present.
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

go vet ./...
go test -count=1 -timeout 25m ./...
