package localnet

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
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
