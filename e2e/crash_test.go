package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/bonfirenet/bonfire/sqlite"
)

// upProcess is a running `bonfire up`.
type upProcess struct {
	t    *testing.T
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // how it exited, once done is closed
	log  *syncBuffer
	api  *httpapi.Client
}

// startUp runs `bonfire up` on home with two providers lending two cores
// each, and returns once the market's endpoints file is its own.
func startUp(t *testing.T, home localnet.Home) *upProcess {
	t.Helper()
	return startUpWith(t, home, "--providers", "2", "--provider-cpu", "2")
}

// startUpWith runs `bonfire up` on home with args.
func startUpWith(t *testing.T, home localnet.Home, args ...string) *upProcess {
	t.Helper()
	if bonfireBin == "" {
		t.Fatalf("the bonfire binary did not build: %v", bonfireBuildErr)
	}
	up := &upProcess{t: t, done: make(chan struct{}), log: &syncBuffer{}}
	up.cmd = exec.Command(bonfireBin, append([]string{"up", "--home", string(home),
		"--http", "127.0.0.1:0", "--nats-port=-1", "--chain-addr", "127.0.0.1:0", "--log-level", "info"}, args...)...)
	up.cmd.Env = append(os.Environ(), "BONFIRE_HOME="+string(home))
	up.cmd.Stdout, up.cmd.Stderr = up.log, up.log
	if err := up.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { up.err = up.cmd.Wait(); close(up.done) }()
	t.Cleanup(func() {
		up.kill()
		if t.Failed() {
			t.Logf("bonfire up (pid %d) output (tail):\n%s", up.cmd.Process.Pid, up.log.tail(16<<10))
		}
	})

	var ep *localnet.EndpointsInfo
	poll(t, time.Minute, "bonfire up to write its endpoints", func() (bool, string) {
		select {
		case <-up.done:
			t.Fatalf("bonfire up exited early: %v\n%s", up.err, up.log.tail(8<<10))
		default:
		}
		e, err := home.ReadEndpoints()
		if err != nil {
			return false, err.Error()
		}
		ep = e
		// A killed market leaves its file behind: wait for this one's.
		return e.PID == up.cmd.Process.Pid, "endpoints of pid " + strconv.Itoa(e.PID)
	})
	token, err := home.Token()
	if err != nil {
		t.Fatal(err)
	}
	if up.api, err = httpapi.NewClient(ep.API, httpapi.WithToken(token)); err != nil {
		t.Fatal(err)
	}
	return up
}

// kill ends the process with SIGKILL, as a crash or an OOM killer would.
func (up *upProcess) kill() {
	select {
	case <-up.done:
		return
	default:
	}
	_ = up.cmd.Process.Signal(syscall.SIGKILL)
	up.wait(time.Minute)
}

// stop asks the process to shut down cleanly and waits until it has.
func (up *upProcess) stop() {
	up.t.Helper()
	if err := up.cmd.Process.Signal(os.Interrupt); err != nil {
		up.t.Fatal(err)
	}
	if err := up.wait(time.Minute); err != nil {
		up.t.Fatalf("bonfire up did not stop cleanly: %v", err)
	}
}

func (up *upProcess) wait(within time.Duration) error {
	timer := time.NewTimer(within)
	defer timer.Stop()
	select {
	case <-up.done:
		return up.err
	case <-timer.C:
		_ = up.cmd.Process.Kill()
		<-up.done
		return bonfire.Errorf(bonfire.ECodeTimeout, "still running after %s; killed", within)
	}
}

// The market process is killed with SIGKILL while a job runs. Started again
// on the same home it finishes the job, and the durable state holds exactly
// one accepted result per task: nothing lost, nothing counted twice.
func TestMarketKilledMidJobFinishesAfterRestart(t *testing.T) {
	t.Parallel()
	home := localnet.Home(t.TempDir())
	if err := os.MkdirAll(string(home), 0o700); err != nil {
		t.Fatal(err)
	}
	linkCompileCache(t, string(home))
	const count = 30
	ctx := context.Background()

	first := startUp(t, home)
	mod, _, err := first.api.UploadReader(ctx, bytes.NewReader(taskprog))
	if err != nil {
		t.Fatal(err)
	}
	spec := sleepSpec("survives-a-crash", mod, count, 700*time.Millisecond)
	spec.Retries = 3 // the restarted providers' tasks come back as retries
	job, err := first.api.SubmitJob(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	var atKill bonfire.TaskCounts
	poll(t, time.Minute, "some but not all tasks to succeed", func() (bool, string) {
		j, err := first.api.Job(ctx, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if j.State.Terminal() {
			t.Fatalf("the job ended (%s) before the market could be killed", j.State)
		}
		atKill = j.Counts
		return j.Counts.Succeeded >= 4, countsString(j.Counts)
	})
	first.kill()
	t.Logf("killed the market with %s", countsString(atKill))

	second := startUp(t, home)
	done := waitJob(t, second.api, job.ID, 2*time.Minute)
	if done.State != bonfire.JobSucceeded || done.Counts.Succeeded != count {
		t.Fatalf("job ended %s %s: %s", done.State, countsString(done.Counts), done.Reason)
	}
	res, err := second.api.JobResults(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	accepted := map[string]*bonfire.TaskResult{}
	for _, o := range res.Tasks {
		if o.State != bonfire.TaskSucceeded || o.Result == nil || !o.Result.OK() {
			t.Fatalf("task %s: %s with result %+v, want succeeded", o.TaskID, o.State, o.Result)
		}
		accepted[o.TaskID] = o.Result
	}
	if len(accepted) != count {
		t.Fatalf("results list %d tasks, want %d", len(accepted), count)
	}
	second.stop()

	store, err := sqlite.Open(filepath.Join(home.MarketDir(), "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	all, err := store.Tasks(ctx, bonfire.TaskFilter{JobID: job.ID, Limit: 10 * count})
	if err != nil {
		t.Fatal(err)
	}
	// The market also stores the check runs that verified results; they
	// repeat the job's own tasks and end with them.
	var stored []*bonfire.Task
	for _, task := range all {
		if task.Checks == "" {
			stored = append(stored, task)
		} else if accepted[task.Checks] == nil || !task.State.Terminal() {
			t.Errorf("check run %s of %q is %s after the job ended", task.ID, task.Checks, task.State)
		}
	}
	if len(stored) != count {
		t.Fatalf("the store holds %d of the job's own tasks, want %d", len(stored), count)
	}
	interrupted := 0
	for _, task := range stored {
		if task.State != bonfire.TaskSucceeded || task.Result == nil || task.Result.Attempt != task.Attempt {
			t.Errorf("task %s: %s at attempt %d with result %+v; want succeeded with the last attempt's result", task.ID, task.State, task.Attempt, task.Result)
			continue
		}
		if task.Result.OutputDigest != accepted[task.ID].OutputDigest || task.Result.Signature != accepted[task.ID].Signature {
			t.Errorf("task %s: the store's accepted result differs from the API's", task.ID)
		}
		if task.Attempt > 1 {
			interrupted++
		}
		history, err := store.Results(ctx, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		attempts := map[int]bool{}
		succeeded := 0
		for _, r := range history {
			if attempts[r.Attempt] {
				t.Errorf("task %s: attempt %d has two results", task.ID, r.Attempt)
			}
			attempts[r.Attempt] = true
			if r.OK() {
				succeeded++
				if r.Attempt != task.Result.Attempt || r.Signature != task.Result.Signature {
					t.Errorf("task %s: a successful result of attempt %d besides the accepted one of attempt %d", task.ID, r.Attempt, task.Result.Attempt)
				}
			}
		}
		if succeeded != 1 {
			t.Errorf("task %s: %d successful results in the store, want exactly 1", task.ID, succeeded)
		}
	}
	// Tasks running when the market died were rerun, not lost.
	t.Logf("%d tasks were rerun after the restart", interrupted)
	if interrupted == 0 {
		t.Errorf("no task needed a second attempt: the kill did not interrupt any work")
	}
}
