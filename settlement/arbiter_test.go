package settlement_test

import (
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/settlement"
)

func TestArbiterSlashesAtMostTheStakeToTheConsumer(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	e.mine(e.k.Token.Faucet(e.chain.Auth(provider), e.chain.Address(provider), tusd(20)))
	s, err := settlement.NewStaker(e.chain.Key(provider), e.dep, e.chain.Client())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stake(e.ctx, tusd(10)); err != nil {
		t.Fatal(err)
	}
	// The consumer account holds no role: its slash is refused on chain.
	outsider, err := settlement.NewArbiter(e.chain.Key(consumerB), e.dep, e.chain.Client())
	if err != nil {
		t.Fatal(err)
	}
	evidence := bonfire.DigestOf([]byte("the signed results of a round"))
	prov, cons := bonfire.Address(e.chain.Address(provider).Hex()), bonfire.Address(e.chain.Address(consumerA).Hex())
	if _, err := outsider.Slash(e.ctx, prov, cons, 1, evidence); err == nil {
		t.Fatal("an account without ARBITER_ROLE slashed a stake")
	}
	// The deployer grants the role (twice: the second is a no-op).
	for range 2 {
		if err := settlement.GrantArbiter(e.ctx, e.chain.Auth(deployer), e.dep, e.chain.Client(), e.chain.Address(consumerB)); err != nil {
			t.Fatal(err)
		}
	}
	before := e.tokens(e.chain.Address(consumerA))
	took, err := outsider.Slash(e.ctx, prov, cons, tusd(4).Uint64(), evidence)
	if err != nil || took != tusd(4).Uint64() {
		t.Fatalf("slash 4: took %d, %v", took, err)
	}
	took, err = outsider.Slash(e.ctx, prov, cons, tusd(100).Uint64(), evidence)
	if err != nil || took != tusd(6).Uint64() {
		t.Fatalf("slash 100 of a stake of 6: took %d, %v; want the 6 left", took, err)
	}
	if took, err := outsider.Slash(e.ctx, prov, cons, 1, evidence); err != nil || took != 0 {
		t.Fatalf("slash of an empty stake: took %d, %v; want nothing, no error", took, err)
	}
	st, err := s.State(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "stake left", st.Staked, tusd(0))
	after := e.tokens(e.chain.Address(consumerA))
	wantEq(t, "consumer reimbursed", after.Sub(after, before), tusd(10))
	if _, err := outsider.Slash(e.ctx, prov, cons, 1, "sha256:nothex"); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Fatalf("malformed evidence: %v", err)
	}
}
