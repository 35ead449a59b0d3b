package wasmexec

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

// The guest program (testdata/taskprog), built once for all tests.
var (
	taskprogPath   string
	taskprogDigest bonfire.Digest
	cacheDir       string    // wazero's compilation cache, shared so it compiles once
	shared         *Executor // used by tests that need no executor of their own
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "wasmexec-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	taskprogPath = filepath.Join(dir, "taskprog.wasm")
	cacheDir = filepath.Join(dir, "cache")

	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	build := exec.Command(goTool, "build", "-o", taskprogPath, "./testdata/taskprog")
	build.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the guest program: %v\n%s", err, out)
		return 1
	}
	wasm, err := os.ReadFile(taskprogPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	taskprogDigest = bonfire.DigestOf(wasm)

	if shared, err = New(Options{CacheDir: cacheDir}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer shared.Close(context.Background())
	return m.Run()
}

// goRequest asks to run the guest program with args, with generous limits,
// deterministically, with an empty output directory at /out.
func goRequest(t testing.TB, args ...string) *bonfire.ExecRequest {
	return &bonfire.ExecRequest{
		TaskID:       "job-1/0",
		ModuleDigest: taskprogDigest,
		ModulePath:   taskprogPath,
		Args:         args,
		OutputDir:    t.TempDir(),
		OutputGuest:  "/out",
		Limits: bonfire.Limits{
			MemoryBytes: 256 << 20,
			Timeout:     time.Minute,
			LogBytes:    1 << 20,
			OutputBytes: 10 << 20,
		},
		Determinism: bonfire.Determinism{Deterministic: true},
		Seed:        42,
		Stdout:      &bytes.Buffer{},
		Stderr:      &bytes.Buffer{},
	}
}

// moduleRequest asks to run the module wasm, written to a temporary file.
func moduleRequest(t testing.TB, wasm []byte) *bonfire.ExecRequest {
	path := filepath.Join(t.TempDir(), "module.wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	req := goRequest(t)
	req.ModulePath = path
	req.ModuleDigest = bonfire.DigestOf(wasm)
	return req
}

func stdout(req *bonfire.ExecRequest) string { return req.Stdout.(*bytes.Buffer).String() }
func stderr(req *bonfire.ExecRequest) string { return req.Stderr.(*bytes.Buffer).String() }

// mustRun runs req and fails the test if the executor itself failed.
func mustRun(t testing.TB, x *Executor, req *bonfire.ExecRequest) *bonfire.ExecResult {
	t.Helper()
	res, err := x.Run(context.Background(), req)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// wantSuccess fails the test unless res is a clean exit 0.
func wantSuccess(t testing.TB, res *bonfire.ExecResult, req *bonfire.ExecRequest) {
	t.Helper()
	if res.Err != nil || res.ExitCode != 0 {
		t.Fatalf("exit %d, err %v; stdout %q; stderr %q", res.ExitCode, res.Err, stdout(req), stderr(req))
	}
}

// wantFailure fails the test unless res failed with code and a message
// containing each of parts.
func wantFailure(t testing.TB, res *bonfire.ExecResult, code bonfire.ErrorCode, parts ...string) {
	t.Helper()
	if res.Err == nil {
		t.Fatalf("exit %d without error, want %s", res.ExitCode, code)
	}
	if res.Err.Code != code {
		t.Fatalf("error %s (%v), want %s", res.Err.Code, res.Err, code)
	}
	for _, p := range parts {
		if !strings.Contains(res.Err.Message, p) {
			t.Errorf("message %q does not contain %q", res.Err.Message, p)
		}
	}
	if res.Err.Hint == "" {
		t.Errorf("error %v has no hint", res.Err)
	}
}

// wantHealthy checks that x still runs tasks after whatever just happened.
func wantHealthy(t testing.TB, x *Executor) {
	t.Helper()
	req := goRequest(t, "noop")
	wantSuccess(t, mustRun(t, x, req), req)
}

// wantErrorCode fails unless err is a *bonfire.Error with code and field.
func wantErrorCode(t testing.TB, err error, code bonfire.ErrorCode, field string) {
	t.Helper()
	if bonfire.Code(err) != code {
		t.Fatalf("error %v has code %q, want %q", err, bonfire.Code(err), code)
	}
	if e := err.(*bonfire.Error); e.Field != field {
		t.Errorf("error %v names field %q, want %q", err, e.Field, field)
	}
}
