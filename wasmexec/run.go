package wasmexec

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"
)

// NoExitCode is ExecResult.ExitCode when the guest did not exit by itself
// (timeout, cancellation, quota, trap).
const NoExitCode = -1

// ending is how one guest run ended, before it is turned into a result.
type ending struct {
	err          error // from instantiation or _start; nil: returned normally
	instantiated bool
}

// execute runs one instance of m to its end and reports the outcome.
func (x *Executor) execute(ctx context.Context, req *bonfire.ExecRequest, m *compiledModule) *bonfire.ExecResult {
	// Wall time starts before the timeout's clock so that a timed-out run
	// never reports less than its timeout.
	wallStart := time.Now()
	var runCtx context.Context
	var cancel context.CancelFunc
	if req.Limits.Timeout > 0 {
		runCtx, cancel = context.WithTimeout(ctx, req.Limits.Timeout)
	} else {
		runCtx, cancel = context.WithCancel(ctx)
	}
	defer cancel()
	memory := newMemoryBudget(req.Limits.MemoryBytes)
	runCtx = experimental.WithMemoryAllocator(runCtx, memory)
	stdout := newLogWriter("stdout", req.Stdout, req.Limits.LogBytes)
	stderr := newLogWriter("stderr", req.Stderr, req.Limits.LogBytes)
	quota := &outputQuota{limit: req.Limits.OutputBytes}
	cfg := moduleConfig(req, stdout, stderr, quota, runCtx.Done())

	// The guest runs on this goroutine; pinning it to one thread makes that
	// thread's CPU clock measure the guest and its host calls, and nothing
	// else (other goroutines, the GC's background workers).
	runtime.LockOSThread()
	cpuStart, cpuOK := threadCPUNanos()
	end := x.instantiateAndStart(runCtx, m.compiled, cfg)
	cpuEnd, _ := threadCPUNanos()
	wall := time.Since(wallStart).Nanoseconds()
	runtime.UnlockOSThread()

	usage := bonfire.Usage{CPUNanos: wall, WallNanos: wall, PeakMemoryBytes: int64(memory.peak)}
	if cpuOK {
		usage.CPUNanos = cpuEnd - cpuStart
	}
	res := classify(ctx, runCtx, req, end, memory, stderr)
	res.Usage = usage
	return res
}

func (x *Executor) instantiateAndStart(ctx context.Context, compiled wazero.CompiledModule, cfg wazero.ModuleConfig) (end ending) {
	defer func() {
		// wazero does not guard the allocation of a memory the module does
		// not export (exported ones are checked before the run): refusing
		// its initial size panics inside instantiation.
		if r := recover(); r != nil {
			end.err = fmt.Errorf("instantiation failed: %v", r)
		}
	}()
	mod, err := x.runtime.InstantiateModule(ctx, compiled, cfg)
	if err != nil {
		return ending{err: err}
	}
	defer mod.Close(context.WithoutCancel(ctx))
	_, err = mod.ExportedFunction("_start").Call(ctx)
	return ending{err: err, instantiated: true}
}

// classify turns how the guest ended into a result. Order matters: a quota
// panic or an expired context explain whatever error the guest saw after.
func classify(ctx, runCtx context.Context, req *bonfire.ExecRequest, end ending, memory *memoryBudget, stderr *logWriter) *bonfire.ExecResult {
	res := &bonfire.ExecResult{ExitCode: NoExitCode}
	if end.err == nil {
		res.ExitCode = 0
		return res
	}
	var quota *quotaExceeded
	if errors.As(end.err, &quota) {
		res.Err = bonfire.Errorf(bonfire.ECodeQuota, "%s", quota.Error()).WithHint(quotaHint(quota.what, req))
		return res
	}
	if runCtx.Err() != nil {
		res.Err = stopped(ctx, req)
		return res
	}
	var exit *sys.ExitError
	if errors.As(end.err, &exit) {
		res.ExitCode = int(exit.ExitCode())
		switch {
		case res.ExitCode == 0:
		case memory.refused:
			res.Err = outOfMemory(req)
		default:
			res.Err = bonfire.Errorf(bonfire.ECodeTaskFailed, "exited with code %d", res.ExitCode).
				WithHint("see the task's stderr for why")
		}
		return res
	}
	if memory.refused {
		res.Err = outOfMemory(req)
		return res
	}
	if !end.instantiated {
		res.Err = bonfire.Errorf(bonfire.ECodeBadModule, "module %s cannot be instantiated: %v", req.ModuleDigest, end.err).
			WithField("module").
			WithHint("build the module as a WASI preview 1 command, e.g. GOOS=wasip1 GOARCH=wasm go build")
		return res
	}
	// A trap: the message keeps its first line; the wasm stack trace goes to
	// stderr, where the task's author will look for it.
	text := end.err.Error()
	first, _, _ := strings.Cut(text, "\n")
	stderr.note("\n" + text + "\n")
	res.Err = bonfire.Errorf(bonfire.ECodeTaskFailed, "trapped: %s", first).
		WithHint("the wasm stack trace is at the end of the task's stderr")
	return res
}

// stopped explains a run ended by its context: the caller's cancellation,
// or a deadline (the task's timeout or the caller's own).
func stopped(ctx context.Context, req *bonfire.ExecRequest) *bonfire.Error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return bonfire.Errorf(bonfire.ECodeCancelled, "cancelled while running").
			WithHint("the task was stopped on request; submit it again to rerun it")
	}
	if ctx.Err() != nil {
		return bonfire.Errorf(bonfire.ECodeTimeout, "the caller's deadline passed while running").
			WithHint("give the run more time")
	}
	return bonfire.Errorf(bonfire.ECodeTimeout, "timed out after %s", req.Limits.Timeout).
		WithField("timeout").
		WithHint("raise timeout in the job spec, or make the task faster")
}

func outOfMemory(req *bonfire.ExecRequest) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeOutOfMemory, "ran out of memory: the limit is %s", formatBytes(req.Limits.MemoryBytes)).
		WithField("resources.memoryBytes").
		WithHint("raise resources.memoryBytes in the job spec, or make the task use less memory")
}

func quotaHint(what string, req *bonfire.ExecRequest) string {
	if what == "outputs" {
		return fmt.Sprintf("write less under %s", req.OutputGuest)
	}
	return fmt.Sprintf("write less to %s; put large results in the output directory instead", what)
}
