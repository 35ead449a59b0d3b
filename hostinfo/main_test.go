package hostinfo

import (
	"io"
	"os"
	"testing"
	"time"
)

// burnEnv makes the test binary, re-executed by an integration test, spin
// one core instead of running tests: it is "some other program" whose load
// the meter must see.
const burnEnv = "HOSTINFO_TEST_BURN_CPU"

// TestMain intercepts the re-executed binary before any test runs. A
// TestHelper function selected with -test.run would do the same, but would
// have to pass or skip silently in every normal run.
func TestMain(m *testing.M) {
	if os.Getenv(burnEnv) == "1" {
		burnUntilParentGoes()
		return
	}
	os.Exit(m.Run())
}

// burnUntilParentGoes spins until stdin closes, which happens when the
// parent test closes the pipe or dies, so a crashed test run never leaves a
// spinning orphan behind. The time limit is a second line of defence.
func burnUntilParentGoes() {
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	for start := time.Now(); time.Since(start) < 2*time.Minute; {
	}
}
