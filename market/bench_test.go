package market

import (
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
)

// BenchmarkPullReport measures the market's side of a provider's round:
// one pull handing out 64 tasks and one report returning 64 signed results
// (signature checks, state changes, group commit to SQLite, NATS both
// ways). Submitting the job and signing the results, which are the
// consumer's and the provider's work, are not timed.
func BenchmarkPullReport(b *testing.B) {
	const n = 64
	tm := startMarket(b)
	p := tm.newProvider()
	p.register()
	spec := tm.spec(n, 0)
	spec.Resources.CPUMilli = 100
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		job := tm.submit(spec)
		b.StartTimer()
		as := p.pull(n)
		b.StopTimer()
		if len(as) != n {
			b.Fatalf("pulled %d tasks, want %d", len(as), n)
		}
		rep := protocol.Report{Started: refs(as...)}
		for _, a := range as {
			rep.Results = append(rep.Results, p.result(a, 0))
		}
		b.StartTimer()
		reply := p.report(rep)
		b.StopTimer()
		if len(reply.Accepted) != n {
			b.Fatalf("%d results accepted, want %d: %+v", len(reply.Accepted), n, reply.Rejected)
		}
		if j := tm.job(job.ID); j.State != bonfire.JobSucceeded {
			b.Fatalf("job %s", j.State)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tasks/s")
}
