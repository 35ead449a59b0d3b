package market

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/scheduler"
	"github.com/nats-io/nats.go"
)

// memTaskStates is the market's in-memory view of a job's tasks.
func (tm *testMarket) memTaskStates(jobID string) []bonfire.TaskState {
	tm.m.mu.Lock()
	defer tm.m.mu.Unlock()
	js := tm.m.st.jobs[jobID]
	if js == nil {
		tm.t.Fatalf("job %s is not in memory", jobID)
	}
	var out []bonfire.TaskState
	for _, t := range js.tasks {
		out = append(out, t.State)
	}
	return out
}

// A market that stops mid-job and starts again on the same files carries
// on where it was: nothing acknowledged is lost and nothing is recorded
// twice.
func TestRestartMidJobRestoresStateAndFinishes(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p := tm.newProvider()
	p.register()
	job := tm.submit(tm.spec(4, 0))
	as := p.pull(3)
	p.start(as[0], as[2])
	r2 := p.result(as[2], 0)
	p.finish(r2)
	want := []bonfire.TaskState{bonfire.TaskRunning, bonfire.TaskAssigned, bonfire.TaskSucceeded, bonfire.TaskQueued}
	if got := tm.memTaskStates(job.ID); !slices.Equal(got, want) {
		t.Fatalf("before restart: %v", got)
	}

	// The market is down for longer than a heartbeat timeout.
	tm.clock.Advance(2 * scheduler.DefaultConfig().HeartbeatTimeout)
	tm.restart()

	if got := tm.memTaskStates(job.ID); !slices.Equal(got, want) {
		t.Fatalf("after restart: %v, want %v", got, want)
	}
	j := tm.job(job.ID)
	if j.State != bonfire.JobRunning || j.Counts != (bonfire.TaskCounts{Queued: 1, Assigned: 1, Running: 1, Succeeded: 1}) {
		t.Fatalf("restored job %+v", j)
	}
	if prov := tm.provider(p.id); prov.State != bonfire.ProviderOnline || !prov.LastHeartbeat.Equal(tm.clock.Now()) {
		t.Fatalf("restored provider %+v", prov)
	}
	// The downtime is not the provider's fault: it gets a fresh window.
	tm.reap()
	if got := tm.memTaskStates(job.ID); !slices.Equal(got, want) {
		t.Fatalf("reaped right after restart: %v", got)
	}

	// The provider carries on with the same key and sequencer.
	p.heartbeat(refs(as[0], as[1])...)
	if prov := tm.provider(p.id); prov.Running != 2 {
		t.Fatalf("restarted market counts %d running tasks, want 2", prov.Running)
	}
	if reply := p.finish(r2); len(reply.Accepted) != 1 { // its ack was lost in the restart
		t.Fatalf("resent result: %+v", reply)
	}
	p.start(as[1])
	rest := p.pull(4)
	if len(rest) != 1 || rest[0].TaskID != job.ID+".3" || rest[0].Attempt != 1 {
		t.Fatalf("after restart pulled %+v", rest)
	}
	r0 := p.result(as[0], 0)
	p.finish(r0, p.result(as[1], 0), p.result(rest[0], 0))
	if reply := p.finish(r0); len(reply.Accepted) != 1 {
		t.Fatalf("resent result: %+v", reply)
	}

	// And once more from disk only.
	tm.restart()
	j = tm.job(job.ID)
	if j.State != bonfire.JobSucceeded || j.Counts != (bonfire.TaskCounts{Succeeded: 4}) {
		t.Fatalf("job after restart %+v", j)
	}
	for i := range 4 {
		id := fmt.Sprintf("%s.%d", job.ID, i)
		if rs := tm.results(id); len(rs) != 1 || rs[0].Attempt != 1 {
			t.Fatalf("results of %s: %+v", id, rs)
		}
	}
}

// Under concurrent traffic the store ends up with the same state as memory:
// every batch is written in the order its changes were made.
func TestConcurrentProvidersLeaveAConsistentStore(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	const providers, tasks = 4, 48
	ps := make([]*fakeProvider, providers)
	for i := range ps {
		ps[i] = tm.newProvider()
		ps[i].register()
	}
	job := tm.submit(tm.spec(tasks, 0))
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				as := p.pull(3)
				if len(as) == 0 {
					return
				}
				p.start(as...)
				for _, a := range as {
					// One report per result, to interleave with the others.
					p.report(protocol.Report{Results: []bonfire.TaskResult{p.result(a, 0)},
						Logs: []bonfire.LogChunk{logChunk(a, "stdout", 1, "done\n")}})
				}
			}
		}()
	}
	wg.Wait()
	if j := tm.job(job.ID); j.State != bonfire.JobSucceeded || j.Counts.Succeeded != tasks {
		t.Fatalf("job %+v", j)
	}
	tm.restart()
	j := tm.job(job.ID)
	if j.State != bonfire.JobSucceeded || j.Counts != (bonfire.TaskCounts{Succeeded: tasks}) {
		t.Fatalf("stored job %+v", j)
	}
	stored, err := tm.m.Tasks(context.Background(), bonfire.TaskFilter{JobID: job.ID, Limit: tasks})
	if err != nil || len(stored) != tasks {
		t.Fatalf("stored tasks: %d, %v", len(stored), err)
	}
	for _, st := range stored {
		if st.State != bonfire.TaskSucceeded || st.Result == nil {
			t.Fatalf("stored task %+v", st)
		}
	}
}

// Close waits for handlers in flight, and the market refuses work after it
// instead of failing.
func TestCloseIsOrderlyUnderTraffic(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p := tm.newProvider()
	p.register()
	job := tm.submit(tm.spec(2, 0))
	replies := make(chan struct{}, 200)
	inbox := p.nc.NewRespInbox()
	sub, err := p.nc.Subscribe(inbox, func(*nats.Msg) { replies <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	for range 100 {
		if err := p.nc.PublishRequest(protocol.SubjectHeartbeat, inbox, p.seal(protocol.TypeHeartbeat, &protocol.Heartbeat{})); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.nc.Flush(); err != nil {
		t.Fatal(err)
	}
	<-replies // the market is busy with them
	m := tm.m
	m.Close()
	m.Close() // twice is fine

	_, err = m.SubmitJob(context.Background(), tm.owner, tm.spec(1, 0))
	wantCode(t, "submit after close", asBonfire(t, err), bonfire.ECodeUnavailable)
	_, err = m.CancelJob(context.Background(), tm.owner, job.ID)
	wantCode(t, "cancel after close", asBonfire(t, err), bonfire.ECodeUnavailable)
}
