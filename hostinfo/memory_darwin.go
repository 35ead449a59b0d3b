package hostinfo

import (
	"math"

	"github.com/bonfirenet/bonfire"
	"golang.org/x/sys/unix"
)

func totalMemory() (int64, error) {
	n, err := unix.SysctlUint64("hw.memsize")
	if err != nil {
		return 0, bonfire.Errorf(bonfire.ECodeUnavailable, "sysctl hw.memsize failed: %v", err).
			WithField("memoryBytes").WithHint("run `sysctl hw.memsize` to check that the system reports its memory")
	}
	if n > math.MaxInt64 {
		return 0, bonfire.Errorf(bonfire.ECodeInternal, "sysctl hw.memsize reports an impossible %d bytes", n).
			WithField("memoryBytes")
	}
	return int64(n), nil
}
