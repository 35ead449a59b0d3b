package scheduler

import (
	"slices"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func dockerGPUSpec(model string, count int, maxGPUPrice uint64) bonfire.JobSpec {
	s := wasmSpec(100, 100)
	s.Executor = bonfire.ExecutorDocker
	s.MaxGPUPrice = maxGPUPrice
	s.Resources.GPU = &bonfire.GPURequest{Count: count, Model: model}
	return s
}

func gpuProvider(s *memState, id bonfire.Address, gpuPrice uint64, gpus ...bonfire.GPU) *bonfire.Provider {
	p := s.addProvider(id, 0, time.Now(), gpus...)
	p.Info.Executors = []string{bonfire.ExecutorWASM, bonfire.ExecutorDocker}
	p.Info.PricePerGPUSecond = gpuPrice
	p.Info.Lend.GPUs = len(gpus)
	return p
}

var (
	a100 = bonfire.GPU{Vendor: "NVIDIA", Model: "NVIDIA A100-SXM4-80GB", MemoryBytes: 80 << 30}
	t4   = bonfire.GPU{Vendor: "NVIDIA", Model: "Tesla T4", MemoryBytes: 16 << 30}
)

// TestPlaceCountsOnlyMatchingGPUs: a provider with one A100 and one T4 has
// two free GPUs, but only one can serve an A100 job.
func TestPlaceCountsOnlyMatchingGPUs(t *testing.T) {
	t.Parallel()
	s := newMemState()
	s.addJob("a100", dockerGPUSpec("*A100*", 1, 10), 3)
	s.addJob("any", dockerGPUSpec("", 1, 10), 3)
	gpuProvider(s, "mixed", 5, a100, t4)
	free := bonfire.Capacity{CPUMilli: 4000, MemoryBytes: 1 << 30, GPUs: 2}
	got := taskIDs(Place(s, PullRequest{Provider: "mixed", Free: free, Max: 10}))
	if want := []string{"a100.a", "any.a"}; !slices.Equal(got, want) {
		t.Fatalf("placed %v, want %v", got, want)
	}
	// With one GPU busy the market cannot tell which: no A100 task is placed.
	free.GPUs = 1
	got = taskIDs(Place(s, PullRequest{Provider: "mixed", Free: free, Max: 10}))
	if want := []string{"any.a"}; !slices.Equal(got, want) {
		t.Fatalf("one GPU free: placed %v, want %v", got, want)
	}
}

func TestPlaceGPUPriceAndNetwork(t *testing.T) {
	t.Parallel()
	s := newMemState()
	s.addJob("cheap-gpu", dockerGPUSpec("*A100*", 1, 4), 1) // pays at most 4 per GPU-second
	s.addJob("gpu", dockerGPUSpec("*A100*", 1, 5), 1)
	netJob := wasmSpec(100, 100)
	netJob.Executor = bonfire.ExecutorDocker
	netJob.Resources.Network = true
	s.addJob("net", netJob, 1)
	gpuProvider(s, "closed", 5, a100)
	open := gpuProvider(s, "open", 5, a100)
	open.Info.Network = true

	free := bonfire.Capacity{CPUMilli: 4000, MemoryBytes: 1 << 30, GPUs: 1}
	if got := taskIDs(Place(s, PullRequest{Provider: "closed", Free: free, Max: 10})); !slices.Equal(got, []string{"gpu.a"}) {
		t.Fatalf("closed provider placed %v, want only gpu.a (GPU price too high for cheap-gpu, no network for net)", got)
	}
	if got := taskIDs(Place(s, PullRequest{Provider: "open", Free: free, Max: 10})); !slices.Equal(got, []string{"gpu.a", "net.a"}) {
		t.Fatalf("open provider placed %v", got)
	}
}
