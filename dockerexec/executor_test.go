package dockerexec

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/bonfirenet/bonfire"
)

func TestRunHelloSandboxed(t *testing.T) {
	t.Parallel()
	x := newTestExecutor(t, Options{})
	req, stdout, stderr := request(t, probeRef, "hello")
	res, err := x.Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err != nil || res.ExitCode != 0 {
		t.Fatalf("result %+v err %v; stderr %s", res, res.Err, stderr)
	}
	for _, want := range []string{
		"hello from bonfire", "seed=42 greeting=hi",
		"CapEff:=0000000000000000", "NoNewPrivs:=1", // every capability dropped, no new privileges
		"root=read-only", "input=read-only", "tmp=writable",
		"uid=" + strings.ReplaceAll(taskUser(), ":", " gid=") + " home=/tmp", // never root
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if got := stderr.String(); got != "a line on stderr\n" {
		t.Errorf("stderr = %q", got)
	}
	out, err := os.ReadFile(filepath.Join(req.OutputDir, "result.txt"))
	if err != nil || string(out) != "got: input data" {
		t.Fatalf("output = %q, %v", out, err)
	}
	if res.Image != probeID {
		t.Errorf("result image %q, want the probe's ID %q", res.Image, probeID)
	}
	if res.Usage.WallNanos <= 0 || res.Usage.CPUNanos <= 0 || res.Usage.GPUNanos != 0 {
		t.Errorf("usage %+v", res.Usage)
	}
	assertNothingLeft(t, x, req.TaskID)
}

func TestRunByImageIDPin(t *testing.T) {
	t.Parallel()
	x := newTestExecutor(t, Options{})
	req, _, stderr := request(t, "bonfire-test/probe@"+probeID, "exit", "0")
	res, err := x.Run(context.Background(), req)
	if err != nil || res.Err != nil || res.Image != probeID {
		t.Fatalf("res %+v, err %v; stderr %s", res, err, stderr)
	}
}

// fakeRegistry answers the registry API's version check, then every other
// request with status (404 for a missing manifest, 500 for a broken one).
func fakeRegistry(t *testing.T, status int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
		if r.URL.Path == "/v2/" {
			w.WriteHeader(http.StatusOK)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status == http.StatusNotFound {
			fmt.Fprint(w, `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}`)
		}
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestRunFailuresAreTaskErrors(t *testing.T) {
	t.Parallel()
	needEngine(t)
	missing := fakeRegistry(t, http.StatusNotFound)
	broken := fakeRegistry(t, http.StatusInternalServerError)
	other := "sha256:" + strings.Repeat("0", 63) + "1"

	// A local image under the registry's name, whose ID is not the pin.
	mismatch := fakeRegistry(t, http.StatusNotFound)
	cli := newTestExecutor(t, Options{}).cli
	if _, err := cli.ImageTag(context.Background(), client.ImageTagOptions{Source: probeID, Target: mismatch + "/probe:latest"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = cli.ImageRemove(context.Background(), mismatch+"/probe:latest", client.ImageRemoveOptions{})
	})

	for _, c := range []struct {
		name    string
		image   string
		args    []string
		limits  func(*bonfire.Limits)
		code    bonfire.ErrorCode
		msg     string
		stdout  string
		maxTime time.Duration
	}{
		{name: "exit non-zero", args: []string{"exit", "3"}, code: bonfire.ECodeTaskFailed, msg: "exited with code 3"},
		{name: "network is off", args: []string{"net"}, code: bonfire.ECodeTaskFailed, msg: "network off", stdout: "network is unreachable"},
		{name: "timeout kills", args: []string{"sleep", "5m"}, limits: func(l *bonfire.Limits) { l.Timeout = 2 * time.Second },
			code: bonfire.ECodeTimeout, msg: "timeout of 2s", maxTime: 40 * time.Second},
		{name: "output quota", args: []string{"fill", fmt.Sprint(64 << 20)}, limits: func(l *bonfire.Limits) { l.OutputBytes = 1 << 20 },
			code: bonfire.ECodeQuota, msg: "output quota of 1.0 MiB"},
		{name: "memory limit", args: []string{"alloc", fmt.Sprint(256 << 20)}, limits: func(l *bonfire.Limits) { l.MemoryBytes = 32 << 20 },
			code: bonfire.ECodeOutOfMemory, msg: "memory limit"},
		{name: "log quota", args: []string{"hello"}, limits: func(l *bonfire.Limits) { l.LogBytes = 10 },
			code: bonfire.ECodeQuota, msg: "to stdout"},
		{name: "image not found", image: missing + "/nothing@" + other, code: bonfire.ECodeBadModule, msg: "was not found"},
		{name: "pull fails", image: broken + "/nothing:v1", code: bonfire.ECodeBadModule, msg: "pulling image"},
		{name: "digest mismatch", image: mismatch + "/probe@" + other, code: bonfire.ECodeBadModule, msg: "not the pinned " + other},
		{name: "bad pin", image: "probe@sha256:12", code: bonfire.ECodeInvalid, msg: "bad digest pin"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			x := newTestExecutor(t, Options{})
			image := c.image
			if image == "" {
				image = probeRef
			}
			req, stdout, stderr := request(t, image, c.args...)
			if c.limits != nil {
				c.limits(&req.Limits)
			}
			start := time.Now()
			res, err := x.Run(context.Background(), req)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if res.Err == nil || res.Err.Code != c.code || !strings.Contains(res.Err.Message, c.msg) {
				t.Fatalf("error = %+v, want %s containing %q; stdout %s stderr %s", res.Err, c.code, c.msg, stdout, stderr)
			}
			if res.Err.Hint == "" && c.code != bonfire.ECodeInvalid {
				t.Errorf("error %q has no hint", res.Err.Message)
			}
			if c.stdout != "" && !strings.Contains(stdout.String(), c.stdout) {
				t.Errorf("stdout %q lacks %q", stdout, c.stdout)
			}
			if c.maxTime > 0 && time.Since(start) > c.maxTime {
				t.Errorf("took %v, more than %v", time.Since(start), c.maxTime)
			}
			if c.code == bonfire.ECodeQuota && strings.Contains(c.msg, "output") {
				if n := dirSize(req.OutputDir); n != 0 {
					t.Errorf("%d bytes of an over-quota output were kept", n)
				}
			}
			assertNothingLeft(t, x, req.TaskID)
		})
	}
}

func TestRunOutputQuotaByPolling(t *testing.T) {
	t.Parallel()
	x := newTestExecutor(t, Options{PollQuota: true})
	req, _, _ := request(t, probeRef, "fill", fmt.Sprint(512<<20))
	req.Limits.OutputBytes = 1 << 20
	res, err := x.Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err == nil || res.Err.Code != bonfire.ECodeQuota {
		t.Fatalf("error = %+v, want quota", res.Err)
	}
	if n := dirSize(req.OutputDir); n != 0 {
		t.Errorf("%d bytes of an over-quota output were kept", n)
	}
	assertNothingLeft(t, x, req.TaskID)
}

func TestRunCancelKills(t *testing.T) {
	t.Parallel()
	x := newTestExecutor(t, Options{})
	req, _, _ := request(t, probeRef, "sleep", "5m")
	started := make(chan struct{})
	req.Stdout = writerFunc(func(p []byte) (int, error) { // the probe prints before sleeping
		select {
		case <-started:
		default:
			close(started)
		}
		return len(p), nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	res, err := x.Run(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err == nil || res.Err.Code != bonfire.ECodeCancelled {
		t.Fatalf("error = %+v, want cancelled", res.Err)
	}
	assertNothingLeft(t, x, req.TaskID)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestRunRefusesNetworkAndGPUsNotAllowed(t *testing.T) {
	t.Parallel()
	x := newTestExecutor(t, Options{})
	req, _, _ := request(t, probeRef, "hello")
	req.Network = true
	if res, err := x.Run(context.Background(), req); err != nil || res.Err == nil || res.Err.Code != bonfire.ECodeForbidden {
		t.Fatalf("network without permission: %+v, %v", res, err)
	}
	req.Network = false
	req.GPU = &bonfire.GPURequest{Count: 1}
	if res, err := x.Run(context.Background(), req); err != nil || res.Err == nil || res.Err.Field != "resources.gpu.count" {
		t.Fatalf("GPU on a provider without GPUs: %+v, %v", res, err)
	}
	assertNothingLeft(t, x, req.TaskID)
}

// TestRunArchive runs an image uploaded as a docker save archive and named
// by the archive's digest; the second run finds it loaded.
func TestRunArchive(t *testing.T) {
	t.Parallel()
	x := newTestExecutor(t, Options{})
	rc, err := x.cli.ImageSave(context.Background(), []string{probeRef})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "probe.tar")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), rc); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	f.Close()
	digest := "sha256:" + hex.EncodeToString(h.Sum(nil))
	t.Cleanup(func() {
		_, _ = x.cli.ImageRemove(context.Background(), archiveRepo+":"+digest[7:], client.ImageRemoveOptions{})
	})
	for i := range 2 {
		req, stdout, stderr := request(t, digest, "hello")
		req.ModulePath = path
		res, err := x.Run(context.Background(), req)
		if err != nil || res.Err != nil || !strings.Contains(stdout.String(), "hello from bonfire") {
			t.Fatalf("run %d: %+v, %v; stderr %s", i, res, err, stderr)
		}
		if res.Image != probeID {
			t.Fatalf("run %d ran %s, want %s", i, res.Image, probeID)
		}
	}
	// Not an archive at all.
	bad := filepath.Join(t.TempDir(), "bad.tar")
	if err := os.WriteFile(bad, []byte("not a tar"), 0o644); err != nil {
		t.Fatal(err)
	}
	req, _, _ := request(t, "sha256:"+strings.Repeat("ab", 32), "hello")
	req.ModulePath = bad
	res, err := x.Run(context.Background(), req)
	if err != nil || res.Err == nil || res.Err.Code != bonfire.ECodeBadModule {
		t.Fatalf("bad archive: %+v, %v", res, err)
	}
	assertNothingLeft(t, x, req.TaskID)
}

// TestImageCacheEvictsPastTheCap loads an image of its own from an archive
// with a cap of one byte: once the task ends the image is removed from the
// engine, and images the executor did not bring are left alone.
func TestImageCacheEvictsPastTheCap(t *testing.T) {
	t.Parallel()
	x := newTestExecutor(t, Options{ImageCacheBytes: 1, StateDir: t.TempDir()})
	ctx := context.Background()
	ref := "bonfire-test/evict:" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-"))
	id, err := importProbe(ctx, x.cli, ref, t.Name()+time.Now().String())
	if err != nil {
		t.Fatal(err)
	}
	rc, err := x.cli.ImageSave(ctx, []string{ref})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "evict.tar")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), rc); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	f.Close()
	if _, err := x.cli.ImageRemove(ctx, ref, client.ImageRemoveOptions{}); err != nil {
		t.Fatal(err)
	}
	req, stdout, stderr := request(t, "sha256:"+hex.EncodeToString(h.Sum(nil)), "hello")
	req.ModulePath = path
	res, err := x.Run(ctx, req)
	if err != nil || res.Err != nil || res.Image != id || !strings.Contains(stdout.String(), "hello from bonfire") {
		t.Fatalf("%+v %v; stderr %s", res, err, stderr)
	}
	if _, err := x.cli.ImageInspect(ctx, id); err == nil {
		t.Fatalf("image %s is still on the engine past a 1-byte cap", id)
	}
	if x.CachedImageBytes() != 0 {
		t.Fatalf("the cache still counts %d bytes", x.CachedImageBytes())
	}
	if _, err := x.cli.ImageInspect(ctx, probeID); err != nil {
		t.Fatalf("the probe image, not brought by this executor, was removed: %v", err)
	}
	assertNothingLeft(t, x, req.TaskID)
}

// TestRunNetworkOnlyWhenAskedAndAllowed looks at the container's network
// interfaces (no traffic is sent): loopback only by default, a real
// interface when the task asks and the executor allows.
func TestRunNetworkOnlyWhenAskedAndAllowed(t *testing.T) {
	t.Parallel()
	x := newTestExecutor(t, Options{AllowNetwork: true})
	if _, err := x.cli.NetworkInspect(context.Background(), "bridge", client.NetworkInspectOptions{}); err != nil {
		t.Skipf("SKIPPING: the engine has no bridge network (%v), as when dockerd runs with --bridge=none", err)
	}
	for _, network := range []bool{false, true} {
		req, stdout, stderr := request(t, probeRef, "ifaces")
		req.Network = network
		res, err := x.Run(context.Background(), req)
		if err != nil || res.Err != nil {
			t.Fatalf("network=%v: %+v %v; stderr %s", network, res, err, stderr)
		}
		got := strings.TrimSpace(stdout.String())
		if network == (got == "ifaces=lo") {
			t.Errorf("network=%v: %s", network, got)
		}
		assertNothingLeft(t, x, req.TaskID)
	}
}

// TestRunPidsLimit: a task cannot start more processes than the limit.
func TestRunPidsLimit(t *testing.T) {
	t.Parallel()
	x := newTestExecutor(t, Options{PidsLimit: 16})
	req, stdout, stderr := request(t, probeRef, "spawn", "64")
	res, err := x.Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 9 || res.Err == nil || res.Err.Code != bonfire.ECodeTaskFailed {
		t.Fatalf("spawning 64 processes under a limit of 16: %+v; stdout %s stderr %s", res, stdout, stderr)
	}
	assertNothingLeft(t, x, req.TaskID)
	// The default limit allows them: it was the limit that stopped them.
	roomy := newTestExecutor(t, Options{})
	req, stdout, stderr = request(t, probeRef, "spawn", "64")
	if res, err := roomy.Run(context.Background(), req); err != nil || res.Err != nil || !strings.Contains(stdout.String(), "started 64") {
		t.Fatalf("default limit: %+v %v; stdout %s stderr %s", res, err, stdout, stderr)
	}
	assertNothingLeft(t, roomy, req.TaskID)
}
