package e2e

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/bonfirenet/bonfire/provider"
)

// testNet is a localnet network with an API client for its wallet.
type testNet struct {
	*localnet.Net
	t   *testing.T
	api *httpapi.Client
	log *slog.Logger // the network's log, shown when a test fails
}

// startNet starts a network in a fresh home on free ports. Zero fields of
// cfg get test-friendly values: quick heartbeats, polls and reaping.
func startNet(t *testing.T, cfg localnet.Config) *testNet {
	t.Helper()
	cfg.Home = localnet.Home(t.TempDir())
	linkCompileCache(t, string(cfg.Home))
	cfg.HTTPAddr, cfg.NATSPort = "127.0.0.1:0", -1
	if cfg.ProviderCPUMilli == 0 {
		cfg.ProviderCPUMilli = 2000
	}
	if cfg.ProviderMaxTasks == 0 {
		cfg.ProviderMaxTasks = 4
	}
	if cfg.Heartbeat == 0 {
		cfg.Heartbeat = 200 * time.Millisecond
	}
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 100 * time.Millisecond
	}
	if cfg.ReapInterval == 0 {
		cfg.ReapInterval = 100 * time.Millisecond
	}
	logs := &syncBuffer{}
	cfg.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	n, err := localnet.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		n.Close()
		if t.Failed() {
			t.Logf("network log (tail):\n%s", logs.tail(16<<10))
		}
	})
	api, err := n.Client()
	if err != nil {
		t.Fatal(err)
	}
	return &testNet{Net: n, t: t, api: api, log: cfg.Log}
}

// linkCompileCache points home's wazero cache at the shared, warm one.
func linkCompileCache(t *testing.T, home string) {
	t.Helper()
	if err := os.Symlink(compileCache, filepath.Join(home, "wazero-cache")); err != nil {
		t.Fatal(err)
	}
}

// upload stores content in the market's blob store.
func (n *testNet) upload(content []byte) bonfire.Digest {
	n.t.Helper()
	d, _, err := n.api.UploadReader(context.Background(), bytes.NewReader(content))
	if err != nil {
		n.t.Fatal(err)
	}
	return d
}

// submit submits spec and fails the test if the market refuses it.
func (n *testNet) submit(spec *bonfire.JobSpec) *bonfire.Job {
	n.t.Helper()
	j, err := n.api.SubmitJob(context.Background(), spec)
	if err != nil {
		n.t.Fatalf("submitting %s: %v", spec.Name, err)
	}
	return j
}

// taskSpec is a one-task job running taskprog with args under generous
// limits, deterministically, retrying nothing.
func taskSpec(name string, module bonfire.Digest, args ...string) *bonfire.JobSpec {
	return &bonfire.JobSpec{
		APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: name, Executor: bonfire.ExecutorWASM,
		Module: string(module), Args: args, Outputs: "/out", Count: 1,
		Resources:   bonfire.Resources{CPUMilli: 100, MemoryBytes: 64 << 20},
		Timeout:     bonfire.Duration(time.Minute),
		Determinism: bonfire.Determinism{Deterministic: true},
	}
}

// sleepSpec is a job of count tasks that each sleep for d on the real
// clock: work that takes a known time without using the CPU.
func sleepSpec(name string, module bonfire.Digest, count int, d time.Duration) *bonfire.JobSpec {
	s := taskSpec(name, module, "sleep", d.String())
	s.Count = count
	s.Determinism.Clock = true
	return s
}

// poll calls check until it reports done, failing the test after within.
// It is for waiting on remote state that no event announces.
func poll(t testing.TB, within time.Duration, what string, check func() (done bool, status string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		done, status := check()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not done after %s (%s)", what, within, status)
		}
		time.Sleep(20 * time.Millisecond) // polling remote state with a deadline
	}
}

// waitJob waits until job id ends and returns it.
func waitJob(t testing.TB, c *httpapi.Client, id string, within time.Duration) *bonfire.Job {
	t.Helper()
	var job *bonfire.Job
	poll(t, within, "job "+id+" to end", func() (bool, string) {
		j, err := c.Job(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		job = j
		return j.State.Terminal(), string(j.State) + " " + countsString(j.Counts)
	})
	return job
}

func countsString(c bonfire.TaskCounts) string {
	b := &strings.Builder{}
	for _, kv := range []struct {
		k string
		v int
	}{{"queued", c.Queued}, {"assigned", c.Assigned}, {"running", c.Running}, {"succeeded", c.Succeeded}, {"failed", c.Failed}, {"cancelled", c.Cancelled}} {
		if kv.v > 0 {
			b.WriteString(kv.k + "=" + itoa(kv.v) + " ")
		}
	}
	return strings.TrimSpace(b.String())
}

func itoa(n int) string { return strconv.Itoa(n) }

// tasks returns every task of a job, by index.
func tasks(t testing.TB, c *httpapi.Client, jobID string) []*bonfire.Task {
	t.Helper()
	var out []*bonfire.Task
	for {
		page, err := c.Tasks(context.Background(), bonfire.TaskFilter{JobID: jobID, Limit: 500, From: len(out)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if len(page) < 500 {
			return out
		}
	}
}

// waitTaskState waits until a job's task index is in state and returns it.
func waitTaskState(t testing.TB, c *httpapi.Client, jobID string, index int, state bonfire.TaskState, within time.Duration) *bonfire.Task {
	t.Helper()
	var task *bonfire.Task
	poll(t, within, "task "+itoa(index)+" of "+jobID+" to be "+string(state), func() (bool, string) {
		ts := tasks(t, c, jobID)
		if index >= len(ts) {
			t.Fatalf("job %s has %d tasks, no index %d", jobID, len(ts), index)
		}
		task = ts[index]
		return task.State == state, string(task.State)
	})
	return task
}

// providerByID finds a local provider by its address.
func (n *testNet) providerByID(id bonfire.Address) *provider.Provider {
	n.t.Helper()
	for _, p := range n.Providers {
		if p.ID().Normal() == id.Normal() {
			return p
		}
	}
	n.t.Fatalf("no local provider %s", id)
	return nil
}

// waitProviderState waits until the market sees provider id in state.
func (n *testNet) waitProviderState(id bonfire.Address, state bonfire.ProviderState, within time.Duration) *bonfire.Provider {
	n.t.Helper()
	var found *bonfire.Provider
	poll(n.t, within, "provider "+string(id)+" to be "+string(state), func() (bool, string) {
		ps, err := n.api.Providers(context.Background())
		if err != nil {
			n.t.Fatal(err)
		}
		for _, p := range ps {
			if p.Info.ID.Normal() == id.Normal() {
				found = p
				return p.State == state, string(p.State)
			}
		}
		return false, "unknown to the market"
	})
	return found
}

// events returns a task's history from the market's store.
func (n *testNet) events(taskID string) []*bonfire.TaskEvent {
	n.t.Helper()
	evs, err := n.Store.Events(context.Background(), taskID)
	if err != nil {
		n.t.Fatal(err)
	}
	return evs
}

func countEvents(evs []*bonfire.TaskEvent, kind string) int {
	n := 0
	for _, e := range evs {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func eventsString(evs []*bonfire.TaskEvent) string {
	var b strings.Builder
	for _, e := range evs {
		b.WriteString("\n  attempt " + itoa(e.Attempt) + " " + e.Kind + " " + string(e.Provider) + " " + e.Detail)
	}
	return b.String()
}

// syncBuffer collects a network's log lines from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// tail returns the last n bytes of the log, leaving out the HTTP access
// lines that the tests' own polling produces.
func (b *syncBuffer) tail(n int) string {
	b.mu.Lock()
	lines := strings.SplitAfter(b.buf.String(), "\n")
	b.mu.Unlock()
	var kept strings.Builder
	for _, l := range lines {
		if !strings.Contains(l, `msg="http request"`) {
			kept.WriteString(l)
		}
	}
	s := kept.String()
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}
