package market

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/trust"
	"github.com/nats-io/nats.go"
)

// verifiedSpec is a priced spec of count tasks under policy ("" is
// adaptive).
func (tm *testMarket) verifiedSpec(count int, policy string) *bonfire.JobSpec {
	s := tm.pricedSpec(count)
	s.Verify = bonfire.Verify{Policy: policy}
	s.Retries = 2
	return s
}

// output is a result file whose content stands for answer: two results
// with the same answer have the same output digest.
func output(answer string) bonfire.FileRef {
	return bonfire.FileRef{Name: "answer", Digest: bonfire.DigestOf([]byte(answer)), Size: int64(len(answer))}
}

// pricedProviders makes n registered providers charging 100 per cpu-second.
func (tm *testMarket) pricedProviders(n int) []*fakeProvider {
	tm.t.Helper()
	out := make([]*fakeProvider, n)
	for i := range out {
		out[i] = tm.newProvider()
		out[i].price = 100
		out[i].register()
	}
	return out
}

// held is a result p committed to and has not revealed.
type held struct {
	result bonfire.TaskResult
	salt   trust.Hash
}

// commit sends p's commitment to the result of a with answer, and returns
// what it holds back and the market's reply.
func (p *fakeProvider) commit(a protocol.Assignment, answer string) (held, protocol.ReportReply) {
	p.t.Helper()
	return p.commitReply(a, p.result(a, 0, output(answer)))
}

// commitResult commits to r, a result of a, and returns what p holds.
func (p *fakeProvider) commitResult(a protocol.Assignment, r bonfire.TaskResult) held {
	p.t.Helper()
	h, _ := p.commitReply(a, r)
	return h
}

func (p *fakeProvider) commitReply(a protocol.Assignment, r bonfire.TaskResult) (held, protocol.ReportReply) {
	p.t.Helper()
	var salt trust.Hash
	copy(salt[:], string(r.OutputDigest)[7:]+string(p.id)) // distinct per result; randomness is not what is tested
	cm := protocol.Commit{TaskRef: protocol.TaskRef{TaskID: a.TaskID, Attempt: a.Attempt},
		Commitment: trust.Commitment(r.OutputDigest, p.id, a.TaskID, a.Attempt, salt)}
	return held{result: r, salt: salt}, p.report(protocol.Report{Commits: []protocol.Commit{cm}})
}

// reveal sends a held result with its salt.
func (p *fakeProvider) reveal(h held) protocol.ReportReply {
	p.t.Helper()
	return p.report(protocol.Report{Results: []bonfire.TaskResult{h.result},
		Reveals: []protocol.Reveal{{TaskRef: protocol.TaskRef{TaskID: h.result.TaskID, Attempt: h.result.Attempt}, Salt: h.salt}}})
}

// notices subscribes to p's notice subject.
func (p *fakeProvider) notices() *nats.Subscription {
	p.t.Helper()
	sub, err := p.nc.SubscribeSync(protocol.NoticeSubject(p.id))
	if err != nil {
		p.t.Fatal(err)
	}
	if err := p.nc.Flush(); err != nil {
		p.t.Fatal(err)
	}
	return sub
}

// nextNotice waits for the next notice and checks the market sealed it.
func (p *fakeProvider) nextNotice(sub *nats.Subscription) protocol.Notice {
	p.t.Helper()
	msg, err := sub.NextMsg(requestTimeout)
	if err != nil {
		p.t.Fatalf("no notice: %v", err)
	}
	env, err := protocol.Open(msg.Data)
	if err != nil || env.ExpectFrom(p.tm.key.Address()) != nil || env.Type != protocol.TypeNotice {
		p.t.Fatalf("notice does not open as the market's: %v", err)
	}
	var n protocol.Notice
	if err := protocol.DecodeBody(env, &n); err != nil {
		p.t.Fatal(err)
	}
	return n
}

// pullOne pulls exactly one assignment.
func (p *fakeProvider) pullOne() protocol.Assignment {
	p.t.Helper()
	as := p.pull(1)
	if len(as) != 1 {
		p.t.Fatalf("provider %s pulled %d tasks, want 1", p.id, len(as))
	}
	return as[0]
}

// slashRecorder is a bonfire.Slasher that records orders and takes all
// it is asked for.
type slashRecorder struct {
	mu     sync.Mutex
	orders []slashOrder
	done   chan struct{}
}

func newSlashRecorder() *slashRecorder { return &slashRecorder{done: make(chan struct{}, 64)} }

func (s *slashRecorder) Slash(_ context.Context, provider, consumer bonfire.Address, amount uint64, evidence bonfire.Digest) (uint64, error) {
	s.mu.Lock()
	s.orders = append(s.orders, slashOrder{provider: provider, consumer: consumer, amount: amount, evidence: evidence})
	s.mu.Unlock()
	s.done <- struct{}{}
	return amount, nil
}

// wait returns the first n orders once they have been carried out.
func (s *slashRecorder) wait(t testing.TB, n int) []slashOrder {
	t.Helper()
	for i := range n {
		select {
		case <-s.done:
		case <-time.After(requestTimeout):
			t.Fatalf("%d slash orders carried out, want %d", i, n)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]slashOrder(nil), s.orders...)
}

// storedTasks lists every task of a job the store holds, check runs too.
func (tm *testMarket) storedTasks(jobID string) []*bonfire.Task {
	tm.t.Helper()
	ts, err := tm.store.Tasks(context.Background(), bonfire.TaskFilter{JobID: jobID, Limit: 1000})
	if err != nil {
		tm.t.Fatal(err)
	}
	return ts
}

func hasEvent(events []*bonfire.TaskEvent, kind string) *bonfire.TaskEvent {
	for _, e := range events {
		if e.Kind == kind {
			return e
		}
	}
	return nil
}

// charges lists a job's durable charges.
func (tm *testMarket) charges(jobID string) []*bonfire.TaskCharge {
	tm.t.Helper()
	cs, err := tm.store.JobCharges(context.Background(), jobID)
	if err != nil {
		tm.t.Fatal(err)
	}
	return cs
}
