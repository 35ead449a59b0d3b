package trust

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"time"

	"github.com/bonfirenet/bonfire"
)

// Challenge parameters. A provider's benchmark score is millions of chained
// SHA-256 steps (hashing the previous 32-byte hash) one core does per
// second; a core with SHA extensions does about 15.
const (
	// ChallengeSeconds is how long an honest machine computes one chain.
	// Long enough that network jitter is small beside it, short enough to
	// repeat at random times without costing the provider real work.
	ChallengeSeconds = 1.5
	// ChallengeSlack multiplies the expected time in the deadline: a busy
	// but honest machine (the owner is compiling) still answers in time,
	// while one with half the cores or half the speed it claims does not.
	ChallengeSlack = 2.0
	// NetworkGrace is added to every deadline for the two message trips.
	NetworkGrace = 2 * time.Second
	// GiveUpFactor: the market stops waiting at IssuedAt + GiveUpFactor ×
	// (Deadline − IssuedAt), records Unanswered and marks the provider
	// unhealthy. Answers before that still count, as BelowClaim.
	GiveUpFactor = 10
	// Checkpoints per chain: the answer reports the chain's state at each,
	// so the market can verify a few random segments instead of redoing
	// all the work. SpotChecks is how many; a provider that skipped a
	// fraction f of its segments passes with probability (1−f)^SpotChecks.
	Checkpoints = 256
	SpotChecks  = 12
	// Claims are clamped to these bounds so a challenge is always a
	// sensible size; the market validates claims at registration.
	MaxChallengeCores = 256
	MinClaimedScore   = 0.01
	MaxClaimedScore   = 1000
)

const challengeDomain = "bonfire/v1 trust-challenge\n"

// Challenge asks a provider to compute Chains independent SHA-256 chains,
// one per claimed core, each Checkpoints × SegmentLen steps long, starting
// from seeds derived from a fresh Nonce, and to answer before Deadline.
// The nonce makes precomputation impossible; the chain is sequential, so
// only more cores (not more memory or cleverness) make it faster.
type Challenge struct {
	Nonce        Hash      `json:"nonce"`
	Chains       int       `json:"chains"`
	SegmentLen   int       `json:"segmentLen"`
	ClaimedScore float64   `json:"claimedScore"`
	IssuedAt     time.Time `json:"issuedAt"`
	Deadline     time.Time `json:"deadline"`
}

// Answer is the state of every chain at every checkpoint:
// Checkpoints[i][j] is chain i after (j+1)·SegmentLen steps.
type Answer struct {
	Nonce       Hash     `json:"nonce"`
	Checkpoints [][]Hash `json:"checkpoints"`
}

// ChallengeOutcome is what Verify concluded.
type ChallengeOutcome string

// Challenge outcomes.
const (
	ChallengePassed     ChallengeOutcome = "passed"
	ChallengeWrongNonce ChallengeOutcome = "wrong_nonce"  // an answer to another challenge (a replay)
	ChallengeWrong      ChallengeOutcome = "wrong_answer" // malformed, or a spot check failed
	ChallengeBelowClaim ChallengeOutcome = "below_claim"  // right but late: capacity corrected
	ChallengeUnanswered ChallengeOutcome = "unanswered"   // no answer by the give-up time
)

// Verdict is Verify's answer. MeasuredScore is the score the answer's timing
// shows (0 when the answer is not right); CorrectedCPUMilli, set for
// BelowClaim, is the capacity the provider really has in cores of its
// claimed speed, which the market advertises instead of its claim.
type Verdict struct {
	Outcome           ChallengeOutcome `json:"outcome"`
	Reason            *bonfire.Error   `json:"reason,omitempty"`
	ClaimedScore      float64          `json:"claimedScore"`
	MeasuredScore     float64          `json:"measuredScore,omitempty"`
	CorrectedCPUMilli int64            `json:"correctedCpuMilli,omitempty"`
}

// NewChallenge describes the work for a provider claiming claimedCores cores
// of claimedScore each: enough steps that one core at the claimed speed
// needs ChallengeSeconds per chain, and a deadline of ChallengeSlack times
// that plus NetworkGrace. Out-of-range claims are clamped.
func NewChallenge(nonce Hash, claimedCores int, claimedScore float64, now time.Time) Challenge {
	return NewChallengeSized(nonce, claimedCores, claimedScore, ChallengeSeconds, NetworkGrace, now)
}

// NewChallengeSized is NewChallenge with the chain's honest compute time
// and the network grace chosen by the caller: a market on a fast local
// network, or a test, can check claims with less work.
func NewChallengeSized(nonce Hash, claimedCores int, claimedScore, seconds float64, grace time.Duration, now time.Time) Challenge {
	cores := min(max(claimedCores, 1), MaxChallengeCores)
	score := claimedScore
	if !(score >= MinClaimedScore) { // also NaN
		score = MinClaimedScore
	}
	score = min(score, MaxClaimedScore)
	if !(seconds > 0) {
		seconds = ChallengeSeconds
	}
	seg := max(int(math.Ceil(score*1e6*seconds/Checkpoints)), 1)
	c := Challenge{Nonce: nonce, Chains: cores, SegmentLen: seg, ClaimedScore: score, IssuedAt: now}
	c.Deadline = now.Add(time.Duration(float64(c.Expected()) * ChallengeSlack)).Add(max(grace, 0))
	return c
}

// Steps is the length of one chain.
func (c Challenge) Steps() int64 { return int64(c.SegmentLen) * Checkpoints }

// Expected is how long one chain takes a core of the claimed speed; with
// one core per chain it is the whole challenge's honest compute time.
func (c Challenge) Expected() time.Duration {
	return time.Duration(float64(c.Steps()) / (c.ClaimedScore * 1e6) * float64(time.Second))
}

// GiveUpAt is when the market stops waiting and records Unanswered.
func (c Challenge) GiveUpAt() time.Time {
	return c.IssuedAt.Add(GiveUpFactor * c.Deadline.Sub(c.IssuedAt))
}

// seed is chain i's starting state; it binds the nonce and the challenge's
// shape, so work for one challenge is useless for any other.
func (c Challenge) seed(i int) Hash {
	b := make([]byte, 0, len(challengeDomain)+32+16)
	b = append(b, challengeDomain...)
	b = append(b, c.Nonce[:]...)
	b = binary.BigEndian.AppendUint32(b, uint32(i))
	b = binary.BigEndian.AppendUint32(b, uint32(c.Chains))
	b = binary.BigEndian.AppendUint64(b, uint64(c.SegmentLen))
	return sha256.Sum256(b)
}

// segment runs n chained SHA-256 steps from h.
func segment(h Hash, n int) Hash {
	for range n {
		h = sha256.Sum256(h[:])
	}
	return h
}

// SolveChain computes chain i's checkpoints. Chains are independent, so a
// provider runs one per core in parallel; this package stays single-threaded.
func SolveChain(c Challenge, i int) []Hash {
	cps := make([]Hash, Checkpoints)
	h := c.seed(i)
	for j := range cps {
		h = segment(h, c.SegmentLen)
		cps[j] = h
	}
	return cps
}

// Solve is the reference solver: every chain, one after another. Providers
// parallelise SolveChain instead; tests use tiny claims.
func Solve(c Challenge) Answer {
	a := Answer{Nonce: c.Nonce, Checkpoints: make([][]Hash, c.Chains)}
	for i := range a.Checkpoints {
		a.Checkpoints[i] = SolveChain(c, i)
	}
	return a
}

// Verify judges answer a, received at answeredAt. It checks the nonce and
// shape, recomputes SpotChecks random segments drawn from rng (the provider
// cannot know which, so skipping work is a gamble), then times the answer:
// in time passes; late is BelowClaim with the capacity the timing shows.
// The market verifies SpotChecks/(Chains·Checkpoints) of the work, a few
// segments of a few milliseconds each (BenchmarkVerify).
func Verify(c Challenge, a Answer, answeredAt time.Time, rng *rand.Rand) Verdict {
	v := Verdict{ClaimedScore: c.ClaimedScore}
	if a.Nonce != c.Nonce {
		v.Outcome = ChallengeWrongNonce
		v.Reason = bonfire.Errorf(bonfire.ECodeInvalid, "answer is for nonce %s, not %s", a.Nonce, c.Nonce).
			WithField("answer.nonce").WithHint("answer the challenge just received; old answers are not accepted")
		return v
	}
	if len(a.Checkpoints) != c.Chains {
		return wrong(v, "answer has %d chains, want %d", len(a.Checkpoints), c.Chains)
	}
	for i, cps := range a.Checkpoints {
		if len(cps) != Checkpoints {
			return wrong(v, "chain %d has %d checkpoints, want %d", i, len(cps), Checkpoints)
		}
	}
	for range SpotChecks {
		i, j := rng.IntN(c.Chains), rng.IntN(Checkpoints)
		from := c.seed(i)
		if j > 0 {
			from = a.Checkpoints[i][j-1]
		}
		if segment(from, c.SegmentLen) != a.Checkpoints[i][j] {
			return wrong(v, "chain %d checkpoint %d is not the hash chain of the one before", i, j)
		}
	}

	elapsed := max(answeredAt.Sub(c.IssuedAt), time.Millisecond)
	// The measured score counts the round trip too: conservative, and the
	// deadline's slack absorbs it for an honest machine.
	v.MeasuredScore = float64(c.Steps()) / elapsed.Seconds() / 1e6
	if !answeredAt.After(c.Deadline) {
		v.Outcome = ChallengePassed
		return v
	}
	v.Outcome = ChallengeBelowClaim
	v.CorrectedCPUMilli = int64(float64(c.Chains) * 1000 * min(1, v.MeasuredScore/c.ClaimedScore))
	v.Reason = bonfire.Errorf(bonfire.ECodeTimeout, "answered %s after the deadline: measured %.3g, claimed %.3g per core",
		answeredAt.Sub(c.Deadline).Round(time.Millisecond), v.MeasuredScore, c.ClaimedScore).
		WithField("answer").WithHint("advertise the cores and score the machine really has (bonfire provider bench)")
	return v
}

// Unanswered is the verdict when no answer came by c.GiveUpAt().
func Unanswered(c Challenge) Verdict {
	return Verdict{Outcome: ChallengeUnanswered, ClaimedScore: c.ClaimedScore,
		Reason: bonfire.Errorf(bonfire.ECodeTimeout, "no answer to the hardware challenge by %s", c.GiveUpAt().UTC().Format(time.RFC3339)).
			WithField("answer").WithHint("the provider is marked unhealthy until it answers a new challenge")}
}

func wrong(v Verdict, format string, args ...any) Verdict {
	v.Outcome = ChallengeWrong
	v.Reason = bonfire.Errorf(bonfire.ECodeInvalid, format, args...).WithField("answer.checkpoints").
		WithHint("compute every chain with SolveChain; skipped work is caught by spot checks")
	return v
}
