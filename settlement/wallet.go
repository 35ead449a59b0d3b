package settlement

import (
	"context"
	"math/big"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/common"
)

// Wallet is a payee's store of vouchers: the best (highest) voucher from each
// payer, checked before it is kept. Use one Wallet per payee and ledger.
type Wallet struct {
	payee   common.Address
	chainID *big.Int
	escrow  common.Address
	ledger  VoucherLedger
	keys    SessionKeys // nil: only vouchers signed by the payer itself
	now     func() time.Time

	mu       sync.Mutex    // serialises check-then-store in Accept and claim bookkeeping
	accepted chan struct{} // signalled (without blocking) after each stored voucher, for Claimer.Run
	// best caches each payer's stored cumulative total, loaded from the
	// ledger on first use, so Accept costs no read per voucher.
	best map[common.Address]*big.Int
}

// WalletOption configures a Wallet.
type WalletOption func(*Wallet)

// WithSessionKeys makes the wallet accept vouchers signed by a session key
// the payer authorised on the escrow, as keys reports it. Without it only
// vouchers signed by the payer itself are accepted.
func WithSessionKeys(keys SessionKeys) WalletOption { return func(w *Wallet) { w.keys = keys } }

// WithClock sets the clock session-key expiry is checked against.
func WithClock(now func() time.Time) WalletOption { return func(w *Wallet) { w.now = now } }

// NewWallet returns the wallet of payee for the escrow at escrow on chainID.
func NewWallet(payee common.Address, chainID *big.Int, escrow common.Address, ledger VoucherLedger, opts ...WalletOption) *Wallet {
	w := &Wallet{
		payee:    payee,
		chainID:  new(big.Int).Set(chainID),
		escrow:   escrow,
		ledger:   ledger,
		now:      time.Now,
		accepted: make(chan struct{}, 1),
	}
	for _, o := range opts {
		o(w)
	}
	return w
}

// Payee is the address the wallet collects for.
func (w *Wallet) Payee() common.Address { return w.payee }

// Accept checks v and keeps it if it raises what its payer owes. A voucher
// equal to the stored one is accepted again without change (a re-delivery);
// a lower one is refused with ECodeConflict, since a payer never legitimately
// signs a smaller cumulative total. A voucher signed by a session key is
// accepted only if the payer authorised that key, has not revoked it, it has
// not expired, and what the voucher leaves unclaimed fits in the key's cap.
func (w *Wallet) Accept(ctx context.Context, v SignedVoucher) error {
	if v.ChainID == nil || v.ChainID.Cmp(w.chainID) != 0 {
		return bonfire.Errorf(bonfire.ECodeInvalid, "voucher is for chain %v, this wallet settles on chain %s", v.ChainID, w.chainID).
			WithField("voucher.chainId").WithHint("the payer and provider must use the same deployment")
	}
	if v.Escrow != w.escrow {
		return bonfire.Errorf(bonfire.ECodeInvalid, "voucher is for escrow %s, this wallet settles on %s", v.Escrow.Hex(), w.escrow.Hex()).
			WithField("voucher.escrow").WithHint("the payer and provider must use the same deployment")
	}
	if v.Voucher.Payee != w.payee {
		return bonfire.Errorf(bonfire.ECodeInvalid, "voucher pays %s, not this provider %s", v.Voucher.Payee.Hex(), w.payee.Hex()).
			WithField("voucher.payee").WithHint("the payer must name this provider's address as payee")
	}
	if err := w.checkSigner(ctx, v); err != nil {
		return err
	}

	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.loadBest(ctx); err != nil {
		return err
	}
	if best, ok := w.best[v.Voucher.Payer]; ok {
		switch v.Voucher.CumulativeAmount.Cmp(best) {
		case -1:
			return bonfire.Errorf(bonfire.ECodeConflict,
				"voucher from %s lowers the cumulative total from %s to %s", v.Voucher.Payer.Hex(), best, v.Voucher.CumulativeAmount).
				WithField("voucher.cumulativeAmount").
				WithHint("cumulative vouchers only grow; the payer's ledger is behind or was reset, keep the earlier voucher")
		case 0:
			return nil
		}
	}
	err := w.ledger.SaveReceived(ctx, w.payee, ReceivedVoucher{
		Payer:      v.Voucher.Payer,
		Cumulative: new(big.Int).Set(v.Voucher.CumulativeAmount),
		Signature:  append([]byte(nil), v.Signature...),
	})
	if err != nil {
		return err
	}
	w.best[v.Voucher.Payer] = new(big.Int).Set(v.Voucher.CumulativeAmount)
	select {
	case w.accepted <- struct{}{}:
	default:
	}
	return nil
}

// Claimable returns the best voucher of every payer that still owes
// something, and the sum still owed. The escrow may pay less if a payer's
// deposit has run low.
func (w *Wallet) Claimable(ctx context.Context) ([]SignedVoucher, *big.Int, error) {
	rs, err := w.ledger.Received(ctx, w.payee)
	if err != nil {
		return nil, nil, err
	}
	var out []SignedVoucher
	total := new(big.Int)
	for _, r := range rs {
		due := r.Unclaimed()
		if due.Sign() == 0 {
			continue
		}
		total.Add(total, due)
		out = append(out, w.signed(r))
	}
	return out, total, nil
}

func (w *Wallet) loadBest(ctx context.Context) error {
	if w.best != nil {
		return nil
	}
	rs, err := w.ledger.Received(ctx, w.payee)
	if err != nil {
		return err
	}
	w.best = make(map[common.Address]*big.Int, len(rs))
	for _, r := range rs {
		w.best[r.Payer] = r.Cumulative
	}
	return nil
}

// recordClaimed stores the escrow's claimed total for payer.
func (w *Wallet) recordClaimed(ctx context.Context, payer common.Address, claimed *big.Int) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.ledger.SaveClaimed(ctx, w.payee, payer, claimed)
}

func (w *Wallet) signed(r ReceivedVoucher) SignedVoucher {
	return SignedVoucher{
		ChainID:   new(big.Int).Set(w.chainID),
		Escrow:    w.escrow,
		Voucher:   evm.Voucher{Payer: r.Payer, Payee: w.payee, CumulativeAmount: r.Cumulative},
		Signature: r.Signature,
	}
}
