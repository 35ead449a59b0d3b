package wasmexec

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func TestNoopModuleBytes(t *testing.T) {
	t.Parallel()
	want := []byte{
		0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00, // magic, version
		0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // types: () -> ()
		0x03, 0x02, 0x01, 0x00, // functions: 0 has type 0
		0x07, 0x0a, 0x01, 0x06, '_', 's', 't', 'a', 'r', 't', 0x00, 0x00, // export _start = func 0
		0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code: no locals, end
	}
	if !bytes.Equal(NoopModule, want) {
		t.Errorf("NoopModule = % x\nwant         % x", NoopModule, want)
	}
}

func TestNoopModuleRuns(t *testing.T) {
	t.Parallel()
	req := moduleRequest(t, NoopModule)
	res := mustRun(t, shared, req)
	wantSuccess(t, res, req)
	if res.Usage.PeakMemoryBytes != 0 || stdout(req) != "" {
		t.Errorf("noop used memory %d, wrote %q", res.Usage.PeakMemoryBytes, stdout(req))
	}
}

func TestUnreachableTraps(t *testing.T) {
	t.Parallel()
	res := mustRun(t, shared, moduleRequest(t, commandModule(opUnreachable, opEnd)))
	wantFailure(t, res, bonfire.ECodeTaskFailed, "trapped: wasm error: unreachable")
	wantHealthy(t, shared)
}

func TestEndlessWasmLoopTimesOut(t *testing.T) {
	t.Parallel()
	req := moduleRequest(t, commandModule(opLoop, blockVoid, opBr, 0, opEnd, opEnd))
	req.Limits.Timeout = 100 * time.Millisecond
	wantFailure(t, mustRun(t, shared, req), bonfire.ECodeTimeout, "timed out after 100ms")
}

func TestFormatBytes(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{
		1: "1 byte", 1000: "1000 bytes", 1024: "1 KiB", 1 << 20: "1 MiB",
		3 << 30: "3 GiB", 1<<20 + 1: "1048577 bytes", 1536 << 10: "1536 KiB",
	} {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// FuzzModuleBytes runs arbitrary bytes as a module: whatever they are, the
// executor reports a result, never fails itself or panics.
func FuzzModuleBytes(f *testing.F) {
	f.Add(NoopModule)
	f.Add(commandModule(opUnreachable, opEnd))
	f.Add(commandModule(opLoop, blockVoid, opBr, 0, opEnd, opEnd))
	f.Add(NoopModule[:8])
	f.Add([]byte{})
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x01\xff\xff\xff\xff\x0f"))
	x, err := New(Options{MaxCompiled: 4})
	if err != nil {
		f.Fatal(err)
	}
	defer x.Close(context.Background())
	f.Fuzz(func(t *testing.T, wasm []byte) {
		req := moduleRequest(t, wasm)
		req.Limits.Timeout = time.Second
		res, err := x.Run(context.Background(), req)
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		switch code := bonfire.Code(errOf(res)); code {
		case "", bonfire.ECodeBadModule, bonfire.ECodeTaskFailed, bonfire.ECodeTimeout, bonfire.ECodeOutOfMemory:
		default:
			t.Fatalf("unexpected result %v", res.Err)
		}
	})
}

// errOf avoids the typed-nil trap of passing a nil *bonfire.Error as error.
func errOf(res *bonfire.ExecResult) error {
	if res.Err == nil {
		return nil
	}
	return res.Err
}

func TestUnexportedMemoryOverLimit(t *testing.T) {
	t.Parallel()
	// The noop module plus a memory section (id 5) declaring one memory of
	// at least 100 pages, not exported, spliced in after the function
	// section, which ends at byte 18.
	memory := appendSection(nil, 5, vector(1, []byte{0x00, 100}))
	wasm := append(append(append([]byte{}, NoopModule[:18]...), memory...), NoopModule[18:]...)
	req := moduleRequest(t, wasm)
	req.Limits.MemoryBytes = 10 * wasmPageSize
	wantFailure(t, mustRun(t, shared, req), bonfire.ECodeOutOfMemory, "640 KiB")

	req = moduleRequest(t, wasm)
	res := mustRun(t, shared, req)
	wantSuccess(t, res, req)
	if res.Usage.PeakMemoryBytes != 100*wasmPageSize {
		t.Errorf("peak memory %d, want the 100 declared pages", res.Usage.PeakMemoryBytes)
	}
}
