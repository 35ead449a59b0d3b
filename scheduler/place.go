package scheduler

import (
	"path"
	"slices"

	"github.com/bonfirenet/bonfire"
)

// PullRequest is a provider asking for work.
type PullRequest struct {
	Provider bonfire.Address
	Free     bonfire.Capacity
	Max      int
}

// Place chooses tasks for a pulling provider: oldest job first, each job's
// tasks in order, skipping jobs the provider cannot serve (executor, GPU,
// price) and stopping when its free capacity or Max is used up.
func Place(s PlaceSnapshot, req PullRequest) *Plan {
	plan := &Plan{}
	p := s.Provider(req.Provider)
	if p == nil || p.State != bonfire.ProviderOnline || req.Max <= 0 {
		return plan
	}
	free := req.Free
	left := req.Max
	for _, job := range s.PendingJobs() {
		if left == 0 {
			break
		}
		if !Eligible(p, job) {
			continue
		}
		r := job.Spec.Resources
		if !free.Fits(r) {
			continue
		}
		fit := left
		if n := fitCount(free, r); n < fit {
			fit = n
		}
		if g := r.GPU; g != nil && g.Count > 0 {
			fit = min(fit, freeMatchingGPUs(p, free, g)/g.Count)
		}
		for _, t := range s.Queued(job.ID, p.Info.ID, fit) {
			plan.Assign = append(plan.Assign, Placement{Task: t, Provider: p.Info.ID})
			free = free.Sub(r)
			left--
		}
	}
	return plan
}

// fitCount is how many tasks needing r fit in free.
func fitCount(free bonfire.Capacity, r bonfire.Resources) int {
	n := 1 << 30
	if r.CPUMilli > 0 {
		n = min(n, int(free.CPUMilli/r.CPUMilli))
	}
	if r.MemoryBytes > 0 {
		n = min(n, int(free.MemoryBytes/r.MemoryBytes))
	}
	if r.GPU != nil && r.GPU.Count > 0 {
		n = min(n, free.GPUs/r.GPU.Count)
	}
	return n
}

// Eligible reports whether provider p may run job's tasks at all: it offers
// the executor, its prices are within the job's maximums (CPU, and GPU for
// a GPU job), it lets tasks reach the network if the job asks for it, its
// reputation reaches the job's minimum, it owes no hardware challenge, and
// it has GPUs that match the job's request by model pattern and memory.
func Eligible(p *bonfire.Provider, job *bonfire.Job) bool {
	if !slices.Contains(p.Info.Executors, job.Spec.Executor) {
		return false
	}
	if p.Unhealthy || p.Reputation.Score < job.Spec.Verify.MinReputation || Quarantined(p) {
		return false
	}
	if p.Info.PricePerCPUSecond > job.Spec.MaxPrice {
		return false
	}
	if job.Spec.Resources.Network && !p.Info.Network {
		return false
	}
	if g := job.Spec.Resources.GPU; g != nil && g.Count > 0 {
		return p.Info.PricePerGPUSecond <= job.Spec.MaxGPUPrice && matchingGPUs(p.Info.Hardware.GPUs, g) >= g.Count
	}
	return true
}

// freeMatchingGPUs is how many GPUs matching want a pull may still hand
// out. The market counts free GPUs but not which ones, so it assumes the
// worst: every GPU in use (lent less free) is a matching one.
func freeMatchingGPUs(p *bonfire.Provider, free bonfire.Capacity, want *bonfire.GPURequest) int {
	busy := max(0, p.Info.Lend.GPUs-free.GPUs)
	return max(0, min(free.GPUs, matchingGPUs(p.Info.Hardware.GPUs, want)-busy))
}

func matchingGPUs(gpus []bonfire.GPU, want *bonfire.GPURequest) int {
	n := 0
	for _, g := range gpus {
		if want.Model != "" {
			if ok, _ := path.Match(want.Model, g.Model); !ok {
				continue
			}
		}
		if g.MemoryBytes < want.MemoryBytes {
			continue
		}
		n++
	}
	return n
}

// Quarantined reports whether p was proven wrong more often than right
// (faults and failed canaries outnumber agreements and passed canaries).
// Such a provider gets no work: a cheater caught on its first tasks stops
// costing the network checks and referees, while an honest provider with a
// record survives an unlucky fault.
func Quarantined(p *bonfire.Provider) bool {
	r := p.Reputation
	return r.Faults+r.CanariesFailed > r.Agreed+r.CanariesPassed
}
