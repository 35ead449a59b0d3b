package market

import (
	"context"
	"fmt"
	"sort"
	"sync/atomic"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/jobspec"
)

var _ bonfire.JobService = (*Market)(nil)

// lastJobID keeps job IDs increasing within a process even when the clock
// does not move between two submissions.
var lastJobID atomic.Uint64

// newJobID returns an ID that sorts by submission time: "j" and 16 hex
// digits of nanoseconds, bumped past the previous ID.
func (m *Market) newJobID() string {
	now := uint64(m.cfg.Now().UnixNano())
	for {
		last := lastJobID.Load()
		next := max(now, last+1)
		if lastJobID.CompareAndSwap(last, next) {
			return fmt.Sprintf("j%016x", next)
		}
	}
}

// SubmitJob implements bonfire.JobService.
func (m *Market) SubmitJob(ctx context.Context, owner bonfire.Address, spec *bonfire.JobSpec) (*bonfire.Job, error) {
	if owner == "" {
		return nil, bonfire.Errorf(bonfire.ECodeUnauthorized, "a job needs an owner").WithHint("authenticate the request")
	}
	if err := jobspec.CheckResolved(spec); err != nil {
		return nil, err
	}
	if err := m.checkBlobs(ctx, spec); err != nil {
		return nil, err
	}
	id := m.newJobID()
	tasks, err := jobspec.Expand(spec, id)
	if err != nil {
		return nil, err
	}
	budget := jobBudget(spec, len(tasks))
	if m.cfg.Payments != nil && budget > 0 {
		// Held until the job is in memory, where the next check counts it.
		m.budgetMu.Lock()
		defer m.budgetMu.Unlock()
		if err := m.checkBudget(ctx, owner.Normal(), budget); err != nil {
			return nil, err
		}
	}
	now := m.cfg.Now()
	job := &bonfire.Job{ID: id, Owner: owner.Normal(), Spec: *spec, State: bonfire.JobQueued, TaskCount: len(tasks),
		Counts: bonfire.TaskCounts{Queued: len(tasks)}, SubmittedAt: now, Budget: budget}
	b := &bonfire.Batch{Jobs: []*bonfire.Job{ptr(*job)}, Tasks: make([]*bonfire.Task, len(tasks))}
	for i, t := range tasks {
		t.State, t.QueuedAt = bonfire.TaskQueued, now
		b.Tasks[i] = ptr(*t)
	}
	// Durable first: a job the market acknowledged survives a crash.
	if err := m.writer.Commit(ctx, b); err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.st.addJob(job, tasks)
	out := *job
	m.mu.Unlock()
	m.notifyWork()
	m.log.Info("job submitted", "job", id, "owner", job.Owner, "name", spec.Name, "tasks", len(tasks))
	return &out, nil
}

func ptr[T any](v T) *T { return &v }

// checkBlobs makes sure the module and every input are in the blob store,
// and fills input sizes the consumer left out.
func (m *Market) checkBlobs(ctx context.Context, spec *bonfire.JobSpec) error {
	var errs bonfire.Errors
	if spec.Executor == bonfire.ExecutorWASM {
		if _, err := m.cfg.Blobs.Stat(ctx, bonfire.Digest(spec.Module)); err != nil {
			errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "module %s is not in the market's blob store", spec.Module).
				WithField("module").WithHint("upload it first (bonfire job run does this for you)"))
		}
	}
	for i := range spec.Inputs {
		for j := range spec.Inputs[i].Files {
			f := &spec.Inputs[i].Files[j]
			size, err := m.cfg.Blobs.Stat(ctx, f.Digest)
			if err != nil {
				errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "input blob %s is not in the market's blob store", f.Digest).
					WithField(fmt.Sprintf("inputs[%d].files[%d]", i, j)).WithHint("upload it first (bonfire job run does this for you)"))
				continue
			}
			if f.Size <= 0 {
				f.Size = size
			} else if f.Size != size {
				errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "size %d does not match the stored blob's %d", f.Size, size).
					WithField(fmt.Sprintf("inputs[%d].files[%d].size", i, j)))
			}
		}
	}
	return errs.Err()
}

// CancelJob implements bonfire.JobService.
func (m *Market) CancelJob(ctx context.Context, caller bonfire.Address, id string) (*bonfire.Job, error) {
	m.mu.Lock()
	js := m.st.jobs[id]
	if js == nil {
		m.mu.Unlock()
		j, err := m.cfg.Store.Job(ctx, id)
		if err != nil {
			return nil, err
		}
		if j.Owner.Normal() != caller.Normal() {
			return nil, notOwner(caller, j)
		}
		return nil, bonfire.Errorf(bonfire.ECodeConflict, "job %s already %s", id, j.State).WithHint("only unfinished jobs can be cancelled")
	}
	if js.job.Owner.Normal() != caller.Normal() {
		m.mu.Unlock()
		return nil, notOwner(caller, js.job)
	}
	c := m.newChange()
	c.stopJob(js, bonfire.Errorf(bonfire.ECodeCancelled, "job cancelled by its owner"), "cancelled by its owner")
	out := *js.job
	b, cancels := c.finish()
	saved := m.writer.enqueue(b)
	m.mu.Unlock()
	m.sendCancels(cancels)
	if err := saved.wait(ctx); err != nil {
		return nil, err
	}
	m.log.Info("job cancelled", "job", id, "by", caller)
	return &out, nil
}

func notOwner(caller bonfire.Address, j *bonfire.Job) error {
	return bonfire.Errorf(bonfire.ECodeForbidden, "%s does not own job %s", caller, j.ID).
		WithHint("only the address that submitted a job may cancel it or read its results and logs")
}

// Job implements bonfire.JobService. Unfinished jobs come from memory,
// where their counts are the freshest.
func (m *Market) Job(ctx context.Context, id string) (*bonfire.Job, error) {
	m.mu.Lock()
	if js := m.st.jobs[id]; js != nil {
		out := *js.job
		m.mu.Unlock()
		return &out, nil
	}
	m.mu.Unlock()
	return m.cfg.Store.Job(ctx, id)
}

// Jobs implements bonfire.JobService.
func (m *Market) Jobs(ctx context.Context, f bonfire.JobFilter) ([]*bonfire.Job, error) {
	return m.cfg.Store.Jobs(ctx, f)
}

// Tasks implements bonfire.JobService.
func (m *Market) Tasks(ctx context.Context, f bonfire.TaskFilter) ([]*bonfire.Task, error) {
	if f.JobID != "" {
		if _, err := m.Job(ctx, f.JobID); err != nil {
			return nil, err
		}
	}
	tasks, err := m.cfg.Store.Tasks(ctx, f)
	if err != nil {
		return nil, err
	}
	return ownTasks(tasks), nil
}

// ownTasks leaves out check runs, which are the market's business, and
// hides how many runs an unfinished task gets: the list is public, and a
// provider that could read it while running a task would know whether its
// result will be compared.
func ownTasks(tasks []*bonfire.Task) []*bonfire.Task {
	out := tasks[:0]
	for _, t := range tasks {
		if t.Checks != "" {
			continue
		}
		if !t.State.Terminal() {
			t.Replicas = 0
		}
		out = append(out, t)
	}
	return out
}

// Providers implements bonfire.ProviderDirectory with live states.
func (m *Market) Providers(ctx context.Context) ([]*bonfire.Provider, error) {
	m.mu.Lock()
	out := make([]*bonfire.Provider, 0, len(m.st.providers))
	for _, p := range m.st.providers {
		out = append(out, ptr(*p))
	}
	m.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Info.ID < out[j].Info.ID })
	return out, nil
}
