package market

import (
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/protocol"
)

func TestTaskLifeFromPullToAcceptedResult(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p := tm.newProvider()
	p.register()
	job := tm.submit(tm.spec(2, 0))
	if job.State != bonfire.JobQueued || job.Counts.Queued != 2 || job.TaskCount != 2 {
		t.Fatalf("submitted job %+v", job)
	}

	as := p.pull(10)
	if got := taskIDs(as); len(got) != 2 || got[0] != job.ID+".0" || got[1] != job.ID+".1" {
		t.Fatalf("pulled %v", got)
	}
	a := as[0]
	if a.Attempt != 1 || a.Module != tm.module || a.Executor != bonfire.ExecutorWASM || a.Outputs != "/out" ||
		a.Args[1] != "0" || a.Env["BONFIRE_TASK_INDEX"] != "0" {
		t.Fatalf("assignment %+v", a)
	}
	if j := tm.job(job.ID); j.State != bonfire.JobRunning || j.Counts.Assigned != 2 || j.Counts.Queued != 0 {
		t.Fatalf("after pull: state %s counts %+v", j.State, j.Counts)
	}
	if st := tm.storedTask(a.TaskID); st.State != bonfire.TaskAssigned || st.Provider != p.id || st.Attempt != 1 {
		t.Fatalf("stored task after pull: %+v", st)
	}
	if more := p.pull(10); len(more) != 0 {
		t.Fatalf("assigned tasks handed out again: %v", taskIDs(more))
	}

	p.start(as...)
	if j := tm.job(job.ID); j.Counts.Running != 2 {
		t.Fatalf("after started: counts %+v", j.Counts)
	}
	if st := tm.storedTask(a.TaskID); st.State != bonfire.TaskRunning || !st.StartedAt.Equal(tm.clock.Now()) {
		t.Fatalf("stored task after started: %+v", st)
	}

	r0 := p.result(as[0], 0)
	reply := p.finish(r0)
	if len(reply.Accepted) != 1 || reply.Accepted[0] != (protocol.TaskRef{TaskID: a.TaskID, Attempt: 1}) || len(reply.Rejected) != 0 {
		t.Fatalf("report reply %+v", reply)
	}
	// Sent again, as after a lost acknowledgement: accepted, not recorded twice.
	if reply := p.finish(r0); len(reply.Accepted) != 1 || len(reply.Rejected) != 0 {
		t.Fatalf("resent result: %+v", reply)
	}
	if j := tm.job(job.ID); j.State != bonfire.JobRunning || j.Counts.Succeeded != 1 || j.Counts.Running != 1 {
		t.Fatalf("after one result: state %s counts %+v", j.State, j.Counts)
	}
	p.finish(p.result(as[1], 0))

	j := tm.job(job.ID)
	if j.State != bonfire.JobSucceeded || j.Counts != (bonfire.TaskCounts{Succeeded: 2}) || j.FinishedAt.IsZero() {
		t.Fatalf("finished job %+v", j)
	}
	// The job left memory; a resend now is checked against the store.
	if reply := p.finish(r0); len(reply.Accepted) != 1 {
		t.Fatalf("result resent after the job finished: %+v", reply)
	}
	for _, a := range as {
		rs := tm.results(a.TaskID)
		if len(rs) != 1 || rs[0].Attempt != 1 || rs[0].Provider.Normal() != p.id || rs[0].Signature == "" {
			t.Fatalf("results of %s: %+v", a.TaskID, rs)
		}
		st := tm.storedTask(a.TaskID)
		if st.State != bonfire.TaskSucceeded || st.Result == nil || st.Result.OutputDigest != rs[0].OutputDigest {
			t.Fatalf("stored task %+v", st)
		}
	}
	if prov := tm.provider(p.id); prov.TasksDone != 2 || prov.TasksFailed != 0 {
		t.Fatalf("provider counts %+v", prov)
	}
	stored, err := tm.store.Job(t.Context(), job.ID)
	if err != nil || stored.State != bonfire.JobSucceeded {
		t.Fatalf("stored job %+v, %v", stored, err)
	}
}

// Results that must not count: for an attempt that is no longer live, with
// the wrong inputs, or signed by a key other than the provider's.
func TestResultsThatAreRejected(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p, q := tm.newProvider(), tm.newProvider()
	p.register()
	q.register()
	job := tm.submit(tm.spec(3, 2))
	as := p.pull(3)
	if len(as) != 3 {
		t.Fatalf("pulled %d tasks", len(as))
	}
	stale, wrongInputs, forged := as[0], as[1], as[2]

	// stale: p hands the task back, q takes it as attempt 2, then p's
	// attempt 1 result arrives. So does a result of q's attempt signed by p.
	p.report(protocol.Report{Handbacks: []protocol.Handback{{TaskRef: refs(stale)[0], Reason: "owner came back"}}})
	qa := q.pull(1)
	if len(qa) != 1 || qa[0].TaskID != stale.TaskID || qa[0].Attempt != 2 {
		t.Fatalf("q pulled %+v", qa)
	}
	late := p.result(stale, 0)
	hijack := p.result(qa[0], 0) // p claims q's live attempt
	reply := p.finish(late, hijack)
	if len(reply.Accepted) != 0 || len(reply.Rejected) != 2 || !strings.Contains(reply.Rejected[0].Reason, "no longer assigned") {
		t.Fatalf("stale results: %+v", reply)
	}
	if st := tm.storedTask(stale.TaskID); st.State != bonfire.TaskAssigned || st.Provider != q.id || st.Result != nil {
		t.Fatalf("a stale result changed the task: %+v", st)
	}
	if n := countEvents(tm.events(stale.TaskID), "result-stale"); n != 2 {
		t.Fatalf("%d result-stale events, want 2: %+v", n, tm.events(stale.TaskID))
	}
	// q's real result still takes attempt 2's place in the results.
	if reply := q.finish(q.result(qa[0], 0)); len(reply.Accepted) != 1 {
		t.Fatalf("q's result: %+v", reply)
	}
	if rs := tm.results(stale.TaskID); len(rs) != 1 || rs[0].Provider.Normal() != q.id || rs[0].Attempt != 2 {
		t.Fatalf("results of the stale task: %+v", rs)
	}

	// wrong inputs: rejected, recorded, and the task requeued as a retry.
	bad := p.result(wrongInputs, 0)
	bad.InputsDigest = bonfire.DigestOf([]byte("other inputs"))
	resign(t, p, &bad)
	reply = p.finish(bad)
	if len(reply.Rejected) != 1 || !strings.Contains(reply.Rejected[0].Reason, "inputs digest") {
		t.Fatalf("wrong inputs: %+v", reply)
	}
	st := tm.storedTask(wrongInputs.TaskID)
	if st.State != bonfire.TaskQueued || st.Retries != 1 || st.Provider != "" || st.Error == nil || st.Error.Code != bonfire.ECodeInvalid {
		t.Fatalf("task after wrong inputs: %+v", st)
	}
	if n := countEvents(tm.events(wrongInputs.TaskID), "result-rejected"); n != 1 {
		t.Fatalf("%d result-rejected events, want 1", n)
	}

	// forged: signed by q's key but naming p, and sent by p.
	f := q.result(forged, 0)
	f.Provider = p.key.Address()
	reply = p.finish(f)
	if len(reply.Rejected) != 1 || !strings.Contains(reply.Rejected[0].Reason, "signature") {
		t.Fatalf("forged result: %+v", reply)
	}
	// A result naming another provider is refused whatever its signature.
	if reply := q.finish(p.result(forged, 0)); len(reply.Rejected) != 1 {
		t.Fatalf("result relayed by another provider: %+v", reply)
	}
	if st := tm.storedTask(forged.TaskID); st.State != bonfire.TaskAssigned || st.Result != nil {
		t.Fatalf("a forged result changed the task: %+v", st)
	}
	if rs := tm.results(forged.TaskID); len(rs) != 0 {
		t.Fatalf("forged results recorded: %+v", rs)
	}
	if j := tm.job(job.ID); j.Counts.Succeeded != 1 || j.Counts.Queued != 1 || j.Counts.Assigned != 1 {
		t.Fatalf("counts %+v", j.Counts)
	}
}

// A failing task is retried up to Spec.Retries times, then fails and fails
// its job with a reason naming it. A failed result sent twice is accepted
// twice and recorded once.
func TestFailedResultRetriedThenFailsTheJob(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p := tm.newProvider()
	p.register()
	job := tm.submit(tm.spec(2, 2))
	ok := p.pull(2)
	p.finish(p.result(ok[1], 0))
	task := ok[0]
	a := task
	for attempt := 1; attempt <= 3; attempt++ {
		if a.Attempt != attempt {
			t.Fatalf("attempt %d handed out as %d", attempt, a.Attempt)
		}
		r := p.result(a, 1)
		for range 2 { // the second time as after a lost acknowledgement
			if reply := p.finish(r); len(reply.Accepted) != 1 || len(reply.Rejected) != 0 {
				t.Fatalf("attempt %d failed result: %+v", attempt, reply)
			}
		}
		st := tm.storedTask(task.TaskID)
		if attempt < 3 {
			if st.State != bonfire.TaskQueued || st.Retries != attempt || st.Error == nil || st.Error.Code != bonfire.ECodeTaskFailed {
				t.Fatalf("after attempt %d: %+v", attempt, st)
			}
			next := p.pull(1)
			if len(next) != 1 || next[0].TaskID != task.TaskID {
				t.Fatalf("retry not handed out: %+v", next)
			}
			a = next[0]
		} else if st.State != bonfire.TaskFailed || st.Retries != 2 {
			t.Fatalf("after the last attempt: %+v", st)
		}
	}
	rs := tm.results(task.TaskID)
	if len(rs) != 3 || rs[0].Attempt != 1 || rs[2].Attempt != 3 || rs[2].ExitCode != 1 {
		t.Fatalf("results: %+v", rs)
	}
	if n := countEvents(tm.events(task.TaskID), "result-stale"); n != 0 {
		t.Fatalf("a resent result was taken for a stale one")
	}
	j := tm.job(job.ID)
	if j.State != bonfire.JobFailed || j.Counts != (bonfire.TaskCounts{Succeeded: 1, Failed: 1}) {
		t.Fatalf("job %+v", j)
	}
	if !strings.Contains(j.Reason, task.TaskID) || !strings.Contains(j.Reason, "exited with code 1") {
		t.Fatalf("job reason %q does not name the task and its failure", j.Reason)
	}
	if prov := tm.provider(p.id); prov.TasksFailed != 3 || prov.TasksDone != 1 {
		t.Fatalf("provider counts %+v", prov)
	}
}

// A result whose inputs keep being wrong uses up the task's retries instead
// of going round for ever.
func TestWrongInputsCountAgainstRetries(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p := tm.newProvider()
	p.register()
	job := tm.submit(tm.spec(1, 1))
	for attempt := 1; attempt <= 2; attempt++ {
		as := p.pull(1)
		if len(as) != 1 {
			t.Fatalf("attempt %d not handed out", attempt)
		}
		bad := p.result(as[0], 0)
		bad.InputsDigest = bonfire.DigestOf([]byte("tampered"))
		resign(t, p, &bad)
		p.finish(bad)
	}
	if j := tm.job(job.ID); j.State != bonfire.JobFailed || !strings.Contains(j.Reason, "wrong inputs") {
		t.Fatalf("job %+v", j)
	}
}

func resign(t *testing.T, p *fakeProvider, r *bonfire.TaskResult) {
	t.Helper()
	r.Signature = ""
	if err := identity.SignResult(p.key, r); err != nil {
		t.Fatal(err)
	}
}

func countEvents(es []*bonfire.TaskEvent, kind string) int {
	n := 0
	for _, e := range es {
		if e.Kind == kind {
			n++
		}
	}
	return n
}
