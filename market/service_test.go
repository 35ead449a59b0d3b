package market

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
)

func logChunk(a protocol.Assignment, stream string, seq int, data string) bonfire.LogChunk {
	return bonfire.LogChunk{TaskID: a.TaskID, Attempt: a.Attempt, Stream: stream, Seq: seq, Data: data}
}

func logText(chunks []*bonfire.LogChunk) string {
	var b strings.Builder
	for _, c := range chunks {
		b.WriteString(c.Data)
	}
	return b.String()
}

// Logs are stored per attempt up to MaxLogBytes; the rest is dropped. A
// failed attempt's logs that travel with its result are kept, and the next
// attempt has a budget of its own.
func TestLogsAreStoredAndCapped(t *testing.T) {
	t.Parallel()
	const maxLog = 100
	tm := startMarket(t, func(c *Config) { c.MaxLogBytes = maxLog })
	ctx := context.Background()
	p := tm.newProvider()
	p.register()
	job := tm.submit(tm.spec(1, 1))
	a := p.pull(1)[0]
	p.start(a)

	line := strings.Repeat("x", 39) + "\n" // 40 bytes
	p.report(protocol.Report{Logs: []bonfire.LogChunk{logChunk(a, "stdout", 1, line), logChunk(a, "stderr", 1, "warning\n")}})
	// This report crosses the cap, and carries the failed result too.
	p.report(protocol.Report{
		Logs:    []bonfire.LogChunk{logChunk(a, "stdout", 2, line), logChunk(a, "stdout", 3, line), logChunk(a, "stdout", 4, line)},
		Results: []bonfire.TaskResult{p.result(a, 1)},
	})
	logs, err := tm.m.TaskLogs(ctx, tm.owner, a.TaskID, 1)
	if err != nil {
		t.Fatal(err)
	}
	total := len(logText(logs))
	if total != maxLog {
		t.Fatalf("kept %d log bytes of attempt 1, want exactly the cap of %d: %q", total, maxLog, logText(logs))
	}
	if logs[0].Stream != "stderr" || logs[0].Data != "warning\n" || logs[1].Data != line {
		t.Fatalf("logs out of order: %+v", logs)
	}
	// Attempt 2 starts a fresh budget.
	a2 := p.pull(1)[0]
	if a2.Attempt != 2 {
		t.Fatalf("retry is attempt %d", a2.Attempt)
	}
	p.report(protocol.Report{Started: refs(a2), Logs: []bonfire.LogChunk{logChunk(a2, "stdout", 1, "second try\n")}})
	latest, err := tm.m.TaskLogs(ctx, tm.owner, a.TaskID, 0)
	if err != nil || logText(latest) != "second try\n" {
		t.Fatalf("latest attempt's logs %q, %v", logText(latest), err)
	}
	p.finish(p.result(a2, 0))
	if j := tm.job(job.ID); j.State != bonfire.JobSucceeded {
		t.Fatalf("job %+v", j)
	}
	// Attempt 0 still means the latest once the job has left memory.
	latest, err = tm.m.TaskLogs(ctx, tm.owner, a.TaskID, 0)
	if err != nil || logText(latest) != "second try\n" {
		t.Fatalf("latest logs after the job finished %q, %v", logText(latest), err)
	}
	first, err := tm.m.TaskLogs(ctx, tm.owner, a.TaskID, 1)
	if err != nil || len(logText(first)) != maxLog {
		t.Fatalf("attempt 1 logs changed: %d bytes, %v", len(logText(first)), err)
	}
	if _, err := tm.m.TaskLogs(ctx, tm.owner, "no-dot", 0); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Fatalf("malformed task ID: %v", err)
	}
}

// A cut never splits a UTF-8 character.
func TestLogCapKeepsUTF8Whole(t *testing.T) {
	t.Parallel()
	tm := startMarket(t, func(c *Config) { c.MaxLogBytes = 5 })
	p := tm.newProvider()
	p.register()
	tm.submit(tm.spec(1, 0))
	a := p.pull(1)[0]
	p.report(protocol.Report{Logs: []bonfire.LogChunk{logChunk(a, "stdout", 1, "ab€€")}}) // 2 + 3 + 3 bytes
	logs, err := tm.m.TaskLogs(context.Background(), tm.owner, a.TaskID, 1)
	if err != nil || logText(logs) != "ab€" {
		t.Fatalf("capped log %q, %v; want \"ab€\"", logText(logs), err)
	}
}

// JobResults ranks tasks by the metric in their summary file.
func TestJobResultsRanksBySummaryMetric(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	ctx := context.Background()
	p := tm.newProvider()
	p.register()
	spec := tm.spec(0, 0)
	spec.Args = []string{"--lr", "{{.lr}}"}
	spec.Matrix = []bonfire.MatrixParam{{Name: "lr", Values: []string{"0.1", "0.01", "0.001", "1"}}}
	spec.Summary = &bonfire.Summary{File: "metrics.json", Metric: "accuracy", Order: "desc"}
	job := tm.submit(spec)

	as := p.pull(4)
	if len(as) != 4 {
		t.Fatalf("pulled %d", len(as))
	}
	accuracy := map[string]float64{"0.1": 0.7, "0.01": 0.9, "0.001": 0.8}
	var results []bonfire.TaskResult
	for _, a := range as {
		lr := a.Args[1]
		acc, ok := accuracy[lr]
		if !ok { // lr=1 diverged and wrote no metrics
			results = append(results, p.result(a, 0))
			continue
		}
		data := []byte(fmt.Sprintf(`{"accuracy": %v, "loss": 1}`, acc))
		d := tm.putBlob(data)
		results = append(results, p.result(a, 0,
			bonfire.FileRef{Name: "model.bin", Digest: tm.putBlob([]byte("weights " + lr)), Size: 10},
			bonfire.FileRef{Name: "metrics.json", Digest: d, Size: int64(len(data))}))
	}
	p.finish(results...)

	res, err := tm.m.JobResults(ctx, tm.owner, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Job.State != bonfire.JobSucceeded || len(res.Tasks) != 4 {
		t.Fatalf("results %+v", res)
	}
	for _, o := range res.Tasks {
		if o.State != bonfire.TaskSucceeded || o.Result == nil || o.Params["lr"] == "" {
			t.Fatalf("outcome %+v", o)
		}
	}
	var got []string
	for i, r := range res.Ranking {
		if r.Rank != i+1 {
			t.Fatalf("rank %d at position %d", r.Rank, i)
		}
		got = append(got, fmt.Sprintf("%s=%v", r.Params["lr"], r.Metric))
	}
	if want := "0.01=0.9 0.001=0.8 0.1=0.7"; strings.Join(got, " ") != want {
		t.Fatalf("ranking %v, want %s", got, want)
	}

	// Ascending order reverses it.
	spec.Summary.Order = "asc"
	spec.Summary.Metric = "accuracy"
	job2 := tm.submit(spec)
	var again []bonfire.TaskResult
	for i, a := range p.pull(4) {
		data := []byte(fmt.Sprintf(`{"accuracy": %d}`, 10-i))
		again = append(again, p.result(a, 0, bonfire.FileRef{Name: "./metrics.json", Digest: tm.putBlob(data), Size: int64(len(data))}))
	}
	p.finish(again...)
	res, err = tm.m.JobResults(ctx, tm.owner, job2.ID)
	if err != nil || len(res.Ranking) != 4 || res.Ranking[0].Metric != 7 || res.Ranking[3].Metric != 10 {
		t.Fatalf("ascending ranking %+v, %v", res.Ranking, err)
	}
}
