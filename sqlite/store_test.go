package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func TestRoundTripEveryType(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()

	j := job("j1", "0xOwner", bonfire.JobRunning, 2)
	j.FinishedAt = epoch.Add(time.Hour)
	tasks := tasksOf("j1", 2, bonfire.TaskRunning)
	tasks[1].Provider = "0xProv"
	tasks[1].Attempt = 2
	tasks[1].Error = bonfire.Errorf(bonfire.ECodeProviderLost, "gone").WithHint("retry")
	tasks[1].Result = result("j1.1", 2, 0)
	res := result("j1.1", 1, 3)
	res.Error = bonfire.Errorf(bonfire.ECodeTaskFailed, "exit 3")
	ev := &bonfire.TaskEvent{TaskID: "j1.1", Attempt: 1, At: epoch, Kind: "assigned", Provider: "0xProv", Detail: "first"}
	logc := &bonfire.LogChunk{TaskID: "j1.1", Attempt: 1, Stream: "stdout", Seq: 0, Data: "hello\n"}
	prov := &bonfire.Provider{
		Info: bonfire.ProviderInfo{ID: "0xProv", Name: "box", Version: "1", Executors: []string{"wasm"},
			Hardware: bonfire.Hardware{OS: "linux", Arch: "amd64", CPUCores: 8, MemoryBytes: 1 << 34,
				GPUs: []bonfire.GPU{{Vendor: "nvidia", Model: "A100", MemoryBytes: 1 << 35}}},
			Lend: bonfire.Capacity{CPUMilli: 4000, MemoryBytes: 1 << 32, GPUs: 1}, PricePerCPUSecond: 3, IdleMode: true},
		State: bonfire.ProviderOnline, RegisteredAt: epoch, LastHeartbeat: epoch.Add(time.Second), Running: 1, TasksDone: 9, TasksFailed: 1,
	}
	commit(t, s, &bonfire.Batch{Jobs: []*bonfire.Job{j}, Tasks: tasks, Results: []*bonfire.TaskResult{res},
		Events: []*bonfire.TaskEvent{ev}, Logs: []*bonfire.LogChunk{logc}, Providers: []*bonfire.Provider{prov}})

	gotJob, err := s.Job(ctx, "j1")
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "job", gotJob, j)
	gotTasks, err := s.Tasks(ctx, bonfire.TaskFilter{JobID: "j1"})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "tasks", gotTasks, tasks)
	gotResults, err := s.Results(ctx, "j1.1")
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "results", gotResults, []*bonfire.TaskResult{res})
	gotEvents, err := s.Events(ctx, "j1.1")
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "events", gotEvents, []*bonfire.TaskEvent{ev})
	gotLogs, err := s.Logs(ctx, "j1.1", 1)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "logs", gotLogs, []*bonfire.LogChunk{logc})
	gotProviders, err := s.Providers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "providers", gotProviders, []*bonfire.Provider{prov})
}

func TestUpsertReplacesWholeRow(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	j := job("j1", "0xA", bonfire.JobQueued, 1)
	tk := tasksOf("j1", 1, bonfire.TaskQueued)
	commit(t, s, &bonfire.Batch{Jobs: []*bonfire.Job{j}, Tasks: tk})

	j2 := *j
	j2.State, j2.Reason = bonfire.JobFailed, "all tasks failed"
	t2 := *tk[0]
	t2.State, t2.Attempt, t2.Provider = bonfire.TaskFailed, 3, "0xP"
	commit(t, s, &bonfire.Batch{Jobs: []*bonfire.Job{&j2}, Tasks: []*bonfire.Task{&t2}})

	got, err := s.Job(ctx, "j1")
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "job", got, &j2)
	failed, err := s.Tasks(ctx, bonfire.TaskFilter{JobID: "j1", States: []bonfire.TaskState{bonfire.TaskFailed}})
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "tasks", failed, []*bonfire.Task{&t2})
	queued, err := s.Tasks(ctx, bonfire.TaskFilter{JobID: "j1", States: []bonfire.TaskState{bonfire.TaskQueued}})
	if err != nil {
		t.Fatal(err)
	}
	if len(queued) != 0 {
		t.Errorf("the state column was not updated: %d tasks still listed as queued", len(queued))
	}
}

func TestResultsAndLogsAreRecordedOnce(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	commit(t, s, &bonfire.Batch{Jobs: []*bonfire.Job{job("j1", "0xA", bonfire.JobRunning, 1)}, Tasks: tasksOf("j1", 1, bonfire.TaskRunning)})

	first := result("j1.0", 1, 0)
	again := result("j1.0", 1, 0)
	again.Signature = "0x02" // a redelivery must not overwrite what was accepted
	chunk := &bonfire.LogChunk{TaskID: "j1.0", Attempt: 1, Stream: "stdout", Seq: 0, Data: "once"}
	commit(t, s, &bonfire.Batch{Results: []*bonfire.TaskResult{first}, Logs: []*bonfire.LogChunk{chunk}})
	commit(t, s, &bonfire.Batch{Results: []*bonfire.TaskResult{again, result("j1.0", 2, 1)}, Logs: []*bonfire.LogChunk{chunk, chunk}})

	rs, err := s.Results(ctx, "j1.0")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Attempt != 1 || rs[1].Attempt != 2 {
		t.Fatalf("results = %+v, want attempts 1 and 2 once each", rs)
	}
	if rs[0].Signature != "0x01" {
		t.Errorf("a duplicate result replaced the first: signature %q", rs[0].Signature)
	}
	logs, err := s.Logs(ctx, "j1.0", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(logs) != 1 {
		t.Errorf("a log chunk sent three times is stored %d times", len(logs))
	}
}

func TestFailedBatchWritesNothing(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()

	// Valid job and events first, then a task of a job that does not exist:
	// the foreign key refuses it after the earlier statements already ran.
	tasks := tasksOf("j1", 3, bonfire.TaskQueued)
	orphan := tasksOf("nope", 1, bonfire.TaskQueued)[0]
	b := &bonfire.Batch{
		Jobs:      []*bonfire.Job{job("j1", "0xA", bonfire.JobQueued, 3)},
		Providers: []*bonfire.Provider{{Info: bonfire.ProviderInfo{ID: "0xP"}}},
		Tasks:     append(tasks, orphan),
		Results:   []*bonfire.TaskResult{result("j1.0", 1, 0)},
		Events:    []*bonfire.TaskEvent{{TaskID: "j1.0", Kind: "queued"}},
		Logs:      []*bonfire.LogChunk{{TaskID: "j1.0", Attempt: 1, Stream: "stdout"}},
	}
	err := s.Commit(ctx, b)
	if bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Fatalf("Commit = %v, want an invalid error", err)
	}
	if be := err.(*bonfire.Error); be.Field != "tasks[3].jobId" || !strings.Contains(be.Message, `"nope"`) {
		t.Errorf("error %+v should name tasks[3].jobId and the missing job", be)
	}

	if _, err := s.Job(ctx, "j1"); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("job of the failed batch: err = %v, want not found", err)
	}
	ts, _ := s.Tasks(ctx, bonfire.TaskFilter{})
	ps, _ := s.Providers(ctx)
	rs, _ := s.Results(ctx, "j1.0")
	es, _ := s.Events(ctx, "j1.0")
	ls, _ := s.Logs(ctx, "j1.0", 0)
	if n := len(ts) + len(ps) + len(rs) + len(es) + len(ls); n != 0 {
		t.Errorf("a failed batch left %d rows behind", n)
	}

	// The store is still usable afterwards.
	commit(t, s, &bonfire.Batch{Jobs: b.Jobs, Tasks: tasks})
	if ts, _ := s.Tasks(ctx, bonfire.TaskFilter{JobID: "j1"}); len(ts) != 3 {
		t.Errorf("after a failed batch a good one wrote %d tasks, want 3", len(ts))
	}
}

func TestInvalidBatchIsRefusedWhole(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	err := s.Commit(context.Background(), &bonfire.Batch{
		Jobs:  []*bonfire.Job{job("j1", "0xA", bonfire.JobQueued, 1), {}},
		Tasks: []*bonfire.Task{nil},
	})
	var es bonfire.Errors
	if !asErrors(err, &es) || len(es) != 2 || es[0].Field != "jobs[1].id" || es[1].Field != "tasks[0]" {
		t.Fatalf("Commit = %#v, want two field errors", err)
	}
	if _, err := s.Job(context.Background(), "j1"); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("the valid job of a refused batch was written: %v", err)
	}
}

func asErrors(err error, es *bonfire.Errors) bool {
	v, ok := err.(bonfire.Errors)
	*es = v
	return ok
}

func TestJobNotFound(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	_, err := s.Job(context.Background(), "missing")
	be, ok := err.(*bonfire.Error)
	if !ok || be.Code != bonfire.ECodeNotFound || be.Hint == "" || !strings.Contains(be.Message, "missing") {
		t.Fatalf("Job(missing) = %#v, want not found naming the ID with a hint", err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	commit(t, s, &bonfire.Batch{Jobs: []*bonfire.Job{job("j1", "0xA", bonfire.JobQueued, 5)}, Tasks: tasksOf("j1", 5, bonfire.TaskQueued)})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Job(context.Background(), "j1"); bonfire.Code(err) != bonfire.ECodeUnavailable {
		t.Errorf("Job after Close = %v, want unavailable", err)
	}
	if err := s.Commit(context.Background(), &bonfire.Batch{Jobs: []*bonfire.Job{job("j2", "0xA", bonfire.JobQueued, 0)}}); bonfire.Code(err) != bonfire.ECodeUnavailable {
		t.Errorf("Commit after Close = %v, want unavailable", err)
	}

	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.Job(context.Background(), "j1")
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "job", got, job("j1", "0xA", bonfire.JobQueued, 5))
	ts, err := s2.Tasks(context.Background(), bonfire.TaskFilter{JobID: "j1"})
	if err != nil || len(ts) != 5 {
		t.Fatalf("tasks after reopen: %d, %v", len(ts), err)
	}
	var version int
	if err := s2.reader.QueryRow(`SELECT version FROM schema_version`).Scan(&version); err != nil || version != len(migrations) {
		t.Errorf("schema version = %d (%v), want %d", version, err, len(migrations))
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	if _, err := s.writer.Exec(`UPDATE schema_version SET version = 999`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(path)
	if bonfire.Code(err) != bonfire.ECodeInternal || !strings.Contains(err.Error(), "999") {
		t.Fatalf("Open of a newer schema = %v, want an error naming version 999", err)
	}
}

func TestOpenBadPaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not sqlite ", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, wantInMessage, wantInHint string
	}{
		{"corrupt file", garbage, "not a database", "damaged"},
		{"parent is a file", filepath.Join(notDir, "x.db"), notDir, "directory"},
		{"directory", dir, "is a directory", "market.db"},
		{"empty", "", "empty", "file path"},
		{"question mark", filepath.Join(dir, "a?b.db"), "'?'", "without"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Open(c.path)
			be, ok := err.(*bonfire.Error)
			if !ok {
				t.Fatalf("Open(%q) = %#v, want a *bonfire.Error", c.path, err)
			}
			if !strings.Contains(be.Message, c.wantInMessage) || !strings.Contains(be.Hint, c.wantInHint) || be.Field != "db" {
				t.Errorf("Open(%q) = %q (hint %q, field %q); want message with %q and hint with %q",
					c.path, be.Message, be.Hint, be.Field, c.wantInMessage, c.wantInHint)
			}
		})
	}
}

func TestJobsFilterAndPaging(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	var jobs []*bonfire.Job
	for i, owner := range []bonfire.Address{"0xAA", "0xbb", "0xAA", "0xaa", "0xBB"} {
		state := bonfire.JobQueued
		if i%2 == 1 {
			state = bonfire.JobSucceeded
		}
		// IDs sort in submission order, but rows are written out of order.
		jobs = append([]*bonfire.Job{job(string(rune('a'+i))+"-job", owner, state, 0)}, jobs...)
	}
	commit(t, s, &bonfire.Batch{Jobs: jobs})

	list := func(f bonfire.JobFilter) []string {
		t.Helper()
		js, err := s.Jobs(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return ids(js, jobID)
	}
	for _, c := range []struct {
		name string
		f    bonfire.JobFilter
		want []string
	}{
		{"all", bonfire.JobFilter{}, []string{"a-job", "b-job", "c-job", "d-job", "e-job"}},
		{"owner any case", bonfire.JobFilter{Owner: "0XaA"}, []string{"a-job", "c-job", "d-job"}},
		{"state", bonfire.JobFilter{States: []bonfire.JobState{bonfire.JobSucceeded}}, []string{"b-job", "d-job"}},
		{"two states", bonfire.JobFilter{States: []bonfire.JobState{bonfire.JobSucceeded, bonfire.JobQueued}}, []string{"a-job", "b-job", "c-job", "d-job", "e-job"}},
		{"owner and state", bonfire.JobFilter{Owner: "0xbb", States: []bonfire.JobState{bonfire.JobQueued}}, []string{"e-job"}},
		{"page 1", bonfire.JobFilter{Limit: 2}, []string{"a-job", "b-job"}},
		{"page 2", bonfire.JobFilter{Limit: 2, After: "b-job"}, []string{"c-job", "d-job"}},
		{"last page", bonfire.JobFilter{Limit: 2, After: "d-job"}, []string{"e-job"}},
		{"past the end", bonfire.JobFilter{After: "e-job"}, []string{}},
	} {
		if got := list(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	if _, err := s.Jobs(ctx, bonfire.JobFilter{Limit: -1}); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Errorf("negative limit: err = %v, want invalid", err)
	}
}

func TestTasksFilterAndPaging(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	const n = 250
	tasks := tasksOf("j1", n, bonfire.TaskQueued)
	for i := 0; i < n; i += 3 {
		tasks[i].State = bonfire.TaskRunning
	}
	slices.Reverse(tasks) // insertion order must not leak into listing order
	commit(t, s, &bonfire.Batch{
		Jobs:  []*bonfire.Job{job("j1", "0xA", bonfire.JobRunning, n), job("j2", "0xA", bonfire.JobQueued, 2)},
		Tasks: append(tasks, tasksOf("j2", 2, bonfire.TaskQueued)...),
	})

	page, err := s.Tasks(ctx, bonfire.TaskFilter{JobID: "j1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != DefaultLimit || page[0].Index != 0 || page[DefaultLimit-1].Index != DefaultLimit-1 {
		t.Fatalf("default page: %d tasks from %d, want %d from 0", len(page), page[0].Index, DefaultLimit)
	}

	// Walk every running task in pages of 7 and check nothing is skipped or repeated.
	var walked []int
	from := 0
	for {
		page, err := s.Tasks(ctx, bonfire.TaskFilter{JobID: "j1", States: []bonfire.TaskState{bonfire.TaskRunning}, Limit: 7, From: from})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, tk := range page {
			walked = append(walked, tk.Index)
		}
		from = page[len(page)-1].Index + 1
	}
	var want []int
	for i := 0; i < n; i += 3 {
		want = append(want, i)
	}
	if !slices.Equal(walked, want) {
		t.Errorf("paged running tasks = %v, want %v", walked, want)
	}

	all, err := s.Tasks(ctx, bonfire.TaskFilter{Limit: MaxLimit + 1, States: []bonfire.TaskState{bonfire.TaskQueued}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(all), n-len(want)+2; got != want {
		t.Errorf("queued tasks of all jobs: %d, want %d", got, want)
	}
	if last := all[len(all)-1]; last.JobID != "j2" || last.Index != 1 {
		t.Errorf("tasks across jobs should be ordered by job then index; last is %s", last.ID)
	}
	if _, err := s.Tasks(ctx, bonfire.TaskFilter{From: 5}); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Errorf("After without JobID: err = %v, want invalid", err)
	}
}

func TestLogsLatestAttemptAndOrder(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	chunk := func(attempt int, stream string, seq int) *bonfire.LogChunk {
		return &bonfire.LogChunk{TaskID: "t", Attempt: attempt, Stream: stream, Seq: seq, Data: stream}
	}
	commit(t, s, &bonfire.Batch{Logs: []*bonfire.LogChunk{
		chunk(1, "stdout", 0), chunk(2, "stdout", 1), chunk(2, "stderr", 0), chunk(2, "stdout", 0), chunk(1, "stdout", 1),
	}})
	latest, err := s.Logs(ctx, "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range latest {
		got = append(got, l.Stream+string(rune('0'+l.Seq))+"@"+string(rune('0'+l.Attempt)))
	}
	if want := []string{"stderr0@2", "stdout0@2", "stdout1@2"}; !slices.Equal(got, want) {
		t.Errorf("latest logs = %v, want %v", got, want)
	}
	first, err := s.Logs(ctx, "t", 1)
	if err != nil || len(first) != 2 {
		t.Errorf("attempt 1 logs: %d, %v; want 2", len(first), err)
	}
}

func TestEventsKeepCommitOrder(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	kinds := []string{"queued", "assigned", "started", "requeued", "assigned"}
	for _, k := range kinds {
		commit(t, s, &bonfire.Batch{Events: []*bonfire.TaskEvent{{TaskID: "t", Kind: k}, {TaskID: "other", Kind: "x"}}})
	}
	es, err := s.Events(context.Background(), "t")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Kind)
	}
	if !slices.Equal(got, kinds) {
		t.Errorf("events = %v, want %v", got, kinds)
	}
}

func TestCommitHonoursCancellation(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Commit(ctx, &bonfire.Batch{Jobs: []*bonfire.Job{job("j1", "0xA", bonfire.JobQueued, 0)}})
	if bonfire.Code(err) != bonfire.ECodeCancelled {
		t.Fatalf("Commit with a cancelled context = %v, want cancelled", err)
	}
	if _, err := s.Job(context.Background(), "j1"); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("a cancelled commit wrote its job: %v", err)
	}
}
