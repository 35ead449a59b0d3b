package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/bonfirenet/bonfire"
)

// streamCount counts the open event streams (tests read it).
type streamCount struct{ n atomic.Int64 }

// OpenStreams returns how many event streams are open now.
func (d *Dashboard) OpenStreams() int { return int(d.streams.n.Load()) }

// cellUpdate is one changed grid cell: [index, CSS class, state].
type cellUpdate [3]any

// countsUpdate is the job's state and count bar.
type countsUpdate struct {
	State     bonfire.JobState `json:"state"`
	TaskCount int              `json:"taskCount"`
	Charged   string           `json:"charged"` // what its tasks cost so far, for people
	Bar       []stateCount     `json:"bar"`
}

// jobEvents streams one grid page of a job as server-sent events: every
// StreamEvery it reads the page's tasks and the job's counts and sends
// only what changed ("cells" and "counts" events), then "end" once the job
// is over. It ends when the client goes, the job ends, or Close is called.
func (d *Dashboard) jobEvents(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	job, err := d.cfg.Jobs.Job(ctx, r.PathValue("id"))
	if err != nil {
		d.fail(w, r, err)
		return
	}
	pg, err := parseGridPage(r.URL.Query().Get("page"), (job.TaskCount+GridPage-1)/GridPage)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	if !d.enter() {
		d.fail(w, r, bonfire.Errorf(bonfire.ECodeUnavailable, "the dashboard is shutting down").WithHint("reload when the market is back"))
		return
	}
	defer d.wg.Done()
	d.streams.n.Add(1)
	defer d.streams.n.Add(-1)

	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil || rc.Flush() != nil {
		return
	}

	last := map[int]bonfire.TaskState{}
	var lastCounts *countsUpdate
	var m money
	if d.cfg.Money != nil {
		m = moneyOf(d.cfg.Money.Settlement())
	}
	tick := time.NewTicker(d.cfg.StreamEvery)
	defer tick.Stop()
	for {
		job, err = d.cfg.Jobs.Job(ctx, job.ID)
		if err != nil {
			return
		}
		tasks, err := d.cfg.Jobs.Tasks(ctx, bonfire.TaskFilter{JobID: job.ID, From: pg * GridPage, Limit: GridPage})
		if err != nil {
			return
		}
		var cells []cellUpdate
		for _, t := range tasks {
			if t.Index >= (pg+1)*GridPage {
				break
			}
			if s, ok := last[t.Index]; !ok || s != t.State {
				last[t.Index] = t.State
				cells = append(cells, cellUpdate{t.Index, stateClass(t.State), string(t.State)})
			}
		}
		counts := &countsUpdate{State: job.State, TaskCount: job.TaskCount, Charged: m.U(job.Charged), Bar: countBar(job.Counts, job.TaskCount)}
		if len(cells) > 0 && send(w, "cells", cells) != nil {
			return
		}
		if (lastCounts == nil || !sameCounts(lastCounts, counts)) && send(w, "counts", counts) != nil {
			return
		}
		lastCounts = counts
		if job.State.Terminal() {
			_ = send(w, "end", job.State)
			_ = rc.Flush()
			return
		}
		if rc.Flush() != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-d.done:
			return
		case <-tick.C:
		}
	}
}

// enter registers a stream unless the dashboard is closing.
func (d *Dashboard) enter() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return false
	}
	d.wg.Add(1)
	return true
}

func sameCounts(a, b *countsUpdate) bool {
	if a.State != b.State || a.TaskCount != b.TaskCount || a.Charged != b.Charged || len(a.Bar) != len(b.Bar) {
		return false
	}
	for i := range a.Bar {
		if a.Bar[i].Count != b.Bar[i].Count {
			return false
		}
	}
	return true
}

// send writes one event with v as its JSON data.
func send(w http.ResponseWriter, event string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b)
	return err
}
