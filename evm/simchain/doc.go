// Package simchain runs an in-process EVM chain (go-ethereum's simulated
// backend) with funded accounts, for tests and local development of Bonfire's
// settlement contracts. It opens no network port.
//
// Three things differ from the raw simulated backend. Every transaction is
// mined as soon as it is sent, so code written for a real chain (send, then
// wait for the receipt) runs unchanged. Block times are deterministic: the
// chain starts a year ahead of the wall clock and each block is one second
// after its parent, so a test's timeline does not depend on how fast the
// machine is; AdvanceTime jumps it forward. And the chain runs the Osaka
// rules, the latest fork live on mainnet, rather than forks still in design,
// so the gas it charges is what a real chain would charge.
package simchain
