package dashboard

import (
	"context"
	"math/big"
	"net/http"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
)

// MoneySource is where the dashboard reads the money that lives outside
// the market's store: where it settles, consumers' balances on chain and
// what providers earned and claimed. localnet adapts its chain, paymaster
// and providers' collectors to it; a market without payments passes nil.
type MoneySource interface {
	// Settlement describes the chain, escrow, token and session key; nil
	// when the market runs without payments.
	Settlement() *bonfire.SettlementInfo
	// Accounts lists the consumers the market knows of with their
	// balances and what they allowed the market's session key to spend.
	Accounts(ctx context.Context) ([]Account, error)
	// Earnings lists what providers earned, claimed and still hold, with
	// their vouchers and recent claim transactions.
	Earnings(ctx context.Context) ([]Earnings, error)
}

// Account is a consumer's money on chain. Amounts are token base units.
type Account struct {
	Address       bonfire.Address
	Token         *big.Int // in the wallet
	Escrow        *big.Int // deposited in the escrow, paying for jobs
	SessionKey    bonfire.Address
	SessionCap    *big.Int // nil when the session key was never authorised
	SessionSpent  *big.Int
	SessionExpiry time.Time
}

// Earnings is one provider's paid side. Amounts are token base units.
type Earnings struct {
	Provider  bonfire.Address
	Earned    *big.Int // the vouchers' cumulative totals
	Claimed   *big.Int
	Unclaimed *big.Int
	Vouchers  []VoucherTotal
	Claims    []Claim // newest first
}

// VoucherTotal is the newest voucher a provider holds from one payer.
type VoucherTotal struct {
	Payer      bonfire.Address
	Cumulative *big.Int
	Claimed    *big.Int
}

// Claim is one claim transaction a provider sent.
type Claim struct {
	Tx   string // 0x-hex transaction hash
	Paid *big.Int
	At   time.Time
}

// money formats base units with the settlement token's decimals and symbol.
type money struct {
	decimals uint8
	symbol   string
}

func moneyOf(info *bonfire.SettlementInfo) money {
	if info == nil {
		return money{}
	}
	return money{decimals: info.Decimals, symbol: info.Symbol}
}

// Big writes v (base units) as a decimal amount: 1500000 with 6 decimals
// and symbol tUSD is "1.5 tUSD". A nil amount is "—".
func (m money) Big(v *big.Int) string {
	if v == nil {
		return "—"
	}
	s := formatUnits(v, m.decimals)
	if m.symbol != "" {
		s += " " + m.symbol
	}
	return s
}

// U writes a uint64 amount of base units.
func (m money) U(v uint64) string { return m.Big(new(big.Int).SetUint64(v)) }

// formatUnits writes v/10^decimals without trailing zeros.
func formatUnits(v *big.Int, decimals uint8) string {
	neg := v.Sign() < 0
	a := new(big.Int).Abs(v).String()
	if decimals > 0 {
		d := int(decimals)
		if len(a) <= d {
			a = strings.Repeat("0", d-len(a)+1) + a
		}
		whole, frac := a[:len(a)-d], strings.TrimRight(a[len(a)-d:], "0")
		a = whole
		if frac != "" {
			a += "." + frac
		}
	}
	if neg {
		a = "-" + a
	}
	return a
}

// moneyData is the money page.
type moneyData struct {
	Settlement *bonfire.SettlementInfo
	M          money
	Accounts   []Account
	Earnings   []Earnings
	Charged    []bonfire.Owed
	Problems   []*bonfire.Error
}

func (d *Dashboard) moneyPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageCtx(r)
	defer cancel()
	data := moneyData{}
	if d.cfg.Money != nil {
		data.Settlement = d.cfg.Money.Settlement()
		var err error
		if data.Accounts, err = d.cfg.Money.Accounts(ctx); err != nil {
			data.Problems = append(data.Problems, problem(err, "balances"))
		}
		if data.Earnings, err = d.cfg.Money.Earnings(ctx); err != nil {
			data.Problems = append(data.Problems, problem(err, "earnings"))
		}
	}
	data.M = moneyOf(data.Settlement)
	if d.cfg.Charges != nil {
		owed, err := d.cfg.Charges.OwedTotals(ctx)
		if err != nil {
			data.Problems = append(data.Problems, problem(err, "charges"))
		}
		data.Charged = owed
	}
	d.render(w, r, "money", "Money", data)
}

// earningsByProvider indexes MoneySource earnings for the providers page.
func (d *Dashboard) earningsByProvider(ctx context.Context) (map[bonfire.Address]Earnings, money, error) {
	if d.cfg.Money == nil {
		return nil, money{}, nil
	}
	m := moneyOf(d.cfg.Money.Settlement())
	es, err := d.cfg.Money.Earnings(ctx)
	if err != nil {
		return nil, m, err
	}
	out := make(map[bonfire.Address]Earnings, len(es))
	for _, e := range es {
		out[e.Provider.Normal()] = e
	}
	return out, m, nil
}

// problem turns a failed read into a line the page shows in place of what
// it could not read.
func problem(err error, what string) *bonfire.Error {
	if be, ok := err.(*bonfire.Error); ok {
		return be
	}
	return bonfire.Errorf(bonfire.ECodeUnavailable, "cannot read %s: %v", what, err).WithHint("see the market's log")
}
