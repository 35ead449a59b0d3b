package hostinfo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

const sampleProcStat = `cpu  4705 356 584 3699176 23060 0 277 0 100 50
cpu0 1393 280 290 1846591 16124 0 264 0 0 0
cpu1 3312 76 294 1852585 6936 0 13 0 0 0
intr 114930548 113199788 3 0 5 263 0 4 [...]
ctxt 1990473
btime 1062191376
processes 2915
procs_running 1
procs_blocked 0
`

func TestParseProcStat(t *testing.T) {
	t.Parallel()
	total, idle, err := parseProcStat([]byte(sampleProcStat))
	if err != nil {
		t.Fatalf("parseProcStat: %v", err)
	}
	// guest (100) and guest_nice (50) are inside user and nice already.
	if wantTotal := uint64(4705 + 356 + 584 + 3699176 + 23060 + 0 + 277 + 0); total != wantTotal {
		t.Errorf("total = %d, want %d", total, wantTotal)
	}
	if wantIdle := uint64(3699176 + 23060); idle != wantIdle {
		t.Errorf("idle = %d, want idle+iowait %d", idle, wantIdle)
	}

	// Kernels before 2.5.41 print only user, nice, system and idle.
	total, idle, err = parseProcStat([]byte("cpu 1 2 3 4\n"))
	if err != nil || total != 10 || idle != 4 {
		t.Errorf("four counters: got %d, %d, %v; want 10, 4, nil", total, idle, err)
	}
}

func TestParseProcStatRejectsGarbage(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"empty":          "",
		"per-core only":  "cpu0 1 2 3 4\n",
		"too short":      "cpu 1 2 3\n",
		"not numbers":    "cpu a b c d\n",
		"negative":       "cpu 1 2 -3 4\n",
		"overflowing":    "cpu 18446744073709551615 1 0 0\n",
		"number too big": "cpu 99999999999999999999 1 0 0\n",
	} {
		_, _, err := parseProcStat([]byte(in))
		var e *bonfire.Error
		if !errors.As(err, &e) || e.Field != "/proc/stat" {
			t.Errorf("%s: error = %v, want a *bonfire.Error for /proc/stat", name, err)
		}
	}
}

func TestParseProcSelfStat(t *testing.T) {
	t.Parallel()
	// A command name may contain spaces and parentheses; only the last ')'
	// ends it. utime is 1234 and stime 56.
	in := "4242 (my (evil) prog) 3) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 56 7 8 20 0 12 0 100 0 0\n"
	own, err := parseProcSelfStat([]byte(in))
	if err != nil || own != 1234+56 {
		t.Errorf("parseProcSelfStat = %d, %v; want %d", own, err, 1234+56)
	}
	for name, bad := range map[string]string{
		"no parenthesis": "4242 prog S 1 2 3",
		"truncated":      "4242 (prog) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234",
		"not numbers":    "4242 (prog) S 1 4242 4242 0 -1 4194560 1000 0 0 0 x y 7",
		"overflowing":    "4242 (prog) S 1 4242 4242 0 -1 4194560 1000 0 0 0 18446744073709551615 1 7",
	} {
		if _, err := parseProcSelfStat([]byte(bad)); bonfire.Code(err) != bonfire.ECodeInternal || !strings.Contains(err.Error(), "/proc/self/stat") {
			t.Errorf("%s: error = %v, want an internal error naming /proc/self/stat", name, err)
		}
	}
}

func TestParseMemInfo(t *testing.T) {
	t.Parallel()
	got, err := parseMemInfo([]byte("MemTotal:       16318480 kB\nMemFree:         1234 kB\n"))
	if err != nil || got != 16318480*1024 {
		t.Errorf("parseMemInfo = %d, %v; want %d", got, err, 16318480*1024)
	}
	for name, bad := range map[string]string{
		"missing":  "MemFree: 1 kB\n",
		"no unit":  "MemTotal: 1024\n",
		"in MB":    "MemTotal: 1024 MB\n",
		"zero":     "MemTotal: 0 kB\n",
		"huge":     "MemTotal: 9223372036854775807 kB\n",
		"not a nr": "MemTotal: lots kB\n",
	} {
		_, err := parseMemInfo([]byte(bad))
		var e *bonfire.Error
		if !errors.As(err, &e) || e.Field != "/proc/meminfo" {
			t.Errorf("%s: error = %v, want a *bonfire.Error for /proc/meminfo", name, err)
		}
	}
}

func TestOthersLoad(t *testing.T) {
	t.Parallel()
	base := cpuCounters{total: 1000, idle: 500, own: 100}
	tests := []struct {
		name   string
		cur    cpuCounters
		want   float64
		wantOK bool
	}{
		{"all idle", cpuCounters{total: 1200, idle: 700, own: 100}, 0, true},
		{"others on half", cpuCounters{total: 1200, idle: 600, own: 100}, 0.5, true},
		{"own work is not others'", cpuCounters{total: 1200, idle: 600, own: 200}, 0, true},
		{"both", cpuCounters{total: 1200, idle: 500, own: 150}, 0.75, true},
		{"own ahead of busy clamps at 0", cpuCounters{total: 1200, idle: 690, own: 120}, 0, true},
		{"idle stepping back clamps at 1", cpuCounters{total: 1200, idle: 490, own: 100}, 1, true},
		{"no time passed", base, 0, false},
	}
	for _, tt := range tests {
		got, ok := othersLoad(base, tt.cur)
		if ok != tt.wantOK || got != tt.want {
			t.Errorf("%s: othersLoad = %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}

// scriptedCounters returns each reading in turn.
func scriptedCounters(t *testing.T, readings ...any) func() (cpuCounters, error) {
	return func() (cpuCounters, error) {
		if len(readings) == 0 {
			t.Error("read more counters than scripted")
			return cpuCounters{}, errors.New("script exhausted")
		}
		r := readings[0]
		readings = readings[1:]
		if err, ok := r.(error); ok {
			return cpuCounters{}, err
		}
		return r.(cpuCounters), nil
	}
}

func TestCounterMeter(t *testing.T) {
	t.Parallel()
	broken := bonfire.Errorf(bonfire.ECodeUnavailable, "cannot read")
	m, err := newCounterMeter(scriptedCounters(t,
		cpuCounters{total: 100, idle: 100},
		cpuCounters{total: 300, idle: 200}, // others 0.5 since construction
		cpuCounters{total: 300, idle: 200}, // no time passed: repeat 0.5
		broken,                             // error: reported, baseline kept
		cpuCounters{total: 500, idle: 350}, // since total 300: 50 busy of 200
	))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		load float64
		err  error
	}{{0.5, nil}, {0.5, nil}, {0, broken}, {0.25, nil}} {
		load, err := m.OthersLoad()
		if load != want.load || !errors.Is(err, want.err) {
			t.Errorf("reading %d = %v, %v; want %v, %v", i, load, err, want.load, want.err)
		}
	}
}

func TestNewCounterMeterReportsFirstReadError(t *testing.T) {
	t.Parallel()
	broken := bonfire.Errorf(bonfire.ECodeUnavailable, "cannot read")
	if _, err := newCounterMeter(scriptedCounters(t, broken)); !errors.Is(err, broken) {
		t.Errorf("newCounterMeter error = %v, want %v", err, broken)
	}
}

func TestProcCountersReadsFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stat := filepath.Join(dir, "stat")
	self := filepath.Join(dir, "self-stat")
	if err := os.WriteFile(stat, []byte(sampleProcStat), 0o644); err != nil {
		t.Fatal(err)
	}
	read := procCounters(stat, self)
	if _, err := read(); bonfire.Code(err) != bonfire.ECodeUnavailable || !strings.Contains(err.Error(), self) {
		t.Errorf("missing self stat: error = %v, want unavailable naming %s", err, self)
	}
	if err := os.WriteFile(self, []byte("1 (x) R 0 1 1 0 -1 0 0 0 0 0 70 30 0 0 20 0 1 0 1 0 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := read()
	want := cpuCounters{total: 3728158, idle: 3722236, own: 100}
	if err != nil || got != want {
		t.Errorf("read = %+v, %v; want %+v", got, err, want)
	}
}

func FuzzParseProcStat(f *testing.F) {
	f.Add([]byte(sampleProcStat))
	f.Add([]byte("cpu 1 2 3 4\n"))
	f.Add([]byte("cpu 18446744073709551615 0 0 0 0 0 0 0\n"))
	f.Add([]byte("cpu\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		total, idle, err := parseProcStat(in)
		if err != nil {
			var e *bonfire.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *bonfire.Error", err)
			}
			return
		}
		if idle > total {
			t.Fatalf("idle %d > total %d for %q", idle, total, in)
		}
	})
}

func FuzzParseProcSelfStat(f *testing.F) {
	f.Add([]byte("4242 (my (evil) prog) 3) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 56 7 8 20 0 12 0 100 0 0\n"))
	f.Add([]byte("1 () R"))
	f.Add([]byte(")"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if _, err := parseProcSelfStat(in); err != nil {
			var e *bonfire.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *bonfire.Error", err)
			}
		}
	})
}

func FuzzParseMemInfo(f *testing.F) {
	f.Add([]byte("MemTotal:       16318480 kB\n"))
	f.Add([]byte("MemTotal: 9007199254740991 kB\n"))
	f.Add([]byte("MemTotal:\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		mem, err := parseMemInfo(in)
		if err != nil {
			var e *bonfire.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not a *bonfire.Error", err)
			}
			return
		}
		if mem <= 0 || mem%1024 != 0 {
			t.Fatalf("MemTotal %d bytes from %q", mem, in)
		}
	})
}
