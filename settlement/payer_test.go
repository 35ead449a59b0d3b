package settlement_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/ethereum/go-ethereum/common"
)

// channel is one payer and one payee on a made-up deployment, with
// in-memory ledgers.
type channel struct {
	ctx     context.Context
	chainID *big.Int
	escrow  common.Address
	payer   *settlement.Payer
	wallet  *settlement.Wallet
}

func newChannel(t *testing.T) *channel {
	t.Helper()
	key := newKey(t)
	c := &channel{ctx: context.Background(), chainID: big.NewInt(1337), escrow: common.HexToAddress("0xE5c0")}
	c.payer = settlement.NewPayer(key, addr(key), c.chainID, c.escrow, settlement.NewMemoryLedger())
	c.wallet = settlement.NewWallet(addr(newKey(t)), c.chainID, c.escrow, settlement.NewMemoryLedger())
	return c
}

func (c *channel) pay(t *testing.T, amount int64) settlement.SignedVoucher {
	t.Helper()
	v, err := c.payer.Pay(c.ctx, c.wallet.Payee(), big.NewInt(amount))
	if err != nil {
		t.Fatal(err)
	}
	return *v
}

func wantCode(t *testing.T, what string, err error, code bonfire.ErrorCode) {
	t.Helper()
	var be *bonfire.Error
	if !asError(err, &be) || be.Code != code {
		t.Fatalf("%s: got %v, want a *bonfire.Error with code %s", what, err, code)
	}
}

func TestPayAccumulatesAndWalletKeepsTheBest(t *testing.T) {
	t.Parallel()
	c := newChannel(t)
	v1, v2, v3 := c.pay(t, 10), c.pay(t, 20), c.pay(t, 5)
	if got := v3.Voucher.CumulativeAmount; got.Cmp(big.NewInt(35)) != 0 {
		t.Fatalf("third voucher's total = %s, want 35", got)
	}
	if v1.Voucher.CumulativeAmount.Cmp(big.NewInt(10)) != 0 || v2.Voucher.CumulativeAmount.Cmp(big.NewInt(30)) != 0 {
		t.Fatalf("totals %s, %s; want 10, 30", v1.Voucher.CumulativeAmount, v2.Voucher.CumulativeAmount)
	}
	for _, v := range []settlement.SignedVoucher{v1, v2} {
		if err := c.wallet.Accept(c.ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.wallet.Accept(c.ctx, v2); err != nil {
		t.Fatalf("re-delivery of the best voucher: %v", err)
	}
	wantCode(t, "older voucher", c.wallet.Accept(c.ctx, v1), bonfire.ECodeConflict)
	if err := c.wallet.Accept(c.ctx, v3); err != nil {
		t.Fatal(err)
	}
	vs, total, err := c.wallet.Claimable(c.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || total.Cmp(big.NewInt(35)) != 0 || vs[0].Voucher.CumulativeAmount.Cmp(big.NewInt(35)) != 0 {
		t.Fatalf("Claimable = %+v, %s; want one voucher for 35", vs, total)
	}
}

func TestWalletRejectsForeignAndForgedVouchers(t *testing.T) {
	t.Parallel()
	c := newChannel(t)
	good := c.pay(t, 100)
	for _, tc := range []struct {
		name   string
		mutate func(v *settlement.SignedVoucher)
		code   bonfire.ErrorCode
	}{
		{"other chain", func(v *settlement.SignedVoucher) { v.ChainID = big.NewInt(1) }, bonfire.ECodeInvalid},
		{"no chain", func(v *settlement.SignedVoucher) { v.ChainID = nil }, bonfire.ECodeInvalid},
		{"other escrow", func(v *settlement.SignedVoucher) { v.Escrow = common.HexToAddress("0xbad") }, bonfire.ECodeInvalid},
		{"other payee", func(v *settlement.SignedVoucher) { v.Voucher.Payee = common.HexToAddress("0xbad") }, bonfire.ECodeInvalid},
		{"inflated amount", func(v *settlement.SignedVoucher) { v.Voucher.CumulativeAmount = big.NewInt(1_000_000) }, bonfire.ECodeUnauthorized},
		{"claims another payer", func(v *settlement.SignedVoucher) { v.Voucher.Payer = common.HexToAddress("0xbad") }, bonfire.ECodeUnauthorized},
		{"truncated signature", func(v *settlement.SignedVoucher) { v.Signature = v.Signature[:64] }, bonfire.ECodeInvalid},
	} {
		v := good
		v.Voucher.CumulativeAmount = new(big.Int).Set(good.Voucher.CumulativeAmount)
		tc.mutate(&v)
		wantCode(t, tc.name, c.wallet.Accept(c.ctx, v), tc.code)
	}
	if _, total, _ := c.wallet.Claimable(c.ctx); total.Sign() != 0 {
		t.Fatalf("rejected vouchers left %s claimable", total)
	}

	// Signed by a stranger for this payer: a forged signature.
	forger := settlement.NewPayer(newKey(t), c.payer.Address(), c.chainID, c.escrow, settlement.NewMemoryLedger())
	forged, err := forger.Pay(c.ctx, c.wallet.Payee(), big.NewInt(500))
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, "forged signature", c.wallet.Accept(c.ctx, *forged), bonfire.ECodeUnauthorized)
	if err := c.wallet.Accept(c.ctx, good); err != nil {
		t.Fatalf("the genuine voucher after rejections: %v", err)
	}
}

func TestPayRejectsNegativeAmounts(t *testing.T) {
	t.Parallel()
	c := newChannel(t)
	_, err := c.payer.Pay(c.ctx, c.wallet.Payee(), big.NewInt(-1))
	wantCode(t, "negative amount", err, bonfire.ECodeInvalid)
	if v := c.pay(t, 3); v.Voucher.CumulativeAmount.Cmp(big.NewInt(3)) != 0 {
		t.Fatalf("total after a refused payment = %s, want 3", v.Voucher.CumulativeAmount)
	}
}
