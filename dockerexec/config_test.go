package dockerexec

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/mount"

	"github.com/bonfirenet/bonfire"
)

// TestContainerSpecSandbox checks the sandbox without an engine: only the
// inputs (read-only) and the output are host paths, and nothing widens it.
func TestContainerSpecSandbox(t *testing.T) {
	t.Parallel()
	req := &bonfire.ExecRequest{TaskID: "j.0", Args: []string{"a"}, Env: map[string]string{"K": "v"},
		Mounts:      []bonfire.Mount{{HostPath: "/in/data", GuestPath: "/data", ReadOnly: false}},
		OutputGuest: "/out", Limits: bonfire.Limits{CPUMilli: 1500, MemoryBytes: 1 << 30}}
	cfg, host, bad := containerSpec(req, "sha256:abc", "/stage/out", Options{})
	if bad != nil {
		t.Fatal(bad)
	}
	if host.Privileged || !host.ReadonlyRootfs || !slices.Equal(host.CapDrop, []string{"ALL"}) ||
		!slices.Contains(host.SecurityOpt, "no-new-privileges") || len(host.CapAdd) != 0 {
		t.Errorf("sandbox widened: %+v", host)
	}
	if host.NetworkMode != "none" || !cfg.NetworkDisabled {
		t.Errorf("network on without being asked: %q %v", host.NetworkMode, cfg.NetworkDisabled)
	}
	if host.NanoCPUs != 1_500_000_000 || host.Memory != 1<<30 || host.MemorySwap != 1<<30 || *host.PidsLimit != DefaultPidsLimit {
		t.Errorf("limits %+v", host.Resources)
	}
	if len(host.DeviceRequests) != 0 || len(host.Binds) != 0 || len(host.Devices) != 0 {
		t.Errorf("devices or binds given: %+v", host)
	}
	var binds []string
	for _, m := range host.Mounts {
		if m.Type == mount.TypeBind {
			binds = append(binds, m.Source+":"+m.Target+":"+map[bool]string{true: "ro", false: "rw"}[m.ReadOnly])
		}
	}
	if want := []string{"/in/data:/data:ro", "/stage/out:/out:rw"}; !slices.Equal(binds, want) {
		t.Errorf("host paths %v, want %v (an input is read-only even if the request forgot)", binds, want)
	}
	if cfg.User == "" || cfg.User == "0" || strings.HasPrefix(cfg.User, "0:") || cfg.User == "root" {
		t.Errorf("task runs as %q", cfg.User)
	}
	if cfg.Labels[LabelTask] != "j.0" || !slices.Contains(cfg.Env, "BONFIRE_SEED=0") || !slices.Contains(cfg.Env, "K=v") {
		t.Errorf("config %+v", cfg)
	}
	req.Env["BONFIRE_SEED"] = "7"
	cfg, _, _ = containerSpec(req, "sha256:abc", "/stage/out", Options{})
	if n := len(cfg.Env); n != 3 || !slices.Contains(cfg.Env, "BONFIRE_SEED=7") || !slices.Contains(cfg.Env, "HOME=/tmp") {
		t.Errorf("env %v: the task's own seed is given once", cfg.Env)
	}
}

func TestContainerSpecNetworkAndGPUOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	req := &bonfire.ExecRequest{OutputGuest: "/out", Network: true, GPU: &bonfire.GPURequest{Count: 2}, Limits: bonfire.Limits{Timeout: time.Second}}
	_, host, bad := containerSpec(req, "img", "/o", Options{AllowNetwork: true})
	if bad != nil {
		t.Fatal(bad)
	}
	if host.NetworkMode != "bridge" {
		t.Errorf("network mode %q", host.NetworkMode)
	}
	if len(host.DeviceRequests) != 1 || host.DeviceRequests[0].Driver != GPUDriver || host.DeviceRequests[0].Count != 2 {
		t.Errorf("device requests %+v", host.DeviceRequests)
	}
}

func TestContainerSpecRefusesRootMounts(t *testing.T) {
	t.Parallel()
	for _, req := range []*bonfire.ExecRequest{
		{OutputGuest: "/out", Mounts: []bonfire.Mount{{HostPath: "/in", GuestPath: "/"}}},
		{OutputGuest: "/out", Mounts: []bonfire.Mount{{HostPath: "rel", GuestPath: "/data"}}},
		{OutputGuest: "/"},
		{OutputGuest: "out"},
	} {
		if _, _, bad := containerSpec(req, "img", "/o", Options{}); bad == nil || bad.Code != bonfire.ECodeInvalid {
			t.Errorf("%+v accepted: %v", req, bad)
		}
	}
}

func TestParseImage(t *testing.T) {
	t.Parallel()
	d := "sha256:" + strings.Repeat("ab", 32)
	for _, c := range []struct {
		in         string
		name, pin  string
		archive    bool
		wantErrTxt bool
	}{
		{in: "python:3.12", name: "python:3.12"},
		{in: "python:3.12@" + d, name: "python:3.12", pin: d},
		{in: "127.0.0.1:5000/x@" + d, name: "127.0.0.1:5000/x", pin: d},
		{in: d, archive: true},
		{in: "x@sha256:1", wantErrTxt: true},
		{in: "@" + d, wantErrTxt: true},
		{in: "a b", wantErrTxt: true},
		{in: "", wantErrTxt: true},
	} {
		r, bad := parseImage(c.in)
		if (bad != nil) != c.wantErrTxt {
			t.Errorf("%q: err %v", c.in, bad)
			continue
		}
		if bad == nil && (r.name != c.name || r.pin != c.pin || (r.archive != "") != c.archive) {
			t.Errorf("%q parsed as %+v", c.in, r)
		}
	}
	if repoName("127.0.0.1:5000/x:v1") != "127.0.0.1:5000/x" || repoName("python:3") != "python" || repoName("a/b") != "a/b" {
		t.Error("repoName keeps a tag or drops a port")
	}
}

func TestImageCacheEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := newImageCache(250, dir)
	clock := time.Unix(0, 0)
	c.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	c.add("a", 100)
	c.add("b", 100)
	c.add("c", 100)
	c.release("a")
	c.release("c") // b stays in use
	c.touch("a")   // b is now the oldest
	c.release("a")
	c.touch("other") // unknown images are not tracked
	if got := c.victims(); !slices.Equal(got, []string{"c"}) {
		t.Fatalf("victims %v, want [c] (b is in use)", got)
	}
	c.release("b")
	c.add("d", 100)
	c.release("d")
	if got := c.victims(); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("victims %v, want [b]", got)
	}
	// The index survives a restart.
	if again := newImageCache(250, dir); again.total() != 200 {
		t.Fatalf("reloaded cache holds %d bytes, want 200", again.total())
	}
	if newImageCache(0, "").victims() != nil {
		t.Fatal("an uncapped cache evicts")
	}
}

func TestCapWriter(t *testing.T) {
	t.Parallel()
	var got []byte
	w := &capWriter{w: writerFunc(func(p []byte) (int, error) { got = append(got, p...); return len(p), nil }), limit: 5}
	if n, _ := w.Write([]byte("abc")); n != 3 || w.exceeded() {
		t.Fatal("first write")
	}
	if n, _ := w.Write([]byte("defg")); n != 4 || !w.exceeded() || string(got) != "abcde" {
		t.Fatalf("got %q exceeded %v", got, w.exceeded())
	}
}
