package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/localnet"
)

// Each bad workload fails its task and its job with an error that names the
// cause, and the network goes on serving: the providers stay online and a
// normal job submitted afterwards succeeds.
func TestBadWorkloadsFailWithTheirCause(t *testing.T) {
	t.Parallel()
	n := startNet(t, localnet.Config{Providers: 2, ProviderLogBytes: 256 << 10, ProviderOutputBytes: 1 << 20})
	mod := n.upload(taskprog)
	notWASM := n.upload([]byte("this is a text file, not a WebAssembly module\n"))

	cases := []struct {
		name  string
		spec  *bonfire.JobSpec
		code  bonfire.ErrorCode
		field string
		msg   string // in the task's error message
	}{
		{"trap", taskSpec("trap", mod, "trap"), bonfire.ECodeTaskFailed, "", "trapped"},
		{"exit", taskSpec("exit", mod, "exit", "3"), bonfire.ECodeTaskFailed, "", "exited with code 3"},
		{"out-of-memory", taskSpec("alloc", mod, "alloc", "200"), bonfire.ECodeOutOfMemory, "resources.memoryBytes", "the limit is 64 MiB"},
		{"stdout-flood", taskSpec("flood-stdout", mod, "flood", "stdout", "3000000"), bonfire.ECodeQuota, "", "stdout exceeded 256 KiB"},
		{"output-flood", taskSpec("flood-outputs", mod, "write", "/out/big", "3000000"), bonfire.ECodeQuota, "", "outputs exceeded 1 MiB"},
		{"bad-module", taskSpec("bad-module", notWASM, "noop"), bonfire.ECodeBadModule, "module", "is not valid WebAssembly"},
	}
	jobs := make([]*bonfire.Job, len(cases))
	for i, c := range cases {
		jobs[i] = n.submit(c.spec)
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			job := waitJob(t, n.api, jobs[i].ID, time.Minute)
			task := tasks(t, n.api, job.ID)[0]
			if job.State != bonfire.JobFailed || task.State != bonfire.TaskFailed {
				t.Fatalf("job %s, task %s; want both failed", job.State, task.State)
			}
			e := task.Error
			if e == nil || e.Code != c.code || e.Field != c.field || !strings.Contains(e.Message, c.msg) || e.Hint == "" {
				t.Fatalf("task error %#v; want code %s, field %q, a message containing %q and a hint", e, c.code, c.field, c.msg)
			}
			// The job's reason names the task and repeats its cause.
			if !strings.Contains(job.Reason, task.ID) || !strings.Contains(job.Reason, c.msg) {
				t.Errorf("job reason %q does not name task %s and %q", job.Reason, task.ID, c.msg)
			}
			if task.Attempt != 1 || task.Retries != 0 {
				t.Errorf("task ran %d attempts with %d retries; the spec allows none", task.Attempt, task.Retries)
			}
			// The owner sees the same cause in the job's results.
			res, err := n.api.JobResults(context.Background(), job.ID)
			if err != nil {
				t.Fatal(err)
			}
			if o := res.Tasks[0]; o.State != bonfire.TaskFailed || o.Error == nil || o.Error.Code != c.code || o.Result != nil {
				t.Errorf("the job's results say %s, %v, accepted result %+v; want failed with %s and no accepted result", o.State, o.Error, o.Result, c.code)
			}
			// The failed attempt's signed result is kept as history.
			history, err := n.Store.Results(context.Background(), task.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(history) != 1 || history[0].Error == nil || history[0].Error.Code != c.code || history[0].Signature == "" {
				t.Errorf("the store holds results %+v, want one signed result failed with %s", history, c.code)
			}
		})
	}

	t.Run("the network still serves", func(t *testing.T) {
		for _, p := range n.Providers {
			n.waitProviderState(p.ID(), bonfire.ProviderOnline, 10*time.Second)
		}
		spec := taskSpec("after-the-bad-ones", mod, "write", "/out/ok", "100")
		spec.Count = 4
		job := waitJob(t, n.api, n.submit(spec).ID, time.Minute)
		if job.State != bonfire.JobSucceeded || job.Counts.Succeeded != 4 {
			t.Fatalf("normal job ended %s %s: %s", job.State, countsString(job.Counts), job.Reason)
		}
	})
}

// A spec naming a module that was never uploaded is refused at submission,
// with an error that names the field, and nothing is queued.
func TestUnknownModuleIsRefusedAtSubmit(t *testing.T) {
	t.Parallel()
	n := startNet(t, localnet.Config{Providers: 1})
	missing := bonfire.DigestOf([]byte("a module nobody uploaded"))
	_, err := n.api.SubmitJob(context.Background(), taskSpec("missing-module", missing, "noop"))
	if bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Fatalf("submit answered %v (code %s), want an invalid-spec error", err, bonfire.Code(err))
	}
	if !errorNamesField(err, "module", string(missing)) {
		t.Fatalf("error %v does not name field module and digest %s", err, missing)
	}
	jobs, err := n.api.Jobs(context.Background(), bonfire.JobFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 0 {
		t.Fatalf("a refused job was stored: %+v", jobs[0])
	}
}

// errorNamesField reports whether err (one error or a list) has a problem
// with field whose message contains msg.
func errorNamesField(err error, field, msg string) bool {
	var list bonfire.Errors
	switch e := err.(type) {
	case *bonfire.Error:
		list = bonfire.Errors{e}
	case bonfire.Errors:
		list = e
	}
	for _, e := range list {
		if e.Field == field && strings.Contains(e.Message, msg) && e.Hint != "" {
			return true
		}
	}
	return false
}

// A task that never ends is stopped at its timeout, retried as many times
// as the spec allows, and then failed; the job's reason names the task and
// the timeout, and the history shows every attempt.
func TestTimedOutTaskIsRetriedThenFailed(t *testing.T) {
	t.Parallel()
	n := startNet(t, localnet.Config{Providers: 2})
	spec := taskSpec("endless", n.upload(taskprog), "loop")
	spec.Timeout = bonfire.Duration(time.Second)
	spec.Retries = 2
	job := waitJob(t, n.api, n.submit(spec).ID, time.Minute)
	task := tasks(t, n.api, job.ID)[0]

	if job.State != bonfire.JobFailed || task.State != bonfire.TaskFailed {
		t.Fatalf("job %s, task %s; want both failed", job.State, task.State)
	}
	if task.Error == nil || task.Error.Code != bonfire.ECodeTimeout || !strings.Contains(task.Error.Message, "timed out after 1s") {
		t.Fatalf("task error %v, want a timeout after 1s", task.Error)
	}
	if !strings.Contains(job.Reason, task.ID) || !strings.Contains(job.Reason, "timed out") {
		t.Errorf("job reason %q does not name task %s and the timeout", job.Reason, task.ID)
	}
	if task.Attempt != 3 || task.Retries != 2 {
		t.Errorf("task ran %d attempts with %d retries, want 3 attempts and 2 retries", task.Attempt, task.Retries)
	}

	results, err := n.Store.Results(context.Background(), task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 3 {
		t.Fatalf("the store holds %d results for the task, want one per attempt (3)", len(results))
	}
	for i, r := range results {
		if r.Attempt != i+1 || r.Error == nil || r.Error.Code != bonfire.ECodeTimeout {
			t.Errorf("result %d: attempt %d, error %v; want attempt %d timed out", i, r.Attempt, r.Error, i+1)
		}
		// The provider, not the market's reaper, stopped the task.
		if r.Usage.WallNanos < int64(time.Second) {
			t.Errorf("attempt %d ran %s, less than its timeout", r.Attempt, time.Duration(r.Usage.WallNanos))
		}
	}
	evs := n.events(task.ID)
	if countEvents(evs, "attempt-failed") != 3 || countEvents(evs, "requeued") != 2 || countEvents(evs, "failed") != 1 {
		t.Errorf("history does not show 3 failed attempts, 2 requeues and the final failure:%s", eventsString(evs))
	}
}

// Tasks of one provider that write identical outputs at the same moment
// all succeed. Their uploads were once the same signed request (same key,
// URL and millisecond), and the market refused all but one as replays.
func TestConcurrentTasksWithIdenticalOutputsSucceed(t *testing.T) {
	t.Parallel()
	n := startNet(t, localnet.Config{Providers: 1, ProviderCPUMilli: 8000, ProviderMaxTasks: 8})
	spec := taskSpec("same-output", n.upload(taskprog), "write", "/out/same", "64")
	spec.Count = 24
	job := waitJob(t, n.api, n.submit(spec).ID, time.Minute)
	if job.State != bonfire.JobSucceeded {
		t.Fatalf("job ended %s %s: %s", job.State, countsString(job.Counts), job.Reason)
	}
	for _, task := range tasks(t, n.api, job.ID) {
		if task.Attempt != 1 {
			t.Errorf("task %s needed %d attempts", task.ID, task.Attempt)
		}
	}
}
