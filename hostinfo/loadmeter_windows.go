package hostinfo

import (
	"unsafe"

	"github.com/bonfirenet/bonfire"
	"golang.org/x/sys/windows"
)

// NewLoadMeter returns a meter built on GetSystemTimes (machine) and
// GetProcessTimes (this process).
func NewLoadMeter() (LoadMeter, error) {
	if err := procGetSystemTimes.Find(); err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "idle mode is not supported on this Windows: %v", err).
			WithHint("run the provider without --idle-only")
	}
	m, err := newCounterMeter(windowsCounters)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// windowsCounters reads cumulative times in 100 ns units. GetSystemTimes
// sums over all processors and its kernel time includes idle time.
func windowsCounters() (cpuCounters, error) {
	var idle, kernel, user windows.Filetime
	ok, _, err := procGetSystemTimes.Call(
		uintptr(unsafe.Pointer(&idle)),
		uintptr(unsafe.Pointer(&kernel)),
		uintptr(unsafe.Pointer(&user)))
	if ok == 0 {
		return cpuCounters{}, bonfire.Errorf(bonfire.ECodeUnavailable, "GetSystemTimes failed: %v", err).
			WithHint("idle detection cannot read the machine's CPU times; run without --idle-only")
	}
	var created, exited, ownKernel, ownUser windows.Filetime
	if err := windows.GetProcessTimes(windows.CurrentProcess(), &created, &exited, &ownKernel, &ownUser); err != nil {
		return cpuCounters{}, bonfire.Errorf(bonfire.ECodeUnavailable, "GetProcessTimes failed: %v", err).
			WithHint("idle detection cannot read this process's CPU times; run without --idle-only")
	}
	return cpuCounters{
		total: ticks(kernel) + ticks(user),
		idle:  ticks(idle),
		own:   ticks(ownKernel) + ticks(ownUser),
	}, nil
}

// ticks reads a FILETIME holding a duration. Filetime.Nanoseconds is for
// dates (it subtracts the 1601 epoch), so it cannot be used here.
func ticks(ft windows.Filetime) uint64 {
	return uint64(ft.HighDateTime)<<32 | uint64(ft.LowDateTime)
}
