package market

import (
	"context"
	"log/slog"
	"time"

	"github.com/bonfirenet/bonfire"
)

// writer commits batches with group commit: while one transaction is being
// written, later batches queue up and go out together in the next one. A
// caller's Commit returns once its batch is durable, so the market never
// acknowledges a message before the state it caused is on disk.
type writer struct {
	store bonfire.StateWriter
	in    chan pending
	log   *slog.Logger
	done  chan struct{}
}

type pending struct {
	b   *bonfire.Batch
	err chan error
}

func newWriter(store bonfire.StateWriter, log *slog.Logger) *writer {
	w := &writer{store: store, in: make(chan pending, 1024), log: log, done: make(chan struct{})}
	go w.loop()
	return w
}

// Commit makes b durable, sharing a transaction with concurrent callers.
func (w *writer) Commit(ctx context.Context, b *bonfire.Batch) error {
	if b.Empty() {
		return nil
	}
	p := pending{b: b, err: make(chan error, 1)}
	select {
	case w.in <- p:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-p.err:
		return err
	case <-ctx.Done():
		// The batch may still be written; the state it records is already
		// in memory, so writing it late is harmless.
		return ctx.Err()
	}
}

// close stops the loop after everything queued has been written.
func (w *writer) close() {
	close(w.in)
	<-w.done
}

func (w *writer) loop() {
	defer close(w.done)
	for first := range w.in {
		group := []pending{first}
	drain:
		for len(group) < 256 {
			select {
			case p, ok := <-w.in:
				if !ok {
					break drain
				}
				group = append(group, p)
			default:
				break drain
			}
		}
		merged := merge(group)
		err := w.commitWithRetry(merged)
		for _, p := range group {
			p.err <- err
		}
	}
}

// commitWithRetry retries a failed commit a few times: SQLite can report
// transient errors (a checkpoint holding the lock) that pass quickly.
func (w *writer) commitWithRetry(b *bonfire.Batch) error {
	var err error
	for i := 0; i < 5; i++ {
		if err = w.store.Commit(context.Background(), b); err == nil {
			return nil
		}
		w.log.Error("state commit failed", "attempt", i+1, "err", err)
		time.Sleep(time.Duration(10<<i) * time.Millisecond)
	}
	return bonfire.Errorf(bonfire.ECodeUnavailable, "the market could not save its state: %v", err).
		WithHint("check the disk under the market's home; the market retries on the next change")
}

// merge folds batches in order. Rows written whole (jobs, tasks, providers)
// keep only their latest version, so a task changed by several batches is
// written once.
func merge(group []pending) *bonfire.Batch {
	if len(group) == 1 {
		return group[0].b
	}
	out := &bonfire.Batch{}
	jobs := map[string]int{}
	tasks := map[string]int{}
	provs := map[bonfire.Address]int{}
	for _, p := range group {
		b := p.b
		for _, j := range b.Jobs {
			if i, ok := jobs[j.ID]; ok {
				out.Jobs[i] = j
				continue
			}
			jobs[j.ID] = len(out.Jobs)
			out.Jobs = append(out.Jobs, j)
		}
		for _, t := range b.Tasks {
			if i, ok := tasks[t.ID]; ok {
				out.Tasks[i] = t
				continue
			}
			tasks[t.ID] = len(out.Tasks)
			out.Tasks = append(out.Tasks, t)
		}
		for _, pr := range b.Providers {
			if i, ok := provs[pr.Info.ID]; ok {
				out.Providers[i] = pr
				continue
			}
			provs[pr.Info.ID] = len(out.Providers)
			out.Providers = append(out.Providers, pr)
		}
		out.Results = append(out.Results, b.Results...)
		out.Events = append(out.Events, b.Events...)
		out.Logs = append(out.Logs, b.Logs...)
	}
	return out
}
