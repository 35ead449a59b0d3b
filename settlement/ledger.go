package settlement

import (
	"context"
	"math/big"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// VoucherLedger is the durable memory of both sides of a payment channel.
// A payer must never sign a smaller total than it already signed (the payee
// would simply keep the larger one, but the payer would under-count what it
// owes), and a payee must never lose its best voucher: both survive restarts
// only through the ledger. sqlite.Store implements it; MemoryLedger is for
// tests. Implementations are safe for concurrent use; the monotonicity rules
// are enforced by Payer and Wallet, not by the ledger.
type VoucherLedger interface {
	// Issued returns the cumulative total payer has signed for payee so
	// far, zero when it never paid payee.
	Issued(ctx context.Context, payer, payee common.Address) (*big.Int, error)
	// SaveIssued records that payer has signed sig for a cumulative total
	// owed to payee, replacing the previous total.
	SaveIssued(ctx context.Context, payer, payee common.Address, cumulative *big.Int, sig []byte) error
	// Received returns payee's best voucher from each payer, ordered by
	// payer address, with what the escrow has paid on each.
	Received(ctx context.Context, payee common.Address) ([]ReceivedVoucher, error)
	// SaveReceived stores r's cumulative total and signature as payee's
	// best voucher from r.Payer, replacing the previous one. r.Claimed is
	// ignored: the claimed amount stays as it was (zero for a new payer),
	// because only the escrow decides it.
	SaveReceived(ctx context.Context, payee common.Address, r ReceivedVoucher) error
	// SaveClaimed records that the escrow has paid claimed in total from
	// payer to payee.
	SaveClaimed(ctx context.Context, payee, payer common.Address, claimed *big.Int) error
}

// ReceivedVoucher is a payee's best voucher from one payer and how much of
// it the escrow has already paid out.
type ReceivedVoucher struct {
	Payer      common.Address
	Cumulative *big.Int
	Signature  []byte
	Claimed    *big.Int // never nil when returned by a ledger
}

// Unclaimed is what claiming r would still pay, if the payer's deposit
// covers it.
func (r ReceivedVoucher) Unclaimed() *big.Int {
	d := new(big.Int).Sub(r.Cumulative, r.Claimed)
	if d.Sign() < 0 {
		return new(big.Int)
	}
	return d
}

// MemoryLedger is a VoucherLedger that forgets everything on exit.
type MemoryLedger struct {
	mu       sync.Mutex
	issued   map[[2]common.Address]*big.Int
	received map[common.Address]map[common.Address]ReceivedVoucher
	claims   map[common.Address][]ClaimRecord // by payee, oldest first
	income   map[common.Address][]income      // by payee, oldest first
}

// NewMemoryLedger returns an empty ledger.
func NewMemoryLedger() *MemoryLedger {
	return &MemoryLedger{
		issued:   map[[2]common.Address]*big.Int{},
		received: map[common.Address]map[common.Address]ReceivedVoucher{},
		claims:   map[common.Address][]ClaimRecord{},
	}
}

var _ VoucherLedger = (*MemoryLedger)(nil)

func (m *MemoryLedger) Issued(_ context.Context, payer, payee common.Address) (*big.Int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.issued[[2]common.Address{payer, payee}]; ok {
		return new(big.Int).Set(c), nil
	}
	return new(big.Int), nil
}

func (m *MemoryLedger) SaveIssued(_ context.Context, payer, payee common.Address, cumulative *big.Int, _ []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.issued[[2]common.Address{payer, payee}] = new(big.Int).Set(cumulative)
	return nil
}

func (m *MemoryLedger) Received(_ context.Context, payee common.Address) ([]ReceivedVoucher, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]ReceivedVoucher, 0, len(m.received[payee]))
	for _, r := range m.received[payee] {
		out = append(out, copyReceived(r))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Payer.Cmp(out[j].Payer) < 0 })
	return out, nil
}

func (m *MemoryLedger) SaveReceived(_ context.Context, payee common.Address, r ReceivedVoucher) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	byPayer := m.received[payee]
	if byPayer == nil {
		byPayer = map[common.Address]ReceivedVoucher{}
		m.received[payee] = byPayer
	}
	r = copyReceived(r)
	r.Claimed = new(big.Int)
	before := new(big.Int)
	if old, ok := byPayer[r.Payer]; ok {
		r.Claimed, before = old.Claimed, old.Cumulative
	}
	byPayer[r.Payer] = r
	if delta := new(big.Int).Sub(r.Cumulative, before); delta.Sign() > 0 {
		if m.income == nil {
			m.income = map[common.Address][]income{}
		}
		m.income[payee] = append(m.income[payee], income{amount: delta, at: time.Now()})
	}
	return nil
}

func (m *MemoryLedger) SaveClaimed(_ context.Context, payee, payer common.Address, claimed *big.Int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.received[payee][payer]
	if !ok {
		return nil // nothing received from payer: nothing to mark
	}
	r.Claimed = new(big.Int).Set(claimed)
	m.received[payee][payer] = r
	return nil
}

func copyReceived(r ReceivedVoucher) ReceivedVoucher {
	c := ReceivedVoucher{Payer: r.Payer, Cumulative: new(big.Int), Claimed: new(big.Int)}
	if r.Cumulative != nil {
		c.Cumulative.Set(r.Cumulative)
	}
	if r.Claimed != nil {
		c.Claimed.Set(r.Claimed)
	}
	c.Signature = append([]byte(nil), r.Signature...)
	return c
}
