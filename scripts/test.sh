#!/usr/bin/env bash
# Runs every Bonfire test. It first installs what the tests need and a
# fresh clone lacks (the pinned npm packages the contract build check uses),
# so it works on a clean machine with only Go, Node and npm present.
set -euo pipefail
cd "$(dirname "$0")/.."

# Install when missing, or when the lock file changed since the last install.
if [ -f contracts/package-lock.json ] && { [ ! -f contracts/node_modules/.package-lock.json ] ||
   [ contracts/package-lock.json -nt contracts/node_modules/.package-lock.json ]; }; then
  echo "installing pinned npm packages for contracts/ ..."
  npm ci --prefix contracts --no-audit --no-fund --loglevel=error
fi

go vet ./...
go test -count=1 -timeout 25m ./...
