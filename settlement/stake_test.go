package settlement_test

import (
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/settlement"
)

func TestStakerStakeUnstake(t *testing.T) {
	t.Parallel()
	e := newChainEnv(t)
	e.mine(e.k.Token.Faucet(e.chain.Auth(provider), e.chain.Address(provider), tusd(20)))
	s, err := settlement.NewStaker(e.chain.Key(provider), e.dep, e.chain.Client())
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Stake(e.ctx, tusd(21))
	wantCode(t, "stake more than held", err, bonfire.ECodeInvalid)
	st, err := s.Stake(e.ctx, tusd(5))
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "staked", st.Staked, tusd(5))
	if st.Unstaking.Sign() != 0 || !st.AvailableAt.IsZero() {
		t.Fatalf("fresh stake has a pending unstake: %+v", st)
	}

	_, err = s.Unstake(e.ctx)
	wantCode(t, "unstake without a request", err, bonfire.ECodeNotFound)
	_, err = s.RequestUnstake(e.ctx, tusd(6))
	wantCode(t, "unstake more than staked", err, bonfire.ECodeInvalid)
	st, err = s.RequestUnstake(e.ctx, tusd(2))
	if err != nil {
		t.Fatal(err)
	}
	now, _ := e.chain.Now(e.ctx)
	if got := st.AvailableAt.Unix(); got < int64(now)+3599 || got > int64(now)+3600 {
		t.Fatalf("unstake available at %d, want an hour after %d", got, now)
	}
	wantEq(t, "unstaking", st.Unstaking, tusd(2))
	_, err = s.Unstake(e.ctx)
	wantCode(t, "unstake before the delay", err, bonfire.ECodeConflict)

	if err := e.chain.AdvanceTime(2 * time.Hour); err != nil {
		t.Fatal(err)
	}
	paid, err := s.Unstake(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "unstaked", paid, tusd(2))
	st, err = s.State(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "left staked", st.Staked, tusd(3))
	wantEq(t, "tokens back", e.tokens(e.chain.Address(provider)), tusd(17))
}
