package wasmexec

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/bonfirenet/bonfire"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// DefaultMaxCompiled is how many compiled modules an Executor keeps when
// Options.MaxCompiled is zero.
const DefaultMaxCompiled = 32

// Options configure an Executor.
type Options struct {
	// CacheDir, when set, keeps wazero's compiled machine code on disk so a
	// restarted provider does not compile its modules again. Empty keeps it
	// in memory only.
	CacheDir string
	// MaxCompiled is how many compiled modules are kept ready (least
	// recently used go first); 0 means DefaultMaxCompiled.
	MaxCompiled int
}

// Executor runs WASI preview 1 modules. It is safe for concurrent use.
type Executor struct {
	runtime wazero.Runtime
	cache   wazero.CompilationCache
	modules *moduleCache
	closed  atomic.Bool
}

var _ bonfire.Executor = (*Executor)(nil)

// New returns an Executor ready to run modules.
func New(opts Options) (*Executor, error) {
	if opts.MaxCompiled < 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "MaxCompiled is %d", opts.MaxCompiled).
			WithField("maxCompiled").WithHint("use a positive number, or 0 for the default")
	}
	maxCompiled := opts.MaxCompiled
	if maxCompiled == 0 {
		maxCompiled = DefaultMaxCompiled
	}
	cache := wazero.NewCompilationCache()
	if opts.CacheDir != "" {
		var err error
		if cache, err = wazero.NewCompilationCacheWithDir(opts.CacheDir); err != nil {
			return nil, bonfire.Errorf(bonfire.ECodeInvalid, "compilation cache directory %q cannot be used: %v", opts.CacheDir, err).
				WithField("cacheDir").WithHint("point it at a writable directory, or leave it empty to cache in memory")
		}
	}
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().
		WithCompilationCache(cache).
		// Without this a guest in an endless loop could not be stopped.
		WithCloseOnContextDone(true))
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		_ = rt.Close(ctx)
		_ = cache.Close(ctx)
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "cannot provide WASI: %v", err)
	}
	return &Executor{runtime: rt, cache: cache, modules: newModuleCache(rt, maxCompiled)}, nil
}

// Name returns "wasm", the executor's name in job specs.
func (x *Executor) Name() string { return bonfire.ExecutorWASM }

// Close stops every running guest and releases compiled code. Runs in
// progress return an error rather than a result.
func (x *Executor) Close(ctx context.Context) error {
	if x.closed.Swap(true) {
		return nil
	}
	return errors.Join(x.runtime.Close(ctx), x.cache.Close(ctx))
}

// Run executes req and reports how it ended. A failure of the workload
// (bad module, exit code, trap, timeout, cancellation, quota, memory) is in
// the result; an error means the request or the executor is at fault.
func (x *Executor) Run(ctx context.Context, req *bonfire.ExecRequest) (*bonfire.ExecResult, error) {
	if x.closed.Load() {
		return nil, errClosed()
	}
	if err := checkRequest(req); err != nil {
		return nil, err
	}
	m, err := x.modules.acquire(ctx, req.ModuleDigest, req.ModulePath)
	if err != nil {
		var bad *badModule
		switch {
		case errors.As(err, &bad):
			return &bonfire.ExecResult{ExitCode: NoExitCode, Err: bad.err}, nil
		case ctx.Err() != nil:
			return &bonfire.ExecResult{ExitCode: NoExitCode, Err: stopped(ctx, req)}, nil
		case x.closed.Load():
			return nil, errClosed()
		}
		return nil, err
	}
	defer x.modules.release(m)

	if limit := req.Limits.MemoryBytes; limit > 0 && m.minMemoryBytes > uint64(limit)/wasmPageSize*wasmPageSize {
		res := &bonfire.ExecResult{ExitCode: NoExitCode, Err: outOfMemory(req)}
		res.Err.Message += ", and the module starts with " + formatBytes(int64(m.minMemoryBytes))
		return res, nil
	}
	res := x.execute(ctx, req, m)
	if x.closed.Load() {
		// Closing the runtime ends guests as if they exited with code 0.
		return nil, errClosed()
	}
	return res, nil
}

func errClosed() error {
	return bonfire.Errorf(bonfire.ECodeUnavailable, "the wasm executor is closed").
		WithHint("the provider is shutting down; run the task elsewhere")
}
