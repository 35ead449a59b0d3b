package market

import (
	"time"

	"fmt"
	"strings"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/scheduler"
)

// change collects what one decision touched, so that each touched row is
// copied into the batch once, after all its changes.
type change struct {
	m       *Market
	tasks   map[string]*bonfire.Task
	jobs    map[string]*jobState
	provs   map[bonfire.Address]*bonfire.Provider
	b       *bonfire.Batch
	cancels map[bonfire.Address][]protocol.TaskRef
	done    []string // jobs that finished
	ended   []jobEnd // the same jobs, for logging after the lock
	// requeued is set when tasks went back to the queue, so that idle
	// providers are told to pull.
	requeued bool
	// reveals are the committed results each provider is now asked for;
	// earned the owners whose debt to each provider grew; slashes the
	// stakes to take. All are acted on after mu is released.
	reveals map[bonfire.Address][]protocol.TaskRef
	earned  map[bonfire.Address]map[bonfire.Address]bool
	slashes []slashOrder
}

func (m *Market) newChange() *change {
	return &change{m: m, tasks: map[string]*bonfire.Task{}, jobs: map[string]*jobState{},
		provs: map[bonfire.Address]*bonfire.Provider{}, b: &bonfire.Batch{},
		cancels: map[bonfire.Address][]protocol.TaskRef{}, reveals: map[bonfire.Address][]protocol.TaskRef{},
		earned: map[bonfire.Address]map[bonfire.Address]bool{}}
}

// setState moves t to a new state, keeping its job's counts right.
func (c *change) setState(js *jobState, t *bonfire.Task, to bonfire.TaskState) {
	counts := &js.job.Counts
	if t.Checks != "" {
		counts = &js.job.CheckCounts
	}
	adjust(counts, t.State, -1)
	adjust(counts, to, +1)
	adjust(&c.m.st.counts, t.State, -1)
	adjust(&c.m.st.counts, to, +1)
	t.State = to
	c.tasks[t.ID] = t
	c.jobs[js.job.ID] = js
	if to == bonfire.TaskAssigned || to == bonfire.TaskRunning {
		c.m.st.active[t.ID] = t
	} else {
		delete(c.m.st.active, t.ID)
	}
}

func adjust(c *bonfire.TaskCounts, s bonfire.TaskState, d int) {
	switch s {
	case bonfire.TaskQueued:
		c.Queued += d
	case bonfire.TaskAssigned:
		c.Assigned += d
	case bonfire.TaskRunning:
		c.Running += d
	case bonfire.TaskVerifying:
		c.Verifying += d
	case bonfire.TaskSucceeded:
		c.Succeeded += d
	case bonfire.TaskFailed:
		c.Failed += d
	case bonfire.TaskCancelled:
		c.Cancelled += d
	}
}

func (c *change) event(t *bonfire.Task, kind string, provider bonfire.Address, detail string) {
	c.b.Events = append(c.b.Events, &bonfire.TaskEvent{TaskID: t.ID, Attempt: t.Attempt, At: c.m.cfg.Now(),
		Kind: kind, Provider: provider, Detail: detail})
}

func (c *change) cancelOn(p bonfire.Address, t *bonfire.Task) {
	if p == "" {
		return
	}
	c.cancels[p] = append(c.cancels[p], protocol.TaskRef{TaskID: t.ID, Attempt: t.Attempt})
}

func (c *change) provider(p *bonfire.Provider) { c.provs[p.Info.ID] = p }

// apply carries out a scheduler plan on the in-memory state.
func (c *change) apply(plan *scheduler.Plan) {
	now := c.m.cfg.Now()
	for _, a := range plan.Assign {
		t, js := a.Task, c.m.st.jobs[a.Task.JobID]
		t.Attempt++
		t.Provider, t.AssignedAt, t.StartedAt = a.Provider, now, time.Time{}
		c.setState(js, t, bonfire.TaskAssigned)
		if js.job.State == bonfire.JobQueued {
			js.job.State = bonfire.JobRunning
		}
	}
	for _, r := range plan.Requeue {
		c.requeue(r.Task, r.Reason, r.CountsAsRetry)
	}
	for _, f := range plan.Fail {
		c.fail(f.Task, f.Reason)
	}
	for _, id := range plan.Offline {
		if p := c.m.st.Provider(id); p != nil && p.State != bonfire.ProviderOffline {
			p.State = bonfire.ProviderOffline
			c.provider(p)
		}
	}
}

func (c *change) requeue(t *bonfire.Task, reason *bonfire.Error, countsAsRetry bool) {
	js := c.m.st.jobs[t.JobID]
	if g := c.m.st.runs[t.ID]; g != nil {
		if g.canary != nil { // a check nobody asked for: not worth a retry
			c.event(t, "cancelled", t.Provider, reason.Error())
			c.cancelOn(t.Provider, t)
			t.Error, t.FinishedAt = reason, c.m.cfg.Now()
			c.setState(js, t, bonfire.TaskCancelled)
			c.runEnded(t)
			return
		}
		g.forgetAttempt(t)
	}
	c.requeued = true
	c.event(t, "requeued", t.Provider, reason.Error())
	c.cancelOn(t.Provider, t)
	if countsAsRetry {
		t.Retries++
	}
	t.Error, t.Provider = reason, ""
	c.setState(js, t, bonfire.TaskQueued)
	js.pushFront(t)
}

func (c *change) fail(t *bonfire.Task, reason *bonfire.Error) {
	js := c.m.st.jobs[t.JobID]
	c.event(t, "failed", t.Provider, reason.Error())
	c.cancelOn(t.Provider, t)
	t.Error, t.FinishedAt = reason, c.m.cfg.Now()
	c.setState(js, t, bonfire.TaskFailed)
	c.runEnded(t)
}

// stopJob cancels every unfinished task of js, telling their providers to
// stop, and ends the job as cancelled with reason.
func (c *change) stopJob(js *jobState, why *bonfire.Error, reason string) {
	now := c.m.cfg.Now()
	for _, t := range js.tasks {
		if t.State.Terminal() {
			continue
		}
		c.cancelOn(t.Provider, t)
		t.FinishedAt, t.Error = now, why
		c.setState(js, t, bonfire.TaskCancelled)
	}
	js.job.State, js.job.Reason, js.job.FinishedAt = bonfire.JobCancelled, reason, now
	c.jobs[js.job.ID] = js
}

func (c *change) succeed(t *bonfire.Task, r *bonfire.TaskResult) {
	js := c.m.st.jobs[t.JobID]
	t.Result, t.Error, t.FinishedAt = r, nil, c.m.cfg.Now()
	c.setState(js, t, bonfire.TaskSucceeded)
}

// finish builds the batch: copies of every touched row, jobs that reached
// the end marked so, and finished jobs dropped from memory.
func (c *change) finish() (*bonfire.Batch, map[bonfire.Address][]protocol.TaskRef) {
	now := c.m.cfg.Now()
	for id, js := range c.jobs {
		j := js.job
		if !j.State.Terminal() && j.Counts.Succeeded+j.Counts.Failed+j.Counts.Cancelled == j.TaskCount {
			c.cancelChecks(js)
			j.FinishedAt = now
			if j.Counts.Failed == 0 && j.Counts.Cancelled == 0 {
				j.State = bonfire.JobSucceeded
			} else {
				j.State, j.Reason = bonfire.JobFailed, failureReason(js)
			}
		}
		jc := *j
		c.b.Jobs = append(c.b.Jobs, &jc)
		if j.State.Terminal() {
			c.done = append(c.done, id)
			c.ended = append(c.ended, jobEnd{id: id, state: j.State, reason: j.Reason, counts: j.Counts})
		}
	}
	for _, t := range c.tasks {
		tc := *t
		c.b.Tasks = append(c.b.Tasks, &tc)
	}
	for _, p := range c.provs {
		pc := *p
		c.b.Providers = append(c.b.Providers, &pc)
	}
	for _, id := range c.done {
		c.m.st.dropJob(id)
		for _, t := range c.jobs[id].tasks {
			delete(c.m.logBytes, t.ID)
		}
	}
	return c.b, c.cancels
}

// cancelChecks cancels the check runs (canaries) still out when js's own
// tasks are all done: nobody needs their answers any more.
func (c *change) cancelChecks(js *jobState) {
	why := bonfire.Errorf(bonfire.ECodeCancelled, "the job finished")
	for _, t := range js.tasks[js.job.TaskCount:] {
		if !t.State.Terminal() {
			c.cancelOn(t.Provider, t)
			t.FinishedAt, t.Error = c.m.cfg.Now(), why
			c.setState(js, t, bonfire.TaskCancelled)
		}
	}
}

// failureReason summarises why a job failed, naming the first few tasks.
func failureReason(js *jobState) string {
	var parts []string
	for _, t := range js.tasks[:js.job.TaskCount] {
		if t.State != bonfire.TaskFailed {
			continue
		}
		if len(parts) == 3 {
			parts = append(parts, "…")
			break
		}
		msg := "failed"
		if t.Error != nil {
			msg = t.Error.Error()
		}
		parts = append(parts, fmt.Sprintf("task %s: %s", t.ID, msg))
	}
	return fmt.Sprintf("%d of %d tasks failed: %s", js.job.Counts.Failed, js.job.TaskCount, strings.Join(parts, "; "))
}

// applyLocked applies a plan and returns the batch to commit and the
// cancellations to send. Call with mu held.
func (m *Market) applyLocked(plan *scheduler.Plan) (*bonfire.Batch, map[bonfire.Address][]protocol.TaskRef) {
	b, cancels, _ := m.applyLockedEnded(plan)
	return b, cancels
}

// applyLockedEnded is applyLocked that also returns the jobs that ended.
func (m *Market) applyLockedEnded(plan *scheduler.Plan) (*bonfire.Batch, map[bonfire.Address][]protocol.TaskRef, []jobEnd) {
	c := m.newChange()
	c.apply(plan)
	b, cancels := c.finish()
	return b, cancels, c.ended
}

// jobEnd is a job that reached its end, copied under mu so that it can be
// logged after mu is released (logging may write to a slow terminal).
type jobEnd struct {
	id     string
	state  bonfire.JobState
	reason string
	counts bonfire.TaskCounts
}

// logEnded logs the jobs a change finished. Call without mu.
func (m *Market) logEnded(ended []jobEnd) {
	for _, e := range ended {
		m.log.Info("job finished", "job", e.id, "state", e.state, "succeeded", e.counts.Succeeded,
			"failed", e.counts.Failed, "cancelled", e.counts.Cancelled, "reason", e.reason)
	}
}
