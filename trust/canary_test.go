package trust

import (
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestCanaryFromAndCheck(t *testing.T) {
	t.Parallel()
	res := &bonfire.TaskResult{TaskID: "j.1", InputsDigest: dg("in"), OutputDigest: dg("out")}
	agreed := Decide(2, []Replica{{"a", dg("out")}, {"b", dg("out")}})
	c, ok := CanaryFrom("c.7", res, agreed)
	if !ok || c.Expected != dg("out") || c.Inputs != dg("in") || c.TaskID != "c.7" {
		t.Fatalf("CanaryFrom = %+v, %v", c, ok)
	}
	if _, ok := CanaryFrom("c.8", res, Decide(1, []Replica{{"a", dg("out")}})); ok {
		t.Fatal("an unchecked result must not become a canary")
	}
	if _, ok := CanaryFrom("c.9", &bonfire.TaskResult{OutputDigest: dg("other")}, agreed); ok {
		t.Fatal("a result that is not the agreed one must not become a canary")
	}

	if err := c.Check(&bonfire.TaskResult{InputsDigest: dg("in"), OutputDigest: dg("out")}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, c.Check(&bonfire.TaskResult{InputsDigest: dg("in"), OutputDigest: dg("lazy")}), bonfire.ECodeInvalid, "result.outputDigest")
	wantErr(t, c.Check(&bonfire.TaskResult{InputsDigest: dg("other"), OutputDigest: dg("out")}), bonfire.ECodeInvalid, "result.inputsDigest")
	wantErr(t, c.Check(nil), bonfire.ECodeInvalid, "result")
}

func TestCanaryProbabilityDecaysToFloor(t *testing.T) {
	t.Parallel()
	cases := map[int]float64{0: 0.1, 10: 0.05, 90: 0.01, 190: 0.005, 10_000: MinCanaryProbability}
	for cv, want := range cases {
		if got := CanaryProbability(repWithCV(cv)); got != want {
			t.Errorf("CV %d: %v, want %v", cv, got, want)
		}
	}
	r := rng(4)
	const draws = 50_000
	n := 0
	for range draws {
		if PickCanary(Reputation{}, r) {
			n++
		}
	}
	// 10 % of 50,000 with a fixed seed: within 5 standard deviations (±335).
	if n < 4665 || n > 5335 {
		t.Fatalf("a new provider met %d canaries in %d tasks, want about 5000", n, draws)
	}
}
