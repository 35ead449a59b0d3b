package hostinfo

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The tests in this file measure the real machine, so they do not run in
// parallel with each other or with the package's other tests (Go runs
// parallel tests only after the sequential ones): a burning neighbour
// would blur exactly what they measure.

func TestLoadMeterSeesOtherProcesses(t *testing.T) {
	meter, err := NewLoadMeter()
	if err != nil {
		t.Fatalf("NewLoadMeter: %v", err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	burner := exec.Command(self)
	burner.Env = append(os.Environ(), burnEnv+"=1")
	stdin, err := burner.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := burner.Start(); err != nil {
		t.Fatalf("starting the CPU burner: %v", err)
	}
	stopBurner := sync.OnceFunc(func() {
		_ = stdin.Close()
		_ = burner.Process.Kill()
		_ = burner.Wait()
	})
	t.Cleanup(stopBurner)

	// One busy core of NumCPU is 1/NumCPU of the machine; want most of it
	// (0.3 of 0.5 on a two-core machine).
	want := min(0.3, 0.6/float64(runtime.NumCPU()))
	poll := time.NewTicker(200 * time.Millisecond)
	defer poll.Stop()
	deadline := time.After(10 * time.Second)
	highest := 0.0
	for highest < want {
		select {
		case <-deadline:
			t.Fatalf("others' load peaked at %.3f in 10 s with a process spinning a core, want ≥ %.3f", highest, want)
		case <-poll.C:
			load, err := meter.OthersLoad()
			if err != nil {
				t.Fatalf("OthersLoad: %v", err)
			}
			if load < 0 || load > 1 {
				t.Fatalf("OthersLoad = %v, outside 0..1", load)
			}
			highest = max(highest, load)
		}
	}
	t.Logf("others' load reached %.3f", highest)
	stopBurner()
	// A burner that crashed (exit code 2 from a panic, say) did not burn;
	// one that spun ends by the closed stdin (exit 0) or the kill.
	state := burner.ProcessState
	killed := !state.Exited() && state.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL
	if !killed && state.ExitCode() != 0 {
		t.Errorf("burner ended as %v, want it spinning until the test stopped it", state)
	}
}

// TestLoadMeterExcludesOwnCPU burns CPU inside this process and checks that
// the meter leaves it out. Other programs may load the machine at the same
// time, so rather than expecting a low absolute number it compares the
// meter with a meter that counts everything busy over the same window: the
// difference must be this process's CPU, measured independently with
// getrusage.
func TestLoadMeterExcludesOwnCPU(t *testing.T) {
	meter, err := NewLoadMeter()
	if err != nil {
		t.Fatalf("NewLoadMeter: %v", err)
	}
	readAll := procCounters("/proc/stat", "/proc/self/stat")
	everything, err := newCounterMeter(func() (cpuCounters, error) {
		c, err := readAll()
		c.own = 0
		return c, err
	})
	if err != nil {
		t.Fatal(err)
	}
	cpuStart, wallStart := ownCPU(t), time.Now()

	var stop atomic.Bool
	var burners sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		burners.Go(func() {
			for !stop.Load() {
			}
		})
	}
	stopBurning := sync.OnceFunc(func() { stop.Store(true); burners.Wait() })
	t.Cleanup(stopBurning)

	// Wait until the burners have had 3 CPU-seconds, or 8 s on a crowded
	// machine: either way hundreds of clock ticks, so tick rounding stays
	// well inside the tolerance below.
	poll := time.NewTicker(100 * time.Millisecond)
	defer poll.Stop()
	deadline := time.After(8 * time.Second)
wait:
	for ownCPU(t)-cpuStart < 3*time.Second {
		select {
		case <-deadline:
			break wait
		case <-poll.C:
		}
	}
	others, err := meter.OthersLoad()
	if err != nil {
		t.Fatalf("OthersLoad: %v", err)
	}
	busy, err := everything.OthersLoad()
	if err != nil {
		t.Fatal(err)
	}
	cpuUsed, wall := ownCPU(t)-cpuStart, time.Since(wallStart)
	stopBurning()

	ownShare := cpuUsed.Seconds() / (wall.Seconds() * float64(onlineCPUs(t)))
	t.Logf("own %.3f, everything busy %.3f, others %.3f over %v", ownShare, busy, others, wall)
	// A meter that did not subtract this process would leave out about 0,
	// so the own share must clearly exceed the tolerance to tell.
	const tolerance = 0.03
	if ownShare < 2*tolerance {
		t.Fatalf("this process got only %.3f of the machine in %v; too little to tell whether it is excluded", ownShare, wall)
	}
	if excluded := busy - others; excluded < ownShare-tolerance || excluded > ownShare+tolerance {
		t.Errorf("the meter left out %.3f of the machine, but this process used %.3f", excluded, ownShare)
	}
}

func ownCPU(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// onlineCPUs counts the per-core lines of /proc/stat: the cores whose time
// the machine-wide counters sum, which can exceed runtime.NumCPU when this
// process's affinity is restricted.
func onlineCPUs(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		t.Fatal(err)
	}
	perCore := regexp.MustCompile(`^cpu[0-9]+ `)
	n := 0
	for sc := bufio.NewScanner(bytes.NewReader(b)); sc.Scan(); {
		if perCore.MatchString(sc.Text()) {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no per-core lines in /proc/stat")
	}
	return n
}
