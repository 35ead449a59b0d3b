package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/dockerexec"
	"github.com/bonfirenet/bonfire/jobspec"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/moby/moby/client"
)

// dockerImage returns the ID of an example image scripts/docker-examples.sh
// built, skipping the test (failing it in CI) when there is no engine or
// no such image.
func dockerImage(t *testing.T, ref string) (string, *dockerexec.Executor) {
	t.Helper()
	x, err := dockerexec.New(context.Background(), dockerexec.Options{})
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI needs a Docker engine for the docker end-to-end tests: %v", err)
		}
		t.Skipf("SKIPPING: no Docker engine answers (%v); run ./scripts/test.sh as root to start one", err)
	}
	t.Cleanup(func() { x.Close() })
	info, err := x.Client().ImageInspect(context.Background(), ref)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("image %s is missing: %v (scripts/test.sh builds it)", ref, err)
		}
		t.Skipf("SKIPPING: image %s is missing (%v); run ./scripts/docker-examples.sh", ref, err)
	}
	return info.ID, x
}

// TestDockerNumpyTrainingJob submits the numpy example (a Debian image with
// numpy training on the digits) to a real market with docker-capable
// providers and reads every task's metrics.json back.
func TestDockerNumpyTrainingJob(t *testing.T) {
	t.Parallel()
	imageID, _ := dockerImage(t, "bonfire-examples/numpy-digits:latest")
	n := startNet(t, localnet.Config{Providers: 2})
	ps, err := n.api.Providers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if !slices.Contains(p.Info.Executors, bonfire.ExecutorDocker) {
			t.Fatalf("provider %s does not offer docker: %v", p.Info.ID, p.Info.Executors)
		}
	}
	// A task that fails (bad setting: the script raises and exits 1) is a
	// clear task error, leaves no container behind, and the providers go on
	// serving the real job below.
	x, err := dockerexec.New(context.Background(), dockerexec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	bad := &bonfire.JobSpec{
		APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "numpy-bad", Executor: bonfire.ExecutorDocker,
		Module: "bonfire-examples/numpy-digits:latest", Env: map[string]string{"EPOCHS": "many"}, Outputs: "/out", Count: 1,
		Resources: bonfire.Resources{CPUMilli: 500, MemoryBytes: 256 << 20}, Timeout: bonfire.Duration(time.Minute),
		Determinism: bonfire.Determinism{Deterministic: true},
	}
	badJob := waitJob(t, n.api, n.submit(bad).ID, 2*time.Minute)
	badTask := tasks(t, n.api, badJob.ID)[0]
	if e := badTask.Error; badJob.State != bonfire.JobFailed || e == nil || e.Code != bonfire.ECodeTaskFailed ||
		!strings.Contains(e.Message, "exited with code 1") || !strings.Contains(e.Message, "network off") {
		t.Fatalf("bad job %s, task error %+v", badJob.State, badTask.Error)
	}
	left, err := x.Client().ContainerList(context.Background(), client.ContainerListOptions{All: true,
		Filters: make(client.Filters).Add("label", dockerexec.LabelTask+"="+badTask.ID)})
	if err != nil || len(left.Items) != 0 {
		t.Fatalf("containers left for %s: %d, %v", badTask.ID, len(left.Items), err)
	}

	path := "../examples/numpy-digits/job.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := jobspec.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := jobspec.Resolve(context.Background(), spec, filepath.Dir(path), n.api); err != nil {
		t.Fatal(err)
	}
	job := waitJob(t, n.api, n.submit(spec).ID, 3*time.Minute)
	if job.State != bonfire.JobSucceeded {
		t.Fatalf("job %s (%s): %s", job.State, job.Reason, countsString(job.Counts))
	}
	ts := tasks(t, n.api, job.ID)
	if len(ts) != 3 {
		t.Fatalf("%d tasks, want one per learning rate", len(ts))
	}
	for _, task := range ts {
		r := task.Result
		if r == nil || r.Image != imageID {
			t.Fatalf("task %s result %+v: want the image %s recorded", task.ID, r, imageID)
		}
		var metrics struct {
			Accuracy float64 `json:"accuracy"`
			LR       float64 `json:"lr"`
			Epochs   int     `json:"epochs"`
		}
		var names []string
		for _, f := range r.Outputs {
			names = append(names, f.Name)
			if f.Name != "metrics.json" {
				continue
			}
			var buf bytes.Buffer
			if err := n.api.DownloadBlob(context.Background(), f.Digest, &buf); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(buf.Bytes(), &metrics); err != nil {
				t.Fatalf("metrics.json %q: %v", buf.String(), err)
			}
		}
		if strings.Join(names, ",") != "metrics.json,model.json" {
			t.Fatalf("task %s outputs %v", task.ID, names)
		}
		if metrics.Accuracy < 0.9 || metrics.Accuracy > 1 || metrics.Epochs != 30 || metrics.LR != map[string]float64{"0.05": 0.05, "0.1": 0.1, "0.2": 0.2}[task.Params["lr"]] {
			t.Errorf("task %s (lr %s): metrics %+v, want held-out accuracy above 0.9", task.ID, task.Params["lr"], metrics)
		}
		if r.Usage.WallNanos <= 0 || r.Usage.CPUNanos <= 0 {
			t.Errorf("task %s usage %+v", task.ID, r.Usage)
		}
	}
}

// TestDockerImageArchiveJob uploads a docker save archive to the market's
// blob store and runs it by its digest: the provider fetches the archive
// like a module and loads it.
func TestDockerImageArchiveJob(t *testing.T) {
	t.Parallel()
	imageID, x := dockerImage(t, "bonfire-examples/hello:latest")
	rc, err := x.Client().ImageSave(context.Background(), []string{"bonfire-examples/hello:latest"})
	if err != nil {
		t.Fatal(err)
	}
	archive, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(archive)
	t.Cleanup(func() { // the provider tagged what it loaded; leave the engine as it was
		_, _ = x.Client().ImageRemove(context.Background(), "bonfire/archive:"+hex.EncodeToString(sum[:]), client.ImageRemoveOptions{})
	})
	n := startNet(t, localnet.Config{Providers: 1})
	d := n.upload(archive)
	spec := &bonfire.JobSpec{
		APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "archive", Executor: bonfire.ExecutorDocker,
		Module: string(d), Args: []string{"archive"}, Outputs: "/out", Count: 1,
		Resources:   bonfire.Resources{CPUMilli: 500, MemoryBytes: 64 << 20},
		Timeout:     bonfire.Duration(time.Minute),
		Determinism: bonfire.Determinism{Deterministic: true},
	}
	job := waitJob(t, n.api, n.submit(spec).ID, 2*time.Minute)
	task := tasks(t, n.api, job.ID)[0]
	if job.State != bonfire.JobSucceeded || task.Result == nil || task.Result.Image != imageID {
		t.Fatalf("job %s (%s), result %+v; want success running %s", job.State, job.Reason, task.Result, imageID)
	}
	logs, err := n.api.TaskLogs(context.Background(), task.ID, task.Attempt)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, c := range logs {
		out.WriteString(c.Data)
	}
	if !strings.Contains(out.String(), "hello, archive, from a container") {
		t.Fatalf("logs %q", out.String())
	}
}
