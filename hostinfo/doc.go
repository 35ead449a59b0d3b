// Package hostinfo tells a provider what its machine is and whether the
// machine's owner is using it.
//
// Detect reports the hardware a provider registers with: OS, architecture,
// cores, physical memory and NVIDIA GPUs (through nvidia-smi, when it is
// installed). Memory is read without cgo on linux (/proc/meminfo), darwin
// (sysctl hw.memsize) and windows (GlobalMemoryStatusEx), so the provider
// binary cross-compiles with CGO_ENABLED=0.
//
// Idle mode works like BOINC's "suspend while the computer is in use": a
// LoadMeter measures how much of the machine processes other than the
// provider use, and an IdleWatcher turns those samples into a busy/idle state
// with hysteresis, so that a short spike does not hand back work and the
// provider resumes only after the owner has been quiet for a while. The
// provider's own CPU is excluded from the measurement; otherwise the tasks it
// runs would make the machine look busy and it would suspend itself.
//
// Idle mode is supported on linux and windows. On darwin the per-machine CPU
// counters are only reachable through Mach calls that pure Go cannot make, so
// NewLoadMeter returns an error there and the provider refuses --idle-only.
package hostinfo
