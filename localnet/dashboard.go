package localnet

import (
	"context"
	"slices"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/chainwallet"
	"github.com/bonfirenet/bonfire/dashboard"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/ethereum/go-ethereum/common"
)

// startDashboard builds the web dashboard over the market, its store and
// blobs, and the network's money (nil without a chain).
func (n *Net) startDashboard(auth httpapi.Authenticator) error {
	var money dashboard.MoneySource
	if n.Paymaster != nil {
		money = moneySource{n}
	}
	d, err := dashboard.New(dashboard.Config{
		Jobs: n.Market, Results: n.Market, Providers: n.Market, Charges: n.Store, Blobs: n.Blobs,
		Auth: auth, Stats: n.Market.Stats, Money: money, Log: n.cfg.Log,
	})
	if err != nil {
		return err
	}
	n.Dashboard, n.DashboardURL = d, n.APIURL+dashboard.Prefix
	return nil
}

// moneySource is the network's settlement as the dashboard reads it: the
// paymaster's info, consumers' balances on the chain, and the local
// providers' collectors.
type moneySource struct{ n *Net }

func (m moneySource) Settlement() *bonfire.SettlementInfo { return m.n.settlementInfo() }

// Accounts reads the balances of the local wallet and of every owner the
// market has charged.
func (m moneySource) Accounts(ctx context.Context) ([]dashboard.Account, error) {
	n := m.n
	owners := []bonfire.Address{n.Wallet.Address().Normal()}
	owed, err := n.Store.OwedTotals(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range owed {
		if a := o.Owner.Normal(); !slices.Contains(owners, a) {
			owners = append(owners, a)
		}
	}
	w, err := chainwallet.Connect(ctx, n.ChainURL, n.Deployment)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	session := n.Paymaster.SessionKey()
	out := make([]dashboard.Account, 0, len(owners))
	for _, o := range owners {
		addr := common.HexToAddress(string(o))
		b, err := w.Balances(ctx, addr)
		if err != nil {
			return nil, err
		}
		a := dashboard.Account{Address: bonfire.Address(addr.Hex()), Token: b.Token, Escrow: b.Escrow, SessionKey: bonfire.Address(session.Hex())}
		k, err := w.SessionKey(ctx, addr, session)
		if err != nil {
			return nil, err
		}
		if k != nil {
			a.SessionCap, a.SessionSpent, a.SessionExpiry = k.Cap, k.Spent, k.Expiry
		}
		out = append(out, a)
	}
	return out, nil
}

// Earnings reads every local provider's collector.
func (m moneySource) Earnings(ctx context.Context) ([]dashboard.Earnings, error) {
	m.n.collectMu.Lock()
	defer m.n.collectMu.Unlock()
	es, err := m.n.Earnings(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]dashboard.Earnings, 0, len(es))
	for _, e := range es {
		d := dashboard.Earnings{Provider: e.Provider, Earned: e.Earned, Claimed: e.Claimed, Unclaimed: e.Unclaimed}
		for _, p := range e.Payers {
			d.Vouchers = append(d.Vouchers, dashboard.VoucherTotal{Payer: bonfire.Address(p.Payer.Hex()), Cumulative: p.Earned, Claimed: p.Claimed})
		}
		for _, c := range e.Claims {
			d.Claims = append(d.Claims, dashboard.Claim{Tx: c.Tx.Hex(), Paid: c.Paid, At: c.At})
		}
		out = append(out, d)
	}
	return out, nil
}
