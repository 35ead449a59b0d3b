package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/bonfirenet/bonfire/natsbus"
	"github.com/bonfirenet/bonfire/provider"
	"github.com/bonfirenet/bonfire/scheduler"
	"github.com/bonfirenet/bonfire/wasmexec"
)

// A provider that dies mid-task (no hand-back, no more heartbeats) loses
// its task to the reaper, which reruns it on the other provider.
func TestTaskOfKilledProviderRerunsElsewhere(t *testing.T) {
	t.Parallel()
	n := startNet(t, localnet.Config{Providers: 2, Heartbeat: 100 * time.Millisecond,
		Scheduler: scheduler.Config{HeartbeatTimeout: 2 * time.Second, AssignTimeout: time.Minute, TimeoutGrace: 10 * time.Second}})
	spec := sleepSpec("outlives-its-provider", n.upload(taskprog), 1, 2*time.Second)
	spec.Retries = 1
	job := n.submit(spec)

	running := waitTaskState(t, n.api, job.ID, 0, bonfire.TaskRunning, 30*time.Second)
	victim := n.providerByID(running.Provider)
	victim.Kill()

	done := waitJob(t, n.api, job.ID, time.Minute)
	task := tasks(t, n.api, job.ID)[0]
	if done.State != bonfire.JobSucceeded || task.State != bonfire.TaskSucceeded {
		t.Fatalf("job %s, task %s (%v); want both succeeded", done.State, task.State, task.Error)
	}
	if task.Attempt != 2 || task.Retries != 1 {
		t.Errorf("task ended at attempt %d with %d retries, want attempt 2 after 1 retry", task.Attempt, task.Retries)
	}
	if r := task.Result; r == nil || r.Attempt != 2 || r.Provider.Normal() == victim.ID() || !r.OK() {
		t.Fatalf("accepted result %+v; want attempt 2 from the surviving provider", task.Result)
	}
	// The killed provider reported nothing: the only result is the rerun's.
	results, err := n.Store.Results(context.Background(), task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || results[0].Attempt != 2 {
		t.Errorf("the store holds %d results (%+v), want only attempt 2's", len(results), results)
	}
	evs := n.events(task.ID)
	requeued := false
	for _, e := range evs {
		if e.Kind == "requeued" && e.Attempt == 1 && e.Provider.Normal() == victim.ID() &&
			strings.Contains(e.Detail, "stopped heartbeating") && strings.Contains(e.Detail, string(victim.ID())) {
			requeued = true
		}
	}
	if !requeued {
		t.Errorf("history does not show attempt 1 requeued because %s stopped heartbeating:%s", victim.ID(), eventsString(evs))
	}
	n.waitProviderState(victim.ID(), bonfire.ProviderOffline, 10*time.Second)
}

// A provider stopped on purpose hands its running task back at once: the
// task is queued again without waiting for the heartbeat timeout and
// without using up a retry, and the next provider runs it.
func TestStoppedProviderHandsItsTaskBack(t *testing.T) {
	t.Parallel()
	// The reaper would take a minute to notice a silent provider, and the
	// spec allows no retry: only a hand-back requeues the task in time.
	n := startNet(t, localnet.Config{Scheduler: scheduler.Config{HeartbeatTimeout: time.Minute, AssignTimeout: time.Minute, TimeoutGrace: 10 * time.Second}})
	first, stopFirst := n.startProvider("first")
	job := n.submit(sleepSpec("outlives-a-shutdown", n.upload(taskprog), 1, 2*time.Second))
	waitTaskState(t, n.api, job.ID, 0, bonfire.TaskRunning, 30*time.Second)
	stopFirst()

	back := waitTaskState(t, n.api, job.ID, 0, bonfire.TaskQueued, 10*time.Second)
	if back.Error == nil || back.Error.Code != bonfire.ECodeHandedBack || back.Retries != 0 {
		t.Fatalf("requeued task has error %v and %d retries, want a hand-back that is no retry", back.Error, back.Retries)
	}
	if s := first.Stats(); s.HandedBack != 1 {
		t.Errorf("the stopped provider counts %d hand-backs, want 1", s.HandedBack)
	}
	second, _ := n.startProvider("second")
	done := waitJob(t, n.api, job.ID, time.Minute)
	task := tasks(t, n.api, job.ID)[0]
	if done.State != bonfire.JobSucceeded || task.Attempt != 2 || task.Result == nil || task.Result.Provider.Normal() != second.ID() {
		t.Fatalf("job %s (%s), task at attempt %d with result %+v; want attempt 2 to succeed on %s", done.State, done.Reason, task.Attempt, task.Result, second.ID())
	}
}

// startProvider runs one more provider on n, outside localnet, so that the
// test alone decides when it stops. stop returns once it has.
func (n *testNet) startProvider(name string) (p *provider.Provider, stop func()) {
	t := n.t
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	key, err := localnet.Key(filepath.Join(dir, "key.json"))
	if err != nil {
		t.Fatal(err)
	}
	exec, err := wasmexec.New(wasmexec.Options{CacheDir: compileCache})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exec.Close(context.Background()) })
	conn, err := natsbus.Connect(n.NATSURL, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	p, err = provider.New(provider.Config{Conn: conn, Key: key, Name: name, Executors: []bonfire.Executor{exec}, WorkDir: dir,
		Lend: bonfire.Capacity{CPUMilli: 2000, MemoryBytes: 2 << 30}, PollInterval: 50 * time.Millisecond,
		Log: n.log.With("name", name)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready, stopped := make(chan struct{}), make(chan error, 1)
	go func() { stopped <- p.Run(ctx, func() { close(ready) }) }()
	select {
	case <-ready:
	case err := <-stopped:
		t.Fatalf("provider %s stopped before it registered: %v", name, err)
	}
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-stopped; err != nil {
				t.Errorf("provider %s: %v", name, err)
			}
		})
	}
	t.Cleanup(stop)
	return p, stop
}
