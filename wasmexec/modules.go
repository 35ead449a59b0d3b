package wasmexec

import (
	"container/list"
	"context"
	"os"
	"sync"
	"sync/atomic"

	"github.com/bonfirenet/bonfire"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// badModule marks a load failure that is the module's fault: it becomes the
// run's result (ECodeBadModule), not an executor error.
type badModule struct{ err *bonfire.Error }

func (b *badModule) Error() string { return b.err.Error() }

// compiledModule is one cache entry. Fields after ready are written once,
// before ready is closed; refs, evicted and elem are guarded by the cache.
type compiledModule struct {
	digest bonfire.Digest
	ready  chan struct{}

	compiled       wazero.CompiledModule
	minMemoryBytes uint64 // what instantiation allocates before any code runs
	err            error

	refs    int  // runs using compiled
	evicted bool // out of the cache; close when refs reaches zero
	elem    *list.Element
}

// moduleCache compiles each module once, however many runs ask for it at
// the same time, and keeps up to max compiled modules, dropping the least
// recently used. A module in use by a run is closed only after that run.
type moduleCache struct {
	runtime wazero.Runtime
	max     int

	mu      sync.Mutex
	entries map[bonfire.Digest]*compiledModule
	recent  *list.List // of *compiledModule, most recently used first

	compilations atomic.Int64 // how many times a module was compiled
}

func newModuleCache(rt wazero.Runtime, max int) *moduleCache {
	return &moduleCache{runtime: rt, max: max, entries: map[bonfire.Digest]*compiledModule{}, recent: list.New()}
}

// acquire returns the compiled module for digest, compiling it from path on
// first use. The caller must release it. Errors are *badModule when the
// module itself is at fault, ctx's error when ctx ended while waiting for
// another caller's compilation, and *bonfire.Error otherwise.
func (c *moduleCache) acquire(ctx context.Context, digest bonfire.Digest, path string) (*compiledModule, error) {
	c.mu.Lock()
	m, found := c.entries[digest]
	if !found {
		m = &compiledModule{digest: digest, ready: make(chan struct{})}
		c.entries[digest] = m
	}
	c.mu.Unlock()

	if !found {
		// Compile even if ctx ends meanwhile: other runs may be waiting.
		c.load(context.WithoutCancel(ctx), m, path)
		c.mu.Lock()
		if m.err != nil {
			delete(c.entries, digest) // let a later run try again
		} else {
			m.elem = c.recent.PushFront(m)
			c.evictLocked()
		}
		c.mu.Unlock()
		close(m.ready)
	} else {
		select {
		case <-m.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if m.err != nil {
		return nil, m.err
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	m.refs++
	if !m.evicted {
		c.recent.MoveToFront(m.elem)
	}
	return m, nil
}

// release ends a run's use of m.
func (c *moduleCache) release(m *compiledModule) {
	c.mu.Lock()
	m.refs--
	closeNow := m.evicted && m.refs == 0
	c.mu.Unlock()
	if closeNow {
		_ = m.compiled.Close(context.Background())
	}
}

func (c *moduleCache) evictLocked() {
	for c.recent.Len() > c.max {
		old := c.recent.Remove(c.recent.Back()).(*compiledModule)
		delete(c.entries, old.digest)
		old.evicted = true
		if old.refs == 0 {
			_ = old.compiled.Close(context.Background())
		}
	}
}

// load reads, verifies, compiles and checks the module, filling m.
func (c *moduleCache) load(ctx context.Context, m *compiledModule, path string) {
	wasm, err := os.ReadFile(path)
	if err != nil {
		m.err = bonfire.Errorf(bonfire.ECodeInvalid, "cannot read module %s: %v", m.digest, err).
			WithField("modulePath").
			WithHint("the provider must fetch the module to ModulePath before running it")
		return
	}
	if got := bonfire.DigestOf(wasm); got != m.digest {
		m.err = bonfire.Errorf(bonfire.ECodeInvalid, "module file %s has digest %s, want %s", path, got, m.digest).
			WithField("modulePath").
			WithHint("the provider must fetch the module again: the file does not hold the module named by ModuleDigest")
		return
	}
	c.compilations.Add(1)
	compiled, err := c.runtime.CompileModule(ctx, wasm)
	if err != nil {
		m.err = badModuleErrorf("module %s is not valid WebAssembly: %v", m.digest, err)
		return
	}
	if err := checkCommand(m.digest, compiled); err != nil {
		_ = compiled.Close(ctx)
		m.err = err
		return
	}
	m.compiled = compiled
	for _, mem := range compiled.ExportedMemories() {
		m.minMemoryBytes = max(m.minMemoryBytes, uint64(mem.Min())*wasmPageSize)
	}
}

// checkCommand refuses modules the executor cannot run, at compile time so
// the message names the actual problem instead of a link error.
func checkCommand(digest bonfire.Digest, compiled wazero.CompiledModule) error {
	for _, f := range compiled.ImportedFunctions() {
		if mod, name, _ := f.Import(); mod != wasi_snapshot_preview1.ModuleName {
			return badModuleErrorf("module %s imports function %s.%s, but only %s is provided",
				digest, mod, name, wasi_snapshot_preview1.ModuleName)
		}
	}
	for _, mem := range compiled.ImportedMemories() {
		mod, name, _ := mem.Import()
		return badModuleErrorf("module %s imports memory %s.%s, but no memory is provided", digest, mod, name)
	}
	start, ok := compiled.ExportedFunctions()["_start"]
	if !ok {
		return badModuleErrorf("module %s exports no _start function", digest)
	}
	if len(start.ParamTypes()) != 0 || len(start.ResultTypes()) != 0 {
		return badModuleErrorf("module %s exports _start as %s, want a function without parameters or results",
			digest, signature(start))
	}
	return nil
}

func signature(f api.FunctionDefinition) string {
	s := "func("
	for i, t := range f.ParamTypes() {
		if i > 0 {
			s += ", "
		}
		s += api.ValueTypeName(t)
	}
	s += ")"
	for i, t := range f.ResultTypes() {
		if i == 0 {
			s += " "
		} else {
			s += ", "
		}
		s += api.ValueTypeName(t)
	}
	return s
}

func badModuleErrorf(format string, args ...any) *badModule {
	return &badModule{bonfire.Errorf(bonfire.ECodeBadModule, format, args...).
		WithField("module").
		WithHint("build the module as a WASI preview 1 command, e.g. GOOS=wasip1 GOARCH=wasm go build")}
}
