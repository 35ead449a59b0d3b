package identity

import (
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
)

// CheckSkew reports, as ECodeInvalid, a signed timestamp more than maxSkew
// away from now. Signed messages carry their time so that a captured one
// stops working soon; that only holds if both clocks are roughly right.
// what names the timestamp in the message ("message time").
func CheckSkew(what string, at, now time.Time, maxSkew time.Duration) *bonfire.Error {
	d := now.Sub(at)
	var off string
	switch {
	case d > maxSkew:
		off = HumanDuration(d) + " old"
	case -d > maxSkew:
		off = HumanDuration(-d) + " in the future"
	default:
		return nil
	}
	return bonfire.Errorf(bonfire.ECodeInvalid, "%s %s is %s; clocks must agree within %s",
		what, at.UTC().Format("2006-01-02T15:04:05.000Z"), off, HumanDuration(maxSkew)).
		WithHint("synchronise this machine's clock with NTP (for example `timedatectl set-ntp true`, or enable automatic time in the OS settings)")
}

// HumanDuration writes d the way people do: "3m", "2m30s", "1h", "250ms".
func HumanDuration(d time.Duration) string {
	if d < 0 {
		return "-" + HumanDuration(-d)
	}
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
