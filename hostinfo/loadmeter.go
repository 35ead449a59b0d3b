package hostinfo

import (
	"sync"
)

// LoadMeter measures how busy the machine's owner keeps it.
type LoadMeter interface {
	// OthersLoad returns the fraction of the whole machine (0 = all cores
	// idle, 1 = all cores busy) that processes other than this one used
	// since the previous call, or since the meter was made for the first
	// call.
	OthersLoad() (float64, error)
}

// cpuCounters is one reading of cumulative CPU time, all in the same unit
// (clock ticks on linux, 100 ns on windows) and summed over every core.
type cpuCounters struct {
	total uint64 // all CPU time that elapsed, busy or not
	idle  uint64 // of which no process ran
	own   uint64 // of which this process ran (all of its threads)
}

// othersLoad is the share of elapsed machine time between prev and cur that
// was busy but not spent by this process. ok is false when no machine time
// elapsed, so the interval says nothing.
//
// Deltas are signed because some kernels let the idle (iowait) counter step
// backwards; the result is clamped rather than trusted outside 0..1.
func othersLoad(prev, cur cpuCounters) (load float64, ok bool) {
	total := int64(cur.total - prev.total)
	if total <= 0 {
		return 0, false
	}
	idle := int64(cur.idle - prev.idle)
	own := int64(cur.own - prev.own)
	// The process's own times and the machine's are sampled by different
	// kernel paths at tick granularity, so "busy - own" can dip below zero
	// when nothing else runs.
	others := float64(total-idle-own) / float64(total)
	return min(max(others, 0), 1), true
}

// counterMeter turns a source of cumulative counters into a LoadMeter.
type counterMeter struct {
	read func() (cpuCounters, error)

	mu   sync.Mutex
	prev cpuCounters
	last float64
}

func newCounterMeter(read func() (cpuCounters, error)) (*counterMeter, error) {
	first, err := read()
	if err != nil {
		return nil, err
	}
	return &counterMeter{read: read, prev: first}, nil
}

// OthersLoad implements LoadMeter. Called again before the counters moved
// (they tick every 10 ms or so), it repeats the previous answer and keeps
// the old baseline, so the next call covers the whole longer interval.
func (m *counterMeter) OthersLoad() (float64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, err := m.read()
	if err != nil {
		return 0, err
	}
	load, ok := othersLoad(m.prev, cur)
	if !ok {
		return m.last, nil
	}
	m.prev, m.last = cur, load
	return load, nil
}
