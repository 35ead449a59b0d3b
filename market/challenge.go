package market

import (
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"math/rand/v2"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/trust"
)

// newRand returns a generator seeded with seed, or from the system's
// randomness when seed is 0, so that in production nobody can predict
// which results are checked.
func newRand(seed uint64) *rand.Rand {
	if seed == 0 {
		var b [16]byte
		_, _ = crand.Read(b[:])
		return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])))
	}
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// spotCheckRand is a fresh unpredictable generator for a challenge's spot
// checks: a provider that could guess them could skip the rest.
func spotCheckRand() *rand.Rand { return newRand(0) }

// newChallenge issues p a hardware challenge with a fresh nonce, sized to
// the cores it lends and the per-core speed it claims, and keeps it as p's
// outstanding one. Call with mu held.
func (m *Market) newChallenge(p *bonfire.Provider) *trust.Challenge {
	var nonce trust.Hash
	_, _ = crand.Read(nonce[:])
	cores := int((p.Info.Lend.CPUMilli + 999) / 1000)
	c := trust.NewChallengeSized(nonce, cores, p.Info.BenchScore, m.cfg.ChallengeSeconds, m.cfg.ChallengeGrace, m.cfg.Now())
	m.challenges[p.Info.ID] = &c
	return &c
}

// maybeChallenge issues a challenge at a random time: on a heartbeat, with
// the chance that makes the mean gap ChallengeEvery, or at once for an
// unhealthy provider with none outstanding. Call with mu held.
func (m *Market) maybeChallenge(p *bonfire.Provider) *trust.Challenge {
	if m.challenges[p.Info.ID] != nil {
		return nil
	}
	if !p.Unhealthy {
		if m.cfg.ChallengeEvery < 0 || m.rng.Float64() >= float64(m.cfg.HeartbeatInterval)/float64(m.cfg.ChallengeEvery) {
			return nil
		}
	}
	return m.newChallenge(p)
}

// sendChallenges sends challenges issued outside a request's reply.
func (m *Market) sendChallenges(cs map[bonfire.Address]*trust.Challenge) {
	for p, c := range cs {
		m.sendNotice(p, &protocol.Notice{Challenge: c})
	}
}

// answerVerdicts judges a report's challenge answers. It runs before mu is
// taken (spot checks hash for some milliseconds) against the challenge
// outstanding now; applyVerdicts then applies those still current.
type answerVerdict struct {
	challenge *trust.Challenge
	verdict   trust.Verdict
}

func (m *Market) judgeAnswers(from bonfire.Address, answers []trust.Answer) []answerVerdict {
	if len(answers) == 0 {
		return nil
	}
	// One answer per report: each costs spot-check hashing, and a provider
	// has at most one challenge outstanding.
	answers = answers[:1]
	now := m.cfg.Now()
	m.mu.Lock()
	c := m.challenges[from]
	m.mu.Unlock()
	out := make([]answerVerdict, 0, len(answers))
	for _, a := range answers {
		if c == nil {
			v := trust.Verdict{Outcome: trust.ChallengeWrongNonce, Reason: bonfire.Errorf(bonfire.ECodeInvalid,
				"answer for nonce %s, but no challenge is outstanding", a.Nonce).WithField("answer.nonce").
				WithHint("answer only challenges the market sent, once")}
			out = append(out, answerVerdict{verdict: v})
			continue
		}
		out = append(out, answerVerdict{challenge: c, verdict: trust.Verify(*c, a, now, spotCheckRand())})
	}
	return out
}

// applyVerdicts records challenge verdicts in the provider's reputation: a
// pass clears an unhealthy mark, a slow answer corrects the capacity the
// provider may be given to what it showed, anything else counts against
// it. Call with mu held.
func (c *change) applyVerdicts(from bonfire.Address, vs []answerVerdict) {
	p := c.m.st.Provider(from)
	if p == nil {
		return
	}
	for _, av := range vs {
		// An answer to another challenge (a replay, or one superseded)
		// counts against the provider but leaves the current one open.
		if av.challenge != nil && av.verdict.Outcome != trust.ChallengeWrongNonce {
			if c.m.challenges[from] != av.challenge {
				continue // answered twice
			}
			delete(c.m.challenges, from)
			delete(c.m.lapsed, from)
		}
		c.recordVerdict(p, av.verdict)
	}
}

// recordVerdict applies one challenge verdict to p's record.
func (c *change) recordVerdict(p *bonfire.Provider, v trust.Verdict) {
	rep := trust.Reputation(p.Reputation)
	rep.RecordChallenge(v)
	c.setReputation(p, rep)
	p.LastChallenge = string(v.Outcome)
	switch v.Outcome {
	case trust.ChallengePassed:
		p.Unhealthy = false
	case trust.ChallengeBelowClaim:
		p.Unhealthy = false
		if v.CorrectedCPUMilli > 0 && v.CorrectedCPUMilli < p.Info.Lend.CPUMilli {
			p.Info.Lend.CPUMilli = v.CorrectedCPUMilli
		}
	}
	if v.Reason != nil {
		p.LastChallenge = fmt.Sprintf("%s: %s", v.Outcome, v.Reason.Message)
	}
	c.m.log.Info("hardware challenge judged", "provider", p.Info.ID, "outcome", v.Outcome,
		"claimed", v.ClaimedScore, "measured", v.MeasuredScore, "cpuMilli", p.Info.Lend.CPUMilli)
}

// sweep does the verification housekeeping of a reap: runs that did not
// reveal in time go to someone else, challenges past their give-up time
// mark their providers unhealthy (their next heartbeat brings a new one),
// and uptime is sampled. Call with mu held.
func (c *change) sweep() {
	m := c.m
	now := m.cfg.Now()
	c.sweepRuns(now)
	for id, ch := range m.challenges {
		if now.Before(ch.GiveUpAt()) {
			continue
		}
		// At the give-up time the provider is marked unhealthy, but the
		// challenge stays for as long again: an answer that comes late is
		// judged below_claim and corrects the capacity, where a fresh
		// challenge would only compete with the one still being solved.
		if lapsed, ok := m.lapsed[id]; ok {
			if now.Sub(lapsed) >= ch.GiveUpAt().Sub(ch.IssuedAt) {
				delete(m.challenges, id)
				delete(m.lapsed, id) // the next heartbeat brings a fresh one
			}
			continue
		}
		m.lapsed[id] = now
		if p := m.st.Provider(id); p != nil {
			c.recordVerdict(p, trust.Unanswered(*ch))
			p.Unhealthy = true
			m.log.Warn("provider unhealthy: no answer to its hardware challenge", "provider", id)
		}
	}
	if now.Sub(m.sampledAt) >= m.cfg.UptimeSample {
		m.sampledAt = now
		for _, p := range m.st.providers {
			rep := trust.Reputation(p.Reputation)
			rep.RecordHeartbeat(p.State != bonfire.ProviderOffline)
			c.setReputation(p, rep)
		}
	}
}

// untouched reports whether the change decided nothing.
func (c *change) untouched() bool {
	return len(c.tasks)+len(c.jobs)+len(c.provs)+len(c.b.Events) == 0
}
