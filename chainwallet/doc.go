// Package chainwallet is a consumer's wallet on the settlement chain: it
// reads the ether, token and escrow balances of an account and sends the
// transactions a payer needs (test-token faucet, escrow deposit, withdrawal
// request and completion, session-key authorisation), each waiting for its
// receipt so that a caller sees the new state as soon as a call returns.
//
// A Wallet talks JSON-RPC to any node (the embedded dev chain of package
// evm/devchain, or a real one) and finds the contracts through an
// evm.Deployment. Amounts are token base units (*big.Int); FormatAmount and
// ParseAmount convert to and from what people read and type ("12.5 tUSD"),
// using the token's own decimals.
//
// Contract reverts come back as *bonfire.Error with the reason in words and
// a hint naming the command that fixes it, e.g. a withdrawal completed
// before its delay says when it becomes available.
package chainwallet
