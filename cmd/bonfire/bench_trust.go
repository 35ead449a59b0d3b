package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/trustsim"
	"github.com/spf13/cobra"
)

// trustBenchReport is what `bench trust` prints: one simulation per cheat
// mode and one of an honest network.
type trustBenchReport struct {
	Providers  int                `json:"providers"`
	CheatRatio float64            `json:"cheatRatio"`
	Tasks      int                `json:"tasks"`
	Warmup     int                `json:"warmup"`
	Seed       uint64             `json:"seed"`
	Scenarios  []*trustsim.Report `json:"scenarios"`
	Seconds    float64            `json:"seconds"`
	CPUs       int                `json:"cpus"`
	GoVersion  string             `json:"goVersion"`
	Date       string             `json:"date"`
}

// trustBenchOptions are the flags of `bench trust`.
type trustBenchOptions struct {
	providers  int
	cheatRatio float64
	tasks      int
	warmup     int
	seed       uint64
	modes      []string
	sleepers   bool
}

func newBenchTrustCmd(g *globals) *cobra.Command {
	var o trustBenchOptions
	cmd := &cobra.Command{
		Use:   "trust",
		Short: "Run honest and cheating providers through the real market; report wrong results accepted, catches, slashes and verification overhead",
		Long: `Runs one simulated network per cheat mode (wrong, copy, cores, drop,
canary), with --cheat-ratio of the providers cheating that way, and one of
honest providers only. Each runs a warm-up job of --warmup tasks (cheaters
cheat from the start unless --sleepers) and then a measured job of --tasks;
the overhead is the measured job's extra executions per useful one.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := benchTrust(cmd.Context(), g, o)
			if err != nil {
				return err
			}
			if g.json {
				return printJSON(rep)
			}
			printTrustBench(rep)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.providers, "providers", 20, "providers in each simulated network")
	f.Float64Var(&o.cheatRatio, "cheat-ratio", 0.1, "share of the providers that cheat, in each cheat scenario")
	f.IntVar(&o.tasks, "tasks", 2000, "tasks in the measured job")
	f.IntVar(&o.warmup, "warmup", 2000, "tasks in the warm-up job before it (0: none)")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the market's verification draws")
	f.StringSliceVar(&o.modes, "modes", modeNames(trustsim.CheatModes), "cheat modes to simulate, one scenario each")
	f.BoolVar(&o.sleepers, "sleepers", false, "cheaters behave during the warm-up and cheat only in the measured job")
	return cmd
}

func modeNames(ms []trustsim.Mode) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m)
	}
	return out
}

// scenarios lists the simulations o asks for, honest last.
func (o trustBenchOptions) scenarios() ([]trustsim.Config, error) {
	if o.providers < 2 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%d providers cannot check each other", o.providers).
			WithField("providers").WithHint("simulate at least 2 providers; the issue's figures use 20")
	}
	if !(o.cheatRatio > 0 && o.cheatRatio < 1) {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cheat ratio %v is not between 0 and 1", o.cheatRatio).
			WithField("cheat-ratio").WithHint("give a share such as 0.1 for 10% cheaters")
	}
	cheaters := max(1, int(math.Round(float64(o.providers)*o.cheatRatio)))
	if cheaters >= o.providers {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%d of %d providers would cheat", cheaters, o.providers).
			WithField("cheat-ratio").WithHint("leave an honest majority")
	}
	var out []trustsim.Config
	for _, name := range o.modes {
		m := trustsim.Mode(strings.TrimSpace(name))
		if !m.Valid() || m == trustsim.Honest {
			return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a cheat mode", name).
				WithField("modes").WithHint("choose from " + strings.Join(modeNames(trustsim.CheatModes), ", "))
		}
		cs := make([]trustsim.Mode, cheaters)
		for i := range cs {
			cs[i] = m
		}
		out = append(out, trustsim.Config{Scenario: string(m), Honest: o.providers - cheaters, Cheaters: cs,
			Tasks: o.tasks, Warmup: o.warmup, Sleepers: o.sleepers, Seed: o.seed})
	}
	return append(out, trustsim.Config{Scenario: "honest", Honest: o.providers, Tasks: o.tasks, Warmup: o.warmup, Seed: o.seed}), nil
}

func benchTrust(ctx context.Context, g *globals, o trustBenchOptions) (*trustBenchReport, error) {
	cfgs, err := o.scenarios()
	if err != nil {
		return nil, err
	}
	home, err := os.MkdirTemp("", "bonfire-bench-trust-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(home)
	rep := &trustBenchReport{Providers: o.providers, CheatRatio: o.cheatRatio, Tasks: o.tasks, Warmup: o.warmup, Seed: o.seed,
		CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), Date: time.Now().UTC().Format(time.DateOnly)}
	start := time.Now()
	for i, cfg := range cfgs {
		cfg.Dir = fmt.Sprintf("%s/%d-%s", home, i, cfg.Scenario)
		if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
			return nil, err
		}
		cfg.Log = g.logger(os.Stderr)
		r, err := trustsim.Run(ctx, cfg)
		if err != nil {
			return nil, err
		}
		rep.Scenarios = append(rep.Scenarios, r)
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

func printTrustBench(rep *trustBenchReport) {
	fmt.Printf("%d providers, %.0f%% cheating in each cheat scenario; warm-up %d tasks, then %d measured (seed %d)\n\n",
		rep.Providers, rep.CheatRatio*100, rep.Warmup, rep.Tasks, rep.Seed)
	tw := table("SCENARIO", "JOB", "WRONG ACCEPTED", "CAUGHT", "SLASHED", "TASKS UNTIL CAUGHT", "OVERHEAD WARM-UP", "OVERHEAD", "CHECK RUNS", "SECONDS")
	for _, s := range rep.Scenarios {
		warm := "-"
		if s.Warmup != nil {
			warm = fmt.Sprintf("%.1f%%", s.Warmup.Overhead*100)
		}
		var until []string
		for _, c := range s.PerCheater {
			if c.Caught {
				until = append(until, fmt.Sprint(c.TasksUntilCaught))
			} else {
				until = append(until, "never")
			}
		}
		if len(until) == 0 {
			until = []string{"-"}
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d/%d\t%d/%d\t%s\t%s\t%.1f%%\t%d\t%.1f\n", s.Scenario, s.State, s.WrongAcceptedTotal,
			s.CheatersCaught, s.Cheaters, s.CheatersSlashed, s.Cheaters, strings.Join(until, ","), warm, s.Overhead*100,
			s.CheckRuns, s.DurationSeconds)
	}
	tw.Flush()
	for _, s := range rep.Scenarios {
		for _, a := range s.Anomalies {
			fmt.Printf("%s: %s\n", s.Scenario, a)
		}
	}
	fmt.Printf("\n%.0fs on %d CPUs\n", rep.Seconds, rep.CPUs)
}
