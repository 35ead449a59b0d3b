package settlement

import (
	"math/big"

	"github.com/bonfirenet/bonfire"
)

var nanosPerSecond = big.NewInt(1_000_000_000)

// Charge is what a task that used usage costs at the provider's
// pricePerCPUSecond, capped by the job's maxPricePerCPUSecond, in the token's
// smallest unit. The division rounds up: a provider is never paid for less
// CPU time than it ran. big.Int keeps nanoseconds × price from overflowing.
func Charge(usage bonfire.Usage, pricePerCPUSecond, maxPricePerCPUSecond uint64) *big.Int {
	price := min(pricePerCPUSecond, maxPricePerCPUSecond)
	if price == 0 || usage.CPUNanos <= 0 {
		return new(big.Int)
	}
	total := new(big.Int).Mul(big.NewInt(usage.CPUNanos), new(big.Int).SetUint64(price))
	total.Add(total, new(big.Int).Sub(nanosPerSecond, big.NewInt(1)))
	return total.Quo(total, nanosPerSecond)
}
