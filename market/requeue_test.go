package market

import (
	"slices"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/scheduler"
)

// A handed-back task goes back to the queue without using a retry, and
// another provider runs it.
func TestHandbackRequeuesWithoutCountingARetry(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p, q := tm.newProvider(), tm.newProvider()
	p.register()
	q.register()
	job := tm.submit(tm.spec(1, 0)) // no retries: a counted retry would fail it
	as := p.pull(1)
	p.start(as...)
	p.report(protocol.Report{Handbacks: []protocol.Handback{{TaskRef: refs(as...)[0], Reason: "owner is back"}}})

	st := tm.storedTask(as[0].TaskID)
	if st.State != bonfire.TaskQueued || st.Retries != 0 || st.Provider != "" || st.Error == nil || st.Error.Code != bonfire.ECodeHandedBack {
		t.Fatalf("task after hand-back: %+v", st)
	}
	// A second hand-back of the same attempt changes nothing.
	p.report(protocol.Report{Handbacks: []protocol.Handback{{TaskRef: refs(as...)[0], Reason: "again"}}})
	if n := countEvents(tm.events(as[0].TaskID), "requeued"); n != 1 {
		t.Fatalf("%d requeued events, want 1", n)
	}

	qa := q.pull(1)
	if len(qa) != 1 || qa[0].TaskID != as[0].TaskID || qa[0].Attempt != 2 {
		t.Fatalf("q pulled %+v", qa)
	}
	q.finish(q.result(qa[0], 0))
	if j := tm.job(job.ID); j.State != bonfire.JobSucceeded {
		t.Fatalf("job %+v", j)
	}
	if rs := tm.results(as[0].TaskID); len(rs) != 1 || rs[0].Provider.Normal() != q.id {
		t.Fatalf("results %+v", rs)
	}
}

// A provider that stops heartbeating loses its tasks to another provider
// and is marked offline until it heartbeats again.
func TestHeartbeatTimeoutMovesTasksToAnotherProvider(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p, q := tm.newProvider(), tm.newProvider()
	p.register()
	q.register()
	job := tm.submit(tm.spec(2, 1))
	as := p.pull(2)
	p.start(as[0])
	cancels := p.cancels()

	hbTimeout := scheduler.DefaultConfig().HeartbeatTimeout
	tm.clock.Advance(hbTimeout / 2)
	p.heartbeat(refs(as...)...)
	q.heartbeat()
	tm.reap()
	if prov := tm.provider(p.id); prov.State != bonfire.ProviderOnline || prov.Running != 2 {
		t.Fatalf("provider reaped while heartbeating: %+v", prov)
	}

	tm.clock.Advance(hbTimeout + time.Second) // p silent for longer than the timeout
	q.heartbeat()
	tm.reap()
	if prov := tm.provider(p.id); prov.State != bonfire.ProviderOffline {
		t.Fatalf("silent provider is %s, want offline", prov.State)
	}
	if prov := tm.provider(q.id); prov.State != bonfire.ProviderOnline {
		t.Fatalf("heartbeating provider is %s", prov.State)
	}
	for _, a := range as {
		st := tm.storedTask(a.TaskID)
		if st.State != bonfire.TaskQueued || st.Retries != 1 || st.Error.Code != bonfire.ECodeProviderLost {
			t.Fatalf("task of the lost provider: %+v", st)
		}
	}
	if got := p.nextCancel(cancels); !slices.Equal(sortRefs(got), sortRefs(refs(as...))) {
		t.Fatalf("lost provider told to cancel %+v, want %+v", got, refs(as...))
	}
	stored, err := tm.store.Providers(t.Context())
	if err != nil || !slices.ContainsFunc(stored, func(sp *bonfire.Provider) bool {
		return sp.Info.ID.Normal() == p.id && sp.State == bonfire.ProviderOffline
	}) {
		t.Fatalf("offline state not stored: %+v, %v", stored, err)
	}

	// An offline provider gets no work; q does.
	if got := p.pull(2); len(got) != 0 {
		t.Fatalf("offline provider pulled %v", taskIDs(got))
	}
	qa := q.pull(2)
	if len(qa) != 2 || qa[0].Attempt != 2 {
		t.Fatalf("q pulled %+v", qa)
	}

	// p comes back: online again, and told to stop what it still runs.
	p.heartbeat(refs(as...)...)
	if prov := tm.provider(p.id); prov.State != bonfire.ProviderOnline || prov.Running != 0 {
		t.Fatalf("provider after heartbeat: %+v", prov)
	}
	if got := p.nextCancel(cancels); len(got) != 2 {
		t.Fatalf("returning provider told to cancel %+v", got)
	}
	q.finish(q.result(qa[0], 0), q.result(qa[1], 0))
	if j := tm.job(job.ID); j.State != bonfire.JobSucceeded {
		t.Fatalf("job %+v", j)
	}
}

// A running task past its timeout plus grace is retried, then failed.
func TestRunningTaskPastItsTimeoutIsRetriedThenFailed(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p := tm.newProvider()
	p.register()
	spec := tm.spec(1, 1)
	spec.Timeout = bonfire.Duration(2 * time.Second)
	job := tm.submit(spec)
	grace := scheduler.DefaultConfig().TimeoutGrace

	for attempt := 1; attempt <= 2; attempt++ {
		as := p.pull(1)
		if len(as) != 1 || as[0].Attempt != attempt {
			t.Fatalf("attempt %d: pulled %+v", attempt, as)
		}
		p.start(as...)
		tm.clock.Advance(spec.Timeout.D() + grace - time.Second)
		p.heartbeat(refs(as...)...)
		tm.reap()
		if st := tm.storedTask(as[0].TaskID); st.State != bonfire.TaskRunning {
			t.Fatalf("attempt %d reaped before its timeout: %+v", attempt, st)
		}
		tm.clock.Advance(2 * time.Second)
		p.heartbeat(refs(as...)...)
		tm.reap()
		st := tm.storedTask(as[0].TaskID)
		if st.Error == nil || st.Error.Code != bonfire.ECodeTimeout {
			t.Fatalf("attempt %d after its timeout: %+v", attempt, st)
		}
		if attempt == 1 && (st.State != bonfire.TaskQueued || st.Retries != 1) {
			t.Fatalf("first timeout not retried: %+v", st)
		}
		if attempt == 2 && st.State != bonfire.TaskFailed {
			t.Fatalf("second timeout did not fail the task: %+v", st)
		}
	}
	if j := tm.job(job.ID); j.State != bonfire.JobFailed || j.Counts.Failed != 1 {
		t.Fatalf("job %+v", j)
	}
	if prov := tm.provider(p.id); prov.State != bonfire.ProviderOnline {
		t.Fatalf("a slow task took its provider offline: %+v", prov)
	}
}

// A provider that registers again has restarted: its tasks go back to the
// queue, and that counts against their retries.
func TestReRegistrationRequeuesActiveTasks(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p, q := tm.newProvider(), tm.newProvider()
	p.register()
	q.register()
	job := tm.submit(tm.spec(3, 1))
	as := p.pull(2)
	p.start(as[0])
	qa := q.pull(1)

	p.register()
	for _, a := range as {
		st := tm.storedTask(a.TaskID)
		if st.State != bonfire.TaskQueued || st.Provider != "" || st.Retries != 1 || st.Error.Code != bonfire.ECodeProviderLost {
			t.Fatalf("task of the restarted provider: %+v", st)
		}
	}
	if st := tm.storedTask(qa[0].TaskID); st.State != bonfire.TaskAssigned || st.Provider != q.id {
		t.Fatalf("another provider's task was touched: %+v", st)
	}
	again := p.pull(2)
	if !slices.Equal(taskIDs(again), taskIDs(as)) || again[0].Attempt != 2 {
		t.Fatalf("after restart p pulled %+v", again)
	}

	// Restarting again uses up the last retry: the tasks fail.
	p.register()
	if j := tm.job(job.ID); j.Counts.Failed != 2 || j.Counts.Queued != 0 {
		t.Fatalf("second restart: counts %+v", j.Counts)
	}
	q.finish(q.result(qa[0], 0))
	if j := tm.job(job.ID); j.State != bonfire.JobFailed {
		t.Fatalf("job %+v", j)
	}
}

func sortRefs(rs []protocol.TaskRef) []protocol.TaskRef {
	out := slices.Clone(rs)
	slices.SortFunc(out, func(a, b protocol.TaskRef) int {
		if a.TaskID < b.TaskID {
			return -1
		}
		if a.TaskID > b.TaskID {
			return 1
		}
		return a.Attempt - b.Attempt
	})
	return out
}
