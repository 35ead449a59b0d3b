//go:build linux

package wasmexec

import "golang.org/x/sys/unix"

// threadCPUNanos reads the calling thread's CPU clock.
func threadCPUNanos() (int64, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0, false
	}
	return ts.Nano(), true
}
