package localnet

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/wasmexec"
)

// BenchmarkSettle1000TasksOver8Providers runs a priced job of 1,000 tasks
// on 8 local providers over the embedded chain, settles it, and reports how
// many on-chain transactions and how much gas paying for it took. Every
// task is paid by a voucher off chain; on chain there is one claim per
// provider (8), whatever the number of tasks.
//
//	go test -run '^$' -bench Settle1000 -benchtime 1x ./localnet
func BenchmarkSettle1000TasksOver8Providers(b *testing.B) {
	const tasks, providers = 1000, 8
	for i := 0; i < b.N; i++ {
		n, err := Start(context.Background(), Config{Home: Home(b.TempDir()), Providers: providers, HTTPAddr: "127.0.0.1:0",
			NATSPort: -1, ProviderCPUMilli: 1000, ProviderMaxTasks: 10, ProviderPrice: 100_000, Chain: true, ChainAddr: "127.0.0.1:0"})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		c, err := n.Client()
		if err != nil {
			b.Fatal(err)
		}
		mod, _, err := c.UploadReader(ctx, bytes.NewReader(wasmexec.NoopModule))
		if err != nil {
			b.Fatal(err)
		}
		job, err := c.SubmitJob(ctx, &bonfire.JobSpec{APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "settle-bench",
			Executor: bonfire.ExecutorWASM, Module: string(mod), Outputs: "/out", Count: tasks, Timeout: bonfire.Duration(time.Minute),
			MaxPrice: 100_000, Resources: bonfire.Resources{CPUMilli: 100, MemoryBytes: 16 << 20},
			Determinism: bonfire.Determinism{Deterministic: true}})
		if err != nil {
			b.Fatal(err)
		}
		done := waitJobB(b, ctx, n, job.ID)
		earnings, err := n.Settle(ctx, done.Charged)
		if err != nil {
			b.Fatal(err)
		}
		var txs, gas uint64
		for _, e := range earnings {
			if len(e.Claims) > 1 {
				b.Fatalf("provider %s needed %d claim transactions, want 1", e.Provider, len(e.Claims))
			}
			for _, cl := range e.Claims {
				r, err := n.client.TransactionReceipt(ctx, cl.Tx)
				if err != nil {
					b.Fatal(err)
				}
				txs++
				gas += r.GasUsed
			}
		}
		b.ReportMetric(float64(txs), "claim-txs/job")
		b.ReportMetric(float64(gas), "claim-gas/job")
		b.ReportMetric(float64(done.Counts.Succeeded), "paid-tasks/job")
		cancel()
		n.Close()
	}
}

func waitJobB(b *testing.B, ctx context.Context, n *Net, id string) *bonfire.Job {
	b.Helper()
	c, err := n.Client()
	if err != nil {
		b.Fatal(err)
	}
	for {
		j, err := c.Job(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		if j.State.Terminal() {
			if j.State != bonfire.JobSucceeded {
				b.Fatalf("job %s: %s", j.State, j.Reason)
			}
			return j
		}
		select {
		case <-ctx.Done():
			b.Fatalf("job still %s: %+v", j.State, j.Counts)
		case <-time.After(50 * time.Millisecond): // polling remote state with a deadline
		}
	}
}
