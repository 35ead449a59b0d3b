package wasmexec

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func TestName(t *testing.T) {
	t.Parallel()
	if got := shared.Name(); got != bonfire.ExecutorWASM {
		t.Errorf("Name() = %q, want %q", got, bonfire.ExecutorWASM)
	}
}

func TestExitZeroReportsUsage(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "spin", "1000000")
	res := mustRun(t, shared, req)
	wantSuccess(t, res, req)
	if !strings.HasPrefix(stdout(req), "spun ") {
		t.Errorf("stdout %q, want the spin report", stdout(req))
	}
	u := res.Usage
	if u.CPUNanos <= 0 || u.WallNanos <= 0 {
		t.Errorf("usage %+v, want positive CPU and wall time", u)
	}
	// One thread cannot use more CPU than wall time (2ms for clock steps).
	if u.CPUNanos > u.WallNanos+int64(2*time.Millisecond) {
		t.Errorf("usage %+v: CPU time exceeds wall time", u)
	}
	if u.PeakMemoryBytes <= 0 || u.PeakMemoryBytes%wasmPageSize != 0 || u.PeakMemoryBytes > req.Limits.MemoryBytes {
		t.Errorf("peak memory %d, want a positive number of pages within the limit", u.PeakMemoryBytes)
	}
}

func TestExitCode(t *testing.T) {
	t.Parallel()
	res := mustRun(t, shared, goRequest(t, "exit", "3"))
	wantFailure(t, res, bonfire.ECodeTaskFailed, "exited with code 3")
	if res.ExitCode != 3 {
		t.Errorf("exit code %d, want 3", res.ExitCode)
	}
	wantHealthy(t, shared)
}

func TestGoPanicExitsTwo(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "panic")
	res := mustRun(t, shared, req)
	wantFailure(t, res, bonfire.ECodeTaskFailed, "exited with code 2")
	if !strings.Contains(stderr(req), "panic: boom") {
		t.Errorf("stderr %q lacks the panic", stderr(req))
	}
	wantHealthy(t, shared)
}

func TestTrap(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "trap")
	res := mustRun(t, shared, req)
	wantFailure(t, res, bonfire.ECodeTaskFailed, "trapped: wasm error: out of bounds memory access")
	if res.ExitCode != NoExitCode {
		t.Errorf("exit code %d, want NoExitCode", res.ExitCode)
	}
	if !strings.Contains(stderr(req), "wasm stack trace") {
		t.Errorf("stderr %q lacks the wasm stack trace", stderr(req))
	}
	wantHealthy(t, shared)
}

func TestTimeoutStopsEndlessLoop(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "loop")
	req.Limits.Timeout = 300 * time.Millisecond
	res := mustRun(t, shared, req)
	wantFailure(t, res, bonfire.ECodeTimeout, "timed out after 300ms")
	if res.Usage.WallNanos < int64(300*time.Millisecond) {
		t.Errorf("wall time %v, shorter than the timeout", time.Duration(res.Usage.WallNanos))
	}
	wantHealthy(t, shared)
}

// signalWriter closes started when the guest has written want.
type signalWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	want    string
	started chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.want)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.want) {
		close(w.started)
	}
	return len(p), nil
}

func TestCancelStopsEndlessLoop(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "loop")
	out := &signalWriter{want: "looping\n", started: make(chan struct{})}
	req.Stdout = out
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-out.started
		cancel()
	}()
	res, err := shared.Run(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	wantFailure(t, res, bonfire.ECodeCancelled, "cancelled")
	select {
	case <-out.started:
	default:
		t.Error("the run ended before the loop started")
	}
	wantHealthy(t, shared)
}

func TestOutOfMemory(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "alloc", "200")
	req.Limits.MemoryBytes = 64 << 20
	res := mustRun(t, shared, req)
	wantFailure(t, res, bonfire.ECodeOutOfMemory, "64 MiB")
	if strings.Contains(stdout(req), "allocated") {
		t.Errorf("stdout %q: the allocation succeeded past the limit", stdout(req))
	}
	if !strings.Contains(stderr(req), "out of memory") {
		t.Errorf("stderr %q lacks Go's out of memory report", stderr(req))
	}
	if res.Usage.PeakMemoryBytes > req.Limits.MemoryBytes {
		t.Errorf("peak memory %d exceeds the limit %d", res.Usage.PeakMemoryBytes, req.Limits.MemoryBytes)
	}
	wantHealthy(t, shared)
}

func TestMemoryLimitBelowModuleMinimum(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "noop")
	req.Limits.MemoryBytes = wasmPageSize
	res := mustRun(t, shared, req)
	wantFailure(t, res, bonfire.ECodeOutOfMemory, "64 KiB", "the module starts with")
	wantHealthy(t, shared)
}

func TestPeakMemoryFollowsAllocation(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "alloc", "32")
	res := mustRun(t, shared, req)
	wantSuccess(t, res, req)
	if res.Usage.PeakMemoryBytes < 32<<20 || res.Usage.PeakMemoryBytes > req.Limits.MemoryBytes {
		t.Errorf("peak memory %d after allocating 32 MiB, limit %d", res.Usage.PeakMemoryBytes, req.Limits.MemoryBytes)
	}
}

func TestStdoutQuota(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "flood", "stdout", "3000000")
	res := mustRun(t, shared, req)
	wantFailure(t, res, bonfire.ECodeQuota, "stdout exceeded 1 MiB")
	if got := len(stdout(req)); got != 1<<20 {
		t.Errorf("stdout holds %d bytes, want exactly the 1 MiB cap", got)
	}
	wantHealthy(t, shared)
}

func TestStderrQuota(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "flood", "stderr", "100000")
	req.Limits.LogBytes = 64 << 10
	res := mustRun(t, shared, req)
	wantFailure(t, res, bonfire.ECodeQuota, "stderr exceeded 64 KiB")
	if got := len(stderr(req)); got != 64<<10 {
		t.Errorf("stderr holds %d bytes, want exactly the 64 KiB cap", got)
	}
}

func TestLogsUpToTheCap(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "flood", "stdout", "1048576")
	res := mustRun(t, shared, req)
	wantSuccess(t, res, req)
	if got := len(stdout(req)); got != 1<<20 {
		t.Errorf("stdout holds %d bytes, want 1 MiB", got)
	}
}

func TestArgsAndEnv(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "args")
	req.Env = map[string]string{"B": "2", "A": "1 one"}
	res := mustRun(t, shared, req)
	wantSuccess(t, res, req)
	want := "args [\"task\" \"args\"]\nenv [\"A=1 one\" \"B=2\"]\n"
	if stdout(req) != want {
		t.Errorf("stdout %q, want %q", stdout(req), want)
	}
}

func TestBadRequests(t *testing.T) {
	t.Parallel()
	file := moduleRequest(t, NoopModule).ModulePath // a host path that is not a directory
	tests := []struct {
		name  string
		edit  func(*bonfire.ExecRequest)
		code  bonfire.ErrorCode
		field string
	}{
		{"no module path", func(r *bonfire.ExecRequest) { r.ModulePath = "" }, bonfire.ECodeInvalid, "modulePath"},
		{"bad digest", func(r *bonfire.ExecRequest) { r.ModuleDigest = "md5:x" }, bonfire.ECodeInvalid, "moduleDigest"},
		{"missing module file", func(r *bonfire.ExecRequest) {
			r.ModulePath, r.ModuleDigest = file+".missing", bonfire.DigestOf([]byte("missing"))
		}, bonfire.ECodeInvalid, "modulePath"},
		{"module of another digest", func(r *bonfire.ExecRequest) {
			r.ModulePath, r.ModuleDigest = file, bonfire.DigestOf([]byte("another"))
		}, bonfire.ECodeInvalid, "modulePath"},
		{"mount of a file", func(r *bonfire.ExecRequest) {
			r.Mounts = []bonfire.Mount{{HostPath: file, GuestPath: "/in"}}
		}, bonfire.ECodeInvalid, "mounts[0].hostPath"},
		{"relative guest path", func(r *bonfire.ExecRequest) {
			r.Mounts = []bonfire.Mount{{HostPath: t.TempDir(), GuestPath: "in"}}
		}, bonfire.ECodeInvalid, "mounts[0].guestPath"},
		{"output over a mount", func(r *bonfire.ExecRequest) {
			r.Mounts = []bonfire.Mount{{HostPath: t.TempDir(), GuestPath: "/out"}}
		}, bonfire.ECodeInvalid, "outputGuest"},
		{"env name with =", func(r *bonfire.ExecRequest) { r.Env = map[string]string{"A=B": "1"} }, bonfire.ECodeInvalid, "env.A=B"},
		{"negative limit", func(r *bonfire.ExecRequest) { r.Limits.LogBytes = -1 }, bonfire.ECodeInvalid, "limits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := goRequest(t, "noop")
			tt.edit(req)
			res, err := shared.Run(context.Background(), req)
			if err == nil {
				t.Fatalf("Run succeeded with %+v", res)
			}
			wantErrorCode(t, err, tt.code, tt.field)
		})
	}
	wantHealthy(t, shared)
}

func TestClosedExecutorRefusesRuns(t *testing.T) {
	t.Parallel()
	x, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err = x.Run(context.Background(), moduleRequest(t, NoopModule))
	wantErrorCode(t, err, bonfire.ECodeUnavailable, "")
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	_, err := New(Options{MaxCompiled: -1})
	wantErrorCode(t, err, bonfire.ECodeInvalid, "maxCompiled")
}

func TestTimeoutInterruptsSleep(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "sleep", "1h")
	req.Determinism.Clock = true // a real sleep; the fake clock does not wait
	req.Limits.Timeout = 300 * time.Millisecond
	res := mustRun(t, shared, req)
	wantFailure(t, res, bonfire.ECodeTimeout, "timed out after 300ms")
	if strings.Contains(stdout(req), "slept") {
		t.Errorf("stdout %q: the sleep completed", stdout(req))
	}
}

func TestDeterministicSleepCompletes(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "sleep", "1h")
	req.Limits.Timeout = 30 * time.Second
	res := mustRun(t, shared, req)
	wantSuccess(t, res, req)
	if stdout(req) != "sleeping\nslept\n" {
		t.Errorf("stdout %q, want the sleep to complete", stdout(req))
	}
}
