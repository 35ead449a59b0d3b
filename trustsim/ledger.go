package trustsim

import (
	"context"
	"sync"

	"github.com/bonfirenet/bonfire"
)

// Slash is one stake transfer the market ordered.
type Slash struct {
	Provider bonfire.Address `json:"provider"`
	Consumer bonfire.Address `json:"consumer"`
	Ordered  uint64          `json:"ordered"`
	Taken    uint64          `json:"taken"`
	Evidence bonfire.Digest  `json:"evidence"`
}

// Ledger is an in-memory stake registry standing in for the chain's
// ProviderStake contract: every provider starts with the same stake and a
// slash takes what it can.
type Ledger struct {
	mu      sync.Mutex
	initial uint64
	stakes  map[bonfire.Address]uint64
	slashes []Slash
}

var _ bonfire.Slasher = (*Ledger)(nil)

// NewLedger gives every provider it is later asked about stake units.
func NewLedger(stake uint64) *Ledger {
	return &Ledger{initial: stake, stakes: map[bonfire.Address]uint64{}}
}

// Slash implements bonfire.Slasher.
func (l *Ledger) Slash(_ context.Context, provider, consumer bonfire.Address, amount uint64, evidence bonfire.Digest) (uint64, error) {
	p := provider.Normal()
	l.mu.Lock()
	defer l.mu.Unlock()
	stake, ok := l.stakes[p]
	if !ok {
		stake = l.initial
	}
	taken := min(amount, stake)
	l.stakes[p] = stake - taken
	l.slashes = append(l.slashes, Slash{Provider: p, Consumer: consumer.Normal(), Ordered: amount, Taken: taken, Evidence: evidence})
	return taken, nil
}

// Slashed is the total taken from provider so far.
func (l *Ledger) Slashed(provider bonfire.Address) uint64 {
	p := provider.Normal()
	l.mu.Lock()
	defer l.mu.Unlock()
	var sum uint64
	for _, s := range l.slashes {
		if s.Provider == p {
			sum += s.Taken
		}
	}
	return sum
}

// Slashes returns every slash ordered so far.
func (l *Ledger) Slashes() []Slash {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Slash(nil), l.slashes...)
}
