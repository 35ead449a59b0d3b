#!/usr/bin/env bash
# Rebuilds what the examples package embeds: the shipped model and the WASI
# modules under bin/. The flags make the output a pure function of the
# sources and the Go version (no paths, no VCS stamp, no build ID), so the
# staleness test in examples_test.go can rebuild and compare bytes; keep
# them in step with wasmBuildArgs there.
set -euo pipefail
cd "$(dirname "$0")"

go run ./internal/cmd/trainmodel -o batch-inference/model.json -data data/digits.csv.gz

mkdir -p bin
for name in sweep infer tokens; do
	env CGO_ENABLED=0 GOOS=wasip1 GOARCH=wasm GOFLAGS= GOWASM= \
		go build -trimpath -buildvcs=false -ldflags='-s -w -buildid=' -o "bin/$name.wasm" "./wasm/$name"
	echo "built bin/$name.wasm ($(wc -c <"bin/$name.wasm") bytes)"
done
