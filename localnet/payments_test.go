package localnet

import (
	"bytes"
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/bonfirenet/bonfire/sqlite"
	"github.com/bonfirenet/bonfire/wasmexec"
	"github.com/ethereum/go-ethereum/common"
)

// TestJobIsPaidOnChain runs a priced job on two paid local providers over
// the embedded chain: every accepted task is charged, each provider claims
// everything it earned in at most one transaction, the escrow pays exactly
// the job's charges, and the earnings survive a restart of the network.
func TestJobIsPaidOnChain(t *testing.T) {
	t.Parallel()
	home := Home(t.TempDir())
	cfg := Config{Home: home, Providers: 2, HTTPAddr: "127.0.0.1:0", NATSPort: -1, ProviderCPUMilli: 2000,
		ProviderMaxTasks: 8, ProviderPrice: 1_000_000, Chain: true, ChainAddr: "127.0.0.1:0"}
	ctx := context.Background()
	n, err := Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { n.Close() }()
	c, err := n.Client()
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.Settlement(ctx)
	if err != nil || info.SessionKey != bonfire.Address(n.Paymaster.SessionKey().Hex()) || info.Symbol != "tUSD" {
		t.Fatalf("GET /v1/settlement = %+v, %v", info, err)
	}
	mod, _, err := c.UploadReader(ctx, bytes.NewReader(wasmexec.NoopModule))
	if err != nil {
		t.Fatal(err)
	}
	spec := &bonfire.JobSpec{APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "paid-noop", Executor: bonfire.ExecutorWASM,
		Module: string(mod), Outputs: "/out", Count: 30, Timeout: bonfire.Duration(time.Minute), Retries: 1, MaxPrice: 1_000_000,
		Resources: bonfire.Resources{CPUMilli: 100, MemoryBytes: 16 << 20}, Determinism: bonfire.Determinism{Deterministic: true}}

	// A budget beyond the deposit is refused before anything runs.
	tooDear := *spec
	tooDear.Count = 100_000 // 100,000 × 0.1 core × 60 s × 1 tUSD/cpu-s is far over 1,000 tUSD
	if _, err := c.SubmitJob(ctx, &tooDear); bonfire.Code(err) != bonfire.ECodePaymentRequired {
		t.Fatalf("a job over budget: %v, want %s", err, bonfire.ECodePaymentRequired)
	}

	wallet := common.HexToAddress(string(n.Wallet.Address()))
	depositBefore := escrowBalance(t, n, wallet)
	job, err := c.SubmitJob(ctx, spec)
	if err != nil {
		t.Fatal(err)
	}
	done := waitJob(t, c, job.ID, time.Minute)
	if done.State != bonfire.JobSucceeded || done.Charged == 0 {
		t.Fatalf("job ended %s, charged %d (%s)", done.State, done.Charged, done.Reason)
	}
	if done.Charged > done.Budget {
		t.Fatalf("charged %d over the budget %d", done.Charged, done.Budget)
	}
	settleCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	earnings, err := n.Settle(settleCtx, done.Charged)
	if err != nil {
		t.Fatal(err)
	}
	claimed := new(big.Int)
	for _, e := range earnings {
		if len(e.Claims) > 1 {
			t.Errorf("provider %s made %d claim transactions for one job, want at most 1", e.Provider, len(e.Claims))
		}
		if e.Unclaimed.Sign() != 0 {
			t.Errorf("provider %s still holds %s unclaimed", e.Provider, e.Unclaimed)
		}
		claimed.Add(claimed, e.Claimed)
	}
	if claimed.Uint64() != done.Charged {
		t.Fatalf("providers claimed %s, the job was charged %d", claimed, done.Charged)
	}
	paid := new(big.Int).Sub(depositBefore, escrowBalance(t, n, wallet))
	if paid.Uint64() != done.Charged {
		t.Fatalf("the escrow paid %s out of the consumer's deposit, want the job's charges %d", paid, done.Charged)
	}

	// Earnings are durable: after a restart the ledgers still show them.
	n.Close()
	for i, e := range earnings {
		ledger, err := sqlite.Open(home.ProviderLedger(i))
		if err != nil {
			t.Fatal(err)
		}
		again, err := settlement.ReadEarnings(ctx, ledger, common.HexToAddress(string(e.Provider)), 0)
		ledger.Close()
		if err != nil || again.Claimed.Cmp(e.Claimed) != 0 || len(again.Claims) != len(e.Claims) {
			t.Fatalf("provider %d's ledger after stop: %+v, %v; want claimed %s", i, again, err, e.Claimed)
		}
	}
	n, err = Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(depositBefore, escrowBalance(t, n, wallet)); got.Cmp(paid) != 0 {
		t.Fatalf("after restart the escrow shows %s paid, want %s", got, paid)
	}
}
