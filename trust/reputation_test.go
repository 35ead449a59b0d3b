package trust

import (
	"encoding/json"
	"math"
	"testing"
)

func TestReputationEvents(t *testing.T) {
	t.Parallel()
	var r Reputation
	if s := r.ComputeScore(); s != 0.5 {
		t.Fatalf("a newcomer scores %v, want 0.5", s)
	}
	for range 10 {
		r.RecordAgreement()
	}
	r.RecordUnchecked()
	r.RecordCanary(true)
	if r.CV != 12 || r.TasksDone != 12 || r.Agreed != 10 || r.CanariesPassed != 1 { // unchecked counts toward CV, as in BOINC
		t.Fatalf("after 10 agreements, 1 unchecked, 1 canary: %+v", r)
	}
	if s := r.ComputeScore(); math.Abs(s-16.0/21) > 1e-12 {
		t.Fatalf("score %v, want 16/21", s)
	}
	high := r.ComputeScore()
	r.RecordFault()
	if r.CV != 0 || r.Faults != 1 || r.ComputeScore() >= high {
		t.Fatalf("a fault must reset CV and lower the score: %+v %v", r, r.ComputeScore())
	}
	for range 3 {
		r.RecordAgreement()
	}
	r.RecordCanary(false)
	if r.CV != 0 || r.CanariesFailed != 1 || r.TasksDone != 17 {
		t.Fatalf("a failed canary is a fault: %+v", r)
	}
}

func TestScoreFormulaPoints(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		r    Reputation
		want float64
	}{
		{"10 agreements", Reputation{Agreed: 10}, 0.75},
		{"100 agreements", Reputation{Agreed: 100}, 105.0 / 110},
		{"100 and a fault", Reputation{Agreed: 100, Faults: 1}, 105.0 / 120},
		{"only faults", Reputation{Faults: 1000}, 5.0 / 10010},
		{"slow: half the claim within slack", Reputation{ClaimedScore: 10, MeasuredScore: 5}, 0.5},
		{"slow: a quarter of the claim", Reputation{ClaimedScore: 10, MeasuredScore: 2.5}, 0.25},
		{"one failed challenge", Reputation{ChallengesFailed: 1}, 0.25},
		{"half the time down", Reputation{Uptime: 0.5, UptimeSamples: 10}, 0.25},
		{"never up", Reputation{Agreed: 1000, UptimeSamples: 3}, 0},
	}
	for _, c := range cases {
		if got := c.r.ComputeScore(); math.Abs(got-c.want) > 1e-12 || got < 0 || got > 1 {
			t.Errorf("%s: score %v, want %v", c.name, got, c.want)
		}
	}
}

func TestUptimeAverage(t *testing.T) {
	t.Parallel()
	var r Reputation
	for i := range 100 {
		r.RecordHeartbeat(i%4 != 0)
	}
	if math.Abs(r.Uptime-0.75) > 1e-9 {
		t.Fatalf("uptime %v after 75 of 100 samples", r.Uptime)
	}
	// Past the window an old outage fades: a day of full uptime after it
	// lifts the average to about 1 − 0.25/e.
	for range UptimeWindow {
		r.RecordHeartbeat(true)
	}
	if r.Uptime < 0.9 || r.Uptime >= 1 {
		t.Fatalf("uptime %v after a good day", r.Uptime)
	}
}

func TestReputationJSONRoundTrip(t *testing.T) {
	t.Parallel()
	r := Reputation{TasksDone: 7, Agreed: 5, Faults: 1, CV: 3, CanariesPassed: 1, ChallengesPassed: 2,
		ClaimedScore: 15, MeasuredScore: 14.2, Uptime: 0.99, UptimeSamples: 40}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Reputation
	if err := json.Unmarshal(b, &back); err != nil || back != r {
		t.Fatalf("%s → %+v, %v", b, back, err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for _, k := range []string{"tasksDone", "agreed", "faults", "cv", "canariesPassed", "challengesPassed", "uptime"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
}
