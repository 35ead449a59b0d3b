package dashboard

import (
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"
)

func TestLineChartPlotsEveryPointAndEscapes(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(0, 0)
	ts := []time.Time{t0, t0.Add(time.Second), t0.Add(2 * time.Second)}
	svg := string(lineChart("a<b", ts, []float64{0, 5, math.NaN()}, func(v float64) string { return fmt.Sprint(v) }))
	if !strings.Contains(svg, "a&lt;b") || strings.Contains(svg, "a<b") {
		t.Fatalf("title not escaped: %s", svg)
	}
	i := strings.Index(svg, `points="`)
	pts := strings.Fields(svg[i+len(`points="`) : i+strings.Index(svg[i:], `" `)])
	if len(pts) != 3 || pts[1] != "313.0,24.0" || pts[2] != "592.0,132.0" {
		t.Fatalf("points %v: want 3, the max at the top, NaN at zero", pts)
	}
	if !strings.Contains(svg, "last 2s") {
		t.Errorf("no time span in %s", svg)
	}
	if empty := string(lineChart("x", nil, nil, nil)); !strings.Contains(empty, "no samples yet") {
		t.Errorf("empty chart: %s", empty)
	}
}

func TestBarChartScalesToTheLargest(t *testing.T) {
	t.Parallel()
	svg := string(barChart("acc", []bar{{"lr=0.1", 1}, {"<x>", 0.5}}, func(v float64) string { return fmt.Sprint(v) }))
	if strings.Count(svg, "<rect") != 2 || !strings.Contains(svg, `width="310.0"`) || !strings.Contains(svg, `width="155.0"`) {
		t.Fatalf("bars: %s", svg)
	}
	if !strings.Contains(svg, "&lt;x&gt;") {
		t.Fatal("label not escaped")
	}
}

func TestMoneyFormatsBaseUnits(t *testing.T) {
	t.Parallel()
	m := money{decimals: 6, symbol: "tUSD"}
	for in, want := range map[int64]string{0: "0 tUSD", 1: "0.000001 tUSD", 1_500_000: "1.5 tUSD", -2_000_000: "-2 tUSD", 123_456_789: "123.456789 tUSD"} {
		if got := m.Big(big.NewInt(in)); got != want {
			t.Errorf("%d: %q, want %q", in, got, want)
		}
	}
	if (money{}).U(42) != "42" || m.Big(nil) != "—" {
		t.Error("no decimals or nil amount")
	}
}
