package dockerexec

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/bonfirenet/bonfire"
)

// The integration tests need a Docker engine. scripts/test.sh starts one
// when it can; in CI (CI=true) a missing engine fails the tests, elsewhere
// they are skipped with a loud message.
var (
	engineErr error  // why there is no engine
	probeRef  string // the probe image, tagged by the hash of its binary
	probeID   string // its image ID
	probeBin  []byte // the probe binary, to build other images from
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	x, err := New(ctx, Options{})
	if err != nil {
		engineErr = err
		return m.Run()
	}
	defer x.Close()
	if probeRef, probeID, err = buildProbe(ctx, x.cli); err != nil {
		fmt.Fprintln(os.Stderr, "dockerexec tests: building the probe image:", err)
		return 1
	}
	return m.Run()
}

// needEngine skips (or in CI fails) a test when no engine answers.
func needEngine(t testing.TB) {
	t.Helper()
	if engineErr == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI needs a Docker engine for the docker executor tests: %v", engineErr)
	}
	t.Skipf("SKIPPING: no Docker engine answers (%v); run ./scripts/test.sh as root to start one", engineErr)
}

// buildProbe compiles testdata/probe statically and imports it as a
// FROM-scratch image whose entrypoint it is.
func buildProbe(ctx context.Context, cli *client.Client) (ref, id string, err error) {
	dir, err := os.MkdirTemp("", "bonfire-probe-")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "probe")
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, "./testdata/probe")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := build.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return "", "", err
	}
	probeBin = data
	sum := sha256.Sum256(data)
	ref = "bonfire-test/probe:" + hex.EncodeToString(sum[:6])
	if info, err := cli.ImageInspect(ctx, ref); err == nil {
		return ref, info.ID, nil
	}
	id, err = importProbe(ctx, cli, ref, "")
	return ref, id, err
}

// importProbe imports the probe binary as image ref, with a marker file
// holding marker (so different markers give different images), and returns
// the image ID.
func importProbe(ctx context.Context, cli *client.Client, ref, marker string) (string, error) {
	data := probeBin
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, d := range []string{"out/", "data/"} {
		_ = tw.WriteHeader(&tar.Header{Name: d, Typeflag: tar.TypeDir, Mode: 0o755})
	}
	// No /tmp: the executor's tmpfs is created with its own mode, 1777.
	if marker != "" {
		_ = tw.WriteHeader(&tar.Header{Name: "marker", Mode: 0o644, Size: int64(len(marker))})
		_, _ = tw.Write([]byte(marker))
	}
	if err := tw.WriteHeader(&tar.Header{Name: "probe", Mode: 0o755, Size: int64(len(data))}); err != nil {
		return "", err
	}
	if _, err := tw.Write(data); err != nil {
		return "", err
	}
	if err := tw.Close(); err != nil {
		return "", err
	}
	rc, err := cli.ImageImport(ctx, client.ImageImportSource{Source: &buf, SourceName: "-"}, ref,
		client.ImageImportOptions{Changes: []string{`ENTRYPOINT ["/probe"]`}})
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, rc)
	rc.Close()
	info, err := cli.ImageInspect(ctx, ref)
	if err != nil {
		return "", err
	}
	return info.ID, nil
}

// newTestExecutor is an executor whose staging directory is the test's own.
func newTestExecutor(t testing.TB, opts Options) *Executor {
	t.Helper()
	needEngine(t)
	if opts.TempDir == "" {
		opts.TempDir = t.TempDir()
	}
	x, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// request is a probe run with one input file at /data/in.txt.
func request(t testing.TB, image string, args ...string) (*bonfire.ExecRequest, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	in := t.TempDir()
	if err := os.WriteFile(filepath.Join(in, "in.txt"), []byte("input data"), 0o444); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	name := strings.NewReplacer("/", "-", " ", "-").Replace(t.Name())
	return &bonfire.ExecRequest{
		TaskID: "test." + name, Image: image, Args: args,
		Env:       map[string]string{"GREETING": "hi"},
		Mounts:    []bonfire.Mount{{HostPath: in, GuestPath: "/data", ReadOnly: true}},
		OutputDir: filepath.Join(t.TempDir(), "out"), OutputGuest: "/out", Seed: 42,
		Limits: bonfire.Limits{CPUMilli: 1000, MemoryBytes: 128 << 20, Timeout: time.Minute, LogBytes: 1 << 20, OutputBytes: 8 << 20},
		Stdout: &stdout, Stderr: &stderr,
	}, &stdout, &stderr
}

// assertNothingLeft checks that no container of the task remains and that
// the executor's staging directory is empty.
func assertNothingLeft(t testing.TB, x *Executor, taskID string) {
	t.Helper()
	list, err := x.cli.ContainerList(context.Background(), client.ContainerListOptions{All: true,
		Filters: make(client.Filters).Add("label", LabelTask+"="+taskID)})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 0 {
		t.Errorf("%d containers of task %s are left behind: %+v", len(list.Items), taskID, list.Items[0].State)
	}
	vols, err := x.cli.VolumeList(context.Background(), client.VolumeListOptions{Filters: make(client.Filters).Add("dangling", "true")})
	if err != nil {
		t.Fatal(err)
	}
	if len(vols.Items) != 0 {
		t.Errorf("%d dangling volumes are left, e.g. %s", len(vols.Items), vols.Items[0].Name)
	}
	entries, err := os.ReadDir(x.opts.TempDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("staging directory not empty: %v", entries[0].Name())
	}
}
