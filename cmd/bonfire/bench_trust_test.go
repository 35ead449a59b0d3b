package main

import (
	"errors"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/trustsim"
)

func TestBenchTrustScenarios(t *testing.T) {
	o := trustBenchOptions{providers: 20, cheatRatio: 0.1, tasks: 2000, warmup: 2000, seed: 1, modes: modeNames(trustsim.CheatModes)}
	cfgs, err := o.scenarios()
	if err != nil {
		t.Fatal(err)
	}
	if len(cfgs) != len(trustsim.CheatModes)+1 {
		t.Fatalf("%d scenarios, want one per mode and an honest one", len(cfgs))
	}
	for i, m := range trustsim.CheatModes {
		c := cfgs[i]
		if c.Scenario != string(m) || c.Honest != 18 || len(c.Cheaters) != 2 || c.Cheaters[0] != m || c.Tasks != 2000 || c.Warmup != 2000 {
			t.Errorf("scenario %d: %+v", i, c)
		}
	}
	if h := cfgs[len(cfgs)-1]; h.Scenario != "honest" || h.Honest != 20 || len(h.Cheaters) != 0 {
		t.Errorf("honest scenario: %+v", h)
	}

	for _, bad := range []trustBenchOptions{
		{providers: 1, cheatRatio: 0.1, tasks: 10},
		{providers: 20, cheatRatio: 0, tasks: 10},
		{providers: 20, cheatRatio: 1.5, tasks: 10},
		{providers: 2, cheatRatio: 0.9, tasks: 10},
		{providers: 20, cheatRatio: 0.1, tasks: 10, modes: []string{"lazy"}},
	} {
		_, err := bad.scenarios()
		var be *bonfire.Error
		if !errors.As(err, &be) || be.Code != bonfire.ECodeInvalid || be.Field == "" {
			t.Errorf("%+v: %v, want an invalid-field error", bad, err)
		}
	}
}
