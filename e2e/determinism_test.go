package e2e

import (
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/bonfirenet/bonfire/provider"
)

// A deterministic task gives the same output digest on any provider: the
// same spec run as two jobs, each on a different provider, yields the same
// per-index outputs, and different indexes (different seeds) differ.
func TestDeterministicOutputsAgreeAcrossProviders(t *testing.T) {
	t.Parallel()
	n := startNet(t, localnet.Config{Providers: 2, Heartbeat: 100 * time.Millisecond})
	a, b := n.Providers[0], n.Providers[1]
	// The task reads the clock and both random sources, which determinism
	// derives from the task's seed, and writes what it saw.
	spec := taskSpec("entropy", n.upload(taskprog), "entropy", "/out/entropy.txt", "write", "/out/data.bin", "5000")
	spec.Count = 3
	spec.Determinism.Seed = 7

	// Steer each job to one provider by making the other one busy.
	runOn := func(only, other *provider.Provider) *bonfire.JobResults {
		t.Helper()
		other.SetBusy(true)
		only.SetBusy(false)
		n.waitProviderState(other.ID(), bonfire.ProviderBusy, 10*time.Second)
		n.waitProviderState(only.ID(), bonfire.ProviderOnline, 10*time.Second)
		job := waitJob(t, n.api, n.submit(spec).ID, time.Minute)
		if job.State != bonfire.JobSucceeded {
			t.Fatalf("job ended %s: %s", job.State, job.Reason)
		}
		return jobResults(t, n.api, job.ID)
	}
	first, second := runOn(a, b), runOn(b, a)

	seen := map[bonfire.Digest]int{}
	for i := range spec.Count {
		r1, r2 := first.Tasks[i].Result, second.Tasks[i].Result
		if r1.Provider.Normal() != a.ID() || r2.Provider.Normal() != b.ID() {
			t.Fatalf("task %d ran on %s and %s, want %s then %s", i, r1.Provider, r2.Provider, a.ID(), b.ID())
		}
		if r1.InputsDigest != r2.InputsDigest {
			t.Errorf("task %d: inputs digests %s and %s differ for the same spec", i, r1.InputsDigest, r2.InputsDigest)
		}
		if r1.OutputDigest != r2.OutputDigest {
			t.Errorf("task %d: output digest %s on %s but %s on %s", i, r1.OutputDigest, a.ID(), r2.OutputDigest, b.ID())
		}
		if len(r1.Outputs) != 2 {
			t.Errorf("task %d listed outputs %+v, want entropy.txt and data.bin", i, r1.Outputs)
		}
		if j, dup := seen[r1.OutputDigest]; dup {
			t.Errorf("tasks %d and %d have the same output digest though their seeds differ", j, i)
		}
		seen[r1.OutputDigest] = i
	}
}

func jobResults(t testing.TB, c *httpapi.Client, id string) *bonfire.JobResults {
	t.Helper()
	res, err := c.JobResults(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
