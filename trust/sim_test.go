package trust

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// This file is a pure simulation of the policy maths: providers are
// functions from a task to a digest, the "market" is a loop. It checks that
// NeedsCheck, Decide and canaries together accept no wrong result from a
// provider that always lies, and measures what checking costs. The real
// adversarial run through the market (NATS, SQLite, commit–reveal on the
// wire) is issue 4's end-to-end test.

type cheatMode int

const (
	honest       cheatMode = iota
	randomWrong            // every result is a random digest
	sometimesBad           // a random digest with probability simConfig.lieRate
)

type simConfig struct {
	providers, cheaters int
	mode                cheatMode
	lieRate             float64
	warmup, tasks       int // warm-up tasks are run but not counted
	seed                uint64
	policy              Policy
}

type simResult struct {
	executions    int   // every run: primaries, replicas, referees, canaries
	useful        int   // accepted tasks
	wrongAccepted int   // accepted results that were not the true digest
	inconclusive  int   // tasks Decide gave up on
	caughtAfter   []int // per caught cheater: executions it made until caught
	uncaught      int   // cheaters still active at the end
}

// overhead is extra executions ÷ useful executions.
func (r simResult) overhead() float64 { return float64(r.executions-r.useful) / float64(r.useful) }

type simProvider struct {
	addr   bonfire.Address
	cheat  bool
	rep    Reputation
	runs   int
	banned bool
}

func simulate(c simConfig) simResult {
	rng := rand.New(rand.NewPCG(c.seed, 0x5eed))
	ps := make([]*simProvider, c.providers)
	for i := range ps {
		ps[i] = &simProvider{addr: bonfire.Address(fmt.Sprintf("0x%040x", i)), cheat: i < c.cheaters}
	}
	var res simResult
	counting := false

	truth := func(task string) bonfire.Digest { return bonfire.Digest("sha256:" + task) }
	run := func(p *simProvider, task string) bonfire.Digest {
		p.runs++
		if counting {
			res.executions++
		}
		lie := p.cheat && (c.mode == randomWrong || c.mode == sometimesBad && rng.Float64() < c.lieRate)
		if lie {
			return bonfire.Digest(fmt.Sprintf("sha256:wrong-%x", rng.Uint64()))
		}
		return truth(task)
	}
	// catch is what the market does to a faulted provider: CV to 0 (via
	// the reputation event) and, for this simulation, a ban standing in for
	// slashing, since every fault here is a real cheat.
	catch := func(p *simProvider) {
		if p.cheat && !p.banned && counting {
			res.caughtAfter = append(res.caughtAfter, p.runs)
		}
		p.banned = true
	}
	pick := func(exclude []bonfire.Address) *simProvider {
		var free []*simProvider
		for _, p := range ps {
			if !p.banned && !slices.Contains(exclude, p.addr) {
				free = append(free, p)
			}
		}
		if len(free) == 0 {
			return nil
		}
		return free[rng.IntN(len(free))]
	}
	byAddr := func(a bonfire.Address) *simProvider {
		for _, p := range ps {
			if p.addr == a {
				return p
			}
		}
		panic("unknown provider " + a)
	}

	for t := range c.warmup + c.tasks {
		counting = t >= c.warmup
		task := fmt.Sprintf("t%d", t)

		// The market may hand the provider a canary before the task.
		primary := pick(nil)
		for primary != nil && PickCanary(primary.rep, rng) {
			canary := fmt.Sprintf("canary%d", t)
			ok := run(primary, canary) == truth(canary)
			primary.rep.RecordCanary(ok)
			if ok {
				break
			}
			catch(primary)
			primary = pick(nil)
		}
		if primary == nil {
			break
		}

		want := NeedsCheck(c.policy, primary.rep, rng)
		results := []Replica{{primary.addr, run(primary, task)}}
		for len(results) < want {
			p := pick(addrs(results))
			if p == nil {
				break
			}
			results = append(results, Replica{p.addr, run(p, task)})
		}
		for {
			d := Decide(want, results)
			switch d.Outcome {
			case NeedReferee:
				if p := pick(d.Exclude); p != nil {
					results = append(results, Replica{p.addr, run(p, task)})
					continue
				}
			case Agreed:
				if counting {
					res.useful++
					if d.Result != truth(task) {
						res.wrongAccepted++
					}
				}
				if want == 1 {
					primary.rep.RecordUnchecked()
				}
				for _, a := range d.Agree {
					if want > 1 {
						byAddr(a).rep.RecordAgreement()
					}
				}
				for _, a := range d.Faulted {
					byAddr(a).rep.RecordFault()
					catch(byAddr(a))
				}
				goto next
			}
			if counting {
				res.inconclusive++
			}
			goto next
		}
	next:
	}
	for _, p := range ps {
		if p.cheat && !p.banned {
			res.uncaught++
		}
	}
	return res
}

func addrs(rs []Replica) []bonfire.Address {
	var out []bonfire.Address
	for _, r := range rs {
		out = append(out, r.Provider)
	}
	return out
}

func TestSimulationRandomWrongOutputIsNeverAccepted(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		r := simulate(simConfig{providers: 20, cheaters: 2, mode: randomWrong, tasks: 2000, seed: seed, policy: Adaptive()})
		if r.wrongAccepted != 0 {
			t.Errorf("seed %d: %d wrong results accepted", seed, r.wrongAccepted)
		}
		if r.uncaught != 0 || len(r.caughtAfter) != 2 {
			t.Errorf("seed %d: %d cheaters uncaught, caught %v", seed, r.uncaught, r.caughtAfter)
		}
		// A liar's first run is always compared (CV 0), so it is caught on it.
		for _, n := range r.caughtAfter {
			if n != 1 {
				t.Errorf("seed %d: a cheater made %d runs before being caught", seed, n)
			}
		}
		if r.useful+r.inconclusive != 2000 || r.inconclusive != 0 {
			t.Errorf("seed %d: %d accepted, %d inconclusive of 2000", seed, r.useful, r.inconclusive)
		}
	}
}

func TestSimulationOverheadTargets(t *testing.T) {
	t.Parallel()
	var cheat, calm float64
	const seeds = 10
	for seed := range uint64(seeds) {
		cheat += simulate(simConfig{providers: 20, cheaters: 2, mode: randomWrong, tasks: 2000, seed: seed, policy: Adaptive()}).overhead() / seeds
		calm += simulate(simConfig{providers: 20, warmup: 2000, tasks: 2000, seed: seed, policy: Adaptive()}).overhead() / seeds
	}
	// Issue 4's targets: ≤ 15 % with 10 % cheaters, ≤ 5 % all honest after
	// warm-up. Averaged over fixed seeds, so the figures are reproducible.
	// Warm-up is 100 tasks per provider: CV counts every agreeing or
	// unchecked result (BOINC's rule), so the check rate 1/CV falls like
	// 1/tasks done (docs/trust.md).
	if cheat > 0.15 {
		t.Errorf("overhead with 10%% cheaters %.3f, target ≤ 0.15", cheat)
	}
	if calm > 0.05 {
		t.Errorf("overhead all honest after warm-up %.3f, target ≤ 0.05", calm)
	}
}

// TestSimulationOccasionalLiarIsCaught: a provider that lies on 10 % of
// tasks can earn CV ≥ 10 and slip a wrong result through an unchecked task;
// that is what stake is for. It must still be caught within the run.
func TestSimulationOccasionalLiarIsCaught(t *testing.T) {
	t.Parallel()
	caught, total := 0, 0
	for seed := range uint64(20) {
		r := simulate(simConfig{providers: 20, cheaters: 2, mode: sometimesBad, lieRate: 0.1, tasks: 2000, seed: seed, policy: Adaptive()})
		caught += len(r.caughtAfter)
		total += 2
	}
	// Not all: one that lies rarely may not have lied on a checked task yet.
	if caught < total*9/10 {
		t.Errorf("caught %d of %d occasional liars in 2,000 tasks", caught, total)
	}
	for seed := range uint64(5) {
		r := simulate(simConfig{providers: 20, cheaters: 2, mode: sometimesBad, lieRate: 0.1, tasks: 2000, seed: seed, policy: Replicate(2)})
		if r.wrongAccepted != 0 {
			t.Errorf("replicate: 2, seed %d: %d wrong results accepted", seed, r.wrongAccepted)
		}
	}
}

// BenchmarkTrustSimulation reports the figures issue 4 asks for; each
// iteration is one 2,000-task run with seed i.
func BenchmarkTrustSimulation(b *testing.B) {
	cases := []struct {
		name string
		cfg  simConfig
	}{
		{"20p-10pct-random-wrong", simConfig{providers: 20, cheaters: 2, mode: randomWrong, tasks: 2000, policy: Adaptive()}},
		{"20p-10pct-lie-10pct", simConfig{providers: 20, cheaters: 2, mode: sometimesBad, lieRate: 0.1, tasks: 2000, policy: Adaptive()}},
		{"20p-honest-after-2000", simConfig{providers: 20, warmup: 2000, tasks: 2000, policy: Adaptive()}},
		{"20p-honest-after-6000", simConfig{providers: 20, warmup: 6000, tasks: 2000, policy: Adaptive()}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var overhead, wrong, caught, runsToCatch float64
			n := 0
			for b.Loop() {
				cfg := c.cfg
				cfg.seed = uint64(n)
				r := simulate(cfg)
				overhead += r.overhead()
				wrong += float64(r.wrongAccepted)
				caught += float64(len(r.caughtAfter))
				for _, k := range r.caughtAfter {
					runsToCatch += float64(k)
				}
				n++
			}
			b.ReportMetric(overhead/float64(n), "overhead")
			b.ReportMetric(wrong/float64(n), "wrong-accepted/run")
			b.ReportMetric(caught/float64(n), "cheaters-caught/run")
			if caught > 0 {
				b.ReportMetric(runsToCatch/caught, "runs-to-catch")
			}
		})
	}
}
