package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm/devchain"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/bonfirenet/bonfire/metrics"
	"github.com/bonfirenet/bonfire/provider"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/bonfirenet/bonfire/sqlite"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

func tusdUnits(n float64) *big.Int { return big.NewInt(int64(n * 1_000_000)) }

// paidProvider is a dev chain, a provider directory whose key the chain
// funded, and the dev key as a payer with an escrow deposit.
type paidProvider struct {
	ctx   context.Context
	home  string
	dir   string
	chain *devchain.Chain
	payee common.Address
	rpc   string
}

func newPaidProvider(t *testing.T) *paidProvider {
	t.Helper()
	ctx := walletTestContext(t)
	home := t.TempDir()
	dir := filepath.Join(home, "providers", "1")
	key, err := localnet.Key(filepath.Join(dir, "key.json"))
	if err != nil {
		t.Fatal(err)
	}
	payee := keyAddress(key)
	chain, err := devchain.Start(ctx, devchain.Config{DataDir: filepath.Join(home, "chain"), HTTPAddr: "127.0.0.1:0", Fund: []common.Address{payee}})
	if err != nil {
		t.Fatalf("devchain.Start: %v", err)
	}
	t.Cleanup(func() { chain.Close() })
	k, err := chain.Deployment().Bind(chain.Backend())
	if err != nil {
		t.Fatal(err)
	}
	mine := func(tx *types.Transaction, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if r, err := bind.WaitMined(ctx, chain.Backend(), tx); err != nil || r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("transaction %s failed: %v", tx.Hash().Hex(), err)
		}
	}
	mine(k.Token.Faucet(chain.Auth(), chain.DevAddress(), tusdUnits(10)))
	mine(k.Token.Approve(chain.Auth(), chain.Deployment().Escrow, tusdUnits(10)))
	mine(k.Escrow.Deposit(chain.Auth(), tusdUnits(10)))
	return &paidProvider{ctx: ctx, home: home, dir: dir, chain: chain, payee: payee, rpc: "--chain-rpc=" + chain.RPCURL()}
}

// earn stores a payer-signed voucher for total in the provider's ledger, as
// the running provider would on a report reply.
func (p *paidProvider) earn(t *testing.T, total *big.Int) {
	t.Helper()
	ledger, err := sqlite.Open(filepath.Join(p.dir, providerLedgerFile))
	if err != nil {
		t.Fatal(err)
	}
	defer ledger.Close()
	dep := p.chain.Deployment()
	payer := settlement.NewPayer(p.chain.DevKey(), p.chain.DevAddress(), dep.ChainIDBig(), dep.Escrow, settlement.NewMemoryLedger())
	v, err := payer.Pay(p.ctx, p.payee, total)
	if err != nil {
		t.Fatal(err)
	}
	if err := settlement.NewWallet(p.payee, dep.ChainIDBig(), dep.Escrow, ledger).Accept(p.ctx, *v); err != nil {
		t.Fatal(err)
	}
}

func (p *paidProvider) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := runBonfire(p.ctx, t, p.home, "", append(args, "--dir", p.dir, p.rpc)...)
	if err != nil {
		t.Fatalf("bonfire %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func TestProviderEarningsAndClaim(t *testing.T) {
	t.Parallel()
	p := newPaidProvider(t)
	out := p.run(t, "provider", "earnings")
	if !strings.Contains(out, p.payee.Hex()) || !strings.Contains(out, "no vouchers received yet") {
		t.Fatalf("earnings before any voucher:\n%s", out)
	}
	if out := p.run(t, "provider", "claim"); !strings.Contains(out, "nothing to claim") {
		t.Fatalf("claim with nothing earned: %q", out)
	}

	p.earn(t, tusdUnits(3.5))
	out = p.run(t, "provider", "earnings")
	if !strings.Contains(out, p.chain.DevAddress().Hex()) || !strings.Contains(out, "3.5 tUSD") || !strings.Contains(out, "total") {
		t.Fatalf("earnings with 3.5 tUSD unclaimed:\n%s", out)
	}

	out = p.run(t, "provider", "claim")
	if !strings.Contains(out, "claimed 3.5 tUSD") || !strings.Contains(out, "in transaction 0x") {
		t.Fatalf("claim: %q", out)
	}
	tx := out[strings.LastIndex(out, "0x"):]
	tx = strings.TrimSpace(tx)
	if out := p.run(t, "provider", "claim"); !strings.Contains(out, "nothing to claim") {
		t.Fatalf("second claim: %q", out)
	}

	var e providerEarningsJSON
	out = p.run(t, "provider", "earnings", "--json")
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatalf("earnings --json printed %q: %v", out, err)
	}
	if e.Provider != p.payee || e.Symbol != "tUSD" || e.Decimals != 6 || len(e.Payers) != 1 || e.Payers[0].Payer != p.chain.DevAddress() {
		t.Fatalf("earnings header %+v", e)
	}
	if e.Earned.Units != "3.5" || e.Claimed.BaseUnits != "3500000" || e.Unclaimed.Units != "0" {
		t.Fatalf("earnings totals earned %+v claimed %+v unclaimed %+v", e.Earned, e.Claimed, e.Unclaimed)
	}
	if len(e.Claims) != 1 || e.Claims[0].Tx.Hex() != tx || e.Claims[0].Paid.Units != "3.5" {
		t.Fatalf("claims %+v, want the one transaction %s", e.Claims, tx)
	}

	// Earnings are read from the ledger: without a chain they still list,
	// in base units.
	out, err := runBonfire(p.ctx, t, p.home, "", "provider", "earnings", "--dir", p.dir, "--deployments", filepath.Join(p.home, "missing.json"))
	if err != nil || !strings.Contains(out, "3500000 base units") || !strings.Contains(out, tx) {
		t.Fatalf("earnings without a chain: %q, %v", out, err)
	}
	_, err = runBonfire(p.ctx, t, p.home, "", "provider", "earnings", "--dir", filepath.Join(p.home, "nobody"))
	if bonfire.Code(err) != bonfire.ECodeNotFound || !strings.Contains(err.Error(), "bonfire provider") {
		t.Fatalf("earnings of a directory without a key: %v", err)
	}
}

func TestProviderStakeAndUnstake(t *testing.T) {
	t.Parallel()
	p := newPaidProvider(t)
	if out := p.run(t, "provider", "stake", "2"); !strings.Contains(out, "staked 2 tUSD") || !strings.Contains(out, "has 2 tUSD at stake") {
		t.Fatalf("stake 2: %q", out)
	}
	if out := p.run(t, "provider", "stake", "--show"); !strings.Contains(out, "2 tUSD at stake") {
		t.Fatalf("stake --show: %q", out)
	}
	_, err := runBonfire(p.ctx, t, p.home, "", "provider", "stake", "--dir", p.dir, p.rpc)
	if bonfire.Code(err) != bonfire.ECodeInvalid || !strings.Contains(err.Error(), "--show") {
		t.Fatalf("stake with neither amount nor --show: %v", err)
	}
	_, err = runBonfire(p.ctx, t, p.home, "", "provider", "unstake", "complete", "--dir", p.dir, p.rpc)
	if bonfire.Code(err) != bonfire.ECodeNotFound || !strings.Contains(err.Error(), "unstake request") {
		t.Fatalf("unstake complete with nothing requested: %v", err)
	}
	if out := p.run(t, "provider", "unstake", "request", "0.5"); !strings.Contains(out, "unstaking 0.5 tUSD, available at") {
		t.Fatalf("unstake request: %q", out)
	}
	_, err = runBonfire(p.ctx, t, p.home, "", "provider", "unstake", "complete", "--dir", p.dir, p.rpc)
	if bonfire.Code(err) != bonfire.ECodeConflict || !strings.Contains(err.Error(), "stake --show") {
		t.Fatalf("unstake complete before the delay: %v", err)
	}
	var st stakeJSON
	out := p.run(t, "provider", "stake", "--show", "--json")
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Staked.Units != "2" || st.Unstaking.Units != "0.5" || st.AvailableAt == nil {
		t.Fatalf("stake --show --json = %q (%v)", out, err)
	}
}

func TestProviderPaymentsWiring(t *testing.T) {
	t.Parallel()
	p := newPaidProvider(t)
	key, err := loadProviderKey(p.dir)
	if err != nil {
		t.Fatal(err)
	}
	g := &globals{home: p.home}
	log := slog.New(slog.DiscardHandler)

	// No chain: unpaid, with the reason, and no error.
	f := &providerFlags{chain: providerChain{rpc: p.chain.RPCURL(), deployments: filepath.Join(p.home, "missing.json")}}
	pay, unpaid, err := openProviderPayments(p.ctx, g, p.dir, key, f, log, nil)
	if err != nil || pay != nil || bonfire.Code(unpaid) != bonfire.ECodeNotFound {
		t.Fatalf("without a deployment: %v, %v, %v; want unpaid with not_found", pay, unpaid, err)
	}
	// A mistake in the flags is an error, not a reason to run unpaid.
	f = &providerFlags{chain: providerChain{rpc: p.chain.RPCURL()}, claimAt: "lots"}
	if _, _, err := openProviderPayments(p.ctx, g, p.dir, key, f, log, nil); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Fatalf("--claim-at lots: %v, want invalid", err)
	}

	f = &providerFlags{chain: providerChain{rpc: p.chain.RPCURL()}, claimEvery: time.Hour, confirmations: 1}
	pm := metrics.NewProvider()
	pay, unpaid, err = openProviderPayments(p.ctx, g, p.dir, key, f, log, pm)
	if err != nil || unpaid != nil {
		t.Fatalf("with a chain: %v, %v", unpaid, err)
	}
	pm.WatchEarnings(pay.earnings)
	pay.start(p.ctx)
	dep := p.chain.Deployment()
	payer := settlement.NewPayer(p.chain.DevKey(), p.chain.DevAddress(), dep.ChainIDBig(), dep.Escrow, settlement.NewMemoryLedger())
	v, err := payer.Pay(p.ctx, p.payee, tusdUnits(1.25))
	if err != nil {
		t.Fatal(err)
	}
	wire := bonfire.Voucher{ChainID: dep.ChainID, Escrow: bonfire.Address(dep.Escrow.Hex()), Payer: bonfire.Address(p.chain.DevAddress().Hex()),
		Payee: bonfire.Address(p.payee.Hex()), Cumulative: v.Voucher.CumulativeAmount, Signature: v.Signature}
	if err := pay.collector.Receive(p.ctx, wire); err != nil {
		t.Fatal(err)
	}
	before, err := metrics.Scrape(pm.Handler())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := before["bonfire_provider_earned_base_units"], float64(tusdUnits(1.25).Int64()); got != want {
		t.Errorf("earned metric = %v, want %v", got, want)
	}
	if got := before["bonfire_provider_claimed_base_units"]; got != 0 {
		t.Errorf("claimed metric before any claim = %v, want 0", got)
	}
	// Shutdown claims what the hourly tick has not yet.
	if err := pay.finish(); err != nil {
		t.Fatalf("final claim: %v", err)
	}
	after, err := metrics.Scrape(pm.Handler())
	if err != nil {
		t.Fatal(err)
	}
	if after["bonfire_provider_claims_total"] != 1 || after["bonfire_provider_claim_errors_total"] != 0 {
		t.Errorf("claims metrics after the final claim: %v sent, %v failed; want 1 and 0",
			after["bonfire_provider_claims_total"], after["bonfire_provider_claim_errors_total"])
	}
	k, err := dep.Bind(p.chain.Backend())
	if err != nil {
		t.Fatal(err)
	}
	claimed, err := k.Escrow.Claimed(&bind.CallOpts{Context: p.ctx}, p.chain.DevAddress(), p.payee)
	if err != nil || claimed.Cmp(tusdUnits(1.25)) != 0 {
		t.Fatalf("claimed on chain after shutdown = %v, %v; want 1.25 tUSD", claimed, err)
	}
}

func TestStatusLineShowsStateWorkAndEarnings(t *testing.T) {
	t.Parallel()
	got := statusLine(provider.Stats{Running: 2, Succeeded: 40, Failed: 1, HandedBack: 3, Busy: true}, "earned today 0.5 tUSD")
	want := "owner busy, paused · running 2 · done 40 · failed 1 · handed back 3 · earned today 0.5 tUSD"
	if got != want {
		t.Fatalf("statusLine = %q, want %q", got, want)
	}
	if got := statusLine(provider.Stats{}, "unpaid"); !strings.HasPrefix(got, "lending · running 0") {
		t.Fatalf("statusLine of an idle, unpaid provider = %q", got)
	}
	at := time.Date(2026, 11, 24, 23, 59, 0, 0, time.UTC)
	if d := startOfDay(at); !d.Equal(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("startOfDay(%s) = %s", at, d)
	}
}
