package settlement

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"sync"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/common"
)

// Payer signs cumulative vouchers for one payer on one escrow. Use one Payer
// per payer address and ledger: Pay serialises the read-add-write of the
// running total in memory.
type Payer struct {
	key     *ecdsa.PrivateKey
	payer   common.Address
	chainID *big.Int
	escrow  common.Address
	ledger  VoucherLedger

	mu sync.Mutex
}

// NewPayer returns a Payer that signs with key (the payer's own key, or a
// session key the payer authorised on the escrow) on behalf of payer, for
// the escrow at escrow on chainID, keeping running totals in ledger.
func NewPayer(key *ecdsa.PrivateKey, payer common.Address, chainID *big.Int, escrow common.Address, ledger VoucherLedger) *Payer {
	return &Payer{key: key, payer: payer, chainID: new(big.Int).Set(chainID), escrow: escrow, ledger: ledger}
}

// Address is the payer whose deposit the vouchers draw on.
func (p *Payer) Address() common.Address { return p.payer }

// Pay adds amount to what the payer owes payee and returns a voucher for the
// new total. The total is stored before the voucher is returned, so a crash
// can lose a voucher (the payee asks again) but never make the payer sign a
// smaller total later.
func (p *Payer) Pay(ctx context.Context, payee common.Address, amount *big.Int) (*SignedVoucher, error) {
	if amount == nil || amount.Sign() < 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "payment amount %v is missing or negative", amount).
			WithField("amount").WithHint("pay a non-negative amount in token base units, as Charge returns")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	total, err := p.ledger.Issued(ctx, p.payer, payee)
	if err != nil {
		return nil, err
	}
	total.Add(total, amount)
	v := evm.Voucher{Payer: p.payer, Payee: payee, CumulativeAmount: total}
	sig, err := evm.SignVoucher(p.key, p.chainID, p.escrow, v)
	if err != nil {
		return nil, err // SignVoucher also refuses totals beyond uint256
	}
	if err := p.ledger.SaveIssued(ctx, p.payer, payee, total, sig); err != nil {
		return nil, err
	}
	return &SignedVoucher{
		ChainID:   new(big.Int).Set(p.chainID),
		Escrow:    p.escrow,
		Voucher:   evm.Voucher{Payer: p.payer, Payee: payee, CumulativeAmount: new(big.Int).Set(total)},
		Signature: sig,
	}, nil
}
