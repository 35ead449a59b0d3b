package trust

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestParsePolicy(t *testing.T) {
	t.Parallel()
	good := map[string]Policy{
		"":               Adaptive(),
		"adaptive":       Adaptive(),
		"  none ":        None(),
		"replicate: 2":   Replicate(2),
		"replicate:3":    Replicate(3),
		"replicate : 16": Replicate(16),
	}
	for in, want := range good {
		got, err := ParsePolicy(in)
		if err != nil || got != want {
			t.Errorf("ParsePolicy(%q) = %+v, %v; want %+v", in, got, err, want)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("%q parsed to an invalid policy: %v", in, err)
		}
	}
	bad := []struct{ in, field, msg string }{
		{"replicate: 1", "verify.replicate", "1 is below 2"},
		{"replicate: 0", "verify.replicate", "0 is below 2"},
		{"replicate: -3", "verify.replicate", "-3 is below 2"},
		{"replicate: 17", "verify.replicate", "17 is above 16"},
		{"replicate: two", "verify.replicate", `"two" is not a whole number`},
		{"replicate", "verify.replicate", "replicate needs a count"},
		{"replicate:", "verify.replicate", "replicate needs a count"},
		{"Adaptive", "verify", `"Adaptive" is not a verification policy`},
		{"always", "verify", `"always" is not a verification policy`},
		{"none: 2", "verify", `"none: 2" is not a verification policy`},
	}
	for _, b := range bad {
		_, err := ParsePolicy(b.in)
		e := wantErr(t, err, bonfire.ECodeInvalid, b.field)
		if e.Message != b.msg {
			t.Errorf("ParsePolicy(%q): message %q, want %q", b.in, e.Message, b.msg)
		}
	}
	if got := (&bonfire.Error{Field: "verify.replicate", Message: "1 is below 2"}).Error(); got != "verify.replicate: 1 is below 2" {
		t.Fatalf("error text %q", got)
	}
}

func TestPolicyTextRoundTrip(t *testing.T) {
	t.Parallel()
	for _, p := range []Policy{Adaptive(), None(), Replicate(5)} {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Policy
		if err := json.Unmarshal(b, &back); err != nil || back != p {
			t.Fatalf("%s → %s → %+v, %v", p, b, back, err)
		}
	}
	var p Policy
	if err := json.Unmarshal([]byte(`"replicate: 1"`), &p); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Fatalf("bad policy through JSON: %v", err)
	}
	if (Policy{}).String() != "adaptive" {
		t.Fatal("the zero policy must be adaptive")
	}
	wantErr(t, Policy{Mode: "sometimes"}.Validate(), bonfire.ECodeInvalid, "verify")
	wantErr(t, Policy{Mode: ModeNone, Replicas: 3}.Validate(), bonfire.ECodeInvalid, "verify")
	wantErr(t, Replicate(1).Validate(), bonfire.ECodeInvalid, "verify.replicate")
}

func TestNeedsCheckFixedPolicies(t *testing.T) {
	t.Parallel()
	r := rng(1)
	for _, cv := range []int{0, 9, 10, 1000} {
		rep := repWithCV(cv)
		if n := NeedsCheck(None(), rep, r); n != 1 {
			t.Errorf("none, CV %d: %d replicas", cv, n)
		}
		if n := NeedsCheck(Replicate(3), rep, r); n != 3 {
			t.Errorf("replicate: 3, CV %d: %d replicas", cv, n)
		}
	}
}

func TestNeedsCheckAlwaysBelowThreshold(t *testing.T) {
	t.Parallel()
	r := rng(2)
	for cv := range AlwaysCheckBelow {
		for range 200 {
			if n := NeedsCheck(Policy{}, repWithCV(cv), r); n != 2 {
				t.Fatalf("CV %d got %d replicas; every task below CV %d must be checked", cv, n, AlwaysCheckBelow)
			}
		}
	}
}

func TestNeedsCheckRateIsOneOverCV(t *testing.T) {
	t.Parallel()
	r := rng(3)
	for _, cv := range []int{10, 20, 50} {
		rep := repWithCV(cv)
		const draws = 100_000
		checked := 0
		for range draws {
			if NeedsCheck(Adaptive(), rep, r) == 2 {
				checked++
			}
		}
		got, want := float64(checked)/draws, 1/float64(cv)
		// Five standard deviations of a binomial proportion; the seed is
		// fixed, so this is a statement about the rule, not a flaky test.
		sd := 5 * math.Sqrt(want*(1-want)/draws)
		if got < want-sd || got > want+sd {
			t.Errorf("CV %d: checked %.4f of tasks, want %.4f ± %.4f", cv, got, want, sd)
		}
		if p := ReplicaCheckProbability(Adaptive(), rep); p != want {
			t.Errorf("ReplicaCheckProbability at CV %d = %v", cv, p)
		}
	}
}

func TestCheckProbabilityCombinesCanaries(t *testing.T) {
	t.Parallel()
	if p := CheckProbability(Adaptive(), repWithCV(0)); p != 1 {
		t.Fatalf("a new provider is always checked, got %v", p)
	}
	rep := repWithCV(40)
	c, r := CanaryProbability(rep), 1.0/40
	if p := CheckProbability(Adaptive(), rep); p != c+(1-c)*r || p <= r {
		t.Fatalf("CheckProbability = %v, want %v", p, c+(1-c)*r)
	}
	if p := CheckProbability(None(), rep); p != c {
		t.Fatalf("with verify: none only canaries check, got %v want %v", p, c)
	}
}
