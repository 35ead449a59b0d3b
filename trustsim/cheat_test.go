package trustsim

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// innerExec stands for the WASM executor: it counts the runs it was given.
type innerExec struct{ runs int }

func (e *innerExec) Name() string { return bonfire.ExecutorWASM }

func (e *innerExec) Run(context.Context, *bonfire.ExecRequest) (*bonfire.ExecResult, error) {
	e.runs++
	return &bonfire.ExecResult{}, nil
}

func runOnce(t *testing.T, e *executor, args ...string) []byte {
	t.Helper()
	req := &bonfire.ExecRequest{TaskID: "j.1", ModuleDigest: "sha256:m", Args: args, Seed: 9, OutputDir: filepath.Join(t.TempDir(), "out")}
	res, err := e.Run(context.Background(), req)
	if err != nil || res.Err != nil || res.ExitCode != 0 {
		t.Fatalf("run: %v %+v", err, res)
	}
	out, err := os.ReadFile(filepath.Join(req.OutputDir, outputName))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExecutorModes(t *testing.T) {
	t.Parallel()
	right := correctOutput("sha256:m", []string{"a"}, nil, 9)
	inner := &innerExec{}
	if got := runOnce(t, newExecutor(inner, Honest, true), "a"); !bytes.Equal(got, right) || inner.runs != 1 {
		t.Errorf("honest wrote %q after %d real runs, want %q after 1", got, inner.runs, right)
	}
	if got := runOnce(t, newExecutor(&innerExec{}, Cores, true), "a"); !bytes.Equal(got, right) {
		t.Errorf("a cores cheater computes honestly; wrote %q", got)
	}
	w := newExecutor(&innerExec{}, Wrong, true)
	if a, b := runOnce(t, w, "a"), runOnce(t, w, "a"); !bytes.HasPrefix(a, []byte(cheatMarker)) || bytes.Equal(a, b) {
		t.Errorf("wrong wrote %q then %q: want two different marked outputs", a, b)
	}
	c1, c2 := newExecutor(&innerExec{}, Copy, true), newExecutor(&innerExec{}, Copy, true)
	if a, b := runOnce(t, c1, "a"), runOnce(t, c2, "a"); !bytes.HasPrefix(a, []byte(cheatMarker)) || !bytes.Equal(a, b) {
		t.Errorf("copiers wrote %q and %q: want one shared marked guess", a, b)
	}
	cn := newExecutor(&innerExec{}, Canary, true)
	if got := runOnce(t, cn, "a"); !bytes.HasPrefix(got, []byte(cheatMarker)) {
		t.Errorf("canary cheater on new inputs wrote %q", got)
	}
	if got := runOnce(t, cn, "a"); !bytes.Equal(got, right) {
		t.Errorf("canary cheater on inputs seen before wrote %q, want the right output", got)
	}
	sleeper := newExecutor(&innerExec{}, Wrong, false)
	if got := runOnce(t, sleeper, "a"); !bytes.Equal(got, right) {
		t.Errorf("a sleeper behaves until told; wrote %q", got)
	}
	sleeper.startCheating()
	if got := runOnce(t, sleeper, "a"); !bytes.HasPrefix(got, []byte(cheatMarker)) || sleeper.honestRuns.Load() != 1 {
		t.Errorf("awake sleeper wrote %q after %d honest runs", got, sleeper.honestRuns.Load())
	}
	if n := sleeper.ordinal("j.1"); n != 1 || sleeper.runs.Load() != 2 {
		t.Errorf("ordinal %d after %d runs", n, sleeper.runs.Load())
	}
}

func TestDropHoldsUntilCancelled(t *testing.T) {
	t.Parallel()
	d := newExecutor(&innerExec{}, Drop, true)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *bonfire.ExecResult)
	go func() {
		res, _ := d.Run(ctx, &bonfire.ExecRequest{OutputDir: t.TempDir()})
		done <- res
	}()
	cancel()
	if res := <-done; res.Err == nil || res.Err.Code != bonfire.ECodeCancelled {
		t.Errorf("dropped run ended with %+v", res)
	}
}

func TestLedger(t *testing.T) {
	t.Parallel()
	l := NewLedger(100)
	ctx := context.Background()
	if got, _ := l.Slash(ctx, "0xAB", "0xC", 70, "sha256:e"); got != 70 {
		t.Errorf("took %d of 70 from a stake of 100", got)
	}
	if got, _ := l.Slash(ctx, "0xab", "0xC", 70, "sha256:e"); got != 30 {
		t.Errorf("took %d of 70 from the 30 left", got)
	}
	if got := l.Slashed("0xAb"); got != 100 || len(l.Slashes()) != 2 {
		t.Errorf("slashed %d in %d orders, want 100 in 2", got, len(l.Slashes()))
	}
	if got := l.Slashed("0xdd"); got != 0 {
		t.Errorf("an unslashed provider lost %d", got)
	}
}
