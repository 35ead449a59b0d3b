package settlement

import (
	"context"
	"errors"
	"math/big"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// ClaimPolicy decides when Claimer.Run sends a claim.
type ClaimPolicy struct {
	// MinAmount triggers a claim as soon as the unclaimed total reaches it.
	// Nil or zero leaves claiming to the ticks.
	MinAmount *big.Int
	// Interval is the tick period Run uses when it is given no ticks.
	// Zero means no periodic claims.
	Interval time.Duration
	// OnError, if set, receives the errors of claims Run makes; Run keeps
	// going and tries again on the next trigger.
	OnError func(error)
	// OnClaim, if set, is told of every claim transaction Run sends, with
	// the gross amount it paid.
	OnClaim func(tx common.Hash, paid *big.Int)
	// Confirmations is how many blocks (counting its own) a claim must
	// have before the claimed totals are recorded; 0 and 1 mean as soon as
	// it is mined. Recording only confirmed claims means a reorganisation
	// that drops one leaves its vouchers unclaimed in the ledger, to be sent
	// again, instead of marked paid. It needs a backend that is also an
	// evm.ChainHead (ethclient and the simulated chains are).
	Confirmations uint64
}

// shutdownClaimTimeout bounds the last claim Run makes after its context ends.
const shutdownClaimTimeout = time.Minute

// Claimer submits a wallet's vouchers to the escrow, all payers in one
// transaction.
type Claimer struct {
	wallet  *Wallet
	backend bind.DeployBackend
	escrow  *evm.Contracts
	auth    *bind.TransactOpts
	policy  ClaimPolicy

	mu sync.Mutex // one claim in flight: a second would only pay nothing
	// skipped remembers vouchers the escrow refused (no deposit, bad key),
	// by payer and cumulative total, so they are not resubmitted every
	// period; a higher voucher from the same payer is tried again.
	skipped map[common.Address]*big.Int
}

// NewClaimer returns a Claimer that claims wallet's vouchers on contracts'
// escrow, sending from auth (whose account must be the wallet's payee) and
// waiting for receipts on backend.
func NewClaimer(wallet *Wallet, backend bind.DeployBackend, contracts *evm.Contracts, auth *bind.TransactOpts, policy ClaimPolicy) *Claimer {
	return &Claimer{wallet: wallet, backend: backend, escrow: contracts, auth: auth, policy: policy, skipped: map[common.Address]*big.Int{}}
}

// ClaimNow claims every unclaimed voucher in one transaction and records
// what the escrow paid. paid is the gross amount (the payee receives it
// minus the protocol fee). With nothing to claim it sends nothing and
// returns the zero hash.
func (c *Claimer) ClaimNow(ctx context.Context) (common.Hash, *big.Int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.auth.From != c.wallet.payee {
		return common.Hash{}, nil, bonfire.Errorf(bonfire.ECodeInvalid, "claims are sent from %s but the wallet collects for %s", c.auth.From.Hex(), c.wallet.payee.Hex()).
			WithField("auth").WithHint("sign claim transactions with the provider's payee key")
	}
	all, _, err := c.wallet.Claimable(ctx)
	if err != nil {
		return common.Hash{}, nil, err
	}
	var vouchers []evm.Voucher
	var sigs [][]byte
	for _, v := range all {
		if at, ok := c.skipped[v.Voucher.Payer]; ok && at.Cmp(v.Voucher.CumulativeAmount) == 0 {
			continue
		}
		vouchers = append(vouchers, v.Voucher)
		sigs = append(sigs, v.Signature)
	}
	if len(vouchers) == 0 {
		return common.Hash{}, new(big.Int), nil
	}

	opts := *c.auth
	opts.Context = ctx
	tx, err := c.escrow.Escrow.Claim(&opts, vouchers, sigs)
	if err != nil {
		return common.Hash{}, nil, chainError("send the claim transaction", err)
	}
	receipt, err := bind.WaitMined(ctx, c.backend, tx)
	if err != nil {
		return tx.Hash(), nil, chainError("wait for claim transaction "+tx.Hash().Hex(), err)
	}
	if receipt.Status != types.ReceiptStatusSuccessful {
		return tx.Hash(), nil, bonfire.Errorf(bonfire.ECodeUnavailable, "claim transaction %s reverted", tx.Hash().Hex()).
			WithHint("check the payee account's gas funds; the vouchers are kept and claimed again next time")
	}
	if c.policy.Confirmations > 1 {
		head, ok := c.backend.(evm.ChainHead)
		if !ok {
			return tx.Hash(), nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot count confirmations on this chain backend").
				WithField("confirmations").WithHint("use an ethclient backend, or set confirmations to 1")
		}
		if err := evm.WaitConfirmed(ctx, head, receipt, c.policy.Confirmations); err != nil {
			return tx.Hash(), nil, err
		}
	}
	paid, err := c.record(ctx, receipt, vouchers)
	return tx.Hash(), paid, err
}

// record stores the escrow's claimed totals from the receipt's events. A
// skipped voucher's claimed total is read from the contract, since another
// claim (an earlier run whose bookkeeping was lost) may have paid it.
func (c *Claimer) record(ctx context.Context, receipt *types.Receipt, sent []evm.Voucher) (*big.Int, error) {
	paid := new(big.Int)
	var errs []error
	for _, l := range receipt.Logs {
		if l.Address != c.wallet.escrow {
			continue
		}
		if ev, err := c.escrow.Escrow.ParseClaimed(*l); err == nil && ev.Payee == c.wallet.payee {
			paid.Add(paid, ev.Amount)
			errs = append(errs, c.wallet.recordClaimed(ctx, ev.Payer, ev.ClaimedTotal))
			continue
		}
		ev, err := c.escrow.Escrow.ParseVoucherSkipped(*l)
		if err != nil || ev.Payee != c.wallet.payee {
			continue
		}
		claimed, err := c.escrow.Escrow.Claimed(&bind.CallOpts{Context: ctx}, ev.Payer, ev.Payee)
		if err != nil {
			errs = append(errs, chainError("read the escrow's claimed amount", err))
			continue
		}
		errs = append(errs, c.wallet.recordClaimed(ctx, ev.Payer, claimed))
		for _, v := range sent {
			if v.Payer == ev.Payer && v.CumulativeAmount.Cmp(claimed) > 0 {
				c.skipped[v.Payer] = new(big.Int).Set(v.CumulativeAmount)
			}
		}
	}
	return paid, errors.Join(errs...)
}

// Run claims until ctx ends: whenever an accepted voucher brings the
// unclaimed total to policy.MinAmount, on every tick, and once more after
// ctx ends so a shutdown leaves nothing unclaimed that could be claimed.
// A nil ticks uses a ticker of policy.Interval (none if it is zero). It
// returns the final claim's error.
func (c *Claimer) Run(ctx context.Context, ticks <-chan time.Time) error {
	if ticks == nil && c.policy.Interval > 0 {
		t := time.NewTicker(c.policy.Interval)
		defer t.Stop()
		ticks = t.C
	}
	claim := func(ctx context.Context) error {
		tx, paid, err := c.ClaimNow(ctx)
		if tx != (common.Hash{}) && err == nil && c.policy.OnClaim != nil {
			c.policy.OnClaim(tx, paid)
		}
		return err
	}
	report := func(err error) {
		if err != nil && c.policy.OnError != nil {
			c.policy.OnError(err)
		}
	}
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownClaimTimeout)
			defer cancel()
			return claim(final)
		case <-ticks:
			report(claim(ctx))
		case <-c.wallet.accepted:
			if c.policy.MinAmount == nil || c.policy.MinAmount.Sign() == 0 {
				continue
			}
			_, due, err := c.wallet.Claimable(ctx)
			if err == nil && due.Cmp(c.policy.MinAmount) >= 0 {
				err = claim(ctx)
			}
			report(err)
		}
	}
}

func chainError(what string, err error) *bonfire.Error {
	msg := err.Error()
	if r, ok := evm.DecodeRevert(err); ok {
		msg = r.Error()
	}
	return bonfire.Errorf(bonfire.ECodeUnavailable, "cannot %s: %s", what, msg).
		WithHint("check that the chain endpoint is reachable and the payee account has funds for gas")
}
