package settlement_test

import (
	"context"
	"log/slog"
	"math/big"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/ethereum/go-ethereum/common"
)

func (e *chainEnv) collector(ledger settlement.ClaimLedger, policy settlement.ClaimPolicy, confirmations uint64) *settlement.Collector {
	e.t.Helper()
	c, err := settlement.OpenCollector(e.ctx, settlement.CollectorConfig{
		Ledger: ledger, Key: e.chain.Key(provider), Deployment: e.dep, Backend: e.chain.Client(),
		Policy: policy, Confirmations: confirmations, Log: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// wireVoucher is what the market would send: a payer-signed voucher in the
// core's wire form.
func wireVoucher(t *testing.T, v *settlement.SignedVoucher) bonfire.Voucher {
	t.Helper()
	return bonfire.Voucher{
		ChainID: v.ChainID.Uint64(), Escrow: bonfire.Address(v.Escrow.Hex()),
		Payer: bonfire.Address(v.Voucher.Payer.Hex()), Payee: bonfire.Address(v.Voucher.Payee.Hex()),
		Cumulative: v.Voucher.CumulativeAmount, Signature: v.Signature,
	}
}

func TestCollectorRunClaimsAtShutdownAndRecords(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	e.deposit(consumerA, tusd(10))
	e.deposit(consumerB, tusd(10))
	ledger := e.openLedger()
	claims := make(chan *big.Int, 4)
	c := e.collector(ledger, settlement.ClaimPolicy{OnClaim: func(_ common.Hash, paid *big.Int) { claims <- paid }}, 1)

	ctx, stop := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()

	payA := e.payer(consumerA, settlement.NewMemoryLedger())
	payB := e.payer(consumerB, settlement.NewMemoryLedger())
	for _, p := range []struct {
		payer  *settlement.Payer
		amount *big.Int
	}{{payA, tusd(1)}, {payB, tusd(2)}, {payA, tusd(0.5)}} {
		v, err := p.payer.Pay(e.ctx, c.Payee(), p.amount)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Receive(e.ctx, wireVoucher(t, v)); err != nil {
			t.Fatal(err)
		}
	}
	s, err := c.Summary(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "earned before shutdown", s.Earned, tusd(3.5))
	wantEq(t, "unclaimed before shutdown", s.Unclaimed, tusd(3.5))
	if len(s.Claims) != 0 {
		t.Fatalf("claims before any were made: %+v", s.Claims)
	}

	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	wantEq(t, "paid at shutdown", <-claims, tusd(3.5))
	wantEq(t, "claimed from A", e.claimed(consumerA), tusd(1.5))
	wantEq(t, "claimed from B", e.claimed(consumerB), tusd(2))

	// A restarted provider reads the same earnings from the ledger.
	if err := ledger.Close(); err != nil {
		t.Fatal(err)
	}
	c = e.collector(e.openLedger(), settlement.ClaimPolicy{}, 1)
	s, err = c.Summary(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "earned", s.Earned, tusd(3.5))
	wantEq(t, "claimed", s.Claimed, tusd(3.5))
	wantEq(t, "unclaimed", s.Unclaimed, new(big.Int))
	if len(s.Payers) != 2 || len(s.Claims) != 1 {
		t.Fatalf("summary has %d payers and %d claims, want 2 and 1", len(s.Payers), len(s.Claims))
	}
	wantEq(t, "recorded claim", s.Claims[0].Paid, tusd(3.5))
	if s.Claims[0].Tx == (common.Hash{}) || s.Claims[0].At.IsZero() {
		t.Fatalf("claim record %+v lacks its transaction or time", s.Claims[0])
	}
	if hash, paid, err := c.ClaimNow(e.ctx); err != nil || hash != (common.Hash{}) || paid.Sign() != 0 {
		t.Fatalf("ClaimNow with nothing due = %s, %v, %v", hash.Hex(), paid, err)
	}
}

func TestCollectorWaitsForConfirmations(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	e.deposit(consumerA, tusd(10))
	ledger := settlement.NewMemoryLedger()
	c := e.collector(ledger, settlement.ClaimPolicy{}, 3)
	v, err := e.payer(consumerA, settlement.NewMemoryLedger()).Pay(e.ctx, c.Payee(), tusd(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Receive(e.ctx, wireVoucher(t, v)); err != nil {
		t.Fatal(err)
	}
	// The simulated chain makes a block only per transaction, so the claim
	// never gets its confirmations: it must not be recorded as paid.
	ctx, cancel := context.WithTimeout(e.ctx, 1500*time.Millisecond)
	defer cancel()
	_, _, err = c.ClaimNow(ctx)
	wantCode(t, "claim without confirmations", err, bonfire.ECodeTimeout)
	if _, due, _ := c.Wallet().Claimable(e.ctx); due.Cmp(tusd(1)) != 0 {
		t.Fatalf("unconfirmed claim left %s claimable, want it all", due)
	}
	if cs, _ := ledger.Claims(e.ctx, c.Payee(), 0); len(cs) != 0 {
		t.Fatalf("unconfirmed claim was recorded: %+v", cs)
	}
}

func TestCollectorRefusesMalformedVouchers(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	c := e.collector(settlement.NewMemoryLedger(), settlement.ClaimPolicy{}, 1)
	good := bonfire.Voucher{ChainID: e.dep.ChainID, Escrow: bonfire.Address(e.dep.Escrow.Hex()),
		Payer: bonfire.Address(e.chain.Address(consumerA).Hex()), Payee: bonfire.Address(c.Payee().Hex()), Cumulative: big.NewInt(1)}
	for name, mutate := range map[string]func(v *bonfire.Voucher){
		"bad escrow":      func(v *bonfire.Voucher) { v.Escrow = "0x12" },
		"bad payer":       func(v *bonfire.Voucher) { v.Payer = "alice" },
		"no amount":       func(v *bonfire.Voucher) { v.Cumulative = nil },
		"negative amount": func(v *bonfire.Voucher) { v.Cumulative = big.NewInt(-1) },
		"no signature":    func(v *bonfire.Voucher) {},
	} {
		v := good
		mutate(&v)
		wantCode(t, name, c.Receive(e.ctx, v), bonfire.ECodeInvalid)
	}
	_, err := settlement.OpenCollector(e.ctx, settlement.CollectorConfig{})
	var es bonfire.Errors
	if !asError(err, &es) || len(es) != 4 {
		t.Fatalf("OpenCollector with nothing = %v, want four problems", err)
	}
}

func FuzzFromVoucher(f *testing.F) {
	f.Add(uint64(1337), "0x00000000000000000000000000000000000000E5", "0x00000000000000000000000000000000000000aa", "0x00000000000000000000000000000000000000bb", "12345", []byte{1, 2})
	f.Add(uint64(0), "0x12", "alice", "", "-1", []byte(nil))
	f.Add(uint64(1), "0x00000000000000000000000000000000000000E5", "0x00000000000000000000000000000000000000aa", "0x00000000000000000000000000000000000000bb",
		"115792089237316195423570985008687907853269984665640564039457584007913129639936", []byte{})
	f.Fuzz(func(t *testing.T, chainID uint64, escrow, payer, payee, amount string, sig []byte) {
		var cum *big.Int
		if x, ok := new(big.Int).SetString(amount, 10); ok {
			cum = x
		}
		v := bonfire.Voucher{ChainID: chainID, Escrow: bonfire.Address(escrow), Payer: bonfire.Address(payer), Payee: bonfire.Address(payee), Cumulative: cum, Signature: sig}
		sv, err := settlement.FromVoucher(v)
		if err != nil {
			if bonfire.Code(err) != bonfire.ECodeInvalid {
				t.Fatalf("FromVoucher error %v is not invalid", err)
			}
			return
		}
		if sv.ChainID.Uint64() != chainID || sv.Voucher.Payer != common.HexToAddress(payer) || sv.Voucher.CumulativeAmount.Cmp(cum) != 0 || sv.Voucher.CumulativeAmount.BitLen() > 256 {
			t.Fatalf("FromVoucher(%+v) = %+v", v, sv)
		}
		sv.Voucher.CumulativeAmount.Add(sv.Voucher.CumulativeAmount, big.NewInt(1))
		if cum.Cmp(sv.Voucher.CumulativeAmount) == 0 {
			t.Fatal("FromVoucher shares the caller's amount")
		}
	})
}
