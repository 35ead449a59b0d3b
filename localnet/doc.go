// Package localnet starts a whole Bonfire network in one process from a
// home directory: the market with its SQLite state and blob store, an
// embedded NATS server (or an external one), the HTTP API, and N providers
// lending this machine through the WASM executor. `bonfire up`, `bonfire
// demo`, `bonfire bench` and the end-to-end tests all start networks
// through it, so what the tests exercise is what users run.
package localnet
