package settlement_test

import (
	"context"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/simchain"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/bonfirenet/bonfire/sqlite"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Accounts on the test chain.
const (
	deployer = iota
	arbiter
	feeRecipient
	consumerA
	consumerB
	provider
)

const feeBps = 250 // 2.5%

type chainEnv struct {
	t      *testing.T
	ctx    context.Context
	chain  *simchain.Chain
	dep    *evm.Deployment
	k      *evm.Contracts
	dbPath string
}

func newChainEnv(t *testing.T) *chainEnv {
	t.Helper()
	chain, err := simchain.New(simchain.Options{Accounts: 6})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = chain.Close() })
	e := &chainEnv{t: t, ctx: context.Background(), chain: chain, dbPath: filepath.Join(t.TempDir(), "settlement.db")}
	e.dep, err = evm.Deploy(e.ctx, chain.Client(), chain.Auth(deployer), evm.Params{
		FeeBps: feeBps, FeeRecipient: chain.Address(feeRecipient), WithdrawDelay: time.Hour,
		UnstakeDelay: time.Hour, Arbiter: chain.Address(arbiter),
	})
	if err != nil {
		t.Fatal(err)
	}
	if e.k, err = e.dep.Bind(chain.Client()); err != nil {
		t.Fatal(err)
	}
	return e
}

// openLedger opens the SQLite file every party of the test shares; calling it
// again after closing the previous one is a restart.
func (e *chainEnv) openLedger() *sqlite.Store {
	e.t.Helper()
	s, err := sqlite.Open(e.dbPath)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { s.Close() })
	return s
}

func (e *chainEnv) mine(tx *types.Transaction, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
	r, err := bind.WaitMined(e.ctx, e.chain.Client(), tx)
	if err != nil || r.Status != types.ReceiptStatusSuccessful {
		e.t.Fatalf("transaction %s failed: %v", tx.Hash().Hex(), err)
	}
}

func (e *chainEnv) deposit(account int, amount *big.Int) {
	e.t.Helper()
	e.mine(e.k.Token.Faucet(e.chain.Auth(account), e.chain.Address(account), amount))
	e.mine(e.k.Token.Approve(e.chain.Auth(account), e.dep.Escrow, amount))
	e.mine(e.k.Escrow.Deposit(e.chain.Auth(account), amount))
}

func (e *chainEnv) payer(account int, ledger settlement.VoucherLedger) *settlement.Payer {
	return settlement.NewPayer(e.chain.Key(account), e.chain.Address(account), e.dep.ChainIDBig(), e.dep.Escrow, ledger)
}

func (e *chainEnv) wallet(ledger settlement.VoucherLedger) *settlement.Wallet {
	return settlement.NewWallet(e.chain.Address(provider), e.dep.ChainIDBig(), e.dep.Escrow, ledger)
}

func (e *chainEnv) claimer(w *settlement.Wallet, policy settlement.ClaimPolicy) *settlement.Claimer {
	return settlement.NewClaimer(w, e.chain.Client(), e.k, e.chain.Auth(provider), policy)
}

// payTask charges one task to account and hands the voucher to w.
func (e *chainEnv) payTask(p *settlement.Payer, w *settlement.Wallet, cpuNanos int64) *big.Int {
	e.t.Helper()
	charge := new(big.Int).SetUint64(bonfire.Charge(cpuNanos, 1_000, 5_000))
	v, err := p.Pay(e.ctx, w.Payee(), charge)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := w.Accept(e.ctx, *v); err != nil {
		e.t.Fatal(err)
	}
	return charge
}

func (e *chainEnv) tokens(a common.Address) *big.Int {
	e.t.Helper()
	b, err := e.k.Token.BalanceOf(&bind.CallOpts{Context: e.ctx}, a)
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *chainEnv) claimed(payer int) *big.Int {
	e.t.Helper()
	b, err := e.k.Escrow.Claimed(&bind.CallOpts{Context: e.ctx}, e.chain.Address(payer), e.chain.Address(provider))
	if err != nil {
		e.t.Fatal(err)
	}
	return b
}

func (e *chainEnv) blockNumber() uint64 {
	e.t.Helper()
	n, err := e.chain.Client().BlockNumber(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func minusFee(x *big.Int) *big.Int {
	fee := new(big.Int).Quo(new(big.Int).Mul(x, big.NewInt(feeBps)), big.NewInt(10_000))
	return new(big.Int).Sub(x, fee)
}

func wantEq(t *testing.T, what string, got, want *big.Int) {
	t.Helper()
	if got.Cmp(want) != 0 {
		t.Fatalf("%s = %s, want %s", what, got, want)
	}
}

func TestThreeTasksOneClaimAndRestart(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	e.deposit(consumerA, big.NewInt(1_000_000))
	ledger := e.openLedger()
	p, w := e.payer(consumerA, ledger), e.wallet(ledger)

	sum := new(big.Int)
	for _, ns := range []int64{1_000_000_000, 2_500_000_001, 7} {
		sum.Add(sum, e.payTask(p, w, ns))
	}
	wantEq(t, "sum of charges", sum, big.NewInt(1000+2501+1))

	c := e.claimer(w, settlement.ClaimPolicy{})
	before := e.tokens(e.chain.Address(provider))
	hash, paid, err := c.ClaimNow(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if hash == (common.Hash{}) {
		t.Fatal("ClaimNow sent no transaction with three vouchers pending")
	}
	wantEq(t, "paid", paid, sum)
	wantEq(t, "provider's token gain", new(big.Int).Sub(e.tokens(e.chain.Address(provider)), before), minusFee(sum))
	wantEq(t, "escrow's claimed amount", e.claimed(consumerA), sum)
	if _, due, _ := w.Claimable(e.ctx); due.Sign() != 0 {
		t.Fatalf("after the claim %s is still claimable", due)
	}

	block := e.blockNumber()
	hash, paid, err = c.ClaimNow(e.ctx)
	if err != nil || hash != (common.Hash{}) || paid.Sign() != 0 {
		t.Fatalf("second ClaimNow = %s, %s, %v; want no transaction", hash.Hex(), paid, err)
	}
	if e.blockNumber() != block {
		t.Fatal("second ClaimNow mined a block")
	}

	// Restart both sides over the same file.
	if err := ledger.Close(); err != nil {
		t.Fatal(err)
	}
	ledger = e.openLedger()
	p, w = e.payer(consumerA, ledger), e.wallet(ledger)
	more := e.payTask(p, w, 1_000_000_000)
	vs, due, err := w.Claimable(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := new(big.Int).Add(sum, more)
	if len(vs) != 1 || vs[0].Voucher.CumulativeAmount.Cmp(total) != 0 {
		t.Fatalf("after restart the voucher total is %+v, want %s", vs, total)
	}
	wantEq(t, "unclaimed after restart", due, more)

	// The restarted wallet still refuses to go back.
	stale := settlement.NewPayer(e.chain.Key(consumerA), e.chain.Address(consumerA), e.dep.ChainIDBig(), e.dep.Escrow, settlement.NewMemoryLedger())
	low, err := stale.Pay(e.ctx, w.Payee(), big.NewInt(1))
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, "voucher with a lower total", w.Accept(e.ctx, *low), bonfire.ECodeConflict)

	_, paid, err = e.claimer(w, settlement.ClaimPolicy{}).ClaimNow(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "paid after restart", paid, more)
	wantEq(t, "escrow's claimed amount after restart", e.claimed(consumerA), total)
}

func TestTwoPayersOneClaimTransaction(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	e.deposit(consumerA, big.NewInt(1_000_000))
	e.deposit(consumerB, big.NewInt(1_000_000))
	ledger := e.openLedger()
	w := e.wallet(ledger)
	a := e.payTask(e.payer(consumerA, ledger), w, 3_000_000_000)
	b := e.payTask(e.payer(consumerB, ledger), w, 4_000_000_000)

	before, block := e.tokens(e.chain.Address(provider)), e.blockNumber()
	_, paid, err := e.claimer(w, settlement.ClaimPolicy{}).ClaimNow(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := e.blockNumber() - block; n != 1 {
		t.Fatalf("claiming from two payers took %d transactions, want 1", n)
	}
	sum := new(big.Int).Add(a, b)
	wantEq(t, "paid", paid, sum)
	wantEq(t, "provider's token gain", new(big.Int).Sub(e.tokens(e.chain.Address(provider)), before), minusFee(sum))
	wantEq(t, "claimed from A", e.claimed(consumerA), a)
	wantEq(t, "claimed from B", e.claimed(consumerB), b)
}

func TestClaimerRunClaimsOnThresholdTickAndShutdown(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	e.deposit(consumerA, big.NewInt(1_000_000))
	ledger := settlement.NewMemoryLedger()
	p, w := e.payer(consumerA, ledger), e.wallet(ledger)
	errs := make(chan error, 10)
	claims := make(chan *big.Int, 10)
	c := e.claimer(w, settlement.ClaimPolicy{
		MinAmount: big.NewInt(5_000),
		OnError:   func(err error) { errs <- err },
		OnClaim:   func(_ common.Hash, paid *big.Int) { claims <- paid },
	})

	ctx, stop := context.WithCancel(e.ctx)
	ticks := make(chan time.Time)
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, ticks) }()

	// Below the threshold: only the tick claims it.
	first := e.payTask(p, w, 1_000_000_000)
	ticks <- time.Time{}
	wantEq(t, "paid on the tick", <-claims, first)
	wantEq(t, "claimed after a tick", e.claimed(consumerA), first)

	// At the threshold: claimed without a tick.
	second := e.payTask(p, w, 6_000_000_000)
	wantEq(t, "paid at the threshold", <-claims, second)
	want := new(big.Int).Add(first, second)
	wantEq(t, "claimed at the threshold", e.claimed(consumerA), want)

	// Below the threshold again: only shutdown claims it.
	third := e.payTask(p, w, 1_000_000_000)
	want.Add(want, third)
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	wantEq(t, "claimed after shutdown", e.claimed(consumerA), want)
	wantEq(t, "paid at shutdown", <-claims, third)
	select {
	case err := <-errs:
		t.Fatalf("Run reported %v", err)
	case paid := <-claims:
		t.Fatalf("an extra claim paid %s", paid)
	default:
	}
}

func TestVoucherWithoutDepositIsNotResubmitted(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	ledger := settlement.NewMemoryLedger()
	p, w := e.payer(consumerA, ledger), e.wallet(ledger) // consumerA deposited nothing
	owed := e.payTask(p, w, 2_000_000_000)
	c := e.claimer(w, settlement.ClaimPolicy{})

	hash, paid, err := c.ClaimNow(e.ctx)
	if err != nil || hash == (common.Hash{}) || paid.Sign() != 0 {
		t.Fatalf("claim of an unfunded voucher = %s, %v, %v; want a transaction paying 0", hash.Hex(), paid, err)
	}
	if _, due, _ := w.Claimable(e.ctx); due.Cmp(owed) != 0 {
		t.Fatalf("unfunded voucher's unclaimed amount = %s, want it kept at %s", due, owed)
	}
	block := e.blockNumber()
	if hash, _, err := c.ClaimNow(e.ctx); err != nil || hash != (common.Hash{}) || e.blockNumber() != block {
		t.Fatalf("second claim of the same unfunded voucher = %s, %v; want no transaction", hash.Hex(), err)
	}

	// Once the consumer deposits and pays more, the higher voucher is tried
	// and pays everything owed.
	e.deposit(consumerA, big.NewInt(1_000_000))
	owed.Add(owed, e.payTask(p, w, 1_000_000_000))
	if _, paid, err := c.ClaimNow(e.ctx); err != nil || paid.Cmp(owed) != 0 {
		t.Fatalf("claim after deposit paid %v, %v; want %s", paid, err, owed)
	}
}

func TestClaimerRefusesAnotherAccount(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	ledger := settlement.NewMemoryLedger()
	w := e.wallet(ledger)
	e.payTask(e.payer(consumerA, ledger), w, 1)
	c := settlement.NewClaimer(w, e.chain.Client(), e.k, e.chain.Auth(consumerB), settlement.ClaimPolicy{})
	_, _, err := c.ClaimNow(e.ctx)
	wantCode(t, "claim from the wrong account", err, bonfire.ECodeInvalid)
}
