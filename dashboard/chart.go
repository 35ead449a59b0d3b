package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"time"
)

// Chart sizes, in SVG user units; the CSS scales them to the page.
const (
	chartW, chartH = 600, 150
	chartPad       = 34
	barRowH        = 22
	barLabelW      = 220
)

// lineChart draws ys over ts as an SVG line with its latest value, the
// maximum and the time span. format writes a value for people.
func lineChart(title string, ts []time.Time, ys []float64, format func(float64) string) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`, chartW, chartH, html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="4" y="14" class="title">%s</text>`, html.EscapeString(title))
	if len(ys) == 0 {
		b.WriteString(`<text x="4" y="60" class="none">no samples yet</text></svg>`)
		return template.HTML(b.String())
	}
	hi := 0.0
	for _, y := range ys {
		if !math.IsNaN(y) && !math.IsInf(y, 0) {
			hi = max(hi, y)
		}
	}
	if hi == 0 {
		hi = 1
	}
	x0, x1 := float64(chartPad), float64(chartW-8)
	y0, y1 := float64(chartH-18), 24.0
	var pts strings.Builder
	for i, y := range ys {
		if math.IsNaN(y) || math.IsInf(y, 0) {
			y = 0
		}
		x := x0
		if len(ys) > 1 {
			x = x0 + (x1-x0)*float64(i)/float64(len(ys)-1)
		}
		fmt.Fprintf(&pts, "%.1f,%.1f ", x, y0-(y0-y1)*y/hi)
	}
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" class="axis"/>`, x0, y0, x1, y0)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" class="grid"/>`, x0, y1, x1, y1)
	fmt.Fprintf(&b, `<text x="%g" y="%g" class="tick">%s</text>`, x0+3, y1-3, html.EscapeString(format(hi)))
	fmt.Fprintf(&b, `<text x="%g" y="%g" class="tick" text-anchor="end">0</text>`, x0-3, y0)
	fmt.Fprintf(&b, `<polyline points="%s" class="line"/>`, strings.TrimSpace(pts.String()))
	span := ""
	if len(ts) > 1 {
		span = "last " + ts[len(ts)-1].Sub(ts[0]).Round(time.Second).String()
	}
	fmt.Fprintf(&b, `<text x="%g" y="%d" class="tick">%s</text>`, x0, chartH-3, html.EscapeString(span))
	fmt.Fprintf(&b, `<text x="%d" y="14" class="now" text-anchor="end">now %s</text>`, chartW-8, html.EscapeString(format(ys[len(ys)-1])))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// bar is one row of a bar chart.
type bar struct {
	Label string
	Value float64
}

// barChart draws one horizontal bar per row, scaled to the largest value,
// with the value written after each bar.
func barChart(title string, bars []bar, format func(float64) string) template.HTML {
	h := 24 + barRowH*len(bars)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart bars" viewBox="0 0 %d %d" role="img" aria-label="%s">`, chartW, h, html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="4" y="14" class="title">%s</text>`, html.EscapeString(title))
	hi := 0.0
	for _, r := range bars {
		hi = max(hi, r.Value)
	}
	if hi <= 0 {
		hi = 1
	}
	room := float64(chartW - barLabelW - 70)
	for i, r := range bars {
		y := 24 + barRowH*i
		w := math.Max(0, room*r.Value/hi)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="label" text-anchor="end">%s</text>`, barLabelW-6, y+15, html.EscapeString(r.Label))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" class="bar"/>`, barLabelW, y+3, w, barRowH-6)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="value">%s</text>`, float64(barLabelW)+w+4, y+15, html.EscapeString(format(r.Value)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
