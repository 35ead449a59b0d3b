package hostinfo

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// The parsers in this file read linux's /proc formats. They carry no build
// tag so that they are tested and fuzzed on every OS.

const procHint = "idle detection and memory detection need a readable /proc; " +
	"in a container, run without a restricted /proc or without --idle-only"

// procCounters reads this process's and the machine's CPU counters.
//
// Only this process's utime+stime is subtracted, not cutime/cstime of its
// children: tasks run in-process (wazero), so the provider's own work is
// all in utime+stime. The rare child the provider starts (nvidia-smi) is
// short-lived, and cutime only grows once a child is reaped, in one lump,
// which would make others' load look negative for one sample. Children are
// therefore counted as "others"; that errs towards suspending, which is the
// side the owner wants us to err on.
func procCounters(statPath, selfStatPath string) func() (cpuCounters, error) {
	return func() (cpuCounters, error) {
		stat, err := os.ReadFile(statPath)
		if err != nil {
			return cpuCounters{}, procReadError(statPath, err)
		}
		self, err := os.ReadFile(selfStatPath)
		if err != nil {
			return cpuCounters{}, procReadError(selfStatPath, err)
		}
		total, idle, err := parseProcStat(stat)
		if err != nil {
			return cpuCounters{}, err
		}
		own, err := parseProcSelfStat(self)
		if err != nil {
			return cpuCounters{}, err
		}
		return cpuCounters{total: total, idle: idle, own: own}, nil
	}
}

func procReadError(path string, err error) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeUnavailable, "cannot read %s: %v", path, err).WithHint(procHint)
}

// parseProcStat reads the aggregate "cpu" line of /proc/stat and returns the
// elapsed and the idle clock ticks summed over all cores.
//
// Elapsed is user+nice+system+idle+iowait+irq+softirq+steal; guest and
// guest_nice are left out because the kernel already counts them inside
// user and nice. Idle includes iowait: a core waiting for a disk runs
// nothing, so the owner is not using it.
func parseProcStat(stat []byte) (total, idle uint64, err error) {
	sc := bufio.NewScanner(bytes.NewReader(stat))
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || fields[0] != "cpu" {
			continue
		}
		counts := fields[1:]
		if len(counts) < 4 {
			return 0, 0, procFormatError("/proc/stat", "the cpu line has %d counters, want at least 4", len(counts))
		}
		counts = counts[:min(len(counts), 8)]
		var values [8]uint64
		for i, f := range counts {
			v, perr := strconv.ParseUint(f, 10, 64)
			if perr != nil {
				return 0, 0, procFormatError("/proc/stat", "cpu counter %d is %q, not a number", i+1, f)
			}
			if total+v < total {
				return 0, 0, procFormatError("/proc/stat", "cpu counters overflow when summed")
			}
			values[i] = v
			total += v
		}
		const idleCol, iowaitCol = 3, 4
		return total, values[idleCol] + values[iowaitCol], nil
	}
	return 0, 0, procFormatError("/proc/stat", "no aggregate cpu line")
}

// parseProcSelfStat returns utime+stime (clock ticks) from /proc/self/stat.
// The command name in parentheses may itself contain spaces and
// parentheses, so fields are counted from the last ')'.
func parseProcSelfStat(stat []byte) (uint64, error) {
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return 0, procFormatError("/proc/self/stat", "no ')' closing the command name")
	}
	// After ')': state is field 3 of proc(5), so utime (14) and stime (15)
	// are at offsets 11 and 12.
	fields := strings.Fields(string(stat[end+1:]))
	const utimeAt, stimeAt = 11, 12
	if len(fields) <= stimeAt {
		return 0, procFormatError("/proc/self/stat", "only %d fields after the command name, want at least %d", len(fields), stimeAt+1)
	}
	utime, err1 := strconv.ParseUint(fields[utimeAt], 10, 64)
	stime, err2 := strconv.ParseUint(fields[stimeAt], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, procFormatError("/proc/self/stat", "utime %q or stime %q is not a number", fields[utimeAt], fields[stimeAt])
	}
	if utime+stime < utime {
		return 0, procFormatError("/proc/self/stat", "utime %d + stime %d overflows", utime, stime)
	}
	return utime + stime, nil
}

// parseMemInfo returns MemTotal from /proc/meminfo in bytes.
func parseMemInfo(meminfo []byte) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(meminfo))
	for sc.Scan() {
		rest, found := strings.CutPrefix(sc.Text(), "MemTotal:")
		if !found {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, procFormatError("/proc/meminfo", "MemTotal is %q, want \"<number> kB\"", strings.TrimSpace(rest))
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil || kb <= 0 || kb > (1<<63-1)/1024 {
			return 0, procFormatError("/proc/meminfo", "MemTotal %q is not a plausible number of kB", fields[0])
		}
		return kb * 1024, nil
	}
	return 0, procFormatError("/proc/meminfo", "no MemTotal line")
}

func procFormatError(path, format string, args ...any) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeInternal, format, args...).WithField(path).
		WithHint("this kernel's " + path + " format is not understood; report it together with the file's contents")
}
