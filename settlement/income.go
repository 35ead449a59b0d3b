package settlement

import (
	"context"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// IncomeLog remembers when a payee's vouchers grew, so a provider can say
// what it earned today. Ledgers record it in SaveReceived, with the voucher
// it comes from.
type IncomeLog interface {
	// EarnedSince is how much payee's best vouchers grew from since on.
	EarnedSince(ctx context.Context, payee common.Address, since time.Time) (*big.Int, error)
}

// income is one increase of a payee's voucher from some payer.
type income struct {
	amount *big.Int
	at     time.Time
}

// EarnedSince implements IncomeLog.
func (m *MemoryLedger) EarnedSince(_ context.Context, payee common.Address, since time.Time) (*big.Int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	total := new(big.Int)
	for _, in := range m.income[payee] {
		if !in.at.Before(since) {
			total.Add(total, in.amount)
		}
	}
	return total, nil
}

// EarnedSince is what the provider's vouchers grew by from since on.
func (c *Collector) EarnedSince(ctx context.Context, since time.Time) (*big.Int, error) {
	return c.ledger.EarnedSince(ctx, c.payee, since)
}
