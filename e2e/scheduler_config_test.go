package e2e

import (
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/bonfirenet/bonfire/scheduler"
)

// Setting one scheduler knob leaves the others at their defaults. A zero
// AssignTimeout would make the reaper take back every task that its
// provider has not yet reported started ("did not start the task within
// 0s"), failing healthy tasks; a zero TimeoutGrace would race the
// provider's own timeout.
func TestSchedulerSettingsLeftZeroKeepTheirDefaults(t *testing.T) {
	t.Parallel()
	// Frequent reaping catches tasks in the moment between their
	// assignment and their provider's started notice.
	n := startNet(t, localnet.Config{Providers: 2, ReapInterval: 5 * time.Millisecond,
		Scheduler: scheduler.Config{HeartbeatTimeout: 10 * time.Second}})
	job := waitJob(t, n.api, n.submit(sleepSpec("healthy", n.upload(taskprog), 40, 50*time.Millisecond)).ID, time.Minute)
	if job.State != bonfire.JobSucceeded {
		t.Fatalf("healthy job ended %s: %s", job.State, job.Reason)
	}
}
