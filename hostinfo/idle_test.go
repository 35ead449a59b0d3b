package hostinfo

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

// fakeMeter returns scripted readings; an error entry is returned as the
// meter's error.
type fakeMeter struct {
	t        *testing.T
	readings []any
}

func (m *fakeMeter) OthersLoad() (float64, error) {
	if len(m.readings) == 0 {
		// Not Fatal: Run samples on its own goroutine.
		m.t.Error("sampled more often than scripted")
		return 0, errors.New("script exhausted")
	}
	r := m.readings[0]
	m.readings = m.readings[1:]
	if err, ok := r.(error); ok {
		return 0, err
	}
	return r.(float64), nil
}

var errMeter = bonfire.Errorf(bonfire.ECodeUnavailable, "cannot read /proc/stat")

// runSamples feeds readings to a new watcher and spells its answers one
// character per sample (see TestIdleWatcherHysteresis).
func runSamples(t *testing.T, cfg IdleConfig, readings ...any) string {
	t.Helper()
	w, err := NewIdleWatcher(&fakeMeter{t: t, readings: readings}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for range readings {
		busy, changed, err := w.Sample()
		if err != nil && !errors.Is(err, errMeter) {
			t.Fatalf("Sample error %v, want the meter's own error", err)
		}
		if busy != w.Busy() {
			t.Fatalf("Sample says busy=%v but Busy() = %v", busy, w.Busy())
		}
		switch {
		case err != nil && changed:
			t.Fatal("a failed sample changed the state")
		case err != nil:
			got.WriteByte('E')
		case changed && busy:
			got.WriteByte('B')
		case changed:
			got.WriteByte('I')
		case busy:
			got.WriteByte('#')
		default:
			got.WriteByte('.')
		}
	}
	return got.String()
}

// The strings read one character per sample: '#' still busy, '.' still
// idle, 'B' just became busy, 'I' just became idle, 'E' meter error.
func TestIdleWatcherHysteresis(t *testing.T) {
	t.Parallel()
	const hi, lo = 0.9, 0.05
	cfg := IdleConfig{Threshold: 0.25, BusyAfter: 2, IdleAfter: 3}
	tests := []struct {
		name     string
		readings []any
		want     string
	}{
		{"starts busy, idle after IdleAfter quiet samples", []any{lo, lo, lo, lo}, "##I."},
		{"a spike restarts the quiet count", []any{lo, lo, hi, lo, lo, lo}, "#####I"},
		{"spikes shorter than BusyAfter are ignored", []any{lo, lo, lo, hi, lo, hi, lo, hi}, "##I....."},
		{"BusyAfter consecutive busy samples suspend", []any{lo, lo, lo, hi, hi, hi}, "##I.B#"},
		{"resume only after IdleAfter quiet samples", []any{lo, lo, lo, hi, hi, lo, lo, hi, lo, lo, lo}, "##I.B#####I"},
		{"load equal to the threshold is quiet", []any{0.25, 0.25, 0.25}, "##I"},
		{"just above the threshold is busy", []any{lo, lo, lo, 0.2501, 0.2501}, "##I.B"},
		{"errors never flip an idle machine", []any{lo, lo, lo, errMeter, errMeter, errMeter, errMeter}, "##IEEEE"},
		{"errors never flip a busy machine", []any{errMeter, errMeter, errMeter, errMeter}, "EEEE"},
		{"errors neither extend nor break a busy streak", []any{lo, lo, lo, hi, errMeter, hi}, "##I.EB"},
		{"errors neither extend nor break a quiet streak", []any{lo, errMeter, lo, errMeter, lo}, "#E#EI"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := runSamples(t, cfg, tt.readings...); got != tt.want {
				t.Errorf("samples = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIdleWatcherLastLoad(t *testing.T) {
	t.Parallel()
	w, err := NewIdleWatcher(&fakeMeter{t: t, readings: []any{0.4, errMeter}}, IdleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		_, _, _ = w.Sample()
		if got := w.LastLoad(); got != 0.4 {
			t.Errorf("LastLoad = %v, want 0.4 (kept across a failed sample)", got)
		}
	}
}

func TestIdleConfigDefaultsAndValidation(t *testing.T) {
	t.Parallel()
	w, err := NewIdleWatcher(&fakeMeter{t: t}, IdleConfig{})
	if err != nil {
		t.Fatalf("zero config: %v", err)
	}
	want := IdleConfig{Threshold: DefaultIdleThreshold, BusyAfter: DefaultBusyAfter, IdleAfter: DefaultIdleAfter, Interval: DefaultIdleInterval}
	if got := w.Config(); got.Threshold != want.Threshold || got.BusyAfter != want.BusyAfter || got.IdleAfter != want.IdleAfter || got.Interval != want.Interval {
		t.Errorf("Config = %+v, want defaults %+v", got, want)
	}
	if !w.Busy() {
		t.Error("a new watcher should start busy")
	}

	_, err = NewIdleWatcher(&fakeMeter{t: t}, IdleConfig{Threshold: 1.5, BusyAfter: -1, IdleAfter: -2, Interval: -time.Second})
	var errs bonfire.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error %v is not bonfire.Errors", err)
	}
	var fields []string
	for _, e := range errs {
		if e.Code != bonfire.ECodeInvalid || e.Hint == "" {
			t.Errorf("problem %+v should be invalid with a hint", e)
		}
		fields = append(fields, e.Field)
	}
	if want := []string{"threshold", "busyAfter", "idleAfter", "interval"}; !slices.Equal(fields, want) {
		t.Errorf("fields = %q, want %q", fields, want)
	}

	for _, bad := range []float64{math.NaN(), 1, -0.1} {
		_, err := NewIdleWatcher(&fakeMeter{t: t}, IdleConfig{Threshold: bad})
		if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Field != "threshold" {
			t.Errorf("threshold %v: error = %v, want one problem with the threshold", bad, err)
		}
	}
	if _, err := NewIdleWatcher(nil, IdleConfig{}); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Errorf("nil meter: error = %v, want invalid", err)
	}
}

func TestIdleWatcherRun(t *testing.T) {
	t.Parallel()
	const hi, lo = 0.9, 0.0
	errs := make(chan error, 10)
	w, err := NewIdleWatcher(
		&fakeMeter{t: t, readings: []any{lo, errMeter, lo, hi, hi, lo}},
		IdleConfig{BusyAfter: 2, IdleAfter: 2, OnError: func(err error) { errs <- err }},
	)
	if err != nil {
		t.Fatal(err)
	}
	ticks := make(chan time.Time)
	changes := make(chan bool, 10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(t.Context(), ticks, func(busy bool) { changes <- busy })
	}()
	for range 6 {
		ticks <- time.Time{}
	}
	// Unbuffered sends only prove the sixth tick was received; closing
	// and waiting for Run proves every sample was processed.
	close(ticks)
	<-done
	close(changes)
	var got []bool
	for busy := range changes {
		got = append(got, busy)
	}
	if want := []bool{false, true}; !slices.Equal(got, want) {
		t.Errorf("onChange calls = %v, want %v", got, want)
	}
	if n := len(errs); n != 1 {
		t.Errorf("OnError called %d times, want once", n)
	} else if err := <-errs; !errors.Is(err, errMeter) {
		t.Errorf("OnError got %v, want the meter's error", err)
	}
	if !w.Busy() {
		t.Error("after hi, hi, lo with IdleAfter 2 the watcher should still be busy")
	}
}

func TestIdleWatcherRunStopsWithContext(t *testing.T) {
	t.Parallel()
	w, err := NewIdleWatcher(&fakeMeter{t: t}, IdleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx, make(chan time.Time), func(bool) { t.Error("onChange without a tick") })
	}()
	cancel()
	<-done // a Run that ignored ctx would hang here until the test times out
}
