package localnet

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/wasmexec"
)

// The dashboard is served on the API address, and its money page shows
// what the network's chain and collectors hold: the consumer's deposit,
// and each claim transaction with its hash once the providers claimed.
func TestDashboardShowsTheNetworksMoney(t *testing.T) {
	t.Parallel()
	cfg := Config{Home: Home(t.TempDir()), Providers: 1, HTTPAddr: "127.0.0.1:0", NATSPort: -1, ProviderCPUMilli: 1000,
		ProviderMaxTasks: 4, ProviderPrice: 1_000_000, Chain: true, ChainAddr: "127.0.0.1:0"}
	ctx := context.Background()
	n, err := Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if n.DashboardURL != n.APIURL+"/dashboard/" {
		t.Fatalf("dashboard URL %q", n.DashboardURL)
	}
	c, err := n.Client()
	if err != nil {
		t.Fatal(err)
	}
	mod, _, err := c.UploadReader(ctx, bytes.NewReader(wasmexec.NoopModule))
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.SubmitJob(ctx, &bonfire.JobSpec{APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "paid", Executor: bonfire.ExecutorWASM,
		Module: string(mod), Outputs: "/out", Count: 3, Timeout: bonfire.Duration(time.Minute), MaxPrice: 2_000_000,
		Resources: bonfire.Resources{CPUMilli: 100, MemoryBytes: 16 << 20}, Determinism: bonfire.Determinism{Deterministic: true}})
	if err != nil {
		t.Fatal(err)
	}
	done := waitJob(t, c, job.ID, time.Minute)
	settleCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := n.Settle(settleCtx, done.Charged); err != nil {
		t.Fatal(err)
	}

	ms := moneySource{n}
	es, err := ms.Earnings(ctx)
	if err != nil || len(es) != 1 || es[0].Claimed.Uint64() != done.Charged || len(es[0].Claims) != 1 {
		t.Fatalf("earnings %+v, %v; want one provider that claimed %d in one transaction", es, err, done.Charged)
	}
	as, err := ms.Accounts(ctx)
	if err != nil || len(as) != 1 || as[0].Escrow.Sign() <= 0 || as[0].SessionCap == nil {
		t.Fatalf("accounts %+v, %v; want the local wallet with a deposit and an authorised session key", as, err)
	}

	resp, err := http.Get(n.DashboardURL + "money")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), es[0].Claims[0].Tx) || !strings.Contains(string(body), "tUSD") {
		t.Fatalf("money page: %d, want the claim %s in:\n%s", resp.StatusCode, es[0].Claims[0].Tx, body)
	}
}
