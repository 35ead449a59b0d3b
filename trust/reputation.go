package trust

import "github.com/bonfirenet/bonfire"

// Reputation is the core's provider record (bonfire.Reputation) with the
// rules that change it: the Record* methods are the only way events change
// it, and each is a pure update. Convert with trust.Reputation(p.Reputation)
// and bonfire.Reputation(r); the two share one layout.
type Reputation bonfire.Reputation

// Score weights, see ComputeScore.
const (
	// PriorGood and PriorChecks are the pseudo-counts a new provider starts
	// with: 5 good results out of 10, so it scores 0.5 and needs real
	// evidence to rise, while one early fault does not zero it.
	PriorGood   = 5
	PriorChecks = 10
	// FaultWeight is how many checked results one fault counts as. A wrong
	// result is usually deliberate or a broken machine, and either should
	// cost far more than one agreement earns.
	FaultWeight = 10
	// UptimeWindow is how many heartbeat samples the uptime average spans
	// (a day of one-minute samples), so an old outage is eventually forgiven.
	UptimeWindow = 1440
)

// RecordAgreement notes a checked result that matched the quorum.
func (r *Reputation) RecordAgreement() {
	r.TasksDone++
	r.Agreed++
	r.CV++
}

// RecordUnchecked notes a result accepted without a second run. As in
// BOINC, it counts as valid and raises CV: a provider that keeps working
// without a fault is checked ever more rarely, which is what brings an
// honest network's overhead down to about 1 % (docs/trust.md). A provider
// that lies now and then can coast on unchecked results; canaries, which
// never fall below 1/200, and its stake are what price that.
func (r *Reputation) RecordUnchecked() {
	r.TasksDone++
	r.CV++
}

// RecordFault notes a result in the minority of a quorum, or any other
// provable misbehaviour on a task (a reveal that does not match its
// commitment). CV restarts, so the provider is checked on every task again.
func (r *Reputation) RecordFault() {
	r.TasksDone++
	r.Faults++
	r.CV = 0
}

// RecordCanary notes the outcome of a canary. Passing is a checked result
// like an agreement and raises CV; failing is a fault and restarts it. They
// are counted apart from quorum results so the record shows which check
// caught a provider.
func (r *Reputation) RecordCanary(passed bool) {
	r.TasksDone++
	if passed {
		r.CanariesPassed++
		r.CV++
		return
	}
	r.CanariesFailed++
	r.CV = 0
}

// RecordChallenge applies a challenge's verdict: the measured speed replaces
// the last one, and anything but a pass counts against the provider.
func (r *Reputation) RecordChallenge(v Verdict) {
	r.ClaimedScore = v.ClaimedScore
	if v.MeasuredScore > 0 {
		r.MeasuredScore = v.MeasuredScore
	}
	if v.Outcome == ChallengePassed {
		r.ChallengesPassed++
		return
	}
	r.ChallengesFailed++
}

// RecordHeartbeat adds one uptime sample: the market samples every provider
// at a fixed interval and reports whether it heartbeat in that interval.
// The average is exact for the first UptimeWindow samples and exponentially
// weighted (alpha 1/UptimeWindow) afterwards, so it needs no history.
func (r *Reputation) RecordHeartbeat(up bool) {
	x := 0.0
	if up {
		x = 1
	}
	r.UptimeSamples++
	n := min(r.UptimeSamples, UptimeWindow)
	r.Uptime += (x - r.Uptime) / float64(n)
}

// ComputeScore is the provider's reputation in [0, 1], the product of three parts:
//
//	correctness = (good + PriorGood) / (good + FaultWeight·bad + PriorChecks)
//	hardware    = min(1, slack·measured/claimed) · (passed+1) / (passed+failed+1)
//	uptime      = Uptime (1 before the first sample)
//
// where good counts agreements and passed canaries, bad counts faults and
// failed canaries, and passed/failed count challenges. A product, because a
// provider is only worth choosing if it is right AND as fast as it says AND
// there: excellence in one part must not hide failure in another. The prior
// puts a newcomer at 0.5; 10 agreements take it to 0.75, 100 to 0.95, and
// one fault among 100 pulls it back to 0.875.
func (r Reputation) ComputeScore() float64 {
	good := float64(r.Agreed + r.CanariesPassed)
	bad := float64(r.Faults + r.CanariesFailed)
	correct := (good + PriorGood) / (good + FaultWeight*bad + PriorChecks)

	hw := float64(r.ChallengesPassed+1) / float64(r.ChallengesPassed+r.ChallengesFailed+1)
	// Within the challenge's slack counts as meeting the claim: the measured
	// score includes the round trip, and an honest machine may be busy.
	if r.ClaimedScore > 0 && r.MeasuredScore > 0 {
		hw *= min(1, r.MeasuredScore*ChallengeSlack/r.ClaimedScore)
	}

	up := 1.0
	if r.UptimeSamples > 0 {
		up = r.Uptime
	}
	return clamp01(correct * hw * up)
}

func clamp01(x float64) float64 {
	if !(x > 0) { // also NaN
		return 0
	}
	return min(x, 1)
}

// Rescore stores ComputeScore in the record's Score field, which is what
// the scheduler and the API read. Call it after any Record* change.
func (r *Reputation) Rescore() { r.Score = r.ComputeScore() }
