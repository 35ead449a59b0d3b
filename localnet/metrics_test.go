package localnet

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/bonfirenet/bonfire/internal/logbuf"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/metrics"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/wasmexec"
	"github.com/nats-io/nats.go"
)

// runNoop runs a job of count no-op tasks to success.
func runNoop(t *testing.T, n *Net, count int) *bonfire.Job {
	t.Helper()
	c, err := n.Client()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mod, _, err := c.UploadReader(ctx, bytes.NewReader(wasmexec.NoopModule))
	if err != nil {
		t.Fatal(err)
	}
	spec := &bonfire.JobSpec{APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "noop", Executor: bonfire.ExecutorWASM,
		Module: string(mod), Outputs: "/out", Count: count, Timeout: bonfire.Duration(time.Minute), Retries: 1,
		Resources: bonfire.Resources{CPUMilli: 100, MemoryBytes: 16 << 20}, Determinism: bonfire.Determinism{Deterministic: true}}
	job, err := c.SubmitJob(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	done := waitJob(t, c, job.ID, time.Minute)
	if done.State != bonfire.JobSucceeded || done.Counts.Succeeded != count {
		t.Fatalf("job ended %s with %+v (%s)", done.State, done.Counts, done.Reason)
	}
	return done
}

// waitSeries scrapes url until every wanted series has its value. The
// market counts a report's results just after answering it, so the last
// count can trail the job's end by a moment.
func waitSeries(t *testing.T, url string, want map[string]float64) metrics.Series {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := metrics.ScrapeURL(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		var wrong []string
		for k, v := range want {
			if g, ok := got[k]; !ok || g != v {
				wrong = append(wrong, k)
			}
		}
		if len(wrong) == 0 {
			return got
		}
		if time.Now().After(deadline) {
			for _, k := range wrong {
				t.Errorf("%s = %v, want %v", k, got[k], want[k])
			}
			t.FailNow()
		}
		time.Sleep(10 * time.Millisecond) // polling a remote state with a deadline
	}
}

func TestMarketMetricsAfterAJob(t *testing.T) {
	t.Parallel()
	n := startNet(t, 2)
	const count = 6
	done := runNoop(t, n, count)
	// Two new providers check each other's results: every task has a
	// check run, and the series count runs.
	if done.CheckRuns != count {
		t.Fatalf("job has %d check runs, want one per task (%d)", done.CheckRuns, count)
	}
	runs := float64(count + done.CheckRuns)
	url := n.APIURL + "/metrics"
	got := waitSeries(t, url, map[string]float64{
		`bonfire_market_results_total{verdict="accepted"}`: runs,
		`bonfire_market_results_total{verdict="rejected"}`: 0,
		`bonfire_market_tasks{state="succeeded"}`:          runs,
		`bonfire_market_tasks{state="verifying"}`:          0,
		`bonfire_market_tasks{state="queued"}`:             0,
		`bonfire_market_tasks{state="running"}`:            0,
		`bonfire_market_jobs{state="running"}`:             0,
		`bonfire_market_providers{state="online"}`:         2,
		`bonfire_market_providers{state="offline"}`:        0,
		`bonfire_market_commit_errors_total`:               0,
		`bonfire_market_vouchers_total{outcome="signed"}`:  0, // no chain: nobody is paid
	})
	// Retries would leave a first attempt uncounted; there are none here,
	// but the histogram must at least have seen this job's dispatches.
	if c := got["bonfire_market_dispatch_wait_seconds_count"]; c < 1 || c > runs {
		t.Errorf("dispatch wait observations = %v, want 1..%v", c, runs)
	}
	for _, k := range []string{
		`bonfire_market_message_duration_seconds_count{type="pull"}`,
		`bonfire_market_message_duration_seconds_count{type="report"}`,
		`bonfire_market_message_duration_seconds_count{type="register"}`,
		`bonfire_market_commit_duration_seconds_count`,
		`go_goroutines`,
	} {
		if got[k] <= 0 {
			t.Errorf("%s = %v, want > 0", k, got[k])
		}
	}

	// A message that is not an envelope is counted by its reason.
	if got[`bonfire_market_message_errors_total{reason="bad_envelope"}`] != 0 {
		t.Fatalf("bad envelopes before sending one: %v", got[`bonfire_market_message_errors_total{reason="bad_envelope"}`])
	}
	nc, err := nats.Connect(n.NATSURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	msg, err := nc.Request(protocol.SubjectPull, []byte("not an envelope"), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var reply protocol.Reply
	if err := json.Unmarshal(msg.Data, &reply); err != nil || reply.Error == nil {
		t.Fatalf("reply to junk: %s (%v), want an error", msg.Data, err)
	}
	after, err := metrics.ScrapeURL(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	if v := after[`bonfire_market_message_errors_total{reason="bad_envelope"}`]; v != 1 {
		t.Errorf("bad envelopes after one junk message = %v, want 1", v)
	}
}

func TestReadyzFollowsTheStore(t *testing.T) {
	t.Parallel()
	n := startNet(t, 1)
	get := func() (int, []byte) {
		resp, err := http.Get(n.APIURL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if code, body := get(); code != http.StatusOK {
		t.Fatalf("readyz on a running network: %d %s", code, body)
	}
	if err := n.Store.Close(); err != nil {
		t.Fatal(err)
	}
	code, body := get()
	var eb httpapi.ErrorBody
	if err := json.Unmarshal(body, &eb); err != nil || code != http.StatusServiceUnavailable || eb.Error == nil ||
		eb.Error.Code != bonfire.ECodeUnavailable || eb.Error.Field != "store" || eb.Error.Hint == "" {
		t.Fatalf("readyz with the store closed: %d %s (%v), want 503 unavailable naming the store", code, body, err)
	}
	// Alive all the same: a load balancer must not restart it for this.
	resp, err := http.Get(n.APIURL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz with the store closed: %d", resp.StatusCode)
	}
}

func TestJSONLogLinesNameJobTaskAndProvider(t *testing.T) {
	t.Parallel()
	buf := &logbuf.Buffer{}
	log := slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	n, err := Start(context.Background(), Config{Home: Home(t.TempDir()), Providers: 2, HTTPAddr: "127.0.0.1:0", NATSPort: -1,
		ProviderCPUMilli: 2000, ProviderMaxTasks: 8, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	job := runNoop(t, n, 2)
	n.Close() // flushes the providers' last reports and the market's last lines

	byMsg := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON log line: %q: %v", line, err)
		}
		if _, ok := rec["task"]; !ok {
			continue
		}
		msg, _ := rec["msg"].(string)
		for _, key := range []string{"job", "task", "provider"} {
			if s, _ := rec[key].(string); s == "" {
				t.Errorf("task line %q lacks %q: %s", msg, key, line)
			}
		}
		if rec["job"] == job.ID {
			byMsg[msg]++
		}
	}
	// Both sides log each task: the market its assignment and its
	// result, the provider its start and its end.
	for _, msg := range []string{"task assigned", "result accepted", "task started", "task finished"} {
		if byMsg[msg] < 2 { // a retried attempt would add lines
			t.Errorf("%d %q lines for the job's tasks, want 2 (all task lines: %v)", byMsg[msg], msg, byMsg)
		}
	}
}
