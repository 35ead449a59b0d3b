package market

import (
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/trust"
)

// challengeMarket has challenges with a short grace, on the fake clock.
func challengeMarket(t *testing.T) *testMarket {
	return startMarket(t, func(c *Config) { c.ChallengeGrace, c.ChallengeSeconds = time.Second, 0.01 })
}

func (p *fakeProvider) answer(a trust.Answer) protocol.ReportReply {
	p.t.Helper()
	return p.report(protocol.Report{Answers: []trust.Answer{a}})
}

func TestRegistrationChallengeInTimePasses(t *testing.T) {
	t.Parallel()
	tm := challengeMarket(t)
	p := tm.newProvider()
	c := p.register().Challenge
	if c == nil || c.Chains != 64 {
		t.Fatalf("registration challenge %+v; want one chain per lent core (64)", c)
	}
	p.answer(trust.Solve(*c))
	got := tm.provider(p.id)
	if got.Reputation.ChallengesPassed != 1 || got.LastChallenge != string(trust.ChallengePassed) || got.Unhealthy {
		t.Fatalf("after a right, timely answer: %+v, last %q", got.Reputation, got.LastChallenge)
	}
	// The same answer again is for no outstanding challenge: a replay.
	p.answer(trust.Solve(*c))
	if got := tm.provider(p.id); got.Reputation.ChallengesFailed != 1 || !strings.HasPrefix(got.LastChallenge, string(trust.ChallengeWrongNonce)) {
		t.Fatalf("a replayed answer: %+v, last %q", got.Reputation, got.LastChallenge)
	}
}

func TestSlowAnswerCorrectsTheClaimedCapacity(t *testing.T) {
	t.Parallel()
	tm := challengeMarket(t)
	p := tm.newProvider()
	c := p.register().Challenge
	a := trust.Solve(*c)
	// The answer arrives four times later than the deadline allows: the
	// machine has about a quarter of the cores it claims.
	tm.clock.Advance(4 * c.Deadline.Sub(c.IssuedAt))
	p.answer(a)
	got := tm.provider(p.id)
	if !strings.HasPrefix(got.LastChallenge, string(trust.ChallengeBelowClaim)) || got.Reputation.ChallengesFailed != 1 {
		t.Fatalf("late answer: last %q, %+v", got.LastChallenge, got.Reputation)
	}
	if got.Info.Lend.CPUMilli >= p.info().Lend.CPUMilli || got.Info.Lend.CPUMilli <= 0 {
		t.Fatalf("capacity %dm after a slow answer; want it cut below the claimed %dm", got.Info.Lend.CPUMilli, p.info().Lend.CPUMilli)
	}
}

func TestUnansweredChallengeMakesTheProviderUnhealthyUntilItAnswers(t *testing.T) {
	t.Parallel()
	tm := challengeMarket(t)
	p := tm.newProvider()
	c := p.register().Challenge
	small := tm.spec(1, 0)
	small.Resources.CPUMilli = 100 // fits the capacity a very slow answer shows
	tm.submit(small)
	window := c.GiveUpAt().Sub(c.IssuedAt)
	tm.clock.Advance(window)
	p.heartbeat() // still alive, only silent about the challenge
	tm.reap()
	if got := tm.provider(p.id); !got.Unhealthy || got.Reputation.ChallengesFailed != 1 {
		t.Fatalf("after the give-up time: unhealthy %v, %+v", got.Unhealthy, got.Reputation)
	}
	if as := p.pull(1); len(as) != 0 {
		t.Fatalf("an unhealthy provider got %d tasks", len(as))
	}
	// For as long again the old challenge still counts: a late answer is
	// judged below its claim, corrects the capacity and heals.
	p.answer(trust.Solve(*c))
	got := tm.provider(p.id)
	if got.Unhealthy || !strings.HasPrefix(got.LastChallenge, string(trust.ChallengeBelowClaim)) || got.Info.Lend.CPUMilli >= p.info().Lend.CPUMilli {
		t.Fatalf("a late answer: unhealthy %v, last %q, %dm lent", got.Unhealthy, got.LastChallenge, got.Info.Lend.CPUMilli)
	}
	if as := p.pull(1); len(as) != 1 {
		t.Fatalf("a healthy provider got %d tasks, want 1 (%+v)", len(as), tm.provider(p.id))
	}
}

func TestALapsedChallengeIsReplacedByAFreshOne(t *testing.T) {
	t.Parallel()
	tm := challengeMarket(t)
	p := tm.newProvider()
	c := p.register().Challenge
	window := c.GiveUpAt().Sub(c.IssuedAt)
	tm.clock.Advance(window)
	p.heartbeat()
	tm.reap() // unhealthy
	notices := p.notices()
	p.heartbeat()
	tm.clock.Advance(window)
	p.heartbeat()
	tm.reap() // the old challenge is dropped
	p.heartbeat()
	n := p.nextNotice(notices)
	if n.Challenge == nil || n.Challenge.Nonce == c.Nonce {
		t.Fatalf("heartbeat of an unhealthy provider brought %+v; want a fresh challenge", n)
	}
	if reply := p.answer(trust.Solve(*c)); len(reply.Rejected) != 0 {
		t.Fatalf("reply %+v", reply)
	}
	if got := tm.provider(p.id); !strings.HasPrefix(got.LastChallenge, string(trust.ChallengeWrongNonce)) || !got.Unhealthy {
		t.Fatalf("the old answer after a fresh challenge: last %q, unhealthy %v", got.LastChallenge, got.Unhealthy)
	}
	p.answer(trust.Solve(*n.Challenge))
	if got := tm.provider(p.id); got.Unhealthy {
		t.Fatal("still unhealthy after answering the fresh challenge")
	}
}

func TestOneChallengeAnswerIsJudgedPerReport(t *testing.T) {
	t.Parallel()
	tm := challengeMarket(t)
	p := tm.newProvider()
	c := p.register().Challenge
	right := trust.Solve(*c)
	wrong := right
	wrong.Nonce[0] ^= 1
	p.report(protocol.Report{Answers: []trust.Answer{wrong, right, right}})
	if got := tm.provider(p.id).Reputation; got.ChallengesFailed != 1 || got.ChallengesPassed != 0 {
		t.Fatalf("after a report of three answers: %+v; want only the first judged", got)
	}
	p.answer(right) // the challenge is still open
	if got := tm.provider(p.id).Reputation; got.ChallengesPassed != 1 {
		t.Fatalf("the right answer in its own report: %+v", got)
	}
}
