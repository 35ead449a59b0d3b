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
	maxProduct := new(big.Int).Mul(big.NewInt(math.MaxInt64), new(big.Int).SetUint64(math.MaxUint64))
	maxProduct.Add(maxProduct, big.NewInt(999_999_999))
	maxProduct.Quo(maxProduct, big.NewInt(1_000_000_000))
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
		{"largest inputs do not overflow", math.MaxInt64, math.MaxUint64, math.MaxUint64, maxProduct},
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
