package metrics_test

import (
	"testing"
	"time"

	"github.com/bonfirenet/bonfire/market"
	"github.com/bonfirenet/bonfire/metrics"
)

// BenchmarkMarketObserverPerRound is what the market's instrumentation
// adds to one round of market.BenchmarkPullReport (a pull of 64 tasks and
// a report of their 64 results, 7.2 ms): two timed messages, 64 dispatch
// waits, the result counts and one commit.
func BenchmarkMarketObserverPerRound(b *testing.B) {
	m := metrics.NewMarket()
	waits := make([]time.Duration, 64)
	for i := range waits {
		waits[i] = time.Duration(i) * time.Millisecond
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Handled(market.MsgPull, time.Millisecond)
		m.Dispatched(waits)
		m.Handled(market.MsgReport, 2*time.Millisecond)
		m.Results(64, 0)
		m.Committed(time.Millisecond, nil)
	}
}
