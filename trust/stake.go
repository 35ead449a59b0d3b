package trust

import (
	"math"
	"math/big"

	"github.com/bonfirenet/bonfire"
)

// RequiredStake is the smallest stake that makes cheating lose money on
// average when each wrong result is caught with probability p and a task
// pays v: ceil((1−p)/p × v). An uncaught cheat earns at most v (it is paid
// without doing the work); a caught one forfeits the stake S, so the
// expected gain (1−p)·v − p·S is negative only when S > (1−p)/p × v
// (docs/trust.md). The arithmetic is exact (big.Rat), so rounding never
// leaves the stake a unit short. p ≥ 1 needs no stake; p ≤ 0 (never
// checked) can be made safe by no stake, and that is an error.
func RequiredStake(p float64, v uint64) (uint64, error) {
	if math.IsNaN(p) || p <= 0 {
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "check probability %v: a provider that is never checked cannot be deterred by any stake", p).
			WithField("checkProbability").WithHint("use a policy that checks (adaptive or replicate: N), or do not rely on stake")
	}
	if p >= 1 || v == 0 {
		return 0, nil
	}
	pr := new(big.Rat).SetFloat64(p)
	s := new(big.Rat).Sub(big.NewRat(1, 1), pr)
	s.Quo(s, pr)
	s.Mul(s, new(big.Rat).SetInt(new(big.Int).SetUint64(v)))
	q, r := new(big.Int).QuoRem(s.Num(), s.Denom(), new(big.Int))
	if r.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsUint64() {
		return 0, bonfire.Errorf(bonfire.ECodeTooLarge, "the stake for check probability %v and value %d exceeds 2^64−1", p, v).
			WithField("checkProbability").WithHint("check more often or split the job into cheaper tasks")
	}
	return q.Uint64(), nil
}
