package market

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
)

// writer commits batches with group commit: while one transaction is being
// written, later batches queue up and go out together in the next one. A
// caller's wait returns once its batch is durable, so the market never
// acknowledges a message before the state it caused is on disk.
//
// Batches carry copies of whole rows, so they must reach the store in the
// order their changes were made, or an older copy of a row could overwrite
// a newer one. The market therefore enqueues a batch while still holding
// Market.mu (enqueue only appends under the writer's own leaf lock; it never
// waits) and waits for it after letting go.
type writer struct {
	store bonfire.StateWriter
	log   *slog.Logger
	obs   Observer      // nil: no metrics
	wake  chan struct{} // one pending signal is enough: the loop takes the whole queue
	done  chan struct{}

	mu     sync.Mutex
	queue  []*pending
	closed bool
}

type pending struct {
	b   *bonfire.Batch
	err chan error
}

func newWriter(store bonfire.StateWriter, log *slog.Logger, obs Observer) *writer {
	w := &writer{store: store, log: log, obs: obs, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go w.loop()
	return w
}

// enqueue queues b behind every batch enqueued before it and returns at
// once. After close it fails the batch as unavailable instead.
func (w *writer) enqueue(b *bonfire.Batch) *pending {
	p := &pending{b: b, err: make(chan error, 1)}
	if b == nil || b.Empty() {
		p.err <- nil
		return p
	}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		p.err <- bonfire.Errorf(bonfire.ECodeUnavailable, "the market is shutting down").
			WithHint("retry against a running market")
		return p
	}
	w.queue = append(w.queue, p)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return p
}

// wait returns once p's batch is durable, or when ctx ends first.
func (p *pending) wait(ctx context.Context) error {
	select {
	case err := <-p.err:
		return err
	case <-ctx.Done():
		// The batch may still be written; the state it records is already
		// in memory, so writing it late is harmless.
		return ctx.Err()
	}
}

// Commit makes b durable, sharing a transaction with concurrent callers.
func (w *writer) Commit(ctx context.Context, b *bonfire.Batch) error {
	return w.enqueue(b).wait(ctx)
}

// close stops the loop after everything queued has been written; later
// batches are refused.
func (w *writer) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	<-w.done
}

func (w *writer) loop() {
	defer close(w.done)
	for {
		w.mu.Lock()
		group := w.queue[:min(len(w.queue), 256)]
		w.queue = w.queue[len(group):]
		if len(w.queue) == 0 {
			w.queue = nil
		}
		closed := w.closed
		w.mu.Unlock()
		if len(group) == 0 {
			if closed {
				return
			}
			<-w.wake
			continue
		}
		err := w.commitWithRetry(merge(group))
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
		start := time.Now()
		err = w.store.Commit(context.Background(), b)
		if w.obs != nil {
			w.obs.Committed(time.Since(start), err)
		}
		if err == nil {
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
func merge(group []*pending) *bonfire.Batch {
	if len(group) == 1 {
		return group[0].b
	}
	out := &bonfire.Batch{}
	jobs := map[string]int{}
	tasks := map[string]int{}
	provs := map[bonfire.Address]int{}
	for _, p := range group {
		b := p.b
		out.Jobs = keepLatest(out.Jobs, jobs, b.Jobs, func(j *bonfire.Job) string { return j.ID })
		out.Tasks = keepLatest(out.Tasks, tasks, b.Tasks, func(t *bonfire.Task) string { return t.ID })
		out.Providers = keepLatest(out.Providers, provs, b.Providers, func(p *bonfire.Provider) bonfire.Address { return p.Info.ID })
		out.Results = append(out.Results, b.Results...)
		out.Events = append(out.Events, b.Events...)
		out.Logs = append(out.Logs, b.Logs...)
	}
	return out
}

// keepLatest appends rows to out, replacing in place a row whose key is
// already there (at[key] is its index), so each row keeps its first
// position and its last version.
func keepLatest[T any, K comparable](out []T, at map[K]int, rows []T, key func(T) K) []T {
	for _, r := range rows {
		if i, ok := at[key(r)]; ok {
			out[i] = r
			continue
		}
		at[key(r)] = len(out)
		out = append(out, r)
	}
	return out
}
