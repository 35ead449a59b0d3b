package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/localnet"
)

// Idle mode: when the machine's owner needs it, the provider hands its
// running task back (not counted as a retry) and takes no work until the
// owner is done; then it takes work again and the jobs complete.
func TestIdleModeHandsBackAndResumes(t *testing.T) {
	t.Parallel()
	n := startNet(t, localnet.Config{Providers: 1, Heartbeat: 100 * time.Millisecond, PollInterval: 50 * time.Millisecond})
	p := n.Providers[0]
	mod := n.upload(taskprog)
	long := n.submit(sleepSpec("long", mod, 1, 3*time.Second))
	waitTaskState(t, n.api, long.ID, 0, bonfire.TaskRunning, 30*time.Second)

	p.SetBusy(true)
	back := waitTaskState(t, n.api, long.ID, 0, bonfire.TaskQueued, 30*time.Second)
	if back.Attempt != 1 || back.Retries != 0 || back.Provider != "" {
		t.Errorf("handed-back task: attempt %d, %d retries, provider %q; want attempt 1, no retry, no provider", back.Attempt, back.Retries, back.Provider)
	}
	if back.Error == nil || back.Error.Code != bonfire.ECodeHandedBack {
		t.Errorf("handed-back task's error is %v, want %s", back.Error, bonfire.ECodeHandedBack)
	}
	evs := n.events(back.ID)
	handedBack := false
	for _, e := range evs {
		if e.Kind == "requeued" && e.Attempt == 1 && strings.Contains(e.Detail, "handed the task back") {
			handedBack = true
		}
	}
	if !handedBack {
		t.Errorf("history does not show the hand-back:%s", eventsString(evs))
	}

	// While busy, neither the handed-back task nor a new job is taken.
	// The provider polls every 50ms; several of its heartbeats reaching
	// the market show it had time to pull, had it wanted to.
	fresh := n.submit(taskSpec("while-busy", mod, "noop"))
	busy := n.waitProviderState(p.ID(), bonfire.ProviderBusy, 10*time.Second)
	later := busy.LastHeartbeat.Add(500 * time.Millisecond)
	poll(t, 10*time.Second, "five more heartbeats from the busy provider", func() (bool, string) {
		ps, err := n.api.Providers(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return ps[0].LastHeartbeat.After(later), "last heartbeat " + ps[0].LastHeartbeat.String()
	})
	for _, id := range []string{long.ID, fresh.ID} {
		if task := tasks(t, n.api, id)[0]; task.State != bonfire.TaskQueued {
			t.Errorf("task %s is %s while its only provider is busy, want queued", task.ID, task.State)
		}
	}
	if s := p.Stats(); s.Running != 0 || s.HandedBack != 1 || !s.Busy {
		t.Errorf("busy provider's stats %+v, want nothing running, one hand-back, busy", s)
	}

	p.SetBusy(false)
	for _, id := range []string{long.ID, fresh.ID} {
		if j := waitJob(t, n.api, id, time.Minute); j.State != bonfire.JobSucceeded {
			t.Fatalf("job %s ended %s: %s", id, j.State, j.Reason)
		}
	}
	task := tasks(t, n.api, long.ID)[0]
	if task.Attempt != 2 || task.Retries != 0 || task.Result == nil || task.Result.Attempt != 2 ||
		task.Result.Provider.Normal() != p.ID() {
		t.Errorf("long task ended at attempt %d with %d retries and result %+v; want attempt 2 on %s without a retry",
			task.Attempt, task.Retries, task.Result, p.ID())
	}
	n.waitProviderState(p.ID(), bonfire.ProviderOnline, 10*time.Second)
}
