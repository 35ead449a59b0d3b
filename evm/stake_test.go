package evm_test

import (
	"crypto/sha256"
	"math/big"
	"testing"

	"github.com/bonfirenet/bonfire/evm/simchain"
)

func TestStakeUnstakeAndSlash(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	provider, consumer := firstUser, firstUser+1
	pv, cs := e.chain.Address(provider), e.chain.Address(consumer)
	e.mine(e.k.Token.Faucet(e.chain.Auth(provider), pv, usd(1000)))
	e.mine(e.k.Token.Approve(e.chain.Auth(provider), e.dep.Stake, usd(1000)))
	e.mine(e.k.Stake.Stake(e.chain.Auth(provider), usd(1000)))
	stakeOf := func() *big.Int {
		s, err := e.k.Stake.StakeOf(e.call(), pv)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	wantEq(t, "stake", stakeOf(), usd(1000))

	e.mine(e.k.Stake.RequestUnstake(e.chain.Auth(provider), usd(600)))
	_, err := e.k.Stake.Unstake(e.chain.Auth(provider))
	e.reverts("UnstakeNotReady", nil, err)

	evidence := sha256.Sum256([]byte("signed task result that was wrong"))
	for _, who := range []int{provider, consumer, deployer} {
		_, err = e.k.Stake.Slash(e.chain.Auth(who), pv, usd(1), cs, evidence)
		e.reverts("AccessControlUnauthorizedAccount", nil, err)
	}
	_, err = e.k.Stake.Slash(e.chain.Auth(arbiter), pv, usd(1001), cs, evidence)
	e.reverts("InsufficientStake", nil, err)

	receipt := e.mine(e.k.Stake.Slash(e.chain.Auth(arbiter), pv, usd(500), cs, evidence))
	var found bool
	for _, l := range receipt.Logs {
		s, err := e.k.Stake.ParseSlashed(*l)
		if err != nil {
			continue
		}
		found = true
		if s.Provider != pv || s.Consumer != cs || s.EvidenceDigest != evidence || s.Arbiter != e.chain.Address(arbiter) {
			t.Fatalf("Slashed event = %+v", s)
		}
		wantEq(t, "slashed amount", s.Amount, usd(500))
	}
	if !found {
		t.Fatal("no Slashed event")
	}
	wantEq(t, "consumer's tokens", e.tokenBalance(cs), usd(500))
	wantEq(t, "stake after slash", stakeOf(), usd(500))

	// The unstake asked for 600; the slash during the delay leaves 500.
	e.advance(testUnstakeDelay)
	e.mine(e.k.Stake.Unstake(e.chain.Auth(provider)))
	wantEq(t, "stake after unstake", stakeOf(), new(big.Int))
	wantEq(t, "provider's tokens", e.tokenBalance(pv), usd(500))
	wantEq(t, "stake contract's tokens", e.tokenBalance(e.dep.Stake), new(big.Int))
}

func TestArbiterRoleIsAdministered(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	role, err := e.k.Stake.ARBITERROLE(e.call())
	if err != nil {
		t.Fatal(err)
	}
	newArbiter := firstUser
	_, err = e.k.Stake.GrantRole(e.chain.Auth(arbiter), role, e.chain.Address(newArbiter))
	e.reverts("AccessControlUnauthorizedAccount", nil, err)
	e.mine(e.k.Stake.GrantRole(e.chain.Auth(deployer), role, e.chain.Address(newArbiter)))
	ok, err := e.k.Stake.HasRole(e.call(), role, e.chain.Address(newArbiter))
	if err != nil || !ok {
		t.Fatalf("HasRole = %v, %v; want true", ok, err)
	}
}
