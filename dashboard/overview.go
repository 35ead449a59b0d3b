package dashboard

import (
	"fmt"
	"html/template"
	"net/http"
	"time"
)

// overviewData is the overview page: the newest sample and the charts.
type overviewData struct {
	Now    sample
	Have   bool
	M      money
	Charts []template.HTML
}

func (d *Dashboard) overview(w http.ResponseWriter, r *http.Request) {
	ss := d.ring.all()
	data := overviewData{}
	if d.cfg.Money != nil {
		data.M = moneyOf(d.cfg.Money.Settlement())
	}
	if len(ss) > 0 {
		data.Now, data.Have = ss[len(ss)-1], true
	}
	data.Charts = overviewCharts(ss, data.M)
	d.render(w, r, "overview", "Overview", data)
}

// overviewCharts draws every chart of the overview from the samples.
func overviewCharts(ss []sample, m money) []template.HTML {
	ts := make([]time.Time, len(ss))
	for i, s := range ss {
		ts[i] = s.At
	}
	series := func(f func(sample) float64) []float64 {
		out := make([]float64, len(ss))
		for i, s := range ss {
			out[i] = f(s)
		}
		return out
	}
	count := func(v float64) string { return fmt.Sprintf("%.0f", v) }
	return []template.HTML{
		lineChart("providers online", ts, series(func(s sample) float64 { return float64(s.ProvidersOnline) }), count),
		lineChart("utilisation", ts, series(func(s sample) float64 { return s.Utilisation * 100 }),
			func(v float64) string { return fmt.Sprintf("%.0f%%", v) }),
		lineChart("tasks per second", ts, series(func(s sample) float64 { return s.TasksPerSecond }),
			func(v float64) string { return fmt.Sprintf("%.2f/s", v) }),
		lineChart("tasks running", ts, series(func(s sample) float64 { return float64(s.TasksRunning) }), count),
		lineChart("tasks queued", ts, series(func(s sample) float64 { return float64(s.TasksQueued) }), count),
		lineChart("escrowed for live jobs", ts, series(func(s sample) float64 { return float64(s.Escrowed) }),
			func(v float64) string { return m.U(uint64(v)) }),
		lineChart("charged (paid to providers)", ts, series(func(s sample) float64 { return float64(s.Charged) }),
			func(v float64) string { return m.U(uint64(v)) }),
	}
}

// formatCPU writes milli-cores as cores.
func formatCPU(milli int64) string {
	if milli%1000 == 0 {
		return fmt.Sprintf("%d", milli/1000)
	}
	return fmt.Sprintf("%.2f", float64(milli)/1000)
}

// formatBytes writes a size with a binary unit.
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for v := n / unit; v >= unit; v /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
