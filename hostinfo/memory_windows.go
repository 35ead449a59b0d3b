package hostinfo

import (
	"math"
	"unsafe"

	"github.com/bonfirenet/bonfire"
	"golang.org/x/sys/windows"
)

// x/sys/windows wraps neither GlobalMemoryStatusEx nor GetSystemTimes, so
// both are called through kernel32 directly (no cgo needed).
var (
	kernel32                 = windows.NewLazySystemDLL("kernel32.dll")
	procGlobalMemoryStatusEx = kernel32.NewProc("GlobalMemoryStatusEx")
	procGetSystemTimes       = kernel32.NewProc("GetSystemTimes")
)

// memoryStatusEx mirrors MEMORYSTATUSEX.
type memoryStatusEx struct {
	Length               uint32
	MemoryLoad           uint32
	TotalPhys            uint64
	AvailPhys            uint64
	TotalPageFile        uint64
	AvailPageFile        uint64
	TotalVirtual         uint64
	AvailVirtual         uint64
	AvailExtendedVirtual uint64
}

func totalMemory() (int64, error) {
	status := memoryStatusEx{}
	status.Length = uint32(unsafe.Sizeof(status))
	ok, _, err := procGlobalMemoryStatusEx.Call(uintptr(unsafe.Pointer(&status)))
	if ok == 0 {
		return 0, bonfire.Errorf(bonfire.ECodeUnavailable, "GlobalMemoryStatusEx failed: %v", err).
			WithField("memoryBytes").WithHint("this Windows version does not report its memory; please report it")
	}
	if status.TotalPhys > math.MaxInt64 {
		return 0, bonfire.Errorf(bonfire.ECodeInternal, "GlobalMemoryStatusEx reports an impossible %d bytes", status.TotalPhys).
			WithField("memoryBytes")
	}
	return int64(status.TotalPhys), nil
}
