package dashboard

import (
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
)

// providerRow is what one provider's columns read.
type providerRow struct {
	P        *bonfire.Provider
	Earnings *Earnings // nil when MoneySource has none for it
	M        money
}

// providerColumn is one column of the providers table. The table is this
// list, so a new column (reputation, once the core Provider has it) is one
// entry here.
type providerColumn struct {
	Header string
	Class  string // CSS class of its cells ("num" right-aligns)
	Cell   func(providerRow) string
}

var providerColumns = []providerColumn{
	{"provider", "", func(r providerRow) string { return r.P.Info.Name }},
	{"address", "addr", func(r providerRow) string { return string(r.P.Info.ID) }},
	{"state", "state", func(r providerRow) string { return string(r.P.State) }},
	{"mode", "", func(r providerRow) string {
		if r.P.Info.IdleMode {
			return "idle-mode"
		}
		return "always"
	}},
	{"hardware", "", func(r providerRow) string {
		hw := r.P.Info.Hardware
		s := fmt.Sprintf("%s/%s, %d cores, %s", hw.OS, hw.Arch, hw.CPUCores, formatBytes(hw.MemoryBytes))
		for _, g := range hw.GPUs {
			s += ", " + g.Model
		}
		return s
	}},
	{"lends", "", func(r providerRow) string {
		l := r.P.Info.Lend
		return fmt.Sprintf("%s cpu, %s", formatCPU(l.CPUMilli), formatBytes(l.MemoryBytes))
	}},
	{"price / cpu-s", "num", func(r providerRow) string { return r.M.U(r.P.Info.PricePerCPUSecond) }},
	{"running", "num", func(r providerRow) string { return fmt.Sprint(r.P.Running) }},
	{"tasks done", "num", func(r providerRow) string { return fmt.Sprint(r.P.TasksDone) }},
	{"tasks failed", "num", func(r providerRow) string { return fmt.Sprint(r.P.TasksFailed) }},
	{"reputation", "num", func(r providerRow) string {
		rep := r.P.Reputation
		s := fmt.Sprintf("%.2f (agreed %d, faults %d, canaries %d/%d, CV %d)", rep.Score, rep.Agreed, rep.Faults,
			rep.CanariesPassed, rep.CanariesPassed+rep.CanariesFailed, rep.CV)
		if r.P.Unhealthy {
			s += ", unhealthy"
		}
		return s
	}},
	{"hardware check", "", func(r providerRow) string {
		if r.P.LastChallenge == "" {
			return "—"
		}
		return fmt.Sprintf("%s (claimed %.3g, measured %.3g)", r.P.LastChallenge, r.P.Reputation.ClaimedScore, r.P.Reputation.MeasuredScore)
	}},
	{"slashed", "num", func(r providerRow) string { return r.M.U(r.P.Slashed) }},
	{"rejected", "num", func(r providerRow) string {
		if r.P.Rejections == 0 {
			return "0"
		}
		return fmt.Sprintf("%d (last: %s)", r.P.Rejections, r.P.LastRejection)
	}},
	{"earned", "num earned", func(r providerRow) string {
		if r.Earnings == nil {
			return "—"
		}
		return r.M.Big(r.Earnings.Earned)
	}},
	{"claimed", "num", func(r providerRow) string {
		if r.Earnings == nil {
			return "—"
		}
		return r.M.Big(r.Earnings.Claimed)
	}},
	{"last heartbeat", "", func(r providerRow) string {
		if r.P.LastHeartbeat.IsZero() {
			return "never"
		}
		return time.Since(r.P.LastHeartbeat).Round(time.Second).String() + " ago"
	}},
}

// providersData is the providers page: the header and each row's cells.
type providersData struct {
	Columns  []providerColumn
	Rows     [][]string
	States   []bonfire.ProviderState
	Problems []*bonfire.Error
	// History is one reputation chart per provider, from the samples.
	History []template.HTML
}

func (d *Dashboard) providerPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := pageCtx(r)
	defer cancel()
	ps, err := d.cfg.Providers.Providers(ctx)
	if err != nil {
		d.fail(w, r, err)
		return
	}
	sort.Slice(ps, func(i, j int) bool { return strings.ToLower(ps[i].Info.Name) < strings.ToLower(ps[j].Info.Name) })
	data := providersData{Columns: providerColumns}
	earnings, m, err := d.earningsByProvider(ctx)
	if err != nil {
		data.Problems = append(data.Problems, problem(err, "earnings"))
	}
	for _, p := range ps {
		row := providerRow{P: p, M: m}
		if e, ok := earnings[p.Info.ID.Normal()]; ok {
			row.Earnings = &e
		}
		cells := make([]string, len(providerColumns))
		for i, c := range providerColumns {
			cells[i] = c.Cell(row)
		}
		data.Rows = append(data.Rows, cells)
		data.States = append(data.States, p.State)
	}
	samples := d.ring.all()
	for _, p := range ps {
		var ts []time.Time
		var ys []float64
		for _, sm := range samples {
			if v, ok := sm.Scores[p.Info.ID]; ok {
				ts, ys = append(ts, sm.At), append(ys, v)
			}
		}
		data.History = append(data.History, lineChart(p.Info.Name+" reputation", ts, ys, func(v float64) string { return fmt.Sprintf("%.2f", v) }))
	}
	d.render(w, r, "providers", "Providers", data)
}
