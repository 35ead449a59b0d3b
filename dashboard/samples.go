package dashboard

import (
	"context"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
)

// sample is the network at one moment, a point of the overview's charts.
type sample struct {
	At               time.Time
	ProvidersOnline  int
	ProvidersBusy    int
	ProvidersOffline int
	CPULent          int64   // milli-cores lent by online providers
	CPUUsed          int64   // milli-cores reserved by assigned and running tasks
	Utilisation      float64 // CPUUsed / CPULent, 0..1
	TasksPerSecond   float64 // tasks finished per second since the previous sample
	TasksFinished    int     // succeeded + failed + cancelled since the market started
	TasksQueued      int
	TasksRunning     int // assigned or running
	JobsQueued       int
	JobsRunning      int
	Escrowed         uint64 // budgets held for live jobs, less what they were charged
	Charged          uint64 // every charge the market recorded
	// Scores is each provider's reputation score, for its history chart.
	Scores map[bonfire.Address]float64
}

// ring keeps the last n samples, oldest first.
type ring struct {
	mu   sync.Mutex
	buf  []sample
	next int
	full bool
}

func newRing(n int) *ring { return &ring{buf: make([]sample, n)} }

func (r *ring) add(s sample) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buf[r.next] = s
	r.next = (r.next + 1) % len(r.buf)
	if r.next == 0 {
		r.full = true
	}
}

// all returns the samples, oldest first.
func (r *ring) all() []sample {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.full {
		return append([]sample(nil), r.buf[:r.next]...)
	}
	out := make([]sample, 0, len(r.buf))
	out = append(out, r.buf[r.next:]...)
	return append(out, r.buf[:r.next]...)
}

// last returns the newest sample, if any.
func (r *ring) last() (sample, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.full && r.next == 0 {
		return sample{}, false
	}
	return r.buf[(r.next-1+len(r.buf))%len(r.buf)], true
}

// sampleLoop takes a sample at once and then every SampleEvery until Close.
func (d *Dashboard) sampleLoop() {
	defer d.wg.Done()
	tick := time.NewTicker(d.cfg.SampleEvery)
	defer tick.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		s, err := d.takeSample(ctx)
		cancel()
		if err != nil {
			d.cfg.Log.Warn("dashboard sample failed", "err", err)
		} else {
			d.ring.add(s)
		}
		select {
		case <-d.done:
			return
		case <-tick.C:
		}
	}
}

// liveJobLimit bounds the live jobs one sample reads.
const liveJobLimit = 1000

// takeSample reads the market's counts, its providers and its live jobs.
func (d *Dashboard) takeSample(ctx context.Context) (sample, error) {
	s := sample{At: time.Now()}
	provs, err := d.cfg.Providers.Providers(ctx)
	if err != nil {
		return s, err
	}
	s.Scores = make(map[bonfire.Address]float64, len(provs))
	for _, p := range provs {
		s.Scores[p.Info.ID] = p.Reputation.Score
		switch p.State {
		case bonfire.ProviderOnline:
			s.ProvidersOnline++
			s.CPULent += p.Info.Lend.CPUMilli
		case bonfire.ProviderBusy:
			s.ProvidersBusy++
		default:
			s.ProvidersOffline++
		}
	}
	live, err := d.cfg.Jobs.Jobs(ctx, bonfire.JobFilter{States: []bonfire.JobState{bonfire.JobQueued, bonfire.JobRunning}, Limit: liveJobLimit})
	if err != nil {
		return s, err
	}
	for _, j := range live {
		busy := j.Counts.Assigned + j.Counts.Running
		s.CPUUsed += int64(busy) * j.Spec.Resources.CPUMilli
		s.TasksQueued += j.Counts.Queued
		s.TasksRunning += busy
		if j.State == bonfire.JobQueued {
			s.JobsQueued++
		} else {
			s.JobsRunning++
		}
		if j.Budget > j.Charged {
			s.Escrowed += j.Budget - j.Charged
		}
	}
	if d.cfg.Stats != nil {
		st := d.cfg.Stats()
		s.JobsQueued, s.JobsRunning = st.JobsQueued, st.JobsRunning
		s.TasksQueued, s.TasksRunning = st.Tasks.Queued, st.Tasks.Assigned+st.Tasks.Running
		s.TasksFinished = st.Tasks.Succeeded + st.Tasks.Failed + st.Tasks.Cancelled
	}
	if s.CPULent > 0 {
		s.Utilisation = min(1, float64(s.CPUUsed)/float64(s.CPULent))
	}
	if prev, ok := d.ring.last(); ok {
		if dt := s.At.Sub(prev.At).Seconds(); dt > 0 && s.TasksFinished >= prev.TasksFinished {
			s.TasksPerSecond = float64(s.TasksFinished-prev.TasksFinished) / dt
		}
	}
	if d.cfg.Charges != nil {
		owed, err := d.cfg.Charges.OwedTotals(ctx)
		if err != nil {
			return s, err
		}
		for _, o := range owed {
			s.Charged += o.Amount
		}
	}
	return s, nil
}
