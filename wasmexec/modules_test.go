package wasmexec

import (
	"context"
	"sync"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/tetratelabs/wazero"
)

func newExecutor(t *testing.T, opts Options) *Executor {
	t.Helper()
	x, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close(context.Background()) })
	return x
}

func TestConcurrentRunsCompileOnce(t *testing.T) {
	t.Parallel()
	x := newExecutor(t, Options{CacheDir: cacheDir})
	const runs = 6
	results := make([]*bonfire.ExecResult, runs)
	errs := make([]error, runs)
	reqs := make([]*bonfire.ExecRequest, runs)
	var wg sync.WaitGroup
	for i := range runs {
		reqs[i] = goRequest(t, "noop")
		wg.Go(func() { results[i], errs[i] = x.Run(context.Background(), reqs[i]) })
	}
	wg.Wait()
	for i := range runs {
		if errs[i] != nil {
			t.Fatalf("run %d: %v", i, errs[i])
		}
		wantSuccess(t, results[i], reqs[i])
	}
	if n := x.modules.compilations.Load(); n != 1 {
		t.Errorf("compiled %d times for %d concurrent runs, want once", n, runs)
	}
}

func TestBadModule(t *testing.T) {
	t.Parallel()
	x := newExecutor(t, Options{})
	tests := []struct {
		name string
		wasm []byte
		want string
	}{
		{"not wasm", []byte("#!/bin/sh\necho hi\n"), "is not valid WebAssembly"},
		{"truncated", NoopModule[:len(NoopModule)-3], "is not valid WebAssembly"},
		{"no _start", NoopModule[:8], "exports no _start function"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := moduleRequest(t, tt.wasm)
			res := mustRun(t, x, req)
			wantFailure(t, res, bonfire.ECodeBadModule, tt.want, string(req.ModuleDigest))
			if res.Err.Field != "module" {
				t.Errorf("field %q, want module", res.Err.Field)
			}
		})
	}
	// A bad module is not cached: trying again compiles again.
	before := x.modules.compilations.Load()
	mustRun(t, x, moduleRequest(t, []byte("junk")))
	mustRun(t, x, moduleRequest(t, []byte("junk")))
	if got := x.modules.compilations.Load() - before; got != 2 {
		t.Errorf("compiled a bad module %d times in two runs, want 2", got)
	}
	req := moduleRequest(t, NoopModule)
	wantSuccess(t, mustRun(t, x, req), req)
}

func TestCacheKeepsMaxCompiled(t *testing.T) {
	t.Parallel()
	x := newExecutor(t, Options{MaxCompiled: 1})
	noop, trap := moduleRequest(t, NoopModule), moduleRequest(t, commandModule(opUnreachable, opEnd))
	for _, req := range []*bonfire.ExecRequest{noop, noop, trap, noop} {
		mustRun(t, x, req)
	}
	// noop, (noop cached), trap evicts noop, noop again.
	if got := x.modules.compilations.Load(); got != 3 {
		t.Errorf("compiled %d times, want 3", got)
	}
}

func TestEvictedModuleStaysUsableUntilReleased(t *testing.T) {
	t.Parallel()
	x := newExecutor(t, Options{MaxCompiled: 1})
	ctx := context.Background()
	a, b := moduleRequest(t, NoopModule), moduleRequest(t, commandModule(opUnreachable, opEnd))
	held, err := x.modules.acquire(ctx, a.ModuleDigest, a.ModulePath)
	if err != nil {
		t.Fatal(err)
	}
	other, err := x.modules.acquire(ctx, b.ModuleDigest, b.ModulePath) // evicts a
	if err != nil {
		t.Fatal(err)
	}
	x.modules.release(other)

	instantiate := func() error {
		mod, err := x.runtime.InstantiateModule(ctx, held.compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
		if err == nil {
			mod.Close(ctx)
		}
		return err
	}
	if err := instantiate(); err != nil {
		t.Fatalf("evicted module in use was closed: %v", err)
	}
	x.modules.release(held)
	if err := instantiate(); err == nil {
		t.Error("evicted module still open after its last release")
	}
}

func TestCloseDuringRunIsAnError(t *testing.T) {
	t.Parallel()
	x := newExecutor(t, Options{CacheDir: cacheDir})
	req := goRequest(t, "loop")
	out := &signalWriter{want: "looping\n", started: make(chan struct{})}
	req.Stdout = out
	go func() {
		<-out.started
		x.Close(context.Background())
	}()
	res, err := x.Run(context.Background(), req)
	if err == nil {
		t.Fatalf("Run returned %+v after the executor closed under it", res)
	}
	wantErrorCode(t, err, bonfire.ECodeUnavailable, "")
}
