package settlement

import (
	"context"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// ClaimRecord is one claim transaction a payee sent.
type ClaimRecord struct {
	Tx   common.Hash
	Paid *big.Int // gross: the payee received it minus the protocol fee
	At   time.Time
}

// ClaimLog remembers a payee's claim transactions, so a provider can list
// what it was paid and when. It is separate from VoucherLedger because only
// a payee needs it; sqlite.Store and MemoryLedger implement both.
type ClaimLog interface {
	// SaveClaim records a claim payee sent. Saving the same transaction
	// again replaces the earlier record.
	SaveClaim(ctx context.Context, payee common.Address, c ClaimRecord) error
	// Claims returns payee's claims, newest first, at most limit of them
	// (all when limit <= 0).
	Claims(ctx context.Context, payee common.Address, limit int) ([]ClaimRecord, error)
}

// ClaimLedger is what a Collector keeps: vouchers, claims and when the
// vouchers grew.
type ClaimLedger interface {
	VoucherLedger
	ClaimLog
	IncomeLog
}

var _ ClaimLedger = (*MemoryLedger)(nil)

// SaveClaim implements ClaimLog.
func (m *MemoryLedger) SaveClaim(_ context.Context, payee common.Address, c ClaimRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c.Paid = new(big.Int).Set(orZero(c.Paid))
	list := m.claims[payee]
	for i := range list {
		if list[i].Tx == c.Tx {
			list[i] = c
			return nil
		}
	}
	m.claims[payee] = append(list, c)
	return nil
}

// Claims implements ClaimLog.
func (m *MemoryLedger) Claims(_ context.Context, payee common.Address, limit int) ([]ClaimRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	list := m.claims[payee]
	out := make([]ClaimRecord, 0, len(list))
	for i := len(list) - 1; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		c := list[i]
		c.Paid = new(big.Int).Set(c.Paid)
		out = append(out, c)
	}
	return out, nil
}

func orZero(x *big.Int) *big.Int {
	if x == nil {
		return new(big.Int)
	}
	return x
}
