package bonfire

import "context"

// JobService is what consumers do with jobs. The market implements it; the
// HTTP API exposes it. caller is the authenticated address of whoever asks.
type JobService interface {
	// SubmitJob accepts a resolved spec (module and inputs already uploaded)
	// owned by owner, expands it into tasks and queues them.
	SubmitJob(ctx context.Context, owner Address, spec *JobSpec) (*Job, error)
	// CancelJob stops a job's unfinished tasks. Only the owner may cancel.
	CancelJob(ctx context.Context, caller Address, jobID string) (*Job, error)
	// Job returns one job with its current counts.
	Job(ctx context.Context, id string) (*Job, error)
	// Jobs lists jobs, oldest first.
	Jobs(ctx context.Context, f JobFilter) ([]*Job, error)
	// Tasks lists a job's tasks by index.
	Tasks(ctx context.Context, f TaskFilter) ([]*Task, error)
}

// ResultService gives a job's owner its outputs and logs.
type ResultService interface {
	// JobResults returns every task's outcome and, when the spec has a
	// summary, the ranking. Only the owner may read it.
	JobResults(ctx context.Context, caller Address, jobID string) (*JobResults, error)
	// TaskLogs returns a task attempt's log chunks in order (attempt 0 means
	// the latest). Only the job's owner may read them.
	TaskLogs(ctx context.Context, caller Address, taskID string, attempt int) ([]*LogChunk, error)
	// TaskHistory returns what happened to a task, oldest first: its
	// assignments, commitments, reveals, rejections, faults and slashes,
	// and, once it has ended, those of the check runs that verified it.
	// Only the job's owner may read it.
	TaskHistory(ctx context.Context, caller Address, taskID string) ([]*TaskEvent, error)
}

// ProviderDirectory lists the providers the market knows.
type ProviderDirectory interface {
	Providers(ctx context.Context) ([]*Provider, error)
}

// JobResults is a job's outcome as its owner sees it.
type JobResults struct {
	Job     *Job          `json:"job"`
	Tasks   []TaskOutcome `json:"tasks"`
	Ranking []RankEntry   `json:"ranking,omitempty"` // best first, per the spec's summary
}

// TaskOutcome is one task's final state and accepted result.
type TaskOutcome struct {
	TaskID string            `json:"taskId"`
	Index  int               `json:"index"`
	Params map[string]string `json:"params,omitempty"`
	State  TaskState         `json:"state"`
	Error  *Error            `json:"error,omitempty"`
	Result *TaskResult       `json:"result,omitempty"`
}

// RankEntry is one task's place in a job's summary ranking.
type RankEntry struct {
	Rank   int               `json:"rank"`
	TaskID string            `json:"taskId"`
	Params map[string]string `json:"params,omitempty"`
	Metric float64           `json:"metric"`
}
