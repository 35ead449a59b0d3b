package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/bonfirenet/bonfire/wasmexec"
)

// A provider from "another machine" (its own process and key, joining
// `bonfire up` over NATS) runs a priced job, receives the market's vouchers,
// is given gas by the dev chain when it registers, and claims everything it
// earned in one transaction when it is stopped; `bonfire provider
// earnings` then shows the claim, equal to what the job was charged.
func TestStandaloneProviderIsPaidAndClaimsAtShutdown(t *testing.T) {
	t.Parallel()
	home := localnet.Home(t.TempDir())
	up := startUpWith(t, home, "--providers", "0")
	defer up.stop()

	prov := exec.Command(bonfireBin, "provider", "--home", string(home), "--price", "50", "--cpu", "1", "--max-tasks", "2")
	prov.Env = append(os.Environ(), "BONFIRE_HOME="+string(home))
	provLog := &syncBuffer{}
	prov.Stdout, prov.Stderr = provLog, provLog
	if err := prov.Start(); err != nil {
		t.Fatal(err)
	}
	provDone := make(chan error, 1)
	go func() { provDone <- prov.Wait() }()
	defer func() {
		_ = prov.Process.Kill()
		if t.Failed() {
			t.Logf("provider output (tail):\n%s", provLog.tail(8<<10))
		}
	}()
	poll(t, time.Minute, "the provider to register", func() (bool, string) {
		ps, err := up.api.Providers(context.Background())
		if err != nil {
			return false, err.Error()
		}
		return len(ps) == 1 && ps[0].State == bonfire.ProviderOnline, "providers: " + itoa(len(ps))
	})

	ctx := context.Background()
	mod, _, err := up.api.UploadReader(ctx, bytes.NewReader(wasmexec.NoopModule))
	if err != nil {
		t.Fatal(err)
	}
	spec := &bonfire.JobSpec{APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "paid", Executor: bonfire.ExecutorWASM,
		Module: string(mod), Outputs: "/out", Count: 12, Timeout: bonfire.Duration(time.Minute), MaxPrice: 100,
		Resources: bonfire.Resources{CPUMilli: 100, MemoryBytes: 16 << 20}, Determinism: bonfire.Determinism{Deterministic: true}}
	job, err := up.api.SubmitJob(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	done := waitJob(t, up.api, job.ID, time.Minute)
	if done.State != bonfire.JobSucceeded || done.Charged == 0 {
		t.Fatalf("job %s, charged %d: %s", done.State, done.Charged, done.Reason)
	}

	// Stopping the provider makes its final claim.
	if err := prov.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-provDone:
		if err != nil {
			t.Fatalf("the provider did not stop cleanly: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the provider did not stop within a minute")
	}

	stdout, stderr, exit := runBonfire(t, time.Minute, "provider", "earnings", "--home", string(home), "--json")
	if exit != 0 {
		t.Fatalf("provider earnings exited %d: %s", exit, stderr)
	}
	var e struct {
		Earned, Claimed, Unclaimed struct {
			BaseUnits string `json:"baseUnits"`
		}
		Claims []struct {
			Tx string `json:"tx"`
		} `json:"claims"`
	}
	if err := json.Unmarshal([]byte(stdout), &e); err != nil {
		t.Fatalf("earnings --json: %v\n%s", err, stdout)
	}
	charged := itoa(int(done.Charged))

	// Raising the allowance needs no address: the CLI asks the market for
	// its session key.
	info, err := up.api.Settlement(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out, stderr, exit := runBonfire(t, time.Minute, "wallet", "authorize", "--cap", "2000", "--home", string(home), "--json")
	var auth struct {
		Session string `json:"session"`
	}
	if exit != 0 || json.Unmarshal([]byte(out), &auth) != nil || !strings.EqualFold(auth.Session, string(info.SessionKey)) {
		t.Fatalf("wallet authorize without an address: exit %d, %s %s; want the market's key %s", exit, out, stderr, info.SessionKey)
	}
	if e.Earned.BaseUnits != charged || e.Claimed.BaseUnits != charged || e.Unclaimed.BaseUnits != "0" || len(e.Claims) != 1 {
		t.Fatalf("earnings %s; want %s earned and claimed in one claim", stdout, charged)
	}
}
