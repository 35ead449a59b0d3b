package trust

import (
	"math"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestRequiredStake(t *testing.T) {
	t.Parallel()
	cases := []struct {
		p    float64
		v    uint64
		want uint64
	}{
		{1, 100, 0},
		{1.5, 100, 0},
		{0.5, 100, 100},
		{0.1, 100, 900},
		{0.25, 1_000_000, 3_000_000},
		{1.0 / 3, 10, 21}, // 20.000…01 in binary floating point: rounds up, never down
		{0.3, 7, 17},      // 16.33… → 17
		{0.01, 0, 0},
	}
	for _, c := range cases {
		got, err := RequiredStake(c.p, c.v)
		if err != nil || got != c.want {
			t.Errorf("RequiredStake(%v, %d) = %d, %v; want %d", c.p, c.v, got, err, c.want)
		}
	}
	_, err := RequiredStake(1e-300, math.MaxUint64)
	wantErr(t, err, bonfire.ECodeTooLarge, "checkProbability")
	for _, p := range []float64{0, -0.5, math.NaN()} {
		_, err := RequiredStake(p, 100)
		wantErr(t, err, bonfire.ECodeInvalid, "checkProbability")
	}
}

// TestRequiredStakeMakesCheatingUnprofitable checks the claim itself: at the
// required stake, the expected gain of one cheat (1−p)·v − p·S is ≤ 0, and
// one unit less would make it positive.
func TestRequiredStakeMakesCheatingUnprofitable(t *testing.T) {
	t.Parallel()
	for _, p := range []float64{0.02, 0.1, 0.37, 0.5, 0.9} {
		for _, v := range []uint64{1, 3, 1000, 123457} {
			s, err := RequiredStake(p, v)
			if err != nil {
				t.Fatal(err)
			}
			gain := func(s uint64) float64 { return (1-p)*float64(v) - p*float64(s) }
			if gain(s) > 1e-9 {
				t.Errorf("p %v v %d: stake %d leaves gain %v", p, v, s, gain(s))
			}
			if s > 0 && gain(s-1) <= -1e-9 {
				t.Errorf("p %v v %d: stake %d is more than needed", p, v, s)
			}
		}
	}
}
