#!/usr/bin/env bash
# Rebuilds the contract artifacts (contracts/build/*.json) and the Go bindings
# (evm/bindings/*.go) from contracts/src. Both are committed so that building
# Bonfire needs no Node; run this after editing a contract and commit the
# result. evm's tests fail when either is stale.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
out="$repo/evm/bindings"

if [ ! -d "$here/node_modules" ]; then
	npm ci --prefix "$here"
fi
node "$here/build.js" "$here/build"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# Contract name -> Go file name (snake case).
for artifact in "$here"/build/*.json; do
	name="$(basename "$artifact" .json)"
	file="$(printf '%s' "$name" | sed -E 's/([a-z0-9])([A-Z])/\1_\2/g' | tr '[:upper:]' '[:lower:]').go"
	node -e '
		const a = require(process.argv[1]);
		const fs = require("fs");
		fs.writeFileSync(process.argv[2], JSON.stringify(a.abi));
		fs.writeFileSync(process.argv[3], a.bin);
	' "$artifact" "$tmp/$name.abi" "$tmp/$name.bin"
	# abigen comes from go.mod's go-ethereum so bindings match the library they call.
	(cd "$repo" && go run github.com/ethereum/go-ethereum/cmd/abigen \
		--abi "$tmp/$name.abi" --bin "$tmp/$name.bin" \
		--type "$name" --pkg bindings --out "$out/$file")
	chmod 0644 "$out/$file"
	echo "wrote evm/bindings/$file"
done
