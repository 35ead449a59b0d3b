package bonfire

import "time"

// APIVersion and KindJob are the only accepted values of a spec's apiVersion
// and kind fields.
const (
	APIVersion = "bonfire/v1"
	KindJob    = "Job"
)

// Executor names.
const (
	ExecutorWASM   = "wasm"
	ExecutorDocker = "docker"
)

// JobSpec is a job as a consumer writes it (YAML, see package jobspec) and,
// once resolved, as the market stores it. A resolved spec names its module
// by digest and lists every input file by digest; the market accepts only
// resolved specs.
type JobSpec struct {
	APIVersion string            `json:"apiVersion" yaml:"apiVersion"`
	Kind       string            `json:"kind" yaml:"kind"`
	Name       string            `json:"name" yaml:"name"`
	Executor   string            `json:"executor" yaml:"executor"`
	Module     string            `json:"module" yaml:"module"` // local path, or sha256:… once resolved
	Args       []string          `json:"args,omitempty" yaml:"args,omitempty"`
	Env        map[string]string `json:"env,omitempty" yaml:"env,omitempty"`
	Inputs     []Input           `json:"inputs,omitempty" yaml:"inputs,omitempty"`
	Outputs    string            `json:"outputs" yaml:"outputs"` // guest directory, writable
	Resources  Resources         `json:"resources" yaml:"resources"`
	Count      int               `json:"count,omitempty" yaml:"count,omitempty"`
	Matrix     []MatrixParam     `json:"matrix,omitempty" yaml:"matrix,omitempty"` // ordered as written
	Timeout    Duration          `json:"timeout" yaml:"timeout"`
	Retries    int               `json:"retries" yaml:"retries"`
	// MaxPrice is the most the consumer pays per cpu-second, in the
	// settlement token's smallest unit (e.g. micro-USDC). Zero means free.
	MaxPrice uint64 `json:"maxPrice" yaml:"maxPrice"`
	// MaxGPUPrice is the most the consumer pays per GPU-second (a GPU held
	// for a second of wall time), in the same unit. Zero: GPUs cost nothing.
	MaxGPUPrice uint64      `json:"maxGpuPrice,omitempty" yaml:"maxGpuPrice,omitempty"`
	Determinism Determinism `json:"determinism" yaml:"determinism"`
	Summary     *Summary    `json:"summary,omitempty" yaml:"summary,omitempty"`
	Verify      Verify      `json:"verify,omitzero" yaml:"verify,omitempty"`
}

// Verify says how the market checks a job's results before the consumer
// sees or pays for them (see package trust and docs/trust.md). The zero
// value is the default: adaptive replication, any provider.
type Verify struct {
	// Policy is "adaptive" (also when empty), "none", or "replicate: N"
	// with N from 2 to 16, as package trust parses it.
	Policy string `json:"policy,omitempty"`
	// MinReputation is the least reputation score, from 0 to 1, a provider
	// needs to be given this job's tasks. Zero admits everyone.
	MinReputation float64 `json:"minReputation,omitempty"`
	// Numeric, when set, compares replicas by the numbers in one JSON
	// output file within a tolerance instead of by their output digests,
	// for work whose honest runs differ in the last bits (GPU training).
	Numeric *NumericCheck `json:"numeric,omitempty"`
	// Homogeneous places a task's replicas only on providers with the same
	// GPU model and driver (BOINC's homogeneous redundancy), so honest runs
	// differ as little as possible.
	Homogeneous bool `json:"homogeneous,omitempty"`
}

// NumericCheck says how to compare two replicas' numeric results: read File
// (JSON) from each one's outputs, and compare each metric (a dotted path to
// a number, like "eval.accuracy") within AbsTol or RelTol of each other.
type NumericCheck struct {
	File    string   `json:"file"`
	Metrics []string `json:"metrics"`
	RelTol  float64  `json:"relTol,omitempty"` // |a-b| <= RelTol × max(|a|,|b|) passes
	AbsTol  float64  `json:"absTol,omitempty"` // |a-b| <= AbsTol passes
}

// Input is content mounted read-only into every task at Path.
// Source is what the consumer wrote (a local file or directory, or a
// digest); Files is filled on resolution. A single-file input has one entry
// with an empty Name; a directory input has one entry per file, Name being
// the slash-separated path below Path.
type Input struct {
	Path   string    `json:"path" yaml:"path"`
	Source string    `json:"source,omitempty" yaml:"source,omitempty"`
	Files  []FileRef `json:"files,omitempty" yaml:"files,omitempty"`
}

// FileRef names one file by its relative path, digest and size.
type FileRef struct {
	Name   string `json:"name"`
	Digest Digest `json:"digest"`
	Size   int64  `json:"size"`
}

// Resources are what one task needs.
type Resources struct {
	CPUMilli    int64       `json:"cpuMilli"`    // 1000 = one core
	MemoryBytes int64       `json:"memoryBytes"` // also the WASM memory limit
	GPU         *GPURequest `json:"gpu,omitempty"`
	// Network lets the task reach the network (docker executor only;
	// written "network: true" at the top of a spec). Off by default; only
	// providers that allow it are given such a job.
	Network bool `json:"network,omitempty"`
}

// GPURequest asks for GPUs; Model is a glob pattern ("*A100*").
type GPURequest struct {
	Count       int    `json:"count"`
	Model       string `json:"model,omitempty"`
	MemoryBytes int64  `json:"memoryBytes,omitempty"`
}

// MatrixParam is one axis of a parameter sweep. Values keep the text the
// consumer wrote; tasks see them verbatim in env and in {{.name}} args.
type MatrixParam struct {
	Name   string   `json:"name"`
	Values []string `json:"values"`
}

// Determinism controls what nondeterminism a task may see. The zero value of
// the JSON form is not the default: jobspec fills Deterministic=true unless
// the spec turns it off.
type Determinism struct {
	Deterministic bool   `json:"deterministic"` // no wall clock, no host randomness
	Clock         bool   `json:"clock"`         // expose the real clock even so
	Random        bool   `json:"random"`        // expose host randomness even so
	Seed          uint64 `json:"seed"`          // base seed; each task derives its own
}

// Summary says how to rank a job's tasks: read File (JSON) from each task's
// outputs, take the number at Metric, order by Order ("desc" or "asc").
type Summary struct {
	File   string `json:"file" yaml:"file"`
	Metric string `json:"metric" yaml:"metric"`
	Order  string `json:"order" yaml:"order"`
}

// JobState is where a job is in its life.
type JobState string

// Job states. A job is terminal once succeeded, failed or cancelled.
const (
	JobQueued    JobState = "queued"
	JobRunning   JobState = "running"
	JobSucceeded JobState = "succeeded"
	JobFailed    JobState = "failed"
	JobCancelled JobState = "cancelled"
)

// Terminal reports whether s is an end state.
func (s JobState) Terminal() bool {
	return s == JobSucceeded || s == JobFailed || s == JobCancelled
}

// Job is a submitted, resolved JobSpec with its owner and progress.
type Job struct {
	ID          string     `json:"id"`
	Owner       Address    `json:"owner"`
	Spec        JobSpec    `json:"spec"`
	State       JobState   `json:"state"`
	Reason      string     `json:"reason,omitempty"` // why it failed or was cancelled
	TaskCount   int        `json:"taskCount"`
	Counts      TaskCounts `json:"counts"`
	SubmittedAt time.Time  `json:"submittedAt"`
	FinishedAt  time.Time  `json:"finishedAt,omitzero"`
	// Budget is the most the job can cost, TaskCount × MaxTaskCharge, held
	// against the owner's escrow from submission until the job ends.
	// Charged is what its accepted tasks have cost so far. Both are in the
	// settlement token's base units.
	Budget  uint64 `json:"budget,omitempty"`
	Charged uint64 `json:"charged,omitempty"`
	// CheckRuns is how many check runs (replicas, referees, canaries) the
	// market added to verify the job's results; CheckCounts counts them by
	// state, apart from Counts, which covers the job's own tasks only.
	CheckRuns   int        `json:"checkRuns,omitempty"`
	CheckCounts TaskCounts `json:"checkCounts,omitzero"`
}

// TaskCounts counts a job's tasks by state.
type TaskCounts struct {
	Queued    int `json:"queued"`
	Assigned  int `json:"assigned"`
	Running   int `json:"running"`
	Verifying int `json:"verifying"`
	Succeeded int `json:"succeeded"`
	Failed    int `json:"failed"`
	Cancelled int `json:"cancelled"`
}

// Duration is a time.Duration written as "90s" or "5m" in specs and JSON.
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalText writes d as Go duration text.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads Go duration text.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return Errorf(ECodeInvalid, "%q is not a duration", string(b)).WithHint(`write durations like "90s" or "5m"`)
	}
	*d = Duration(v)
	return nil
}
