package scheduler

import (
	"slices"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func TestPlaceOldestJobFirstWithinCapacity(t *testing.T) {
	t.Parallel()
	now := time.Now()
	s := newMemState()
	s.addJob("j1", wasmSpec(1000, 10), 3)
	s.addJob("j2", wasmSpec(500, 10), 4)
	s.addProvider("p1", 5, now)

	p := Place(s, PullRequest{Provider: "p1", Free: capacity(4000), Max: 10})
	got := taskIDs(p)
	// 3 tasks of j1 use 3000m; 2 of j2 fill the last 1000m.
	want := []string{"j1.a", "j1.b", "j1.c", "j2.a", "j2.b"}
	if !slices.Equal(got, want) {
		t.Fatalf("placed %v, want %v", got, want)
	}
	mustApply(t, s, p)
	if s.tasks["j1"][0].State != bonfire.TaskAssigned || s.tasks["j1"][0].Attempt != 1 {
		t.Fatalf("task not assigned: %+v", s.tasks["j1"][0])
	}
	// Already assigned tasks are not placed again.
	p2 := Place(s, PullRequest{Provider: "p1", Free: capacity(4000), Max: 10})
	if got := taskIDs(p2); !slices.Equal(got, []string{"j2.c", "j2.d"}) {
		t.Fatalf("second pull placed %v", got)
	}
}

func TestPlaceRespectsMax(t *testing.T) {
	t.Parallel()
	s := newMemState()
	s.addJob("j1", wasmSpec(10, 10), 50)
	s.addProvider("p1", 0, time.Now())
	if n := len(Place(s, PullRequest{Provider: "p1", Free: capacity(4000), Max: 7}).Assign); n != 7 {
		t.Fatalf("placed %d tasks, want 7", n)
	}
}

func TestPlaceSkipsIneligibleJobs(t *testing.T) {
	t.Parallel()
	now := time.Now()
	s := newMemState()
	s.addJob("cheap", wasmSpec(100, 1), 1) // max price below the provider's
	docker := wasmSpec(100, 100)
	docker.Executor = bonfire.ExecutorDocker
	s.addJob("docker", docker, 1)
	gpu := wasmSpec(100, 100)
	gpu.Resources.GPU = &bonfire.GPURequest{Count: 1, Model: "*A100*"}
	s.addJob("gpu", gpu, 1)
	big := wasmSpec(8000, 100)
	s.addJob("big", big, 1)
	s.addJob("ok", wasmSpec(100, 100), 1)
	s.addProvider("p1", 5, now, bonfire.GPU{Model: "GeForce RTX 4090"})

	got := taskIDs(Place(s, PullRequest{Provider: "p1", Free: capacity(4000), Max: 10}))
	if !slices.Equal(got, []string{"ok.a"}) {
		t.Fatalf("placed %v, want only ok.a", got)
	}
}

func TestPlaceMatchesGPUModelAndMemory(t *testing.T) {
	t.Parallel()
	s := newMemState()
	gpu := wasmSpec(100, 100)
	gpu.Resources.GPU = &bonfire.GPURequest{Count: 2, Model: "*A100*", MemoryBytes: 40 << 30}
	s.addJob("gpu", gpu, 1)
	s.addProvider("small", 0, time.Now(), bonfire.GPU{Model: "NVIDIA A100-SXM4-40GB", MemoryBytes: 40 << 30}, bonfire.GPU{Model: "NVIDIA A100 20GB", MemoryBytes: 20 << 30})
	s.addProvider("big", 0, time.Now(), bonfire.GPU{Model: "NVIDIA A100-SXM4-80GB", MemoryBytes: 80 << 30}, bonfire.GPU{Model: "NVIDIA A100-SXM4-80GB", MemoryBytes: 80 << 30})
	free := bonfire.Capacity{CPUMilli: 1000, MemoryBytes: 1 << 30, GPUs: 2}
	if n := len(Place(s, PullRequest{Provider: "small", Free: free, Max: 1}).Assign); n != 0 {
		t.Fatalf("provider with one matching GPU got %d tasks", n)
	}
	if n := len(Place(s, PullRequest{Provider: "big", Free: free, Max: 1}).Assign); n != 1 {
		t.Fatalf("provider with two matching GPUs got %d tasks", n)
	}
	if n := len(Place(s, PullRequest{Provider: "big", Free: bonfire.Capacity{CPUMilli: 1000, MemoryBytes: 1 << 30, GPUs: 1}, Max: 1}).Assign); n != 0 {
		t.Fatalf("provider with one free GPU got %d tasks", n)
	}
}

func TestPlaceNothingForUnhealthyOrUnknownProvider(t *testing.T) {
	t.Parallel()
	s := newMemState()
	s.addJob("j1", wasmSpec(100, 100), 2)
	s.addProvider("busy", 0, time.Now()).State = bonfire.ProviderBusy
	s.addProvider("off", 0, time.Now()).State = bonfire.ProviderOffline
	for _, id := range []bonfire.Address{"busy", "off", "stranger"} {
		if n := len(Place(s, PullRequest{Provider: id, Free: capacity(4000), Max: 5}).Assign); n != 0 {
			t.Errorf("provider %s got %d tasks", id, n)
		}
	}
}

func TestPlaceHonoursReputationHealthAndCheckExclusions(t *testing.T) {
	t.Parallel()
	s := newMemState()
	picky := wasmSpec(100, 100)
	picky.Verify.MinReputation = 0.7
	s.addJob("picky", picky, 1)
	s.addJob("open", wasmSpec(100, 100), 2)
	s.excluded["open.a"] = map[bonfire.Address]bool{"ran-a": true}
	s.addProvider("newcomer", 0, time.Now()).Reputation.Score = 0.5
	s.addProvider("trusted", 0, time.Now()).Reputation.Score = 0.9
	s.addProvider("ran-a", 0, time.Now()).Reputation.Score = 0.9
	sick := s.addProvider("sick", 0, time.Now())
	sick.Reputation.Score, sick.Unhealthy = 0.9, true
	caught := s.addProvider("caught", 0, time.Now())
	caught.Reputation = bonfire.Reputation{Score: 0.9, Agreed: 1, Faults: 2} // wrong more often than right

	cases := []struct {
		provider bonfire.Address
		want     []string
	}{
		{"newcomer", []string{"open.a", "open.b"}},           // below picky's minimum
		{"trusted", []string{"picky.a", "open.a", "open.b"}}, // everything
		{"ran-a", []string{"picky.a", "open.b"}},             // not a second run of open.a
		{"sick", nil},                                        // owes a hardware challenge
		{"caught", nil},                                      // quarantined
	}
	for _, c := range cases {
		got := taskIDs(Place(s, PullRequest{Provider: c.provider, Free: capacity(4000), Max: 10}))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s got %v, want %v", c.provider, got, c.want)
		}
	}
}
