package scheduler

import (
	"slices"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

// memState is an in-memory Snapshot for tests, with a Planner that records
// and applies plans the way the market does.
type memState struct {
	jobs      []*bonfire.Job
	tasks     map[string][]*bonfire.Task // by job
	providers map[bonfire.Address]*bonfire.Provider
	plans     []*Plan
	excluded  map[string]map[bonfire.Address]bool // task → providers that may not run it
}

func newMemState() *memState {
	return &memState{tasks: map[string][]*bonfire.Task{}, providers: map[bonfire.Address]*bonfire.Provider{},
		excluded: map[string]map[bonfire.Address]bool{}}
}

func (m *memState) addJob(id string, spec bonfire.JobSpec, n int) *bonfire.Job {
	j := &bonfire.Job{ID: id, Spec: spec, State: bonfire.JobQueued, TaskCount: n}
	m.jobs = append(m.jobs, j)
	for i := 0; i < n; i++ {
		m.tasks[id] = append(m.tasks[id], &bonfire.Task{ID: id + "." + string(rune('a'+i)), JobID: id, Index: i, State: bonfire.TaskQueued})
	}
	return j
}

func (m *memState) addProvider(id bonfire.Address, price uint64, beat time.Time, gpus ...bonfire.GPU) *bonfire.Provider {
	p := &bonfire.Provider{
		Info: bonfire.ProviderInfo{ID: id, Executors: []string{bonfire.ExecutorWASM}, PricePerCPUSecond: price,
			Hardware: bonfire.Hardware{GPUs: gpus}},
		State: bonfire.ProviderOnline, LastHeartbeat: beat,
	}
	m.providers[id] = p
	return p
}

func (m *memState) PendingJobs() []*bonfire.Job {
	var out []*bonfire.Job
	for _, j := range m.jobs {
		if slices.ContainsFunc(m.tasks[j.ID], func(t *bonfire.Task) bool { return t.State == bonfire.TaskQueued }) {
			out = append(out, j)
		}
	}
	return out
}

func (m *memState) Queued(jobID string, provider bonfire.Address, n int) []*bonfire.Task {
	var out []*bonfire.Task
	for _, t := range m.tasks[jobID] {
		if len(out) == n {
			break
		}
		if t.State == bonfire.TaskQueued && !m.excluded[t.ID][provider] {
			out = append(out, t)
		}
	}
	return out
}

func (m *memState) Active() []*bonfire.Task {
	var out []*bonfire.Task
	for _, j := range m.jobs {
		for _, t := range m.tasks[j.ID] {
			if t.State == bonfire.TaskAssigned || t.State == bonfire.TaskRunning {
				out = append(out, t)
			}
		}
	}
	return out
}

func (m *memState) Job(id string) *bonfire.Job {
	for _, j := range m.jobs {
		if j.ID == id {
			return j
		}
	}
	return nil
}

func (m *memState) Provider(id bonfire.Address) *bonfire.Provider { return m.providers[id] }

func (m *memState) Providers() []*bonfire.Provider {
	var out []*bonfire.Provider
	for _, p := range m.providers {
		out = append(out, p)
	}
	return out
}

// SubmitPlan records p and applies it to the in-memory state.
func (m *memState) SubmitPlan(p *Plan) error {
	m.plans = append(m.plans, p)
	for _, a := range p.Assign {
		a.Task.State, a.Task.Provider = bonfire.TaskAssigned, a.Provider
		a.Task.Attempt++
	}
	for _, r := range p.Requeue {
		r.Task.State, r.Task.Provider = bonfire.TaskQueued, ""
		if r.CountsAsRetry {
			r.Task.Retries++
		}
	}
	for _, f := range p.Fail {
		f.Task.State, f.Task.Error = bonfire.TaskFailed, f.Reason
	}
	for _, id := range p.Offline {
		m.providers[id].State = bonfire.ProviderOffline
	}
	return nil
}

var _ Snapshot = (*memState)(nil)
var _ Planner = (*memState)(nil)

func taskIDs(p *Plan) []string {
	var ids []string
	for _, a := range p.Assign {
		ids = append(ids, a.Task.ID)
	}
	return ids
}

func wasmSpec(cpu int64, maxPrice uint64) bonfire.JobSpec {
	return bonfire.JobSpec{Executor: bonfire.ExecutorWASM, MaxPrice: maxPrice, Retries: 1, Timeout: bonfire.Duration(time.Minute),
		Resources: bonfire.Resources{CPUMilli: cpu, MemoryBytes: 1 << 20}}
}

func capacity(cpu int64) bonfire.Capacity {
	return bonfire.Capacity{CPUMilli: cpu, MemoryBytes: 1 << 30}
}

func mustApply(t *testing.T, pl Planner, p *Plan) {
	t.Helper()
	if err := pl.SubmitPlan(p); err != nil {
		t.Fatal(err)
	}
}
