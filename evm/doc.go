// Package evm is Bonfire's bridge to its settlement contracts on an EVM chain:
// deploying them, and producing and checking the EIP-712 vouchers that
// consumers sign to pay providers.
//
// The contracts live in contracts/src (Solidity); contracts/gen.sh compiles
// them with a pinned solc into contracts/build/*.json and generates the Go
// bindings in evm/bindings. Both are committed, so building Bonfire needs no
// Node; this package's tests fail when either is stale.
//
// Payment model: a consumer (payer) deposits tokens into BonfireEscrow and, as
// work is delivered, signs vouchers for the cumulative amount it owes each
// provider (payee). A provider keeps only the latest voucher per consumer and
// claims many at once; the contract pays the increase since its last claim,
// capped at the payer's balance. Signing may be delegated to a capped,
// expiring session key. ProviderStake holds providers' bonds, which an arbiter
// slashes to compensate harmed consumers.
//
// evm/simchain runs an in-process chain for tests and local development.
package evm
