package settlement_test

import (
	"math"
	"math/big"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/settlement"
)

func TestCharge(t *testing.T) {
	t.Parallel()
	// Charges are uint64 in the market's state; a product beyond that
	// saturates rather than wrapping round to a small charge.
	saturated := new(big.Int).SetUint64(math.MaxUint64)
	for _, c := range []struct {
		name            string
		cpuNanos        int64
		price, maxPrice uint64
		want            *big.Int
	}{
		{"one cpu-second at the provider's price", 1e9, 100, 200, big.NewInt(100)},
		{"capped by the job's max price", 1e9, 300, 200, big.NewInt(200)},
		{"free provider", 5e9, 0, 200, big.NewInt(0)},
		{"free job (max price zero)", 5e9, 100, 0, big.NewInt(0)},
		{"no cpu used", 0, 100, 100, big.NewInt(0)},
		{"negative usage is treated as none", -5, 100, 100, big.NewInt(0)},
		{"one nanosecond rounds up to one unit", 1, 1, 1, big.NewInt(1)},
		{"exact multiple does not round", 2e9, 7, 7, big.NewInt(14)},
		{"a nanosecond past rounds up", 2e9 + 1, 7, 7, big.NewInt(15)},
		{"1.5 s at 3/s", 1_500_000_000, 3, 10, big.NewInt(5)}, // 4.5 → 5
		{"largest inputs saturate instead of wrapping", math.MaxInt64, math.MaxUint64, math.MaxUint64, saturated},
		{"a year at 1 tUSD per cpu-second still fits", 365 * 24 * 3600 * 1e9, 1_000_000, 1_000_000, big.NewInt(365 * 24 * 3600 * 1_000_000)},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := settlement.Charge(bonfire.Usage{CPUNanos: c.cpuNanos}, c.price, c.maxPrice)
			if got.Cmp(c.want) != 0 {
				t.Fatalf("Charge(%d ns, %d, %d) = %s, want %s", c.cpuNanos, c.price, c.maxPrice, got, c.want)
			}
		})
	}
}
