package evm_test

import (
	"math/big"
	"testing"

	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/simchain"
)

func TestWithdrawalWaitsAndClaimsComeFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	payer, payee := firstUser, firstUser+1
	pa, pe := e.chain.Address(payer), e.chain.Address(payee)
	e.fundAndDeposit(payer, usd(100))

	_, err := e.k.Escrow.Withdraw(e.chain.Auth(payer))
	e.reverts("NoPendingWithdrawal", nil, err)
	_, err = e.k.Escrow.RequestWithdrawal(e.chain.Auth(payer), usd(101))
	e.reverts("InsufficientBalance", nil, err)

	e.mine(e.k.Escrow.RequestWithdrawal(e.chain.Auth(payer), usd(80)))
	pending, err := e.k.Escrow.PendingWithdrawal(e.call(), pa)
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "pending amount", pending.Amount, usd(80))
	if want := e.now() + uint64(testWithdrawDelay.Seconds()); pending.AvailableAt != want {
		t.Fatalf("availableAt = %d, want %d", pending.AvailableAt, want)
	}
	_, err = e.k.Escrow.Withdraw(e.chain.Auth(payer))
	e.reverts("WithdrawalNotReady", nil, err)

	// A payee claims during the delay: it is paid in full.
	v, sig := e.sign(e.chain.Key(payer), pa, pe, usd(50))
	out, _ := e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantPaid(out, usd(50))

	e.advance(testWithdrawDelay)
	receipt := e.mine(e.k.Escrow.Withdraw(e.chain.Auth(payer)))
	var withdrawn *big.Int
	for _, l := range receipt.Logs {
		if w, err := e.k.Escrow.ParseWithdrawn(*l); err == nil {
			withdrawn = w.Amount
		}
	}
	if withdrawn == nil {
		t.Fatal("no Withdrawn event")
	}
	wantEq(t, "withdrawn (only what the claim left)", withdrawn, usd(50))
	wantEq(t, "payer's tokens", e.tokenBalance(pa), usd(50))
	wantEq(t, "payer's escrow balance", e.escrowBalance(pa), new(big.Int))
	wantEq(t, "escrow's tokens", e.tokenBalance(e.dep.Escrow), new(big.Int))

	// The request is consumed.
	_, err = e.k.Escrow.Withdraw(e.chain.Auth(payer))
	e.reverts("NoPendingWithdrawal", nil, err)
}

func TestCancelledWithdrawalCannotBeTaken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	payer := firstUser
	e.fundAndDeposit(payer, usd(100))
	e.mine(e.k.Escrow.RequestWithdrawal(e.chain.Auth(payer), usd(100)))
	e.mine(e.k.Escrow.CancelWithdrawal(e.chain.Auth(payer)))
	e.advance(testWithdrawDelay)
	_, err := e.k.Escrow.Withdraw(e.chain.Auth(payer))
	e.reverts("NoPendingWithdrawal", nil, err)
	wantEq(t, "balance", e.escrowBalance(e.chain.Address(payer)), usd(100))
}
