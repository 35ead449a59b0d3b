package localnet

import (
	"context"
	"math/big"
	"path/filepath"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/chainwallet"
	"github.com/bonfirenet/bonfire/evm/devchain"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/bonfirenet/bonfire/sqlite"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
)

// The local consumer's escrow set-up on a dev chain: it deposits up to
// consumerDeposit of the tUSD the chain funded it with, and allows the
// market's session key to spend that much for a year.
var consumerDeposit = big.NewInt(1_000 * 1_000_000) // 1,000 tUSD

const sessionKeyLifetime = 365 * 24 * time.Hour

// connectChain starts the embedded chain, or dials the external one.
func (n *Net) connectChain(ctx context.Context) error {
	if n.cfg.ChainRPC == "" {
		return n.startChain(ctx)
	}
	if n.cfg.Deployments == "" {
		return bonfire.Errorf(bonfire.ECodeInvalid, "settling on %s needs the contracts' addresses", n.cfg.ChainRPC).
			WithField("deployments").WithHint("pass the file `bonfire contracts deploy` wrote, e.g. --deployments deployments.json")
	}
	dep, err := chainwallet.ReadDeploymentFile(n.cfg.Deployments)
	if err != nil {
		return err
	}
	client, err := ethclient.DialContext(ctx, n.cfg.ChainRPC)
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "cannot reach the chain at %s: %v", n.cfg.ChainRPC, err).
			WithField("chainRpc").WithHint("check the URL and that the node is running")
	}
	id, err := client.ChainID(ctx)
	if err != nil {
		client.Close()
		return bonfire.Errorf(bonfire.ECodeUnavailable, "cannot read the chain id at %s: %v", n.cfg.ChainRPC, err).
			WithField("chainRpc").WithHint("check the URL points at an Ethereum JSON-RPC endpoint")
	}
	if id.Uint64() != dep.ChainID {
		client.Close()
		return bonfire.Errorf(bonfire.ECodeConflict, "%s is chain %s but %s is for chain %d", n.cfg.ChainRPC, id, n.cfg.Deployments, dep.ChainID).
			WithField("deployments").WithHint("use the deployments file written for this chain")
	}
	n.client, n.ChainURL, n.Deployment = client, n.cfg.ChainRPC, dep
	return nil
}

// startChain starts the dev chain and funds the wallet and the local
// providers' addresses (they may not be running yet).
func (n *Net) startChain(ctx context.Context) error {
	arbiter, err := n.arbiterKey()
	if err != nil {
		return err
	}
	fund := []common.Address{common.HexToAddress(string(n.Wallet.Address())), common.HexToAddress(string(arbiter.Address()))}
	for i := 0; i < n.cfg.Providers; i++ {
		key, err := n.providerKey(i)
		if err != nil {
			return err
		}
		fund = append(fund, common.HexToAddress(string(key.Address())))
	}
	c, err := devchain.Start(ctx, devchain.Config{DataDir: n.cfg.Home.ChainDir(), HTTPAddr: n.cfg.ChainAddr, Fund: fund, Log: n.cfg.Log})
	if err != nil {
		return err
	}
	n.Chain, n.client, n.ChainURL, n.Deployment = c, c.Client(), c.RPCURL(), c.Deployment()
	// The dev key deployed the contracts and administers the roles; the
	// market slashes with its own key. Nothing else sends yet.
	return settlement.GrantArbiter(ctx, c.Auth(), n.Deployment, n.client, common.HexToAddress(string(arbiter.Address())))
}

// arbiterKey is the market's key for slashing stakes (ARBITER_ROLE).
func (n *Net) arbiterKey() (*identity.Key, error) {
	return Key(filepath.Join(n.cfg.Home.MarketDir(), "arbiter-key.json"))
}

// startPaymaster makes the market's paying side: vouchers signed with the
// market's session key, totals kept in the market's store.
func (n *Net) startPaymaster(ctx context.Context) error {
	session, err := Key(filepath.Join(n.cfg.Home.MarketDir(), "session-key.json"))
	if err != nil {
		return err
	}
	n.Paymaster, err = settlement.NewPaymaster(ctx, settlement.PaymasterConfig{
		Key: session.PrivateKey(), Deployment: n.Deployment, Backend: n.client,
		Ledger: n.Store, RPCURL: n.ChainURL,
	})
	if err != nil {
		return err
	}
	// On another chain the arbiter key slashes only once the contracts'
	// admin grants it ARBITER_ROLE; until then each slash fails and is
	// recorded as failed in the task's history.
	arbiter, err := n.arbiterKey()
	if err != nil {
		return err
	}
	n.Arbiter, err = settlement.NewArbiter(arbiter.PrivateKey(), n.Deployment, n.client)
	return err
}

// prepareConsumer makes sure the local wallet can pay for jobs: a deposit
// in the escrow and the market's session key authorised to spend it. It
// sends nothing when both are in place already (a restarted network).
func (n *Net) prepareConsumer(ctx context.Context) error {
	w, err := chainwallet.Connect(ctx, n.ChainURL, n.Deployment)
	if err != nil {
		return err
	}
	defer w.Close()
	me := common.HexToAddress(string(n.Wallet.Address()))
	deposited, err := w.EscrowBalance(ctx, me)
	if err != nil {
		return err
	}
	if deposited.Sign() == 0 {
		held, err := w.TokenBalance(ctx, me)
		if err != nil {
			return err
		}
		amount := new(big.Int).Set(consumerDeposit)
		if held.Cmp(amount) < 0 {
			amount.Set(held)
		}
		if amount.Sign() == 0 {
			n.cfg.Log.Warn("the local wallet has no tUSD to deposit; priced jobs will be refused", "wallet", me)
			return nil
		}
		if _, err := w.Deposit(ctx, n.Wallet, amount); err != nil {
			return err
		}
		n.cfg.Log.Info("deposited into the escrow for the local wallet", "amount", w.Format(amount))
	}
	session := n.Paymaster.SessionKey()
	k, err := w.SessionKey(ctx, me, session)
	if err != nil {
		return err
	}
	now := time.Now()
	lowWater := new(big.Int).Quo(consumerDeposit, big.NewInt(10))
	if k != nil && !k.Revoked && k.Expiry.After(now.Add(24*time.Hour)) && new(big.Int).Sub(k.Cap, k.Spent).Cmp(lowWater) >= 0 {
		return nil
	}
	// The cap covers the key's whole life, spent included: allow what it
	// has spent plus a fresh deposit's worth.
	allow := new(big.Int).Set(consumerDeposit)
	if k != nil {
		allow.Add(allow, k.Spent)
	}
	if _, err := w.AuthorizeSessionKey(ctx, n.Wallet, session, allow, now.Add(sessionKeyLifetime)); err != nil {
		return err
	}
	n.cfg.Log.Info("authorised the market's session key for the local wallet", "sessionKey", session, "cap", w.Format(allow))
	return nil
}

// settlementInfo is what GET /v1/settlement serves.
func (n *Net) settlementInfo() *bonfire.SettlementInfo {
	if n.Paymaster == nil {
		return nil
	}
	info := n.Paymaster.Info()
	return &info
}

// localCollector is one local provider's paid side and its ledger.
type localCollector struct {
	provider bonfire.Address
	c        *settlement.Collector
	ledger   *sqlite.Store
	done     chan struct{}
}

// ProviderLedger is where a local provider keeps its vouchers and claims,
// the file `bonfire provider earnings --dir <home>/providers/N` reads.
func (h Home) ProviderLedger(n int) string { return filepath.Join(h.ProviderDir(n), "wallet.db") }

// collectorBackend is the chain as claims see it: on the embedded chain,
// sends return once the block is on disk instead of polling once a second.
func (n *Net) collectorBackend() settlement.CollectorBackend {
	if n.Chain != nil {
		return n.Chain.Backend()
	}
	return n.client
}

// openCollector opens local provider i's ledger and collector; it is not
// running until startCollectors.
func (n *Net) openCollector(ctx context.Context, i int, key *identity.Key) (*settlement.Collector, error) {
	ledger, err := sqlite.Open(n.cfg.Home.ProviderLedger(i))
	if err != nil {
		return nil, err
	}
	policy := settlement.ClaimPolicy{Interval: n.cfg.ClaimEvery}
	if n.cfg.ClaimAt > 0 {
		policy.MinAmount = new(big.Int).SetUint64(n.cfg.ClaimAt)
	}
	c, err := settlement.OpenCollector(ctx, settlement.CollectorConfig{
		Ledger: ledger, Key: key.PrivateKey(), Deployment: n.Deployment, Backend: n.collectorBackend(),
		Policy: policy, Log: n.cfg.Log.With("provider", key.Address()),
	})
	if err != nil {
		ledger.Close()
		return nil, err
	}
	n.collectors = append(n.collectors, &localCollector{provider: key.Address(), c: c, ledger: ledger, done: make(chan struct{})})
	return c, nil
}

// startCollectors runs every collector's claim loop. They stop after the
// providers, so that the vouchers of the providers' last reports are
// claimed in the final claim.
func (n *Net) startCollectors() {
	ctx, cancel := context.WithCancel(context.Background())
	n.stopCollecting = cancel
	for _, lc := range n.collectors {
		go func() {
			defer close(lc.done)
			if err := lc.c.Run(ctx); err != nil {
				n.cfg.Log.Error("claiming stopped", "provider", lc.provider, "err", err)
			}
		}()
	}
}

// closeCollectors makes the final claims and closes the ledgers.
func (n *Net) closeCollectors() {
	if n.stopCollecting != nil {
		n.stopCollecting()
	}
	for _, lc := range n.collectors {
		if n.stopCollecting != nil {
			<-lc.done
		}
	}
	n.collectMu.Lock()
	defer n.collectMu.Unlock()
	for _, lc := range n.collectors {
		_ = lc.ledger.Close()
	}
	n.collectors = nil
}

// ProviderEarnings is one local provider's earnings.
type ProviderEarnings struct {
	Provider bonfire.Address
	*settlement.Earnings
}

// ClaimAll has every local provider claim what it holds now, one
// transaction each (none for a provider with nothing to claim).
func (n *Net) ClaimAll(ctx context.Context) error {
	for _, lc := range n.collectors {
		if _, _, err := lc.c.ClaimNow(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Earnings reports what each local provider earned, claimed and still holds.
func (n *Net) Earnings(ctx context.Context) ([]ProviderEarnings, error) {
	var out []ProviderEarnings
	for _, lc := range n.collectors {
		e, err := lc.c.Summary(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, ProviderEarnings{Provider: lc.provider, Earnings: e})
	}
	return out, nil
}

// Settle waits until the local providers hold vouchers for total (the
// charges of the jobs just run: a voucher travels in the reply to the
// report that finished a task, a moment after the job shows as done), then
// has each claim what it holds, and returns the earnings.
func (n *Net) Settle(ctx context.Context, total uint64) ([]ProviderEarnings, error) {
	want := new(big.Int).SetUint64(total)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		es, err := n.Earnings(ctx)
		if err != nil {
			return nil, err
		}
		held := new(big.Int)
		for _, e := range es {
			held.Add(held, e.Earned)
		}
		if held.Cmp(want) >= 0 {
			break
		}
		select {
		case <-ctx.Done():
			return nil, bonfire.Errorf(bonfire.ECodeTimeout, "providers hold vouchers for %s of the %s charged", held, want).
				WithHint("a provider may have stopped before its last report was answered; it claims the rest when it next runs")
		case <-tick.C:
		}
	}
	if err := n.ClaimAll(ctx); err != nil {
		return nil, err
	}
	return n.Earnings(ctx)
}

// fundProvider gives a provider that registered on a network with the
// embedded chain its gas and test tokens (once per address, like the local
// accounts), so a provider from another machine can claim what it earns.
func (n *Net) fundProvider(p bonfire.Address) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := n.Chain.Fund(ctx, common.HexToAddress(string(p))); err != nil {
		n.cfg.Log.Warn("cannot fund the provider on the dev chain; it cannot pay for claims", "provider", p, "err", err)
	}
}
