package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/market"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Buckets. Latencies on the message path are sub-millisecond to seconds;
// queue waits of a large job reach minutes.
var (
	fastBuckets = prometheus.ExponentialBuckets(0.0001, 2, 17) // 100µs … 6.5s
	waitBuckets = prometheus.ExponentialBuckets(0.0005, 2, 18) // 500µs … 65s
)

// Market holds the market's collectors. It implements market.Observer;
// give it to market.Config.Observer, then call Watch with the market.
type Market struct {
	reg *prometheus.Registry

	handled       [market.NumMessageKinds]prometheus.Observer
	dispatchWait  prometheus.Histogram
	accepted      prometheus.Counter
	rejected      prometheus.Counter
	commitTime    prometheus.Histogram
	commitErrors  prometheus.Counter
	messageErrors [market.NumMessageErrors]prometheus.Counter
	vouchersOK    prometheus.Counter
	vouchersErr   prometheus.Counter
	budgetOK      prometheus.Counter
	budgetRefused prometheus.Counter
	budgetErr     prometheus.Counter

	watch sync.Once
}

var _ market.Observer = (*Market)(nil)

// NewMarket creates the market's collectors on a registry of their own,
// with the Go and process collectors.
func NewMarket() *Market {
	reg := newRegistry()
	f := factory{reg}
	m := &Market{reg: reg}
	handled := f.histogramVec("bonfire_market_message_duration_seconds",
		"Time from a provider message's handler starting to its reply being sent, by message type (pull: pull request → assignments).",
		fastBuckets, "type")
	for k := market.MessageKind(0); k < market.NumMessageKinds; k++ {
		m.handled[k] = handled.WithLabelValues(k.String())
	}
	m.dispatchWait = f.histogram("bonfire_market_dispatch_wait_seconds",
		"Time a task's first attempt waited in the queue, from submission to assignment.", waitBuckets)
	results := f.counterVec("bonfire_market_results_total",
		"Task results in provider reports, by the market's verdict.", "verdict")
	m.accepted, m.rejected = results.WithLabelValues("accepted"), results.WithLabelValues("rejected")
	m.commitTime = f.histogram("bonfire_market_commit_duration_seconds",
		"Time of each attempt to commit a group of state changes to the store.", fastBuckets)
	m.commitErrors = f.counter("bonfire_market_commit_errors_total",
		"Failed attempts to commit state changes to the store (each is retried a few times).")
	msgErrs := f.counterVec("bonfire_market_message_errors_total",
		"Provider messages answered with an error (or whose reply could not be sent), by reason.", "reason")
	for r := market.MessageError(0); r < market.NumMessageErrors; r++ {
		m.messageErrors[r] = msgErrs.WithLabelValues(r.String())
	}
	vouchers := f.counterVec("bonfire_market_vouchers_total",
		"Payment vouchers the market tried to sign for providers, by outcome.", "outcome")
	m.vouchersOK, m.vouchersErr = vouchers.WithLabelValues("signed"), vouchers.WithLabelValues("failed")
	budget := f.counterVec("bonfire_market_budget_checks_total",
		"Budget checks of priced jobs against the owner's escrow, by outcome (refused: the owner cannot pay).", "outcome")
	m.budgetOK, m.budgetRefused, m.budgetErr = budget.WithLabelValues("ok"), budget.WithLabelValues("refused"), budget.WithLabelValues("error")
	return m
}

// Watch exports the market's live counts (tasks, jobs and providers by
// state), read from stats at each scrape. Only the first call counts.
func (m *Market) Watch(stats func() market.Stats) {
	m.watch.Do(func() { m.reg.MustRegister(&marketState{stats: stats}) })
}

// Handler serves the metrics in the Prometheus text format.
func (m *Market) Handler() http.Handler { return handlerFor(m.reg) }

// Registry is where the collectors live, for adding more or for tests.
func (m *Market) Registry() *prometheus.Registry { return m.reg }

// Handled implements market.Observer.
func (m *Market) Handled(kind market.MessageKind, d time.Duration) {
	if kind >= 0 && kind < market.NumMessageKinds {
		m.handled[kind].Observe(d.Seconds())
	}
}

// Dispatched implements market.Observer.
func (m *Market) Dispatched(waits []time.Duration) {
	for _, w := range waits {
		m.dispatchWait.Observe(w.Seconds())
	}
}

// Results implements market.Observer.
func (m *Market) Results(accepted, rejected int) {
	m.accepted.Add(float64(accepted))
	m.rejected.Add(float64(rejected))
}

// Committed implements market.Observer.
func (m *Market) Committed(d time.Duration, err error) {
	m.commitTime.Observe(d.Seconds())
	if err != nil {
		m.commitErrors.Inc()
	}
}

// MessageFailed implements market.Observer.
func (m *Market) MessageFailed(reason market.MessageError) {
	if reason >= 0 && reason < market.NumMessageErrors {
		m.messageErrors[reason].Inc()
	}
}

// VoucherSigned implements market.Observer.
func (m *Market) VoucherSigned(err error) {
	if err != nil {
		m.vouchersErr.Inc()
		return
	}
	m.vouchersOK.Inc()
}

// BudgetChecked implements market.Observer.
func (m *Market) BudgetChecked(err error) {
	switch {
	case err == nil:
		m.budgetOK.Inc()
	case bonfire.Code(err) == bonfire.ECodePaymentRequired:
		m.budgetRefused.Inc()
	default:
		m.budgetErr.Inc()
	}
}

// marketState turns market.Stats into gauges at scrape time, so the
// market keeps no metric of its own on the hot path.
type marketState struct {
	stats func() market.Stats
}

var (
	tasksDesc = prometheus.NewDesc("bonfire_market_tasks",
		"Task runs (jobs' own tasks and the check runs that verify them) by state: queued, assigned, running and verifying are the runs in them now; succeeded, failed and cancelled count the runs that reached them since the market started.",
		[]string{"state"}, nil)
	jobsDesc = prometheus.NewDesc("bonfire_market_jobs",
		"Unfinished jobs by state.", []string{"state"}, nil)
	providersDesc = prometheus.NewDesc("bonfire_market_providers",
		"Known providers by state (busy: an idle-mode provider whose owner is using the machine).", []string{"state"}, nil)
)

func (c *marketState) Describe(ch chan<- *prometheus.Desc) {
	ch <- tasksDesc
	ch <- jobsDesc
	ch <- providersDesc
}

func (c *marketState) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	gauge := func(d *prometheus.Desc, v int, state string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(v), state)
	}
	gauge(tasksDesc, s.Tasks.Queued, string(bonfire.TaskQueued))
	gauge(tasksDesc, s.Tasks.Assigned, string(bonfire.TaskAssigned))
	gauge(tasksDesc, s.Tasks.Running, string(bonfire.TaskRunning))
	gauge(tasksDesc, s.Tasks.Verifying, string(bonfire.TaskVerifying))
	gauge(tasksDesc, s.Tasks.Succeeded, string(bonfire.TaskSucceeded))
	gauge(tasksDesc, s.Tasks.Failed, string(bonfire.TaskFailed))
	gauge(tasksDesc, s.Tasks.Cancelled, string(bonfire.TaskCancelled))
	gauge(jobsDesc, s.JobsQueued, string(bonfire.JobQueued))
	gauge(jobsDesc, s.JobsRunning, string(bonfire.JobRunning))
	gauge(providersDesc, s.ProvidersOnline, string(bonfire.ProviderOnline))
	gauge(providersDesc, s.ProvidersBusy, string(bonfire.ProviderBusy))
	gauge(providersDesc, s.ProvidersOffline, string(bonfire.ProviderOffline))
}

// factory registers collectors as it makes them.
type factory struct{ reg *prometheus.Registry }

func (f factory) counter(name, help string) prometheus.Counter {
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	f.reg.MustRegister(c)
	return c
}

func (f factory) counterVec(name, help string, label string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{label})
	f.reg.MustRegister(c)
	return c
}

func (f factory) gauge(name, help string) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	f.reg.MustRegister(g)
	return g
}

func (f factory) histogram(name, help string, buckets []float64) prometheus.Histogram {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets})
	f.reg.MustRegister(h)
	return h
}

func (f factory) histogramVec(name, help string, buckets []float64, label string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, []string{label})
	f.reg.MustRegister(h)
	return h
}

func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

func handlerFor(reg *prometheus.Registry) http.Handler {
	// ContinueOnError: one failing collector (a ledger read) must not
	// hide every other metric.
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}
