package trustsim

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bonfirenet/bonfire"
)

// Mode is how a simulated provider behaves.
type Mode string

// The behaviours issue 4 asks the market to withstand.
const (
	Honest Mode = "honest"
	// Wrong returns random bytes instead of running the task.
	Wrong Mode = "wrong"
	// Copy computes nothing and returns an answer derived from the task's
	// inputs that every copier shares: colluders who cannot see each
	// other's results (commit–reveal) can at best agree on a guess.
	Copy Mode = "copy"
	// Cores runs tasks honestly but claims far more cores than it has.
	Cores Mode = "cores"
	// Drop takes tasks and never finishes them.
	Drop Mode = "drop"
	// Canary is honest on inputs it has seen before (canaries and check
	// runs repeat earlier tasks) and wrong otherwise.
	Canary Mode = "canary"
)

// CheatModes lists every dishonest mode, in the order scenarios run.
var CheatModes = []Mode{Wrong, Copy, Cores, Drop, Canary}

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return m == Honest || slices.Contains(CheatModes, m) }

// Every file a cheater writes starts with this marker, so the report can
// tell a wrong accepted result from a right one by reading its outputs.
const cheatMarker = "CHEAT"

// outputName is the one file every simulated task writes.
const outputName = "result"

// correctOutput is the right output of a task: distinct per task and the
// same for every honest run of it. The no-op module computes nothing, so the
// executor wrapper writes it after the real run; what matters to the market
// is only that honest replicas agree and cheaters cannot guess it.
func correctOutput(module bonfire.Digest, args []string, env map[string]string, seed uint64) []byte {
	return []byte("ok " + inputsKey(module, args, env, seed) + "\n")
}

// inputsKey names what a run was asked to compute.
func inputsKey(module bonfire.Digest, args []string, env map[string]string, seed uint64) string {
	h := sha256.New()
	h.Write([]byte("trustsim task\n" + string(module) + "\n"))
	for _, a := range args {
		h.Write([]byte(a + "\x00"))
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		h.Write([]byte(k + "=" + env[k] + "\x00"))
	}
	var b [8]byte
	for i := range b {
		b[i] = byte(seed >> (8 * i))
	}
	h.Write(b[:])
	return hex.EncodeToString(h.Sum(nil))
}

// executor runs the real WASM executor for honest work and cheats as its
// mode says. It counts every execution it is handed, which is what the
// overhead is measured in.
type executor struct {
	inner bonfire.Executor
	mode  Mode

	// cheating is off while a sleeper builds its reputation.
	cheating atomic.Bool
	runs     atomic.Int64
	// honestRuns is how many executions a sleeper ran before it began
	// to cheat; its catch is counted from there.
	honestRuns atomic.Int64

	mu     sync.Mutex
	starts []time.Time     // when each execution began, in order
	tasks  []string        // the task each execution ran, in the same order
	seen   map[string]bool // canary mode: inputs run before
}

func newExecutor(inner bonfire.Executor, mode Mode, cheating bool) *executor {
	e := &executor{inner: inner, mode: mode, seen: map[string]bool{}}
	e.cheating.Store(cheating)
	return e
}

// startCheating ends a sleeper's good behaviour.
func (e *executor) startCheating() {
	if !e.cheating.Load() {
		e.honestRuns.Store(e.runs.Load())
		e.cheating.Store(true)
	}
}

func (e *executor) Name() string { return e.inner.Name() }

// startsUpTo counts the executions begun at or before t.
func (e *executor) startsUpTo(t time.Time) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n, _ := slices.BinarySearchFunc(e.starts, t, func(s, t time.Time) int {
		if s.After(t) {
			return 1
		}
		return -1
	})
	return n
}

// ordinal is the 1-based position of the first execution of task among
// all this executor ran, or 0 if it never ran it.
func (e *executor) ordinal(task string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Index(e.tasks, task) + 1
}

func (e *executor) Run(ctx context.Context, req *bonfire.ExecRequest) (*bonfire.ExecResult, error) {
	e.runs.Add(1)
	key := inputsKey(req.ModuleDigest, req.Args, req.Env, req.Seed)
	e.mu.Lock()
	e.starts = append(e.starts, time.Now())
	e.tasks = append(e.tasks, req.TaskID)
	seenBefore := e.seen[key]
	e.seen[key] = true
	e.mu.Unlock()

	mode := e.mode
	if !e.cheating.Load() {
		mode = Honest
	}
	switch mode {
	case Wrong:
		return e.write(req, []byte(cheatMarker+" wrong "+randomHex()+"\n"))
	case Copy:
		// Everything a copier knows is the task itself; colluders derive
		// the same guess from it.
		return e.write(req, []byte(cheatMarker+" copy "+key+"\n"))
	case Drop:
		<-ctx.Done()
		return &bonfire.ExecResult{Err: bonfire.Errorf(bonfire.ECodeCancelled, "dropped")}, nil
	case Canary:
		if !seenBefore {
			return e.write(req, []byte(cheatMarker+" canary "+randomHex()+"\n"))
		}
	}
	res, err := e.inner.Run(ctx, req)
	if err != nil || res.Err != nil || res.ExitCode != 0 {
		return res, err
	}
	if _, err := e.write(req, correctOutput(req.ModuleDigest, req.Args, req.Env, req.Seed)); err != nil {
		return nil, err
	}
	return res, nil
}

// write puts data in the task's output file and reports a clean exit with
// a plausible usage, as a real run would.
func (e *executor) write(req *bonfire.ExecRequest, data []byte) (*bonfire.ExecResult, error) {
	if err := os.MkdirAll(req.OutputDir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(req.OutputDir, outputName), data, 0o644); err != nil {
		return nil, err
	}
	return &bonfire.ExecResult{Usage: bonfire.Usage{CPUNanos: 1e6, WallNanos: 1e6}}, nil
}

func randomHex() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
