package bonfire_test

import (
	"math"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestCharge(t *testing.T) {
	t.Parallel()
	// Charges are uint64 in the market's state; a product beyond that
	// saturates rather than wrapping round to a small charge.
	saturated := uint64(math.MaxUint64)
	for _, c := range []struct {
		name            string
		cpuNanos        int64
		price, maxPrice uint64
		want            uint64
	}{
		{"one cpu-second at the provider's price", 1e9, 100, 200, 100},
		{"capped by the job's max price", 1e9, 300, 200, 200},
		{"free provider", 5e9, 0, 200, 0},
		{"free job (max price zero)", 5e9, 100, 0, 0},
		{"no cpu used", 0, 100, 100, 0},
		{"negative usage is treated as none", -5, 100, 100, 0},
		{"one nanosecond rounds up to one unit", 1, 1, 1, 1},
		{"exact multiple does not round", 2e9, 7, 7, 14},
		{"a nanosecond past rounds up", 2e9 + 1, 7, 7, 15},
		{"1.5 s at 3/s", 1_500_000_000, 3, 10, 5}, // 4.5 → 5
		{"largest inputs saturate instead of wrapping", math.MaxInt64, math.MaxUint64, math.MaxUint64, saturated},
		{"a year at 1 tUSD per cpu-second still fits", 365 * 24 * 3600 * 1e9, 1_000_000, 1_000_000, 365 * 24 * 3600 * 1_000_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := bonfire.Charge(c.cpuNanos, c.price, c.maxPrice)
			if got != c.want {
				t.Fatalf("Charge(%d ns, %d, %d) = %d, want %d", c.cpuNanos, c.price, c.maxPrice, got, c.want)
			}
		})
	}
}
