// Package settlement turns accepted work into money: it prices a task's
// usage, lets a consumer pay a provider with EIP-712 vouchers on the
// BonfireEscrow contract, and lets the provider collect them in batches.
//
// The flow:
//
//  1. A consumer deposits tokens into the escrow (evm package).
//  2. Each time the consumer accepts a task result, it prices the result
//     with Charge and calls Payer.Pay. Pay does not send a transaction: it
//     adds the charge to the running total the payer owes that provider and
//     signs a voucher for the new cumulative total. The total is written to
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
// Session keys (a payer authorising a hot key to sign for it) are supported
// by the contract and by Payer (it signs with whatever key it is given), but
// Wallet accepts only vouchers signed by the payer itself for now.
package settlement
