package market

import (
	"slices"

	"github.com/bonfirenet/bonfire"
)

// state is the market's in-memory view of unfinished jobs and of providers.
// It implements scheduler.Snapshot. Guarded by Market.mu.
type state struct {
	jobs      map[string]*jobState // unfinished jobs
	order     []*jobState          // unfinished jobs, oldest first
	tasks     map[string]*bonfire.Task
	active    map[string]*bonfire.Task // assigned or running
	providers map[bonfire.Address]*bonfire.Provider
	// counts is tasks by state for Market.Stats: live states exactly,
	// terminal states cumulatively (finished jobs leave memory, their
	// tasks stay counted). Kept here because transitions already hold mu,
	// so it costs two additions per transition and no metric work.
	counts bonfire.TaskCounts
	// runs maps each run (a job's own task or a check run) of a result
	// being verified to its group (see verify.go).
	runs map[string]*group
}

// jobState is one unfinished job: its tasks by index and the queue of those
// waiting, front first. queue[head:] is the queue; requeued tasks go to the
// front so a retry does not wait behind a large job's tail.
type jobState struct {
	job   *bonfire.Job
	tasks []*bonfire.Task
	queue []*bonfire.Task
	head  int
	// known are tasks whose result at least two providers agreed on:
	// canaries can be made of them (see verify.go).
	known []knownTask
}

func newState() *state {
	return &state{
		jobs:      map[string]*jobState{},
		tasks:     map[string]*bonfire.Task{},
		active:    map[string]*bonfire.Task{},
		providers: map[bonfire.Address]*bonfire.Provider{},
		runs:      map[string]*group{},
	}
}

// addJob indexes a job and its tasks; queued tasks join its queue in order.
func (s *state) addJob(j *bonfire.Job, tasks []*bonfire.Task) {
	// addJob counts tasks into counts; the job's own counts come from the
	// store as they are.
	js := &jobState{job: j, tasks: tasks}
	for _, t := range tasks {
		s.tasks[t.ID] = t
		adjust(&s.counts, t.State, +1)
		switch t.State {
		case bonfire.TaskQueued:
			js.queue = append(js.queue, t)
		case bonfire.TaskAssigned, bonfire.TaskRunning:
			s.active[t.ID] = t
		}
	}
	s.jobs[j.ID] = js
	s.order = append(s.order, js)
}

// dropJob forgets a finished job; it lives on in the store.
func (s *state) dropJob(id string) {
	js := s.jobs[id]
	if js == nil {
		return
	}
	for _, t := range js.tasks {
		delete(s.tasks, t.ID)
		delete(s.active, t.ID)
		delete(s.runs, t.ID)
	}
	delete(s.jobs, id)
	s.order = slices.DeleteFunc(s.order, func(x *jobState) bool { return x == js })
}

func (js *jobState) pushFront(t *bonfire.Task) {
	if js.head > 0 {
		js.head--
		js.queue[js.head] = t
		return
	}
	js.queue = append([]*bonfire.Task{t}, js.queue...)
}

// compact drops dispatched tasks from the queue's front and any that left
// the queued state (cancelled) so that Queued stays cheap.
func (js *jobState) compact() {
	for js.head < len(js.queue) && js.queue[js.head].State != bonfire.TaskQueued {
		js.queue[js.head] = nil
		js.head++
	}
	if js.head == len(js.queue) {
		js.queue, js.head = js.queue[:0], 0
	} else if js.head > 1024 && js.head > len(js.queue)/2 {
		js.queue = append([]*bonfire.Task(nil), js.queue[js.head:]...)
		js.head = 0
	}
}

// PendingJobs implements scheduler.PlaceSnapshot.
func (s *state) PendingJobs() []*bonfire.Job {
	var out []*bonfire.Job
	for _, js := range s.order {
		js.compact()
		if js.head < len(js.queue) {
			out = append(out, js.job)
		}
	}
	return out
}

// Queued implements scheduler.PlaceSnapshot.
func (s *state) Queued(jobID string, provider bonfire.Address, n int) []*bonfire.Task {
	js := s.jobs[jobID]
	if js == nil {
		return nil
	}
	js.compact()
	out := make([]*bonfire.Task, 0, min(n, len(js.queue)-js.head))
	for _, t := range js.queue[js.head:] {
		if len(out) == n {
			break
		}
		if t.State == bonfire.TaskQueued && !s.excluded(t, provider) {
			out = append(out, t)
		}
	}
	return out
}

// Active implements scheduler.ReapSnapshot.
func (s *state) Active() []*bonfire.Task {
	out := make([]*bonfire.Task, 0, len(s.active))
	for _, t := range s.active {
		out = append(out, t)
	}
	return out
}

// Job implements scheduler.ReapSnapshot.
func (s *state) Job(id string) *bonfire.Job {
	if js := s.jobs[id]; js != nil {
		return js.job
	}
	return nil
}

// Provider implements scheduler snapshots.
func (s *state) Provider(id bonfire.Address) *bonfire.Provider { return s.providers[id.Normal()] }

// Providers implements scheduler.ReapSnapshot.
func (s *state) Providers() []*bonfire.Provider {
	out := make([]*bonfire.Provider, 0, len(s.providers))
	for _, p := range s.providers {
		out = append(out, p)
	}
	return out
}
