package localnet

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/examples"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/jobspec"
	"github.com/bonfirenet/bonfire/wasmexec"
)

func startNet(t *testing.T, providers int) *Net {
	t.Helper()
	n, err := Start(context.Background(), Config{Home: Home(t.TempDir()), Providers: providers,
		HTTPAddr: "127.0.0.1:0", NATSPort: -1, ProviderCPUMilli: 2000, ProviderMaxTasks: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Close)
	return n
}

func waitJob(t *testing.T, c *httpapi.Client, id string, within time.Duration) *bonfire.Job {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		j, err := c.Job(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if j.State.Terminal() {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s after %s: %+v", id, j.State, within, j.Counts)
		}
		time.Sleep(20 * time.Millisecond) // polling a remote state with a deadline
	}
}

func TestNoopJobRunsOnLocalProviders(t *testing.T) {
	t.Parallel()
	n := startNet(t, 2)
	c, err := n.Client()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mod, _, err := c.UploadReader(ctx, bytes.NewReader(wasmexec.NoopModule))
	if err != nil {
		t.Fatal(err)
	}
	spec := &bonfire.JobSpec{APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "noop", Executor: bonfire.ExecutorWASM,
		Module: string(mod), Outputs: "/out", Count: 20, Timeout: bonfire.Duration(time.Minute), Retries: 1,
		Resources: bonfire.Resources{CPUMilli: 100, MemoryBytes: 16 << 20}, Determinism: bonfire.Determinism{Deterministic: true}}
	job, err := c.SubmitJob(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	done := waitJob(t, c, job.ID, time.Minute)
	if done.State != bonfire.JobSucceeded || done.Counts.Succeeded != 20 {
		t.Fatalf("job ended %s with %+v (%s)", done.State, done.Counts, done.Reason)
	}
	res, err := c.JobResults(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Tasks {
		if o.Result == nil || o.Result.Signature == "" || o.Result.InputsDigest == "" || o.Result.OutputDigest == "" {
			t.Fatalf("task %s has an incomplete result: %+v", o.TaskID, o.Result)
		}
	}
}

// runExample submits one of the shipped example jobs through the real
// network, the way `bonfire job run` does, and returns its results.
func runExample(t *testing.T, n *Net, name string) *bonfire.JobResults {
	t.Helper()
	dir := t.TempDir()
	if err := examples.WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	specPath := filepath.Join(dir, name, examples.SpecFile)
	raw, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := jobspec.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	c, err := n.Client()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := jobspec.Resolve(ctx, spec, filepath.Dir(specPath), c); err != nil {
		t.Fatal(err)
	}
	job, err := c.SubmitJob(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	if done := waitJob(t, c, job.ID, 5*time.Minute); done.State != bonfire.JobSucceeded {
		t.Fatalf("%s ended %s: %s", name, done.State, done.Reason)
	}
	res, err := c.JobResults(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestBatchInferenceAndTextExamplesRunThroughTheNetwork(t *testing.T) {
	t.Parallel()
	n := startNet(t, 2)

	infer := runExample(t, n, "batch-inference")
	if len(infer.Tasks) != 4 || len(infer.Ranking) != 4 {
		t.Fatalf("batch inference: %d tasks, %d ranked; want 4 and 4", len(infer.Tasks), len(infer.Ranking))
	}
	for _, r := range infer.Ranking {
		if r.Metric < 0.9 {
			t.Errorf("shard %s scored %.3f with the shipped model, want ≥ 0.9", r.TaskID, r.Metric)
		}
	}
	for _, o := range infer.Tasks {
		if !hasOutput(o.Result, "predictions.csv") {
			t.Errorf("task %s has no predictions.csv: %+v", o.TaskID, o.Result.Outputs)
		}
	}

	text := runExample(t, n, "text-tokens")
	if len(text.Ranking) != 4 {
		t.Fatalf("text job ranked %d shards, want 4", len(text.Ranking))
	}
	for _, o := range text.Tasks {
		if !hasOutput(o.Result, "counts.json") || !hasOutput(o.Result, "embedding.json") {
			t.Errorf("task %s lacks counts.json or embedding.json: %+v", o.TaskID, o.Result.Outputs)
		}
	}
	if text.Ranking[len(text.Ranking)-1].Metric <= 0 {
		t.Errorf("a shard counted no tokens: %+v", text.Ranking)
	}
}

func hasOutput(r *bonfire.TaskResult, name string) bool {
	if r == nil {
		return false
	}
	for _, f := range r.Outputs {
		if f.Name == name && f.Size > 0 {
			return true
		}
	}
	return false
}
