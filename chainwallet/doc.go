// Package chainwallet is a consumer's wallet on the settlement chain: it
// reads the ether, token and escrow balances of an account and sends the
// transactions a payer needs (test-token faucet, escrow deposit, withdrawal
// request and completion, session-key authorisation), each waiting for its
// receipt and, with WithConfirmations, for blocks on top of it, so that a
// caller sees the new state as soon as a call returns. Deploy puts the
// settlement contracts on any EVM chain, and Read/WriteDeploymentFile keep
// the deployments.json that names them.
//
// A Wallet talks JSON-RPC to any node (the embedded dev chain of package
// evm/devchain, or a real one) and finds the contracts through an
// evm.Deployment. Amounts are token base units (*big.Int); FormatAmount and
// ParseAmount convert to and from what people read and type ("12.5 tUSD"),
// using the token's own decimals.
//
// # Nonces, fees and restarts
//
// Nonces come from the node's pending state, never from a counter in
// memory. With WithJournal, every signed transaction is written to a small
// JSON journal (one file per chain and account) before it is sent and
// removed once confirmed; the next send, in this process or a restarted
// one, first settles what the journal holds (Settle): it waits for those
// transactions, sends again any the node lost, and reports any whose nonce
// another transaction took. Pending lists them without waiting. Fees are
// EIP-1559: the node's suggested tip and a cap of twice the base fee plus
// the tip. Sends from one key must not run concurrently in two processes.
//
// Contract reverts come back as *bonfire.Error with the reason in words and
// a hint naming the command that fixes it, e.g. a withdrawal completed
// before its delay says when it becomes available.
package chainwallet
