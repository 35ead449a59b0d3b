// Package settlement turns accepted work into money: it lets a consumer pay
// a provider with EIP-712 vouchers on the BonfireEscrow contract, and lets
// the provider collect them in batches. Pricing a task (bonfire.Charge) is
// domain logic in the core; the market records each charge with the task.
//
// The flow:
//
//  1. A consumer deposits tokens into the escrow (evm package).
//  2. Each time the consumer accepts a task result, it prices the result
//     with bonfire.Charge and calls Payer.Pay (the market, signing for
//     consumers, uses Paymaster instead; see below). Pay does not send a
//     transaction: it adds the charge to the running total the payer owes
//     that provider and signs a voucher for the new cumulative total. The total is written to
//     a VoucherLedger before the voucher is handed out, so a restarted payer
//     continues from where it was and never re-signs a smaller total.
//  3. The provider's Wallet.Accept checks the voucher (this chain, this
//     escrow, this payee, the payer's signature, a total that does not go
//     down) and keeps only the best voucher per payer. Because vouchers are
//     cumulative, the newest one supersedes every earlier one: storage is one
//     row per payer, however many tasks were paid.
//  4. A Claimer submits the best voucher of every payer with something
//     unclaimed in ONE escrow claim transaction, when the unclaimed total
//     reaches ClaimPolicy.MinAmount, on each tick of ClaimPolicy.Interval, and
//     once more at shutdown. The escrow pays only the increase over what was
//     already claimed, so replays are harmless.
//
// On-chain cost is therefore O(1) transactions per provider per claim period,
// independent of the number of tasks and of payers; per task there is one
// signature and one verification off chain.
//
// # Session keys and the market
//
// A consumer does not sign each voucher itself: it authorises the market's
// session key on the escrow (cap over the key's whole life, expiry, revocable)
// and the market's Paymaster (bonfire.Payments) signs cumulative vouchers
// with it. Paymaster keeps issued totals in a VoucherLedger (a lower total
// than already issued is a conflict) and, before a job starts, checks its
// budget: what the market can still spend for an owner is the smaller of the
// escrow balance and the key's cap − spent, less what providers are owed but
// have not claimed. A shortfall is ECodePaymentRequired naming the missing
// amount in tokens and the `bonfire wallet` command that fixes it.
//
// A Wallet built WithSessionKeys accepts such vouchers: it recovers the
// signer and, when that is not the payer, asks SessionKeys whether the payer
// authorised it, and refuses unknown, revoked and expired keys and vouchers
// whose unclaimed part exceeds the key's remaining cap, since the escrow
// would skip them at claim time. ChainSessionKeys reads the escrow and trusts
// a usable key for SessionKeyTTL; expiry is checked against the local clock.
//
// # The provider's side
//
// Collector bundles a provider's paid side: it implements
// bonfire.VoucherReceiver over a session-key-aware Wallet, runs the Claimer
// loop (by amount, by interval, on demand, and once at shutdown), waits for
// the configured confirmations before recording a claim's totals, and records
// every claim transaction in a ClaimLog so ReadEarnings can show per-payer
// earned, claimed and unclaimed amounts and recent claims. Staker stakes the
// provider's tokens on ProviderStake and takes them back through its
// request-then-wait unstaking.
package settlement
