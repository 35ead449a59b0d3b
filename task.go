package bonfire

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// TaskState is where one task is in its life.
type TaskState string

// Task states. queued → assigned → running → succeeded | failed | cancelled;
// a lost, timed-out or handed-back task returns to queued while retries last.
// A task whose result must be checked waits in verifying, between running
// and succeeded, until the runs that check it agree.
const (
	TaskQueued    TaskState = "queued"
	TaskAssigned  TaskState = "assigned"
	TaskRunning   TaskState = "running"
	TaskVerifying TaskState = "verifying"
	TaskSucceeded TaskState = "succeeded"
	TaskFailed    TaskState = "failed"
	TaskCancelled TaskState = "cancelled"
)

// Terminal reports whether s is an end state.
func (s TaskState) Terminal() bool {
	return s == TaskSucceeded || s == TaskFailed || s == TaskCancelled
}

// TaskID is the ID of task index of job jobID: "<jobID>.<index>".
func TaskID(jobID string, index int) string { return jobID + "." + strconv.Itoa(index) }

// JobOfTask is the job ID inside a task ID, and whether taskID has the
// form TaskID makes.
func JobOfTask(taskID string) (jobID string, ok bool) {
	i := strings.LastIndexByte(taskID, '.')
	if i <= 0 {
		return taskID, false
	}
	return taskID[:i], true
}

// Task is one execution unit of a job: the job's spec with one set of
// parameters. Attempt counts executions started (1 on the first).
type Task struct {
	ID         string            `json:"id"` // "<jobID>.<index>"
	JobID      string            `json:"jobId"`
	Index      int               `json:"index"`
	Params     map[string]string `json:"params,omitempty"`
	Args       []string          `json:"args,omitempty"` // rendered
	Env        map[string]string `json:"env,omitempty"`  // spec env plus params
	Seed       uint64            `json:"seed"`
	State      TaskState         `json:"state"`
	Attempt    int               `json:"attempt"`
	Retries    int               `json:"retries"` // failures so far that were retried
	Provider   Address           `json:"provider,omitempty"`
	Error      *Error            `json:"error,omitempty"` // why the last attempt failed
	QueuedAt   time.Time         `json:"queuedAt"`
	AssignedAt time.Time         `json:"assignedAt,omitzero"`
	StartedAt  time.Time         `json:"startedAt,omitzero"`
	FinishedAt time.Time         `json:"finishedAt,omitzero"`
	Result     *TaskResult       `json:"result,omitempty"` // the accepted result
	// Checks is set on a check run: a hidden extra task of the same job
	// that repeats task Checks (same args, env and seed) on another
	// provider so the results can be compared. Check runs have indexes from
	// the job's TaskCount up; the consumer's task list leaves them out.
	Checks string `json:"checks,omitempty"`
	// Replicas is how many runs of this task the market compares (1: its
	// result is accepted alone). The public task list hides it while the
	// task is unfinished, so a provider cannot learn whether it is checked.
	Replicas int    `json:"replicas,omitempty"`
	Charge   uint64 `json:"charge,omitempty"` // what the accepted result cost the owner, in token base units
}

// Usage is what one execution consumed, as measured by the provider.
type Usage struct {
	CPUNanos        int64 `json:"cpuNanos"`
	WallNanos       int64 `json:"wallNanos"`
	PeakMemoryBytes int64 `json:"peakMemoryBytes"`
	// GPUNanos is GPU time: the GPUs a task was given × its wall time
	// (a GPU given to a task is held by it for the whole run).
	GPUNanos int64 `json:"gpuNanos,omitempty"`
}

// TaskResult is a provider's signed account of one execution. It carries all
// a verifier needs (InputsDigest, OutputDigest) and all a payer needs
// (Provider, Usage), and the provider's signature over the rest of it.
type TaskResult struct {
	TaskID       string    `json:"taskId"`
	JobID        string    `json:"jobId"`
	Attempt      int       `json:"attempt"`
	Provider     Address   `json:"provider"`
	InputsDigest Digest    `json:"inputsDigest"` // module, args, env, inputs, seed
	OutputDigest Digest    `json:"outputDigest"` // outputs manifest and exit code
	Outputs      []FileRef `json:"outputs,omitempty"`
	ExitCode     int       `json:"exitCode"`
	Error        *Error    `json:"error,omitempty"`
	Usage        Usage     `json:"usage"`
	Image        string    `json:"image,omitempty"` // the image ID that ran (docker); covered by OutputDigest
	FinishedAt   time.Time `json:"finishedAt"`
	Signature    string    `json:"signature,omitempty"` // 0x-hex, 65 bytes, over SigningBytes
}

// SigningBytes is the canonical encoding the provider signs: the result's
// JSON with the signature field empty. encoding/json writes struct fields in
// declaration order and sorts nothing else here, so it is stable.
func (r *TaskResult) SigningBytes() []byte {
	c := *r
	c.Signature = ""
	c.FinishedAt = c.FinishedAt.UTC()
	b, err := json.Marshal(&c)
	if err != nil {
		panic("bonfire: TaskResult is always encodable: " + err.Error())
	}
	return append([]byte("bonfire/v1 task-result\n"), b...)
}

// OK reports whether the execution succeeded.
func (r *TaskResult) OK() bool { return r.Error == nil && r.ExitCode == 0 }

// LogChunk is a piece of a task's stdout or stderr.
type LogChunk struct {
	TaskID  string `json:"taskId"`
	Attempt int    `json:"attempt"`
	Stream  string `json:"stream"` // "stdout" or "stderr"
	Seq     int    `json:"seq"`
	Data    string `json:"data"`
}

// TaskEvent is one line of a task's history (assigned, started, requeued,
// rejected message, …), kept for people and for the trust issue.
type TaskEvent struct {
	TaskID   string    `json:"taskId"`
	Attempt  int       `json:"attempt"`
	At       time.Time `json:"at"`
	Kind     string    `json:"kind"`
	Provider Address   `json:"provider,omitempty"`
	Detail   string    `json:"detail,omitempty"`
}
