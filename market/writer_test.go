package market

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// gatedStore records committed batches; each commit waits for the gate.
type gatedStore struct {
	entered chan struct{}
	gate    chan struct{}
	mu      sync.Mutex
	batches []*bonfire.Batch
}

func (s *gatedStore) Commit(_ context.Context, b *bonfire.Batch) error {
	s.entered <- struct{}{}
	<-s.gate
	s.mu.Lock()
	s.batches = append(s.batches, b)
	s.mu.Unlock()
	return nil
}

func taskBatch(state bonfire.TaskState, attempt int) *bonfire.Batch {
	return &bonfire.Batch{Tasks: []*bonfire.Task{{ID: "j.0", JobID: "j", State: state, Attempt: attempt}},
		Events: []*bonfire.TaskEvent{{TaskID: "j.0", Kind: string(state)}}}
}

// Batches queued while a transaction is written go out together, each row
// at its latest version in the order they were enqueued, whatever order
// their callers wait in.
func TestWriterGroupsInEnqueueOrder(t *testing.T) {
	t.Parallel()
	s := &gatedStore{entered: make(chan struct{}, 8), gate: make(chan struct{})}
	w := newWriter(s, slog.New(slog.DiscardHandler), nil)
	first := w.enqueue(taskBatch(bonfire.TaskQueued, 0))
	<-s.entered // the loop is inside the first commit
	assigned := w.enqueue(taskBatch(bonfire.TaskAssigned, 1))
	running := w.enqueue(taskBatch(bonfire.TaskRunning, 1))
	close(s.gate)
	ctx := context.Background()
	for _, p := range []*pending{running, assigned, first} {
		if err := p.wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.batches) != 2 {
		t.Fatalf("%d commits, want 2 (the later batches grouped)", len(s.batches))
	}
	g := s.batches[1]
	if len(g.Tasks) != 1 || g.Tasks[0].State != bonfire.TaskRunning || len(g.Events) != 2 || g.Events[0].Kind != "assigned" {
		t.Fatalf("grouped batch %+v", g)
	}

	w.close()
	err := w.Commit(ctx, taskBatch(bonfire.TaskSucceeded, 1))
	if bonfire.Code(err) != bonfire.ECodeUnavailable {
		t.Fatalf("commit after close: %v", err)
	}
	if err := w.Commit(ctx, &bonfire.Batch{}); err != nil {
		t.Fatalf("empty commit after close: %v", err)
	}
}
