package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/bonfirenet/bonfire/metrics"
	"github.com/bonfirenet/bonfire/natsbus"
	"github.com/bonfirenet/bonfire/provider"
	"github.com/bonfirenet/bonfire/wasmexec"
)

// get answers a GET on srv with its status and the error body, if any.
func get(t *testing.T, url string) (int, *bonfire.Error) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK {
		return resp.StatusCode, nil
	}
	var eb httpapi.ErrorBody
	if err := json.Unmarshal(b, &eb); err != nil || eb.Error == nil {
		t.Fatalf("%s answered %d with %q, not a JSON error", url, resp.StatusCode, b)
	}
	return resp.StatusCode, eb.Error
}

// waitFor scrapes h until cond holds.
func waitFor(t *testing.T, h http.Handler, what string, cond func(metrics.Series) bool) metrics.Series {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s, err := metrics.Scrape(h)
		if err != nil {
			t.Fatal(err)
		}
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics never showed %s", what)
		}
		time.Sleep(10 * time.Millisecond) // polling a remote state with a deadline
	}
}

func TestProviderMetricsEndpoint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	n, err := localnet.Start(ctx, localnet.Config{Home: localnet.Home(t.TempDir()), HTTPAddr: "127.0.0.1:0", NATSPort: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Close)

	dir := t.TempDir()
	key, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	conn, err := natsbus.Connect(n.NATSURL, "metrics-test-provider", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	exec, err := wasmexec.New(wasmexec.Options{CacheDir: filepath.Join(dir, "wazero-cache")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exec.Close(context.Background()) })
	pm := metrics.NewProvider()
	p, err := provider.New(provider.Config{Conn: conn, Key: key, Name: "observed", Lend: bonfire.Capacity{CPUMilli: 2000, MemoryBytes: 1 << 30},
		Executors: []bonfire.Executor{exec}, WorkDir: dir, MaxTasks: 4, Observer: pm, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(metrics.Mux(pm.Handler(), p.Ready))
	t.Cleanup(srv.Close)

	// Not registered yet: not ready, and the error says why.
	if code, e := get(t, srv.URL+"/readyz"); code != http.StatusServiceUnavailable || e.Field != "registration" || e.Code != bonfire.ECodeUnavailable {
		t.Fatalf("readyz before registering: %d %+v", code, e)
	}
	if code, _ := get(t, srv.URL+"/healthz"); code != http.StatusOK {
		t.Fatalf("healthz: %d", code)
	}
	runCtx, stop := context.WithCancel(ctx)
	ready, ran := make(chan struct{}), make(chan error, 1)
	go func() { ran <- p.Run(runCtx, func() { close(ready) }) }()
	select {
	case <-ready:
	case err := <-ran:
		t.Fatalf("provider stopped: %v", err)
	}
	if code, e := get(t, srv.URL+"/readyz"); code != http.StatusOK {
		t.Fatalf("readyz after registering: %d %+v", code, e)
	}

	c, err := n.Client()
	if err != nil {
		t.Fatal(err)
	}
	mod, _, err := c.UploadReader(ctx, bytes.NewReader(wasmexec.NoopModule))
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.SubmitJob(ctx, &bonfire.JobSpec{APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "noop",
		Executor: bonfire.ExecutorWASM, Module: string(mod), Outputs: "/out", Count: 2, Timeout: bonfire.Duration(time.Minute),
		Resources: bonfire.Resources{CPUMilli: 100, MemoryBytes: 16 << 20}, Determinism: bonfire.Determinism{Deterministic: true}})
	if err != nil {
		t.Fatal(err)
	}
	s := waitFor(t, pm.Handler(), "two succeeded tasks", func(s metrics.Series) bool {
		return s[`bonfire_provider_tasks_total{outcome="succeeded"}`] == 2 && s["bonfire_provider_report_duration_seconds_count"] > 0
	})
	if s["bonfire_provider_tasks_running"] != 0 || s[`bonfire_provider_tasks_total{outcome="failed"}`] != 0 || s["bonfire_provider_owner_busy"] != 0 {
		t.Errorf("after the job: running %v, failed %v, busy %v; want 0, 0, 0", s["bonfire_provider_tasks_running"],
			s[`bonfire_provider_tasks_total{outcome="failed"}`], s["bonfire_provider_owner_busy"])
	}
	if _, ok := s["bonfire_provider_earned_base_units"]; ok {
		t.Errorf("an unpaid provider exports earnings")
	}
	if j, err := c.Job(ctx, job.ID); err != nil || j.Counts.Succeeded+j.Counts.Verifying+j.Counts.Running+j.Counts.Assigned != 2 {
		t.Fatalf("job %s: %+v, %v", job.ID, j, err)
	}

	p.SetBusy(true)
	if s, _ := metrics.Scrape(pm.Handler()); s["bonfire_provider_owner_busy"] != 1 {
		t.Errorf("owner busy gauge = %v after SetBusy(true), want 1", s["bonfire_provider_owner_busy"])
	}
	p.SetBusy(false)

	stop()
	if err := <-ran; err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if code, e := get(t, srv.URL+"/readyz"); code != http.StatusServiceUnavailable || e.Field != "nats" {
		t.Fatalf("readyz with the connection closed: %d %+v, want 503 naming nats", code, e)
	}
	if code, e := get(t, srv.URL+"/nothing"); code != http.StatusNotFound || e.Code != bonfire.ECodeNotFound {
		t.Fatalf("unknown route: %d %+v", code, e)
	}
}

func TestMarketObserverCountsByReason(t *testing.T) {
	t.Parallel()
	m := metrics.NewMarket()
	m.BudgetChecked(nil)
	m.BudgetChecked(bonfire.Errorf(bonfire.ECodePaymentRequired, "short"))
	m.BudgetChecked(bonfire.Errorf(bonfire.ECodeUnavailable, "chain down"))
	m.VoucherSigned(nil)
	m.VoucherSigned(nil)
	m.Committed(time.Millisecond, nil)
	m.Committed(time.Millisecond, bonfire.Errorf(bonfire.ECodeInternal, "disk"))
	s, err := metrics.Scrape(m.Handler())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		`bonfire_market_budget_checks_total{outcome="ok"}`:      1,
		`bonfire_market_budget_checks_total{outcome="refused"}`: 1,
		`bonfire_market_budget_checks_total{outcome="error"}`:   1,
		`bonfire_market_vouchers_total{outcome="signed"}`:       2,
		`bonfire_market_vouchers_total{outcome="failed"}`:       0,
		`bonfire_market_commit_errors_total`:                    1,
		`bonfire_market_commit_duration_seconds_count`:          2,
		// Every reason exists from the start, so a rate() has a baseline.
		`bonfire_market_message_errors_total{reason="replay"}`: 0,
	}
	for k, v := range want {
		if got, ok := s[k]; !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
}
