package settlement_test

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/ethereum/go-ethereum/common"
)

// fakeKeys is a SessionKeys that answers from a map and counts reads.
type fakeKeys struct {
	states map[[2]common.Address]settlement.SessionKeyState
	reads  int
}

func (f *fakeKeys) SessionKey(_ context.Context, payer, key common.Address) (settlement.SessionKeyState, error) {
	f.reads++
	return f.states[[2]common.Address{payer, key}], nil
}

// sessionChannel is a payer whose session key signs for it, and a wallet
// that consults keys at the fixed time now.
type sessionChannel struct {
	ctx            context.Context
	chainID        *big.Int
	escrow         common.Address
	payer, session common.Address
	issuer         *settlement.Payer
	ledger         *settlement.MemoryLedger
	wallet         *settlement.Wallet
	keys           *fakeKeys
}

var sessionNow = time.Unix(1_900_000_000, 0)

func newSessionChannel(t *testing.T, state settlement.SessionKeyState) *sessionChannel {
	t.Helper()
	payerKey, sessionKey := newKey(t), newKey(t)
	c := &sessionChannel{ctx: context.Background(), chainID: big.NewInt(1337), escrow: common.HexToAddress("0xE5c0"),
		payer: addr(payerKey), session: addr(sessionKey), ledger: settlement.NewMemoryLedger()}
	c.keys = &fakeKeys{states: map[[2]common.Address]settlement.SessionKeyState{{c.payer, c.session}: state}}
	c.issuer = settlement.NewPayer(sessionKey, c.payer, c.chainID, c.escrow, settlement.NewMemoryLedger())
	c.wallet = settlement.NewWallet(addr(newKey(t)), c.chainID, c.escrow, c.ledger,
		settlement.WithSessionKeys(c.keys), settlement.WithClock(func() time.Time { return sessionNow }))
	return c
}

func (c *sessionChannel) pay(t *testing.T, amount int64) settlement.SignedVoucher {
	t.Helper()
	v, err := c.issuer.Pay(c.ctx, c.wallet.Payee(), big.NewInt(amount))
	if err != nil {
		t.Fatal(err)
	}
	return *v
}

func validKey(cap, spent int64) settlement.SessionKeyState {
	return settlement.SessionKeyState{Cap: big.NewInt(cap), Spent: big.NewInt(spent), Expiry: uint64(sessionNow.Unix()) + 60}
}

func wantRefusal(t *testing.T, what string, err error, code bonfire.ErrorCode, field, hint string) {
	t.Helper()
	wantCode(t, what, err, code)
	be := err.(*bonfire.Error)
	if be.Field != field || !strings.Contains(be.Hint, hint) {
		t.Fatalf("%s: field %q, hint %q; want field %q and a hint naming %q", what, be.Field, be.Hint, field, hint)
	}
}

func TestWalletAcceptsAuthorisedSessionKey(t *testing.T) {
	t.Parallel()
	c := newSessionChannel(t, validKey(100, 10))
	if err := c.wallet.Accept(c.ctx, c.pay(t, 90)); err != nil {
		t.Fatalf("voucher within cap−spent (90 of 90): %v", err)
	}
	// What the escrow already paid this wallet does not count against the
	// key again: 150 cumulative with 80 claimed leaves 70 unclaimed.
	if err := c.ledger.SaveClaimed(c.ctx, c.wallet.Payee(), c.payer, big.NewInt(80)); err != nil {
		t.Fatal(err)
	}
	if err := c.wallet.Accept(c.ctx, c.pay(t, 60)); err != nil {
		t.Fatalf("voucher of 150 with 80 claimed: %v", err)
	}
	_, due, err := c.wallet.Claimable(c.ctx)
	if err != nil || due.Cmp(big.NewInt(70)) != 0 {
		t.Fatalf("claimable = %v, %v; want 70", due, err)
	}

	// The payer's own signature needs no session key.
	own := newKey(t)
	direct := settlement.NewPayer(own, addr(own), c.chainID, c.escrow, settlement.NewMemoryLedger())
	v, err := direct.Pay(c.ctx, c.wallet.Payee(), big.NewInt(1_000_000))
	if err != nil {
		t.Fatal(err)
	}
	reads := c.keys.reads
	if err := c.wallet.Accept(c.ctx, *v); err != nil {
		t.Fatalf("payer-signed voucher: %v", err)
	}
	if c.keys.reads != reads {
		t.Fatal("a payer-signed voucher consulted the session keys")
	}
}

func TestWalletRefusesBadSessionKeys(t *testing.T) {
	t.Parallel()
	revoked := validKey(100, 0)
	revoked.Revoked = true
	expiredAt := validKey(100, 0)
	expiredAt.Expiry = uint64(sessionNow.Unix()) // the escrow refuses at expiry, not after
	for _, tc := range []struct {
		name   string
		state  settlement.SessionKeyState
		amount int64
		code   bonfire.ErrorCode
		field  string
		hint   string
	}{
		{"unknown key", settlement.SessionKeyState{}, 10, bonfire.ECodeUnauthorized, "signature", "bonfire wallet authorize"},
		{"revoked key", revoked, 10, bonfire.ECodeForbidden, "signature", "bonfire wallet authorize"},
		{"expired key", expiredAt, 10, bonfire.ECodeForbidden, "signature", "--expires"},
		{"over cap", validKey(100, 95), 10, bonfire.ECodePaymentRequired, "voucher.cumulativeAmount", "--cap"},
	} {
		c := newSessionChannel(t, tc.state)
		err := c.wallet.Accept(c.ctx, c.pay(t, tc.amount))
		wantRefusal(t, tc.name, err, tc.code, tc.field, tc.hint)
		if _, due, _ := c.wallet.Claimable(c.ctx); due.Sign() != 0 {
			t.Fatalf("%s: the refused voucher left %s claimable", tc.name, due)
		}
	}

	// Without session keys configured, a session-signed voucher is refused
	// as signed by the wrong key.
	c := newSessionChannel(t, validKey(100, 0))
	plain := settlement.NewWallet(c.wallet.Payee(), c.chainID, c.escrow, settlement.NewMemoryLedger())
	wantCode(t, "session voucher without session keys", plain.Accept(c.ctx, c.pay(t, 1)), bonfire.ECodeUnauthorized)
}

func TestChainSessionKeysCachesOnlyUsableKeys(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	clock := time.Unix(1_000, 0)
	keys, err := settlement.NewChainSessionKeys(e.chain.Client(), e.dep.Escrow, func() time.Time { return clock })
	if err != nil {
		t.Fatal(err)
	}
	payer, key := e.chain.Address(consumerA), addr(newKey(t))
	s, err := keys.SessionKey(e.ctx, payer, key)
	if err != nil || s.Known() {
		t.Fatalf("unauthorised key = %+v, %v; want unknown", s, err)
	}
	// An unknown key is not cached: authorising it is seen at once.
	e.authorize(consumerA, key, tusd(5), time.Hour)
	s, err = keys.SessionKey(e.ctx, payer, key)
	if err != nil || !s.Usable(clock) || s.Remaining().Cmp(tusd(5)) != 0 {
		t.Fatalf("authorised key = %+v, %v; want usable with 5 tUSD left", s, err)
	}
	// A usable key is trusted for SessionKeyTTL, then read again.
	e.mine(e.k.Escrow.RevokeSessionKey(e.chain.Auth(consumerA), key))
	if s, _ := keys.SessionKey(e.ctx, payer, key); s.Revoked {
		t.Fatal("a usable key was read again within its TTL")
	}
	clock = clock.Add(settlement.SessionKeyTTL)
	if s, _ := keys.SessionKey(e.ctx, payer, key); !s.Revoked {
		t.Fatal("the revocation was not seen after the TTL")
	}
}
