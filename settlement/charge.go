package settlement

import (
	"math/big"

	"github.com/bonfirenet/bonfire"
)

// Charge is bonfire.Charge for usage, as a big.Int for voucher arithmetic.
func Charge(usage bonfire.Usage, pricePerCPUSecond, maxPricePerCPUSecond uint64) *big.Int {
	return new(big.Int).SetUint64(bonfire.Charge(usage.CPUNanos, pricePerCPUSecond, maxPricePerCPUSecond))
}
