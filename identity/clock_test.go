package identity

import (
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func TestHumanDuration(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		3 * time.Minute:                       "3m",
		2*time.Minute + 30*time.Second:        "2m30s",
		time.Hour:                             "1h",
		time.Hour + 5*time.Second:             "1h0m5s",
		250 * time.Millisecond:                "250ms",
		90*time.Second + 400*time.Millisecond: "1m30s",
		-3 * time.Minute:                      "-3m",
	} {
		if got := HumanDuration(d); got != want {
			t.Errorf("HumanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestCheckSkew(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	if err := CheckSkew("message time", now.Add(-2*time.Minute), now, 2*time.Minute); err != nil {
		t.Errorf("exactly maxSkew old: %v, want accepted", err)
	}
	if err := CheckSkew("message time", now.Add(2*time.Minute), now, 2*time.Minute); err != nil {
		t.Errorf("exactly maxSkew ahead: %v, want accepted", err)
	}
	old := CheckSkew("message time", now.Add(-3*time.Minute), now, 2*time.Minute)
	if old == nil || old.Code != bonfire.ECodeInvalid || !strings.Contains(old.Message, "is 3m old; clocks must agree within 2m") || !strings.Contains(old.Hint, "NTP") {
		t.Errorf("3m old: %v", old)
	}
	ahead := CheckSkew("message time", now.Add(5*time.Minute), now, 2*time.Minute)
	if ahead == nil || !strings.Contains(ahead.Message, "5m in the future") {
		t.Errorf("5m ahead: %v", ahead)
	}
}
