package bonfire

import (
	"context"
	"io"
	"time"
)

// BlobStore keeps content by its SHA-256 digest. Put verifies what it stores;
// a blob once stored never changes.
type BlobStore interface {
	// Put stores r, refusing more than maxBytes (ECodeTooLarge), and
	// returns its digest and size. When want is non-empty the content must
	// hash to it (ECodeInvalid otherwise) and nothing is stored on mismatch.
	Put(ctx context.Context, r io.Reader, want Digest, maxBytes int64) (Digest, int64, error)
	// Open returns the blob for reading with its size; ECodeNotFound if absent.
	Open(ctx context.Context, d Digest) (io.ReadSeekCloser, int64, error)
	// Stat returns the size of a stored blob; ECodeNotFound if absent.
	Stat(ctx context.Context, d Digest) (int64, error)
}

// Batch is a set of writes applied in one transaction. Upserts replace the
// whole row; Results are insert-once per (task, attempt) so a result sent
// twice is recorded once.
type Batch struct {
	Jobs      []*Job
	Tasks     []*Task
	Results   []*TaskResult
	Events    []*TaskEvent
	Logs      []*LogChunk
	Providers []*Provider
	Charges   []*TaskCharge // insert-once per task: a second charge for a task is ignored
}

// Empty reports whether b writes nothing.
func (b *Batch) Empty() bool {
	return len(b.Jobs)+len(b.Tasks)+len(b.Results)+len(b.Events)+len(b.Logs)+len(b.Providers)+len(b.Charges) == 0
}

// StateWriter applies batches durably.
type StateWriter interface {
	// Commit applies b atomically: all of it or none of it.
	Commit(ctx context.Context, b *Batch) error
}

// JobFilter selects jobs for listing. Zero fields do not filter.
type JobFilter struct {
	Owner  Address
	States []JobState
	Limit  int    // 0 means a default page
	After  string // job ID to continue after (IDs sort by submission)
}

// TaskFilter selects tasks for listing. Zero fields do not filter.
type TaskFilter struct {
	JobID  string
	States []TaskState
	Limit  int
	From   int // first task index to return; a page continues from the last index + 1
}

// StateReader reads what StateWriter wrote.
type StateReader interface {
	Job(ctx context.Context, id string) (*Job, error)
	Jobs(ctx context.Context, f JobFilter) ([]*Job, error)
	Tasks(ctx context.Context, f TaskFilter) ([]*Task, error)
	Providers(ctx context.Context) ([]*Provider, error)
}

// HistoryReader reads a task's logs, events and every result it produced.
type HistoryReader interface {
	Logs(ctx context.Context, taskID string, attempt int) ([]*LogChunk, error)
	Events(ctx context.Context, taskID string) ([]*TaskEvent, error)
	Results(ctx context.Context, taskID string) ([]*TaskResult, error)
}

// Store is the market's durable state. sqlite implements it; Postgres can.
type Store interface {
	StateWriter
	StateReader
	HistoryReader
	ChargeReader
	Close() error
}

// Mount makes a host directory visible to a workload at a guest path.
type Mount struct {
	HostPath  string
	GuestPath string
	ReadOnly  bool
}

// ExecRequest is one execution handed to an Executor. The provider has
// already fetched the module and inputs and laid them out in Mounts.
type ExecRequest struct {
	TaskID       string
	ModuleDigest Digest
	ModulePath   string // host path of the module (wasm) or image archive (docker, when the image is a blob)
	Image        string // image reference (docker); empty for wasm
	Args         []string
	Env          map[string]string
	Mounts       []Mount // inputs, read-only
	OutputDir    string  // host directory, writable, initially empty
	OutputGuest  string  // where the workload sees OutputDir
	Limits       Limits
	Determinism  Determinism
	Seed         uint64 // the task's own seed
	// Network lets the workload reach the network. The provider sets it
	// only when the job asks for it and the provider allows it; executors
	// that cannot isolate the network (wasm has none) ignore it.
	Network bool
	// GPU is the job's GPU request, nil for none. Executors that cannot
	// pass GPUs through refuse a request that has one.
	GPU    *GPURequest
	Stdout io.Writer
	Stderr io.Writer
}

// Limits bound one execution.
type Limits struct {
	CPUMilli    int64 // 1000 = one core; 0 = no limit (wasm runs on one thread)
	MemoryBytes int64
	Timeout     time.Duration
	LogBytes    int64 // per stream; more is dropped and reported as ECodeQuota
	OutputBytes int64 // total bytes written under OutputDir
}

// ExecResult is how an execution ended. A workload failure (non-zero exit,
// trap, timeout, quota, bad module) is reported in Err with its code, not as
// Run's error; Run's error means the executor itself could not work.
type ExecResult struct {
	ExitCode int
	Err      *Error
	Usage    Usage
	// Image is what actually ran when the request named an image: its
	// content digest (the image ID, "sha256:…"). The provider puts it in the
	// signed result and the output digest, so replicas that ran different
	// images never agree. Empty for wasm, whose module is already a digest.
	Image string
}

// Executor runs workloads of one kind (wasm, docker).
type Executor interface {
	// Name is the executor's name as written in job specs.
	Name() string
	// Run executes req until it ends, ctx is cancelled, or its timeout passes.
	Run(ctx context.Context, req *ExecRequest) (*ExecResult, error)
}
