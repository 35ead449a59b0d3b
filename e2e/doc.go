// Package e2e holds Bonfire's end-to-end tests: whole networks brought up
// with localnet (real market, embedded NATS, SQLite state, blob store and
// providers running the wazero executor) or with the bonfire binary itself,
// driven through the HTTP API the way a consumer would. They show that bad
// workloads fail with errors naming their cause while the network keeps
// serving, that retries, provider loss, market crashes and idle mode lose no
// work and record exactly one accepted result per task, that deterministic
// tasks give the same output digest on different providers, and that the
// CLI's validate and demo commands work.
//
// The package has no non-test code. TestMain builds wasmexec's guest test
// program (GOOS=wasip1) and the bonfire binary once for all tests.
package e2e
