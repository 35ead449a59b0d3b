package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

var epoch = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "market.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func commit(t testing.TB, s *Store, b *bonfire.Batch) {
	t.Helper()
	if err := s.Commit(context.Background(), b); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

func job(id string, owner bonfire.Address, state bonfire.JobState, tasks int) *bonfire.Job {
	return &bonfire.Job{
		ID:    id,
		Owner: owner,
		Spec: bonfire.JobSpec{
			APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "sweep-" + id,
			Executor: bonfire.ExecutorWASM, Module: string(bonfire.DigestOf([]byte("module"))),
			Args: []string{"--lr", "{{.lr}}"}, Env: map[string]string{"MODE": "fast"},
			Inputs:    []bonfire.Input{{Path: "/data", Files: []bonfire.FileRef{{Name: "a.csv", Digest: bonfire.DigestOf([]byte("a")), Size: 1}}}},
			Outputs:   "/out",
			Resources: bonfire.Resources{CPUMilli: 1000, MemoryBytes: 1 << 28, GPU: &bonfire.GPURequest{Count: 1, Model: "*A100*"}},
			Count:     tasks, Matrix: []bonfire.MatrixParam{{Name: "lr", Values: []string{"0.1", "0.01"}}},
			Timeout: bonfire.Duration(90 * time.Second), Retries: 2, MaxPrice: 7,
			Determinism: bonfire.Determinism{Deterministic: true, Seed: 42},
			Summary:     &bonfire.Summary{File: "metrics.json", Metric: "acc", Order: "desc"},
		},
		State:       state,
		TaskCount:   tasks,
		Counts:      bonfire.TaskCounts{Queued: tasks},
		SubmittedAt: epoch,
	}
}

func tasksOf(jobID string, n int, state bonfire.TaskState) []*bonfire.Task {
	out := make([]*bonfire.Task, n)
	for i := range out {
		out[i] = &bonfire.Task{
			ID: fmt.Sprintf("%s.%d", jobID, i), JobID: jobID, Index: i,
			Params: map[string]string{"lr": "0.1"}, Args: []string{"--lr", "0.1"},
			Env: map[string]string{"lr": "0.1"}, Seed: uint64(i) * 7919,
			State: state, QueuedAt: epoch,
		}
	}
	return out
}

func result(taskID string, attempt int, exit int) *bonfire.TaskResult {
	return &bonfire.TaskResult{
		TaskID: taskID, JobID: "j1", Attempt: attempt, Provider: "0xAbC0000000000000000000000000000000000001",
		InputsDigest: bonfire.DigestOf([]byte("in")), OutputDigest: bonfire.DigestOf([]byte("out")),
		Outputs:  []bonfire.FileRef{{Name: "metrics.json", Digest: bonfire.DigestOf([]byte("m")), Size: 10}},
		ExitCode: exit, Usage: bonfire.Usage{CPUNanos: 5, WallNanos: 6, PeakMemoryBytes: 7},
		FinishedAt: epoch.Add(time.Minute), Signature: "0x01",
	}
}

// sameJSON compares through JSON because that is what the store keeps: a
// time read back equals the one written but need not share its *Location.
func sameJSON(t testing.TB, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("%s differs:\n got %s\nwant %s", what, g, w)
	}
}

func ids[T any](xs []*T, id func(*T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func taskID(t *bonfire.Task) string { return t.ID }
func jobID(j *bonfire.Job) string   { return j.ID }
