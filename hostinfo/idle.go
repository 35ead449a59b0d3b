package hostinfo

import (
	"context"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
)

// IdleConfig tunes idle detection. A zero field takes its default.
type IdleConfig struct {
	// Threshold is the share of the machine (0..1) other processes must exceed
	// for a sample to count as busy. Default 0.25.
	Threshold float64
	// BusyAfter is how many busy samples in a row declare the owner busy,
	// so that a short spike (opening a file, a cron job) is ignored.
	// Default 2.
	BusyAfter int
	// IdleAfter is how many quiet samples in a row declare the machine idle
	// again; longer than BusyAfter so that work is not resumed in the
	// middle of the owner's pause. Default 5.
	IdleAfter int
	// Interval is how often the provider should sample (the period of the
	// ticker it passes to Run). Default 5 s.
	Interval time.Duration
	// OnError, when set, is called from Run with each failed sample.
	OnError func(error)
}

// Defaults for IdleConfig.
const (
	DefaultIdleThreshold = 0.25
	DefaultBusyAfter     = 2
	DefaultIdleAfter     = 5
	DefaultIdleInterval  = 5 * time.Second
)

// withDefaults fills zero fields and checks the rest.
func (c IdleConfig) withDefaults() (IdleConfig, error) {
	if c.Threshold == 0 {
		c.Threshold = DefaultIdleThreshold
	}
	if c.BusyAfter == 0 {
		c.BusyAfter = DefaultBusyAfter
	}
	if c.IdleAfter == 0 {
		c.IdleAfter = DefaultIdleAfter
	}
	if c.Interval == 0 {
		c.Interval = DefaultIdleInterval
	}
	var errs bonfire.Errors
	// The negated comparison also rejects NaN.
	if !(c.Threshold > 0 && c.Threshold < 1) {
		errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "must be between 0 and 1 (a share of the whole machine), got %v", c.Threshold).
			WithField("threshold").WithHint("use e.g. 0.25: others using more than a quarter of the machine means the owner is busy"))
	}
	if c.BusyAfter < 0 {
		errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "must be at least 1 sample, got %d", c.BusyAfter).
			WithField("busyAfter").WithHint("use e.g. 2"))
	}
	if c.IdleAfter < 0 {
		errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "must be at least 1 sample, got %d", c.IdleAfter).
			WithField("idleAfter").WithHint("use e.g. 5"))
	}
	if c.Interval < 0 {
		errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "must be positive, got %v", c.Interval).
			WithField("interval").WithHint("use e.g. 5s"))
	}
	return c, errs.Err()
}

// IdleWatcher decides whether the owner is using the machine, from
// successive LoadMeter samples with hysteresis.
//
// It starts out busy: until IdleAfter quiet samples have been seen nothing
// shows the owner is away, and taking work only to hand it back moments
// later is worse for everyone than starting a little late.
type IdleWatcher struct {
	meter LoadMeter
	cfg   IdleConfig

	mu          sync.Mutex
	busy        bool
	busyStreak  int
	quietStreak int
	lastLoad    float64
}

// NewIdleWatcher returns a watcher over meter. cfg's zero fields take the
// defaults; out-of-range fields are reported as bonfire.Errors.
func NewIdleWatcher(meter LoadMeter, cfg IdleConfig) (*IdleWatcher, error) {
	if meter == nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "no load meter").WithField("meter").
			WithHint("pass the result of NewLoadMeter")
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &IdleWatcher{meter: meter, cfg: cfg, busy: true}, nil
}

// Config returns the configuration in effect, defaults filled in.
func (w *IdleWatcher) Config() IdleConfig { return w.cfg }

// Busy reports the current state.
func (w *IdleWatcher) Busy() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.busy
}

// LastLoad is the most recent successful reading of others' load, for
// logging and status displays.
func (w *IdleWatcher) LastLoad() float64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lastLoad
}

// Sample takes one reading and advances the state. changed reports that
// this sample flipped busy. A meter error is returned with the state
// untouched: a failed reading is no evidence either way, so it neither
// extends nor breaks a streak.
func (w *IdleWatcher) Sample() (busy, changed bool, err error) {
	load, err := w.meter.OthersLoad()
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		return w.busy, false, err
	}
	w.lastLoad = load
	if load > w.cfg.Threshold {
		w.busyStreak++
		w.quietStreak = 0
	} else {
		w.quietStreak++
		w.busyStreak = 0
	}
	switch {
	case !w.busy && w.busyStreak >= w.cfg.BusyAfter:
		w.busy, changed = true, true
	case w.busy && w.quietStreak >= w.cfg.IdleAfter:
		w.busy, changed = false, true
	}
	return w.busy, changed, nil
}

// Run samples on every tick until ctx is done or ticks is closed, calling
// onChange (on Run's goroutine) whenever the state flips. Failed samples go
// to cfg.OnError. The provider passes a time.Ticker's channel with period
// cfg.Interval; tests pass their own channel.
func (w *IdleWatcher) Run(ctx context.Context, ticks <-chan time.Time, onChange func(busy bool)) {
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ticks:
			if !ok {
				return
			}
			busy, changed, err := w.Sample()
			if err != nil {
				if w.cfg.OnError != nil {
					w.cfg.OnError(err)
				}
				continue
			}
			if changed && onChange != nil {
				onChange(busy)
			}
		}
	}
}
