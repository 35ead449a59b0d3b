// Package metrics exports Bonfire's Prometheus metrics. It is the only
// package that imports the Prometheus client: the market and the provider
// each define a small Observer interface of their own, and this package
// implements them with collectors created once, at start, so that
// observing costs an atomic operation or two and no label look-up.
//
// Every set of collectors has its own registry (never the global one), so
// that several markets and providers in one process (localnet, tests) do
// not collide. Each registry carries the standard Go and process
// collectors. docs/operations.md lists every metric.
package metrics
