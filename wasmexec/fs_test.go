package wasmexec

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// inputRequest mounts a host directory holding data.txt at /in.
func inputRequest(t *testing.T, args ...string) (*bonfire.ExecRequest, string) {
	in := t.TempDir()
	if err := os.WriteFile(filepath.Join(in, "data.txt"), []byte("input bytes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	req := goRequest(t, args...)
	req.Mounts = []bonfire.Mount{{HostPath: in, GuestPath: "/in", ReadOnly: true}}
	return req, in
}

func TestCopyMountedInputToOutputs(t *testing.T) {
	t.Parallel()
	req, _ := inputRequest(t, "copy", "/in/data.txt", "/out/copy.txt")
	wantSuccess(t, mustRun(t, shared, req), req)
	got, err := os.ReadFile(filepath.Join(req.OutputDir, "copy.txt"))
	if err != nil || string(got) != "input bytes\n" {
		t.Errorf("output copy.txt = %q, %v; want the input's bytes", got, err)
	}
}

func TestMountsAreReadOnly(t *testing.T) {
	t.Parallel()
	req, in := inputRequest(t, "create", "/in/new.txt", "create", "/in/data.txt")
	wantSuccess(t, mustRun(t, shared, req), req)
	if got := strings.Count(stdout(req), "create failed"); got != 2 {
		t.Errorf("stdout %q, want both creations to fail", stdout(req))
	}
	if _, err := os.Stat(filepath.Join(in, "new.txt")); !os.IsNotExist(err) {
		t.Errorf("new.txt appeared in the input directory: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(in, "data.txt")); string(got) != "input bytes\n" {
		t.Errorf("input changed to %q", got)
	}
}

func TestHostOutsideMountsIsInvisible(t *testing.T) {
	t.Parallel()
	secretDir := t.TempDir()
	secret := filepath.Join(secretDir, "secret.txt")
	if err := os.WriteFile(secret, []byte("host secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	req, in := inputRequest(t)
	req.Args = []string{
		"open", filepath.ToSlash(secret),
		"open", "/in/../" + filepath.Base(secretDir) + "/secret.txt",
		"open", "/out/../" + strings.TrimPrefix(filepath.ToSlash(secret), "/"),
		"open", filepath.ToSlash(filepath.Join(in, "data.txt")),
		"create", filepath.ToSlash(filepath.Join(secretDir, "planted.txt")),
	}
	wantSuccess(t, mustRun(t, shared, req), req)
	out := stdout(req)
	if strings.Contains(out, "host secret") || strings.Contains(out, "opened") || strings.Contains(out, "created") {
		t.Errorf("the guest reached the host: %q", out)
	}
	if got := strings.Count(out, "open failed"); got != 4 {
		t.Errorf("stdout %q, want 4 failed opens", out)
	}
	if _, err := os.Stat(filepath.Join(secretDir, "planted.txt")); !os.IsNotExist(err) {
		t.Errorf("the guest planted a file on the host: %v", err)
	}
}

func TestLinksAreRefusedInOutputs(t *testing.T) {
	t.Parallel()
	hostTarget := filepath.ToSlash(filepath.Join(t.TempDir(), "x"))
	req, _ := inputRequest(t, "symlink", hostTarget, "/out/link", "symlink", "/in/data.txt", "/out/link2")
	wantSuccess(t, mustRun(t, shared, req), req)
	if got := strings.Count(stdout(req), "symlink failed"); got != 2 {
		t.Errorf("stdout %q, want both symlinks refused", stdout(req))
	}
	entries, err := os.ReadDir(req.OutputDir)
	if err != nil || len(entries) != 0 {
		t.Errorf("output directory holds %v (%v), want nothing", entries, err)
	}
}

func TestOutputQuotaStopsTheWrite(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "write", "/out/big", "2000000")
	req.Limits.OutputBytes = 1 << 20
	res := mustRun(t, shared, req)
	wantFailure(t, res, bonfire.ECodeQuota, "outputs exceeded 1 MiB")
	if fi, err := os.Stat(filepath.Join(req.OutputDir, "big")); err != nil || fi.Size() != 0 {
		t.Errorf("big: %v, %v; want it created but nothing written", fi, err)
	}
	wantHealthy(t, shared)
}

func TestOutputQuotaCountsAllFiles(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "write", "/out/a", "600000", "write", "/out/b", "600000", "write", "/out/c", "1")
	req.Limits.OutputBytes = 1 << 20
	res := mustRun(t, shared, req)
	wantFailure(t, res, bonfire.ECodeQuota, "outputs exceeded 1 MiB")
	if _, err := os.Stat(filepath.Join(req.OutputDir, "c")); !os.IsNotExist(err) {
		t.Errorf("the guest ran on after the quota: %v", err)
	}
}

func TestOutputQuotaCountsHoles(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "seekwrite", "/out/sparse", "100000000")
	req.Limits.OutputBytes = 1 << 20
	res := mustRun(t, shared, req)
	wantFailure(t, res, bonfire.ECodeQuota, "outputs exceeded 1 MiB")
	if fi, err := os.Stat(filepath.Join(req.OutputDir, "sparse")); err != nil || fi.Size() != 0 {
		t.Errorf("sparse: %v, %v; want it created but nothing written", fi, err)
	}
}

func TestOutputsUpToTheQuota(t *testing.T) {
	t.Parallel()
	req := goRequest(t, "write", "/out/a", "1000", "write", "/out/b", "24")
	req.Limits.OutputBytes = 1024
	wantSuccess(t, mustRun(t, shared, req), req)
	got, err := os.ReadFile(filepath.Join(req.OutputDir, "a"))
	if err != nil || len(got) != 1000 || !bytes.Equal(got[:4], []byte{0, 1, 2, 3}) {
		t.Errorf("a = %d bytes starting %v (%v), want the written pattern", len(got), got[:min(4, len(got))], err)
	}
}
