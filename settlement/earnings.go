package settlement

import (
	"context"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// PayerEarnings is what one payer owes a payee: the best voucher's total
// (earned), what the escrow has paid of it (claimed) and the rest.
type PayerEarnings struct {
	Payer     common.Address
	Earned    *big.Int
	Claimed   *big.Int
	Unclaimed *big.Int
}

// Earnings is a payee's read model: per payer, totals, and recent claims.
// Amounts are gross base units; the escrow keeps its protocol fee out of
// every claim.
type Earnings struct {
	Payee     common.Address
	Payers    []PayerEarnings // ordered by payer address
	Earned    *big.Int
	Claimed   *big.Int
	Unclaimed *big.Int
	Claims    []ClaimRecord // newest first
}

// RecentClaims is how many claims Collector.Summary lists.
const RecentClaims = 10

// ReadEarnings builds payee's earnings from ledger alone, without the chain,
// listing at most claims claims (all when claims <= 0).
func ReadEarnings(ctx context.Context, ledger ClaimLedger, payee common.Address, claims int) (*Earnings, error) {
	rs, err := ledger.Received(ctx, payee)
	if err != nil {
		return nil, err
	}
	e := &Earnings{Payee: payee, Earned: new(big.Int), Claimed: new(big.Int), Unclaimed: new(big.Int)}
	for _, r := range rs {
		pe := PayerEarnings{Payer: r.Payer, Earned: new(big.Int).Set(r.Cumulative), Claimed: new(big.Int).Set(r.Claimed), Unclaimed: r.Unclaimed()}
		e.Earned.Add(e.Earned, pe.Earned)
		e.Claimed.Add(e.Claimed, pe.Claimed)
		e.Unclaimed.Add(e.Unclaimed, pe.Unclaimed)
		e.Payers = append(e.Payers, pe)
	}
	if e.Claims, err = ledger.Claims(ctx, payee, claims); err != nil {
		return nil, err
	}
	return e, nil
}
