//go:build !linux

package wasmexec

// threadCPUNanos reports no per-thread CPU clock; usage falls back to wall
// time, which is an upper bound of a single-threaded guest's CPU time.
func threadCPUNanos() (int64, bool) { return 0, false }
