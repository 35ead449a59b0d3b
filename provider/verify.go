package provider

import (
	"crypto/rand"
	"crypto/sha256"
	"runtime"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/trust"
	"github.com/nats-io/nats.go"
)

// heldResult is a result the provider committed to and keeps until the
// market asks for it, with the salt that opens the commitment.
type heldResult struct {
	result bonfire.TaskResult
	commit protocol.Commit
	salt   trust.Hash
}

// commit holds r back and queues a commitment to it instead: the market
// asks for the result once every replica of the task has committed, so
// nobody can copy another's answer.
func (o *outbox) commit(r *bonfire.TaskResult) {
	var salt trust.Hash
	_, _ = rand.Read(salt[:])
	ref := protocol.TaskRef{TaskID: r.TaskID, Attempt: r.Attempt}
	cm := protocol.Commit{TaskRef: ref, Commitment: trust.Commitment(r.OutputDigest, r.Provider, r.TaskID, r.Attempt, salt)}
	o.mu.Lock()
	o.held[ref] = &heldResult{result: *r, commit: cm, salt: salt}
	o.rep.Commits = append(o.rep.Commits, cm)
	o.mu.Unlock()
	o.poke()
}

// reveal moves held results the market asked for into the next report,
// each with its salt. Refs not held (sent already, or dropped) are ignored.
func (o *outbox) reveal(refs []protocol.TaskRef) {
	if len(refs) == 0 {
		return
	}
	o.mu.Lock()
	for _, ref := range refs {
		h := o.held[ref]
		if h == nil {
			continue
		}
		delete(o.held, ref)
		o.rep.Results = append(o.rep.Results, h.result)
		o.rep.Reveals = append(o.rep.Reveals, protocol.Reveal{TaskRef: ref, Salt: h.salt})
	}
	o.mu.Unlock()
	o.poke()
}

// drop forgets held results of attempts the market no longer wants.
func (o *outbox) drop(refs []protocol.TaskRef) {
	o.mu.Lock()
	for _, ref := range refs {
		delete(o.held, ref)
	}
	o.mu.Unlock()
}

// recommit sends the commitments of results still held again: if the
// market's request to reveal was lost (or the market restarted), its reply
// to the resend asks again. The heartbeat loop calls it.
func (o *outbox) recommit() {
	o.mu.Lock()
	n := len(o.held)
	for _, h := range o.held {
		o.rep.Commits = append(o.rep.Commits, h.commit)
	}
	o.mu.Unlock()
	if n > 0 {
		o.poke()
	}
}

// answer queues a challenge answer.
func (o *outbox) answer(a trust.Answer) {
	o.mu.Lock()
	o.rep.Answers = append(o.rep.Answers, a)
	o.mu.Unlock()
	o.poke()
}

// onNotice handles what the market pushes: reveal requests, vouchers and
// hardware challenges. Anything not sealed by the market is ignored.
func (p *Provider) onNotice(msg *nats.Msg) {
	var n protocol.Notice
	if !p.openFromMarket(msg, protocol.TypeNotice, &n) {
		return
	}
	p.out.reveal(n.Reveal)
	if len(n.Vouchers) > 0 {
		p.bg.Add(1)
		go func() {
			defer p.bg.Done()
			p.out.deliverVouchers(p.runCtx(), n.Vouchers)
		}()
	}
	if n.Challenge != nil {
		p.solve(*n.Challenge)
	}
}

// solve answers a hardware challenge in the background, one chain per
// core in parallel, as fast as this machine honestly can. A newer
// challenge supersedes one still being solved: its remaining chains are
// not started and it is not answered, so two never compete for the cores.
func (p *Provider) solve(c trust.Challenge) {
	if c.Chains <= 0 || c.Chains > trust.MaxChallengeCores || c.SegmentLen <= 0 {
		p.log.Warn("ignored a malformed hardware challenge", "chains", c.Chains, "segmentLen", c.SegmentLen)
		return
	}
	gen := p.solveGen.Add(1)
	current := func() bool { return p.solveGen.Load() == gen }
	p.bg.Add(1)
	go func() {
		defer p.bg.Done()
		start := time.Now()
		a := trust.Answer{Nonce: c.Nonce, Checkpoints: make([][]trust.Hash, c.Chains)}
		var wg sync.WaitGroup
		slots := make(chan struct{}, runtime.NumCPU())
		for i := range a.Checkpoints {
			slots <- struct{}{}
			if !current() {
				<-slots
				break
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				a.Checkpoints[i] = trust.SolveChain(c, i)
				<-slots
			}()
		}
		wg.Wait()
		if !current() {
			p.log.Info("hardware challenge superseded before it was solved", "chains", c.Chains)
			return
		}
		p.log.Info("hardware challenge solved", "chains", c.Chains, "took", time.Since(start).Round(time.Millisecond))
		p.out.answer(a)
	}()
}

// MeasureScore measures this machine's speed for one core in the unit of
// ProviderInfo.BenchScore (millions of chained SHA-256 steps per second),
// by hashing for about d. A provider claims what it measured; the market's
// challenges then check the claim.
func MeasureScore(d time.Duration) float64 {
	h := sha256.Sum256([]byte("bonfire/v1 bench"))
	steps := 0
	start := time.Now()
	for time.Since(start) < d {
		for range 10000 {
			h = sha256.Sum256(h[:])
		}
		steps += 10000
	}
	return float64(steps) / time.Since(start).Seconds() / 1e6
}
