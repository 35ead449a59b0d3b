package bonfire_test

import (
	"math"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func TestCharge(t *testing.T) {
	t.Parallel()
	// Charges are uint64 in the market's state; a product beyond that
	// saturates rather than wrapping round to a small charge.
	saturated := uint64(math.MaxUint64)
	for _, c := range []struct {
		name            string
		cpuNanos        int64
		price, maxPrice uint64
		want            uint64
	}{
		{"one cpu-second at the provider's price", 1e9, 100, 200, 100},
		{"capped by the job's max price", 1e9, 300, 200, 200},
		{"free provider", 5e9, 0, 200, 0},
		{"free job (max price zero)", 5e9, 100, 0, 0},
		{"no cpu used", 0, 100, 100, 0},
		{"negative usage is treated as none", -5, 100, 100, 0},
		{"one nanosecond rounds up to one unit", 1, 1, 1, 1},
		{"exact multiple does not round", 2e9, 7, 7, 14},
		{"a nanosecond past rounds up", 2e9 + 1, 7, 7, 15},
		{"1.5 s at 3/s", 1_500_000_000, 3, 10, 5}, // 4.5 → 5
		{"largest inputs saturate instead of wrapping", math.MaxInt64, math.MaxUint64, math.MaxUint64, saturated},
		{"a year at 1 tUSD per cpu-second still fits", 365 * 24 * 3600 * 1e9, 1_000_000, 1_000_000, 365 * 24 * 3600 * 1_000_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := bonfire.Charge(c.cpuNanos, c.price, c.maxPrice)
			if got != c.want {
				t.Fatalf("Charge(%d ns, %d, %d) = %d, want %d", c.cpuNanos, c.price, c.maxPrice, got, c.want)
			}
		})
	}
}

func TestTaskCostAddsGPUSeconds(t *testing.T) {
	t.Parallel()
	gpuSpec := func(maxPrice, maxGPU uint64, gpus int) *bonfire.JobSpec {
		s := &bonfire.JobSpec{MaxPrice: maxPrice, MaxGPUPrice: maxGPU, Timeout: bonfire.Duration(10 * time.Second),
			Resources: bonfire.Resources{CPUMilli: 2000}}
		if gpus > 0 {
			s.Resources.GPU = &bonfire.GPURequest{Count: gpus}
		}
		return s
	}
	p := bonfire.ProviderInfo{PricePerCPUSecond: 10, PricePerGPUSecond: 1000}
	for _, c := range []struct {
		name string
		u    bonfire.Usage
		spec *bonfire.JobSpec
		want uint64
	}{
		{"cpu only job ignores gpu price", bonfire.Usage{CPUNanos: 3e9}, gpuSpec(10, 0, 0), 30},
		{"cpu plus gpu seconds", bonfire.Usage{CPUNanos: 3e9, GPUNanos: 2e9}, gpuSpec(10, 1000, 1), 30 + 2000},
		{"gpu price capped by the job", bonfire.Usage{CPUNanos: 3e9, GPUNanos: 2e9}, gpuSpec(10, 400, 1), 30 + 800},
		{"gpu free when the job sets no gpu price", bonfire.Usage{CPUNanos: 1e9, GPUNanos: 5e9}, gpuSpec(10, 0, 1), 10},
		// Timeout 10 s, 2 cores, 1 GPU: at most 20 cpu-s × 10 + 10 gpu-s × 1000.
		{"capped by the task maximum", bonfire.Usage{CPUNanos: 100e9, GPUNanos: 100e9}, gpuSpec(10, 1000, 1), 200 + 10000},
		{"nil spec costs nothing", bonfire.Usage{CPUNanos: 1e9}, nil, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := bonfire.TaskCost(c.u, p, c.spec); got != c.want {
				t.Fatalf("TaskCost = %d, want %d", got, c.want)
			}
		})
	}
}

func TestMaxTaskChargeCountsGPUs(t *testing.T) {
	t.Parallel()
	s := &bonfire.JobSpec{MaxPrice: 1, MaxGPUPrice: 100, Timeout: bonfire.Duration(time.Minute),
		Resources: bonfire.Resources{CPUMilli: 1000, GPU: &bonfire.GPURequest{Count: 2}}}
	if got, want := bonfire.MaxTaskCharge(s), uint64(60+2*60*100); got != want {
		t.Fatalf("MaxTaskCharge = %d, want %d", got, want)
	}
	s.MaxPrice = 0 // GPU-only pricing still bounds the task
	if got, want := bonfire.MaxTaskCharge(s), uint64(2*60*100); got != want {
		t.Fatalf("MaxTaskCharge without cpu price = %d, want %d", got, want)
	}
	s.Resources.GPU.Count = math.MaxInt
	s.Timeout = bonfire.Duration(math.MaxInt64)
	if got := bonfire.MaxTaskCharge(s); got != math.MaxUint64 {
		t.Fatalf("huge GPU request = %d, want saturation", got)
	}
}
