package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/wasmexec"
)

// Built once by TestMain for every test.
var (
	// taskprog is wasmexec's guest test program: its arguments are commands
	// (noop, exit N, trap, loop, alloc MiB, flood stream bytes, write path
	// bytes, sleep duration, entropy path, …) run in order.
	taskprog       []byte
	taskprogDigest bonfire.Digest
	// compileCache is wazero's compilation cache, warmed with taskprog and
	// shared by every network so that each does not compile it again.
	compileCache string
	// bonfireBin is the bonfire CLI; bonfireBuildErr says why it is missing.
	bonfireBin      string
	bonfireBuildErr error
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "bonfire-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)

	// The CLI is only needed by the tests that run it: a build failure
	// fails those tests, not the whole package.
	var cli sync.WaitGroup
	cli.Add(1)
	go func() {
		defer cli.Done()
		bin := filepath.Join(dir, "bonfire")
		if bonfireBuildErr = goBuild(nil, bin, "../cmd/bonfire"); bonfireBuildErr == nil {
			bonfireBin = bin
		}
	}()
	defer cli.Wait()

	wasmPath := filepath.Join(dir, "taskprog.wasm")
	if err := goBuild([]string{"GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0"}, wasmPath, "../wasmexec/testdata/taskprog"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if taskprog, err = os.ReadFile(wasmPath); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	taskprogDigest = bonfire.DigestOf(taskprog)
	compileCache = filepath.Join(dir, "wazero-cache")
	if err := warmCompileCache(wasmPath, filepath.Join(dir, "warm-out")); err != nil {
		fmt.Fprintln(os.Stderr, "warming the compilation cache:", err)
		return 1
	}
	cli.Wait()
	return m.Run()
}

func goBuild(env []string, out, pkg string) error {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	build := exec.Command(goTool, "build", "-o", out, pkg)
	build.Env = append(os.Environ(), env...)
	if b, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// warmCompileCache runs taskprog once so that its machine code is in the
// shared cache before any network starts.
func warmCompileCache(wasmPath, outDir string) error {
	x, err := wasmexec.New(wasmexec.Options{CacheDir: compileCache})
	if err != nil {
		return err
	}
	defer x.Close(context.Background())
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	res, err := x.Run(context.Background(), &bonfire.ExecRequest{
		TaskID: "warm.0", ModuleDigest: taskprogDigest, ModulePath: wasmPath, Args: []string{"noop"},
		OutputDir: outDir, OutputGuest: "/out", Determinism: bonfire.Determinism{Deterministic: true},
		Limits: bonfire.Limits{MemoryBytes: 256 << 20, Timeout: 5 * time.Minute},
		Stdout: io.Discard, Stderr: &bytes.Buffer{},
	})
	if err != nil {
		return err
	}
	if res.Err != nil {
		return res.Err
	}
	return nil
}
