package metrics

import (
	"context"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire/provider"
	"github.com/prometheus/client_golang/prometheus"
)

// earningsTimeout bounds reading the provider's ledger at a scrape.
const earningsTimeout = 2 * time.Second

// EarningsFunc reads a provider's cumulative earned and claimed amounts in
// token base units (settlement.Collector.Summary has them).
type EarningsFunc func(ctx context.Context) (earned, claimed *big.Int, err error)

// Provider holds a provider's collectors. It implements provider.Observer;
// give it to provider.Config.Observer. Claimed and ClaimFailed fit a
// settlement.ClaimPolicy's OnClaim and OnError.
type Provider struct {
	reg *prometheus.Registry

	outcomes     [provider.NumOutcomes]prometheus.Counter
	running      prometheus.Gauge
	busy         prometheus.Gauge
	reportTime   prometheus.Histogram
	reportErrors prometheus.Counter
	vouchersOK   prometheus.Counter
	vouchersErr  prometheus.Counter
	claims       prometheus.Counter
	claimErrors  prometheus.Counter

	earnings sync.Once
}

var _ provider.Observer = (*Provider)(nil)

// NewProvider creates a provider's collectors on a registry of their own,
// with the Go and process collectors.
func NewProvider() *Provider {
	reg := newRegistry()
	f := factory{reg}
	p := &Provider{reg: reg}
	tasks := f.counterVec("bonfire_provider_tasks_total",
		"Task attempts this provider ran, by how they ended.", "outcome")
	for o := provider.Outcome(0); o < provider.NumOutcomes; o++ {
		p.outcomes[o] = tasks.WithLabelValues(o.String())
	}
	p.running = f.gauge("bonfire_provider_tasks_running", "Task attempts running now.")
	p.busy = f.gauge("bonfire_provider_owner_busy",
		"1 while idle mode has paused lending because the machine's owner is using it, else 0.")
	p.reportTime = f.histogram("bonfire_provider_report_duration_seconds",
		"Round trip of each report (started tasks, results, logs, hand-backs) to the market and its reply.", fastBuckets)
	p.reportErrors = f.counter("bonfire_provider_report_errors_total",
		"Reports the market did not answer (they are sent again).")
	vouchers := f.counterVec("bonfire_provider_vouchers_total",
		"Payment vouchers received from the market, by whether they were kept.", "outcome")
	p.vouchersOK, p.vouchersErr = vouchers.WithLabelValues("accepted"), vouchers.WithLabelValues("refused")
	p.claims = f.counter("bonfire_provider_claims_total", "Claim transactions sent to the escrow.")
	p.claimErrors = f.counter("bonfire_provider_claim_errors_total",
		"Claims that failed (the vouchers are kept and claimed again later).")
	return p
}

// WatchEarnings exports the cumulative earned and claimed amounts, read
// with earnings at each scrape. Only the first call counts.
func (p *Provider) WatchEarnings(earnings EarningsFunc) {
	p.earnings.Do(func() { p.reg.MustRegister(&earningsCollector{read: earnings}) })
}

// Handler serves the metrics in the Prometheus text format.
func (p *Provider) Handler() http.Handler { return handlerFor(p.reg) }

// Registry is where the collectors live, for adding more or for tests.
func (p *Provider) Registry() *prometheus.Registry { return p.reg }

// TaskStarted implements provider.Observer.
func (p *Provider) TaskStarted() { p.running.Inc() }

// TaskFinished implements provider.Observer.
func (p *Provider) TaskFinished(o provider.Outcome) {
	p.running.Dec()
	if o >= 0 && o < provider.NumOutcomes {
		p.outcomes[o].Inc()
	}
}

// Busy implements provider.Observer.
func (p *Provider) Busy(busy bool) {
	if busy {
		p.busy.Set(1)
	} else {
		p.busy.Set(0)
	}
}

// Reported implements provider.Observer.
func (p *Provider) Reported(d time.Duration, err error) {
	if err != nil {
		p.reportErrors.Inc()
		return
	}
	p.reportTime.Observe(d.Seconds())
}

// VoucherReceived implements provider.Observer.
func (p *Provider) VoucherReceived(err error) {
	if err != nil {
		p.vouchersErr.Inc()
		return
	}
	p.vouchersOK.Inc()
}

// Claimed counts a claim transaction sent.
func (p *Provider) Claimed() { p.claims.Inc() }

// ClaimFailed counts a failed claim.
func (p *Provider) ClaimFailed() { p.claimErrors.Inc() }

var (
	earnedDesc = prometheus.NewDesc("bonfire_provider_earned_base_units",
		"Cumulative amount the provider's best vouchers promise, over all payers, in token base units.", nil, nil)
	claimedDesc = prometheus.NewDesc("bonfire_provider_claimed_base_units",
		"Cumulative amount claimed from the escrow, in token base units (gross of the protocol fee).", nil, nil)
)

// earningsCollector reads the ledger at scrape time: earnings change
// rarely, and reading them on demand keeps the report path free of it.
type earningsCollector struct {
	read EarningsFunc
}

func (c *earningsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- earnedDesc
	ch <- claimedDesc
}

func (c *earningsCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), earningsTimeout)
	defer cancel()
	earned, claimed, err := c.read(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(earnedDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(earnedDesc, prometheus.GaugeValue, toFloat(earned))
	ch <- prometheus.MustNewConstMetric(claimedDesc, prometheus.GaugeValue, toFloat(claimed))
}

// toFloat converts base units for export; a float64 keeps 15 significant
// digits, plenty for a dashboard, while the ledger stays exact.
func toFloat(x *big.Int) float64 {
	if x == nil {
		return 0
	}
	f, _ := new(big.Float).SetInt(x).Float64()
	return f
}
