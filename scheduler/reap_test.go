package scheduler

import (
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func TestReapRequeuesTasksOfSilentProviderThenFails(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	t0 := time.Unix(1_700_000_000, 0)
	s := newMemState()
	s.addJob("j1", wasmSpec(100, 100), 1) // one retry allowed
	s.addProvider("p1", 0, t0)
	s.addProvider("p2", 0, t0)
	mustApply(t, s, Place(s, PullRequest{Provider: "p1", Free: capacity(1000), Max: 1}))
	task := s.tasks["j1"][0]
	task.StartedAt, task.State = t0, bonfire.TaskRunning

	if p := Reap(s, cfg, t0.Add(cfg.HeartbeatTimeout/2)); !p.Empty() {
		t.Fatalf("reaped too early: %+v", p)
	}
	p := Reap(s, cfg, t0.Add(cfg.HeartbeatTimeout+time.Second))
	if len(p.Requeue) != 1 || p.Requeue[0].Reason.Code != bonfire.ECodeProviderLost || len(p.Offline) != 2 {
		t.Fatalf("want one requeue for a lost provider and both providers offline, got %+v", p)
	}
	mustApply(t, s, p)
	if task.State != bonfire.TaskQueued || task.Retries != 1 {
		t.Fatalf("task after requeue: %+v", task)
	}

	// Second loss: retries (1) are used up, so the task fails.
	t1 := t0.Add(time.Minute)
	s.providers["p2"].State, s.providers["p2"].LastHeartbeat = bonfire.ProviderOnline, t1
	mustApply(t, s, Place(s, PullRequest{Provider: "p2", Free: capacity(1000), Max: 1}))
	if task.Provider != "p2" || task.Attempt != 2 {
		t.Fatalf("task not reassigned to p2: %+v", task)
	}
	p = Reap(s, cfg, t1.Add(cfg.HeartbeatTimeout+time.Second))
	if len(p.Fail) != 1 || p.Fail[0].Task != task {
		t.Fatalf("want the task failed, got %+v", p)
	}
	mustApply(t, s, p)
	if task.State != bonfire.TaskFailed || task.Error.Code != bonfire.ECodeProviderLost {
		t.Fatalf("task after failure: %+v", task)
	}
}

func TestReapTimeoutAndAssignTimeout(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	t0 := time.Unix(1_700_000_000, 0)
	s := newMemState()
	s.addJob("j1", wasmSpec(100, 100), 2)
	s.addProvider("p1", 0, t0)
	mustApply(t, s, Place(s, PullRequest{Provider: "p1", Free: capacity(1000), Max: 2}))
	running, stuck := s.tasks["j1"][0], s.tasks["j1"][1]
	running.State, running.StartedAt = bonfire.TaskRunning, t0
	stuck.AssignedAt = t0

	late := t0.Add(2 * time.Minute) // past timeout (1m) + grace and past AssignTimeout
	s.providers["p1"].LastHeartbeat = late
	p := Reap(s, cfg, late)
	codes := map[string]bonfire.ErrorCode{}
	for _, r := range p.Requeue {
		codes[r.Task.ID] = r.Reason.Code
	}
	if codes[running.ID] != bonfire.ECodeTimeout || codes[stuck.ID] != bonfire.ECodeProviderLost || len(p.Offline) != 0 {
		t.Fatalf("unexpected reap plan: %+v", p)
	}
}

func TestAfterFailureCapsRetries(t *testing.T) {
	t.Parallel()
	job := &bonfire.Job{Spec: wasmSpec(1, 1)}
	job.Spec.Retries = 2
	task := &bonfire.Task{}
	reason := bonfire.Errorf(bonfire.ECodeTaskFailed, "exited with code 1")
	for i := 0; i < 2; i++ {
		p := AfterFailure(job, task, reason)
		if len(p.Requeue) != 1 {
			t.Fatalf("attempt %d: want requeue, got %+v", i, p)
		}
		task.Retries++
	}
	if p := AfterFailure(job, task, reason); len(p.Fail) != 1 {
		t.Fatalf("want failure after retries, got %+v", p)
	}
}

func TestWithDefaultsFillsEachZeroField(t *testing.T) {
	t.Parallel()
	c := Config{HeartbeatTimeout: 3 * time.Second}.WithDefaults()
	d := DefaultConfig()
	if c.HeartbeatTimeout != 3*time.Second || c.AssignTimeout != d.AssignTimeout || c.TimeoutGrace != d.TimeoutGrace {
		t.Fatalf("WithDefaults = %+v", c)
	}
}
