package evm_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/simchain"
)

func TestSessionKeyPaysWithinCap(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	payer, payee := firstUser, firstUser+1
	pa, pe := e.chain.Address(payer), e.chain.Address(payee)
	e.fundAndDeposit(payer, usd(1000))
	key := newKey(t)
	expiry := e.now() + 3600
	e.mine(e.k.Escrow.AuthorizeSessionKey(e.chain.Auth(payer), addr(key), usd(300), expiry))

	v, sig := e.sign(key, pa, pe, usd(200))
	out, _ := e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantPaid(out, usd(200))

	// 350 in total would take the key past its 300 cap: refused, nothing paid.
	v, sig = e.sign(key, pa, pe, usd(350))
	out, _ = e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantSkipped(out, skipKeyOverCap)
	wantEq(t, "claimed after over-cap voucher", e.claimed(pa, pe), usd(200))

	sk, err := e.k.Escrow.SessionKey(e.call(), pa, addr(key))
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "key spent", sk.Spent, usd(200))
	wantEq(t, "key cap", sk.Cap, usd(300))
	if sk.Expiry != expiry || sk.Revoked {
		t.Fatalf("session key view = %+v, want expiry %d, not revoked", sk, expiry)
	}

	// The payer's own signature is not bound by the key's cap.
	v, sig = e.sign(e.chain.Key(payer), pa, pe, usd(350))
	out, _ = e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantPaid(out, usd(150))

	// Up to the cap exactly is fine: the key's next 100 brings it to 300.
	v, sig = e.sign(key, pa, pe, usd(450))
	out, _ = e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantPaid(out, usd(100))
}

func TestExpiredSessionKeyRejected(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	payer, payee := firstUser, firstUser+1
	pa, pe := e.chain.Address(payer), e.chain.Address(payee)
	e.fundAndDeposit(payer, usd(1000))
	key := newKey(t)
	e.mine(e.k.Escrow.AuthorizeSessionKey(e.chain.Auth(payer), addr(key), usd(300), e.now()+600))

	v, sig := e.sign(key, pa, pe, usd(10))
	e.advance(10 * time.Minute)
	out, _ := e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantSkipped(out, skipKeyExpired)
	wantEq(t, "payer balance", e.escrowBalance(pa), usd(1000))

	// Re-authorising with a later expiry revives the key.
	e.mine(e.k.Escrow.AuthorizeSessionKey(e.chain.Auth(payer), addr(key), usd(300), e.now()+600))
	out, _ = e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantPaid(out, usd(10))

	_, err := e.k.Escrow.AuthorizeSessionKey(e.chain.Auth(payer), addr(key), usd(300), e.now())
	e.reverts("ExpiryInPast", nil, err)
}

func TestRevokedSessionKeyRejected(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	payer, payee := firstUser, firstUser+1
	pa, pe := e.chain.Address(payer), e.chain.Address(payee)
	e.fundAndDeposit(payer, usd(1000))
	key := newKey(t)
	e.mine(e.k.Escrow.AuthorizeSessionKey(e.chain.Auth(payer), addr(key), usd(300), e.now()+3600))

	v, sig := e.sign(key, pa, pe, usd(10))
	e.mine(e.k.Escrow.RevokeSessionKey(e.chain.Auth(payer), addr(key)))
	out, _ := e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantSkipped(out, skipKeyRevoked)
	wantEq(t, "payer balance", e.escrowBalance(pa), usd(1000))

	// Another payer cannot revoke (or has no such key), and keys are per payer:
	// this key signs nothing for a payer that never authorised it.
	_, err := e.k.Escrow.RevokeSessionKey(e.chain.Auth(payee), addr(key))
	e.reverts("UnknownSessionKey", nil, err)
	other := firstUser + 2
	e.fundAndDeposit(other, usd(1000))
	v2, sig2 := e.sign(key, e.chain.Address(other), pe, usd(10))
	out, _ = e.claim(payee, []evm.Voucher{v2}, [][]byte{sig2})
	e.wantSkipped(out, skipBadSignature)

	_, err = e.k.Escrow.AuthorizeSessionKey(e.chain.Auth(payer), pa, usd(1), e.now()+60)
	e.reverts("InvalidSessionKey", nil, err)
	wantEq(t, "claimed", e.claimed(pa, pe), new(big.Int))
}
