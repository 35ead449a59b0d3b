package trust

import (
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

// tiny is a challenge small enough to solve in a test: 0.01 million steps
// per second for 1.5 s is 15,000 steps per chain.
func tiny(cores int) Challenge { return NewChallenge(Hash{9, 9}, cores, MinClaimedScore, t0) }

func TestNewChallengeShapeAndDeadline(t *testing.T) {
	t.Parallel()
	c := NewChallenge(Hash{1}, 8, 15, t0)
	if c.Chains != 8 || c.SegmentLen != 87891 {
		t.Fatalf("chains %d segment %d", c.Chains, c.SegmentLen)
	}
	if e := c.Expected(); e < 1499*time.Millisecond || e > 1501*time.Millisecond {
		t.Fatalf("expected %v, want 1.5s", e)
	}
	if got := c.Deadline.Sub(c.IssuedAt); got < 4999*time.Millisecond || got > 5001*time.Millisecond {
		t.Fatalf("deadline after %v, want 2×1.5s + 2s", got)
	}
	if c.GiveUpAt().Sub(t0) != 10*c.Deadline.Sub(t0) {
		t.Fatal("give-up time")
	}
	// Absurd claims are clamped, never a zero-work or endless challenge.
	for _, cl := range []struct {
		cores int
		score float64
	}{{0, 0}, {-5, -1}, {1 << 20, 1e12}} {
		c := NewChallenge(Hash{}, cl.cores, cl.score, t0)
		if c.Chains < 1 || c.Chains > MaxChallengeCores || c.SegmentLen < 1 || c.ClaimedScore > MaxClaimedScore {
			t.Errorf("claim %+v gave %+v", cl, c)
		}
	}
}

func TestSolveIsDeterministicAndNonceBound(t *testing.T) {
	t.Parallel()
	c := tiny(2)
	a, b := Solve(c), Solve(c)
	if a.Checkpoints[1][Checkpoints-1] != b.Checkpoints[1][Checkpoints-1] {
		t.Fatal("the same challenge must have one answer")
	}
	if a.Checkpoints[0][0] == a.Checkpoints[1][0] {
		t.Fatal("chains must start from different seeds")
	}
	other := c
	other.Nonce = Hash{1}
	if Solve(other).Checkpoints[0][0] == a.Checkpoints[0][0] {
		t.Fatal("a new nonce must change the work")
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	c := tiny(4)
	good := Solve(c)
	r := rng(5)

	v := Verify(c, good, t0.Add(c.Expected()), r)
	if v.Outcome != ChallengePassed || v.Reason != nil || v.MeasuredScore < 0.0099 || v.MeasuredScore > 0.0101 {
		t.Fatalf("honest on time: %+v", v)
	}
	if v := Verify(c, good, c.Deadline, r); v.Outcome != ChallengePassed {
		t.Fatalf("at the deadline: %+v", v)
	}

	replay := good
	replay.Nonce = Hash{1}
	v = Verify(c, replay, t0, r)
	if v.Outcome != ChallengeWrongNonce {
		t.Fatalf("wrong nonce: %+v", v)
	}
	wantErr(t, v.Reason, bonfire.ECodeInvalid, "answer.nonce")

	short := Answer{Nonce: c.Nonce, Checkpoints: good.Checkpoints[:3]}
	wantErr(t, Verify(c, short, t0, r).Reason, bonfire.ECodeInvalid, "answer.checkpoints")
	ragged := Answer{Nonce: c.Nonce, Checkpoints: [][]Hash{good.Checkpoints[0], good.Checkpoints[1], good.Checkpoints[2], good.Checkpoints[3][:10]}}
	wantErr(t, Verify(c, ragged, t0, r).Reason, bonfire.ECodeInvalid, "answer.checkpoints")

	// Half the segments faked: 12 spot checks miss them all with
	// probability 2^-12; the seed is fixed, so this is deterministic.
	lazy := Answer{Nonce: c.Nonce, Checkpoints: make([][]Hash, c.Chains)}
	for i := range lazy.Checkpoints {
		lazy.Checkpoints[i] = append([]Hash(nil), good.Checkpoints[i]...)
		for j := Checkpoints / 2; j < Checkpoints; j++ {
			lazy.Checkpoints[i][j] = Hash{byte(j)}
		}
	}
	if v := Verify(c, lazy, t0, r); v.Outcome != ChallengeWrong || v.MeasuredScore != 0 {
		t.Fatalf("lazy answer: %+v", v)
	}
}

func TestVerifyLateCorrectsCapacity(t *testing.T) {
	t.Parallel()
	c := tiny(8)
	// An honest 2-core machine that claimed 8 runs the chains 4 at a time:
	// four times the expected time.
	v := Verify(c, Solve(c), t0.Add(4*c.Expected()), rng(6))
	if v.Outcome != ChallengeBelowClaim {
		t.Fatalf("late answer: %+v", v)
	}
	wantErr(t, v.Reason, bonfire.ECodeTimeout, "answer")
	if v.CorrectedCPUMilli < 1990 || v.CorrectedCPUMilli > 2000 {
		t.Fatalf("corrected capacity %dm, want about 2000m", v.CorrectedCPUMilli)
	}
	var rep Reputation
	rep.RecordChallenge(Verify(c, Solve(c), t0.Add(c.Expected()), rng(6)))
	before := rep.ComputeScore()
	rep.RecordChallenge(v)
	if rep.ChallengesFailed != 1 || rep.ChallengesPassed != 1 || rep.ComputeScore() >= before {
		t.Fatalf("a late answer must cost reputation: %+v score %v → %v", rep, before, rep.ComputeScore())
	}
	if u := Unanswered(c); u.Outcome != ChallengeUnanswered {
		t.Fatalf("unanswered: %+v", u)
	} else {
		wantErr(t, u.Reason, bonfire.ECodeTimeout, "answer")
	}
}

// BenchmarkSolve solves one chain at 15 million steps per second, a core
// with SHA extensions: an honest core of that speed should report about
// 1.5 s/op.
func BenchmarkSolve(b *testing.B) {
	c := NewChallenge(Hash{3}, 1, 15, t0)
	for b.Loop() {
		_ = Solve(c)
	}
	b.ReportMetric(float64(c.Steps())*float64(b.N)/b.Elapsed().Seconds()/1e6, "Msteps/s")
}

// BenchmarkVerify is what the market pays, under its lock, to check a
// challenge claimed at 15 million steps per second: SpotChecks segments,
// whatever the number of chains, so one chain is enough to time it (and
// keeps the set-up Solve to about 1.5 s).
func BenchmarkVerify(b *testing.B) {
	c := NewChallenge(Hash{3}, 1, 15, t0)
	a := Solve(c)
	r := rng(7)
	for b.Loop() {
		if v := Verify(c, a, t0, r); v.Outcome != ChallengePassed {
			b.Fatalf("verdict %+v", v)
		}
	}
}
