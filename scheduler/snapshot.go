package scheduler

import (
	"time"

	"github.com/bonfirenet/bonfire"
)

// PlaceSnapshot is the read-only state Place decides on. The market
// implements it over its in-memory indexes while holding its lock.
type PlaceSnapshot interface {
	// PendingJobs returns the jobs that have queued tasks, oldest first.
	PendingJobs() []*bonfire.Job
	// Queued returns up to n of a job's queued tasks in dispatch order
	// that provider may run: the snapshot leaves out a check run of a task
	// the provider already ran or runs, so each result is compared with
	// another provider's.
	Queued(jobID string, provider bonfire.Address, n int) []*bonfire.Task
	// Provider returns a provider by address, nil if unknown.
	Provider(id bonfire.Address) *bonfire.Provider
}

// ReapSnapshot is the read-only state Reap decides on.
type ReapSnapshot interface {
	// Active returns every assigned or running task.
	Active() []*bonfire.Task
	// Job returns a job by ID, nil if unknown.
	Job(id string) *bonfire.Job
	// Provider returns a provider by address, nil if unknown.
	Provider(id bonfire.Address) *bonfire.Provider
	// Providers returns every known provider.
	Providers() []*bonfire.Provider
}

// Snapshot is both views; the market's state provides it.
type Snapshot interface {
	PlaceSnapshot
	ReapSnapshot
}

// Planner applies a plan to the real state. The market implements it; the
// test harness records plans instead.
type Planner interface {
	// SubmitPlan applies p atomically and durably.
	SubmitPlan(p *Plan) error
}

// Plan is a set of decisions.
type Plan struct {
	Assign  []Placement
	Requeue []Requeue
	Fail    []Failure
	// Offline lists providers that missed their heartbeats.
	Offline []bonfire.Address
}

// Empty reports whether p decides nothing.
func (p *Plan) Empty() bool {
	return len(p.Assign)+len(p.Requeue)+len(p.Fail)+len(p.Offline) == 0
}

// Placement puts a task on a provider.
type Placement struct {
	Task     *bonfire.Task
	Provider bonfire.Address
}

// Requeue sends a task back to the queue. CountsAsRetry is false for
// hand-backs, which are not the task's fault nor the provider's failure.
type Requeue struct {
	Task          *bonfire.Task
	Reason        *bonfire.Error
	CountsAsRetry bool
}

// Failure ends a task for good.
type Failure struct {
	Task   *bonfire.Task
	Reason *bonfire.Error
}

// Config holds the scheduler's tunables.
type Config struct {
	// HeartbeatTimeout is how long a provider may stay silent before its
	// tasks are reassigned.
	HeartbeatTimeout time.Duration
	// AssignTimeout is how long an assigned task may wait for its provider
	// to report it started.
	AssignTimeout time.Duration
	// TimeoutGrace is added to a task's timeout before the market gives up
	// on it, so the provider's own timeout normally fires first.
	TimeoutGrace time.Duration
}

// WithDefaults returns c with every zero field set to its default, so that
// setting one tunable never leaves another at a nonsensical zero.
func (c Config) WithDefaults() Config {
	d := DefaultConfig()
	if c.HeartbeatTimeout <= 0 {
		c.HeartbeatTimeout = d.HeartbeatTimeout
	}
	if c.AssignTimeout <= 0 {
		c.AssignTimeout = d.AssignTimeout
	}
	if c.TimeoutGrace <= 0 {
		c.TimeoutGrace = d.TimeoutGrace
	}
	return c
}

// DefaultConfig is what the market uses unless told otherwise.
func DefaultConfig() Config {
	return Config{HeartbeatTimeout: 15 * time.Second, AssignTimeout: 60 * time.Second, TimeoutGrace: 10 * time.Second}
}
