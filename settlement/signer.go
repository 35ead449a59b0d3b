package settlement

import (
	"context"
	"math/big"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
)

// checkSigner accepts a voucher signed by its payer, or by a session key the
// payer authorised that the escrow would still honour for what the voucher
// leaves unclaimed. Refusing here rather than at claim time matters because
// a claim the escrow skips costs the provider gas and pays nothing.
func (w *Wallet) checkSigner(ctx context.Context, v SignedVoucher) error {
	signer, err := evm.RecoverVoucherSigner(w.chainID, w.escrow, v.Voucher, v.Signature)
	if err != nil {
		return err
	}
	payer := v.Voucher.Payer
	if signer == payer {
		return nil
	}
	if w.keys == nil {
		return bonfire.Errorf(bonfire.ECodeUnauthorized, "voucher is signed by %s, not %s", signer.Hex(), payer.Hex()).
			WithField("signature").
			WithHint("the voucher was signed by another key, or for another chain, contract, payer, payee or amount")
	}
	k, err := w.keys.SessionKey(ctx, payer, signer)
	if err != nil {
		return err
	}
	switch {
	case !k.Known():
		return bonfire.Errorf(bonfire.ECodeUnauthorized, "voucher is signed by %s, which payer %s never authorised as a session key", signer.Hex(), payer.Hex()).
			WithField("signature").
			WithHint("the payer must authorise the market's session key with `bonfire wallet authorize KEY --cap AMOUNT`; otherwise the voucher is forged or for another payer, amount or deployment")
	case k.Revoked:
		return bonfire.Errorf(bonfire.ECodeForbidden, "session key %s was revoked by payer %s", signer.Hex(), payer.Hex()).
			WithField("signature").
			WithHint("the escrow pays nothing for a revoked key's vouchers; the payer must authorise it again with `bonfire wallet authorize` or pay with its own key")
	case expired(k.Expiry, w.now()):
		return bonfire.Errorf(bonfire.ECodeForbidden, "session key %s of payer %s expired at %s", signer.Hex(), payer.Hex(),
			time.Unix(int64(min(k.Expiry, 1<<62)), 0).UTC().Format(time.RFC3339)).
			WithField("signature").
			WithHint("the payer must renew the key with `bonfire wallet authorize KEY --cap AMOUNT --expires 24h`")
	}
	claimed, err := w.claimedFrom(ctx, v)
	if err != nil {
		return err
	}
	unclaimed := new(big.Int).Sub(v.Voucher.CumulativeAmount, claimed)
	if left := k.Remaining(); unclaimed.Cmp(left) > 0 {
		return bonfire.Errorf(bonfire.ECodePaymentRequired,
			"voucher leaves %s unclaimed but session key %s of payer %s may spend only %s more (cap %s, spent %s)",
			unclaimed, signer.Hex(), payer.Hex(), left, k.Cap, k.Spent).
			WithField("voucher.cumulativeAmount").
			WithHint("the payer must raise the key's cap with `bonfire wallet authorize KEY --cap AMOUNT`; the escrow would skip this voucher")
	}
	return nil
}

// claimedFrom is what the escrow has already paid this wallet from v's
// payer, as far as the ledger knows. Read from the ledger on each session-key
// voucher rather than cached, because a claim made by another process (the
// `bonfire provider claim` command) writes the same ledger.
func (w *Wallet) claimedFrom(ctx context.Context, v SignedVoucher) (*big.Int, error) {
	rs, err := w.ledger.Received(ctx, w.payee)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.Payer == v.Voucher.Payer {
			return r.Claimed, nil
		}
	}
	return new(big.Int), nil
}
