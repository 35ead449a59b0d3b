package provider

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
)

// pullLoop asks for work whenever there is room, and otherwise waits for a
// work notice, a finished task, or the poll interval. Tasks it starts run
// under taskCtx.
func (p *Provider) pullLoop(ctx, taskCtx context.Context, tasks *sync.WaitGroup) {
	poll := time.NewTicker(p.cfg.PollInterval)
	defer poll.Stop()
	// A provider with many slots asks for work in batches: pulling one
	// task each time one finishes would cost a market round trip per task.
	// An idle provider pulls at once, so a lone task still starts quickly.
	batch := max(1, p.cfg.MaxTasks/4)
	for ctx.Err() == nil {
		p.mu.Lock()
		running := len(p.running)
		slots := p.cfg.MaxTasks - running
		free, busy := p.free, p.busy
		p.mu.Unlock()
		got := 0
		if !busy && slots > 0 && (slots >= batch || running == 0) && free.CPUMilli > 0 {
			var reply protocol.PullReply
			err := p.request(ctx, protocol.SubjectPull, protocol.TypePull, &protocol.Pull{Max: slots, Free: free}, &reply)
			switch {
			case bonfire.Code(err) == bonfire.ECodeNotFound:
				if err := p.register(ctx); err != nil && ctx.Err() == nil {
					p.log.Error("re-registration failed", "err", err)
				}
			case err != nil:
				if ctx.Err() == nil {
					p.log.Warn("pull failed", "err", err)
				}
			default:
				got = len(reply.Assignments)
				for _, a := range reply.Assignments {
					p.start(taskCtx, a, tasks)
				}
			}
		}
		if got > 0 {
			continue // there may be more; when full, the loop waits below
		}
		select {
		case <-ctx.Done():
		case <-p.wake:
		case <-poll.C:
		}
	}
}

// start reserves room for a and runs it in the background.
func (p *Provider) start(ctx context.Context, a protocol.Assignment, tasks *sync.WaitGroup) {
	taskCtx, cancel := context.WithCancel(ctx)
	rt := &runningTask{ref: protocol.TaskRef{TaskID: a.TaskID, Attempt: a.Attempt}, res: a.Resources, cancel: cancel}
	p.mu.Lock()
	if old := p.running[a.TaskID]; old != nil {
		old.cancel() // a newer attempt supersedes it
	}
	p.running[a.TaskID] = rt
	p.free = p.free.Sub(a.Resources)
	p.mu.Unlock()
	p.out.started(rt.ref)
	if p.cfg.Observer != nil {
		p.cfg.Observer.TaskStarted()
	}
	if p.log.Enabled(ctx, slog.LevelDebug) { // spares the hot path boxing the attributes
		p.log.Debug("task started", "job", a.JobID, "task", a.TaskID, "attempt", a.Attempt)
	}
	tasks.Add(1)
	go func() {
		defer tasks.Done()
		defer cancel()
		p.execute(taskCtx, a, rt)
		p.mu.Lock()
		if p.running[a.TaskID] == rt {
			delete(p.running, a.TaskID)
		}
		p.free = addResources(p.free, a.Resources)
		p.mu.Unlock()
		p.poke()
	}()
}

func addResources(c bonfire.Capacity, r bonfire.Resources) bonfire.Capacity {
	c.CPUMilli += r.CPUMilli
	c.MemoryBytes += r.MemoryBytes
	if r.GPU != nil {
		c.GPUs += r.GPU.Count
	}
	return c
}
