//go:build !linux && !windows

package hostinfo

import (
	"runtime"

	"github.com/bonfirenet/bonfire"
)

// NewLoadMeter fails on this OS. On darwin the machine-wide CPU counters
// come from the Mach call host_statistics, which needs cgo; the provider is
// built with CGO_ENABLED=0 for easy cross-compilation, and guessing from
// `ps` output would measure a decaying average rather than recent load.
func NewLoadMeter() (LoadMeter, error) {
	return nil, bonfire.Errorf(bonfire.ECodeInvalid,
		"idle mode is not supported on %s: this build cannot measure other programs' CPU use", runtime.GOOS).
		WithField("idle-only").
		WithHint("run the provider without --idle-only and lend a fixed share of the machine instead")
}
