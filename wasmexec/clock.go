package wasmexec

import (
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/sys"
)

// virtualClock is the clock of a deterministic run. Like wazero's fake
// clocks it starts at 2022-01-01 UTC and advances 1ms at every reading, so
// a guest polling the time makes progress; unlike them, sleeping advances
// it by the time slept, at once. With wazero's no-op sleep a guest's
// time.Sleep(time.Hour) spins through 3.6 million readings instead.
// A guest instance is single-threaded, so no lock.
type virtualClock struct {
	elapsed int64 // nanoseconds since the epoch below
}

const (
	virtualEpoch = int64(1640995200) * int64(time.Second) // 2022-01-01T00:00:00Z
	virtualTick  = int64(time.Millisecond)
)

func (c *virtualClock) walltime() (sec int64, nsec int32) {
	c.elapsed += virtualTick
	now := virtualEpoch + c.elapsed
	return now / int64(time.Second), int32(now % int64(time.Second))
}

func (c *virtualClock) nanotime() int64 {
	c.elapsed += virtualTick
	return c.elapsed
}

func (c *virtualClock) nanosleep(ns int64) {
	if ns > 0 {
		c.elapsed += ns
	}
}

// withClock gives cfg the real clock, or a virtual one when deterministic.
// done ends real sleeps early when the run is stopped.
func withClock(cfg wazero.ModuleConfig, real bool, done <-chan struct{}) wazero.ModuleConfig {
	if real {
		return cfg.WithSysWalltime().WithSysNanotime().WithNanosleep(interruptibleSleep(done))
	}
	c := &virtualClock{}
	resolution := sys.ClockResolution(virtualTick)
	return cfg.WithWalltime(c.walltime, resolution).WithNanotime(c.nanotime, resolution).WithNanosleep(c.nanosleep)
}

// interruptibleSleep sleeps like wazero's WithSysNanosleep, but returns when
// done closes: a guest blocked in a long sleep could otherwise outlive its
// timeout, since wazero stops a guest only when it runs wasm code.
func interruptibleSleep(done <-chan struct{}) sys.Nanosleep {
	return func(ns int64) {
		timer := time.NewTimer(time.Duration(ns))
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-done:
		}
	}
}
