package settlement_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm/simchain"
	"github.com/bonfirenet/bonfire/settlement"
	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
)

// countingBackend counts contract reads, to show when none are made.
type countingBackend struct {
	*simchain.Client
	calls atomic.Int64
}

func (b *countingBackend) CallContract(ctx context.Context, msg ethereum.CallMsg, block *big.Int) ([]byte, error) {
	b.calls.Add(1)
	return b.Client.CallContract(ctx, msg, block)
}

// tusd is n tokens of six decimals.
func tusd(n float64) *big.Int { return big.NewInt(int64(n * 1_000_000)) }

func (e *chainEnv) authorize(account int, key common.Address, cap *big.Int, ttl time.Duration) uint64 {
	e.t.Helper()
	now, err := e.chain.Now(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	expiry := now + uint64(ttl/time.Second)
	e.mine(e.k.Escrow.AuthorizeSessionKey(e.chain.Auth(account), key, cap, expiry))
	return expiry
}

func (e *chainEnv) paymaster(key *ecdsa.PrivateKey, ledger settlement.VoucherLedger, now func() time.Time) (*settlement.Paymaster, *countingBackend) {
	e.t.Helper()
	b := &countingBackend{Client: e.chain.Client()}
	pm, err := settlement.NewPaymaster(e.ctx, settlement.PaymasterConfig{
		Key: key, Deployment: e.dep, Backend: b, Ledger: ledger, RPCURL: "http://chain.test", Now: now,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return pm, b
}

// wantShort checks a budget refusal: payment_required, the field, and
// every fragment in the message or hint.
func wantShort(t *testing.T, what string, err error, field string, fragments ...string) {
	t.Helper()
	wantCode(t, what, err, bonfire.ECodePaymentRequired)
	be := err.(*bonfire.Error)
	if be.Field != field {
		t.Fatalf("%s: field %q, want %q (%v)", what, be.Field, field, err)
	}
	for _, f := range fragments {
		if !strings.Contains(be.Error(), f) {
			t.Fatalf("%s: %q does not mention %q", what, be.Error(), f)
		}
	}
}

func TestPaymasterCheckBudget(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	sk := newKey(t)
	pm, backend := e.paymaster(sk, settlement.NewMemoryLedger(), nil)
	info := pm.Info()
	if info.Symbol != "tUSD" || info.Decimals != 6 || info.SessionKey != bonfire.Address(addr(sk).Hex()) ||
		info.Escrow != bonfire.Address(e.dep.Escrow.Hex()) || info.ChainID != e.dep.ChainID || info.RPCURL != "http://chain.test" {
		t.Fatalf("Info = %+v", info)
	}
	owner := bonfire.Address(e.chain.Address(consumerA).Hex())
	prov := bonfire.Address(e.chain.Address(provider).Hex())
	key := addr(sk).Hex()

	before := backend.calls.Load()
	if err := pm.CheckBudget(e.ctx, owner, 0, map[bonfire.Address]uint64{prov: 0}); err != nil {
		t.Fatalf("a free job with nothing owed: %v", err)
	}
	if backend.calls.Load() != before {
		t.Fatal("a free job with nothing owed read the chain")
	}

	err := pm.CheckBudget(e.ctx, owner, tusd(1).Uint64(), nil)
	wantShort(t, "no deposit, no key", err, "escrow", "needs up to 1 tUSD", "holds only 0 tUSD",
		"bonfire wallet deposit 1`", "not authorised", "bonfire wallet authorize "+key+" --cap 1`")

	e.deposit(consumerA, tusd(10))
	err = pm.CheckBudget(e.ctx, owner, tusd(1).Uint64(), nil)
	wantShort(t, "deposit but no key", err, "sessionKey", "not authorised", "bonfire wallet authorize "+key+" --cap 1`")
	if strings.Contains(err.Error(), "deposit") {
		t.Fatalf("deposit covers the job but the error asks for one: %v", err)
	}

	expiry := e.authorize(consumerA, addr(sk), tusd(5), time.Hour)
	if err := pm.CheckBudget(e.ctx, owner, tusd(5).Uint64(), nil); err != nil {
		t.Fatalf("a job the deposit and cap cover exactly: %v", err)
	}
	err = pm.CheckBudget(e.ctx, owner, tusd(6).Uint64(), nil)
	wantShort(t, "over the cap", err, "sessionKey", "may spend only 5 tUSD more", "--cap 6`")

	// Owed but unclaimed vouchers count against both limits.
	err = pm.CheckBudget(e.ctx, owner, tusd(3).Uint64(), map[bonfire.Address]uint64{prov: tusd(2.5).Uint64()})
	wantShort(t, "owed on top", err, "sessionKey", "2.5 tUSD owed to providers", "--cap 5.5`")
	if err := pm.CheckBudget(e.ctx, owner, tusd(2.5).Uint64(), map[bonfire.Address]uint64{prov: tusd(2.5).Uint64()}); err != nil {
		t.Fatalf("job plus owed exactly at the cap: %v", err)
	}

	// The deposit is the limit once the cap is raised above it.
	e.authorize(consumerA, addr(sk), tusd(50), time.Hour)
	err = pm.CheckBudget(e.ctx, owner, tusd(12).Uint64(), nil)
	wantShort(t, "over the deposit", err, "escrow", "2 tUSD short", "bonfire wallet deposit 2`")
	if strings.Contains(err.Error(), "authorize") {
		t.Fatalf("the cap covers the job but the error asks to authorise: %v", err)
	}

	// Expiry is checked against the paymaster's clock.
	late, _ := e.paymaster(sk, settlement.NewMemoryLedger(), func() time.Time { return time.Unix(int64(expiry)+3600, 0) })
	wantShort(t, "expired key", late.CheckBudget(e.ctx, owner, 1, nil), "sessionKey", "has expired", "bonfire wallet authorize")

	e.mine(e.k.Escrow.RevokeSessionKey(e.chain.Auth(consumerA), addr(sk)))
	wantShort(t, "revoked key", pm.CheckBudget(e.ctx, owner, 1, nil), "sessionKey", "was revoked", "bonfire wallet authorize")

	wantCode(t, "bad owner", pm.CheckBudget(e.ctx, "nobody", 1, nil), bonfire.ECodeInvalid)
}

func TestPaymasterVouchersAreAcceptedAndClaimed(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	e.deposit(consumerA, tusd(10))
	sk := newKey(t)
	e.authorize(consumerA, addr(sk), tusd(5), time.Hour)
	ledger := e.openLedger()
	pm, _ := e.paymaster(sk, ledger, nil)
	owner := bonfire.Address(e.chain.Address(consumerA).Hex())
	prov := bonfire.Address(e.chain.Address(provider).Hex())

	v1, err := pm.Voucher(e.ctx, owner, prov, tusd(1).Uint64())
	if err != nil {
		t.Fatal(err)
	}
	v2, err := pm.Voucher(e.ctx, owner, prov, tusd(2.5).Uint64())
	if err != nil {
		t.Fatal(err)
	}
	again, err := pm.Voucher(e.ctx, owner, prov, tusd(2.5).Uint64())
	if err != nil || again.Cumulative.Cmp(v2.Cumulative) != 0 {
		t.Fatalf("re-signing the same total = %+v, %v", again, err)
	}
	_, err = pm.Voucher(e.ctx, owner, prov, tusd(2).Uint64())
	wantCode(t, "a lower total", err, bonfire.ECodeConflict)
	// The ledger survives a restart of the market.
	pm2, _ := e.paymaster(sk, ledger, nil)
	_, err = pm2.Voucher(e.ctx, owner, prov, tusd(2).Uint64())
	wantCode(t, "a lower total after restart", err, bonfire.ECodeConflict)
	if v2.ChainID != e.dep.ChainID || v2.Escrow != bonfire.Address(e.dep.Escrow.Hex()) || v2.Payer != owner || v2.Payee != prov {
		t.Fatalf("voucher header %+v", v2)
	}

	c := e.collector(ledger, settlement.ClaimPolicy{}, 1)
	if err := c.Receive(e.ctx, *v2); err != nil {
		t.Fatalf("collector refused the paymaster's voucher: %v", err)
	}
	wantCode(t, "older voucher", c.Receive(e.ctx, *v1), bonfire.ECodeConflict)
	hash, paid, err := c.ClaimNow(e.ctx)
	if err != nil || hash == (common.Hash{}) {
		t.Fatalf("ClaimNow = %s, %v", hash.Hex(), err)
	}
	wantEq(t, "paid", paid, tusd(2.5))
	wantEq(t, "claimed on chain", e.claimed(consumerA), tusd(2.5))

	// The claim spent the key's cap, which the budget now sees.
	err = pm.CheckBudget(e.ctx, owner, tusd(3).Uint64(), map[bonfire.Address]uint64{prov: tusd(2.5).Uint64()})
	wantShort(t, "after the claim", err, "sessionKey", "may spend only 2.5 tUSD more", "--cap 5.5`")
}
