package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/examples"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/jobspec"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/spf13/cobra"
)

// demoMinAccuracy is what the best configuration of the digits sweep must
// reach for the demo to count as a success.
const demoMinAccuracy = 0.90

func newDemoCmd(g *globals) *cobra.Command {
	var providers int
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Start a network in-process, run the digits hyperparameter sweep, print the ranking",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			home := ""
			if cmd.Flags().Changed("home") {
				home = g.home
			}
			r, err := runSweep(cmd.Context(), g, home, providers, true, os.Stdout)
			if err != nil {
				return err
			}
			if g.json {
				return printJSON(r)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&providers, "providers", 2, "number of local providers")
	return cmd
}

// sweepReport is what demo and `bench sweep` report.
type sweepReport struct {
	Providers    int                 `json:"providers"`
	Tasks        int                 `json:"tasks"`
	WallSeconds  float64             `json:"wallSeconds"`
	BestAccuracy float64             `json:"bestAccuracy"`
	Results      *bonfire.JobResults `json:"results,omitempty"`
	Verification *verification       `json:"verification,omitempty"`
	Settlement   *demoSettlement     `json:"settlement,omitempty"`
}

// verification is how the sweep's results were checked, and what the
// providers' reputations show afterwards.
type verification struct {
	Policy    string               `json:"policy"`
	CheckRuns int                  `json:"checkRuns"`
	Agreed    int                  `json:"agreed"` // check runs whose result matched
	Faults    int64                `json:"faults"`
	Providers []providerReputation `json:"providers"`
}

type providerReputation struct {
	ID         bonfire.Address    `json:"id"`
	Name       string             `json:"name"`
	Reputation bonfire.Reputation `json:"reputation"`
}

// verificationOf sums up how job was verified.
func verificationOf(ctx context.Context, c *httpapi.Client, job *bonfire.Job) (*verification, error) {
	ps, err := c.Providers(ctx)
	if err != nil {
		return nil, err
	}
	v := &verification{Policy: jobspec.Policy(&job.Spec).String(), CheckRuns: job.CheckRuns, Agreed: job.CheckCounts.Succeeded}
	for _, p := range ps {
		v.Faults += p.Reputation.Faults + p.Reputation.CanariesFailed
		v.Providers = append(v.Providers, providerReputation{ID: p.Info.ID, Name: p.Info.Name, Reputation: p.Reputation})
	}
	sort.Slice(v.Providers, func(i, j int) bool { return v.Providers[i].Name < v.Providers[j].Name })
	return v, nil
}

func (v *verification) print(w io.Writer) {
	fmt.Fprintf(w, "verified (%s): %d check runs on other providers, %d agreed, %d faults\n", v.Policy, v.CheckRuns, v.Agreed, v.Faults)
	for _, p := range v.Providers {
		fmt.Fprintf(w, "  %s reputation %.2f (%d agreements, CV %d)\n", p.Name, p.Reputation.Score, p.Reputation.Agreed, p.Reputation.CV)
	}
}

// runSweep starts a network (in home, or a temporary one), runs the digits
// sweep example on it and checks the best accuracy. paid runs the network
// with the embedded chain and paid providers, and settles at the end.
func runSweep(ctx context.Context, g *globals, home string, providers int, paid bool, w *os.File) (*sweepReport, error) {
	if home == "" {
		tmp, err := os.MkdirTemp("", "bonfire-demo-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		home = tmp
	}
	say := func(format string, args ...any) {
		if !g.json {
			fmt.Fprintf(w, format, args...)
		}
	}
	cfg := localnet.Config{Home: localnet.Home(home), Providers: providers,
		HTTPAddr: "127.0.0.1:0", NATSPort: -1, Log: g.logger(os.Stderr)}
	if paid {
		cfg.Chain, cfg.ChainAddr, cfg.ProviderPrice = true, "127.0.0.1:0", demoPrice
	}
	n, err := localnet.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer n.Close()
	say("network up: market %s, NATS %s, %d providers\n", n.APIURL, n.NATSURL, len(n.Providers))
	say("dashboard: %s\n", n.DashboardURL)

	dir := filepath.Join(home, "examples")
	if err := examples.WriteTo(dir); err != nil {
		return nil, err
	}
	c, err := n.Client()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	job, err := submitFile(ctx, c, filepath.Join(dir, "digits-sweep", examples.SpecFile))
	if err != nil {
		return nil, err
	}
	say("submitted %s: digits sweep, %d tasks (MLP on UCI handwritten digits)\n", job.ID, job.TaskCount)
	if _, err := followJob(ctx, c, job.ID, !g.json && isTerminal(os.Stderr), 200*time.Millisecond); err != nil {
		return nil, err
	}
	res, err := c.JobResults(ctx, job.ID)
	if err != nil {
		return nil, err
	}
	took := time.Since(start)
	rep := &sweepReport{Providers: providers, Tasks: job.TaskCount, WallSeconds: took.Seconds(), Results: res}
	if len(res.Ranking) > 0 {
		rep.BestAccuracy = res.Ranking[0].Metric
	}
	if !g.json {
		printOutcome(res, took)
	}
	if res.Job.State != bonfire.JobSucceeded {
		return rep, bonfire.Errorf(bonfire.ECodeTaskFailed, "the sweep %s: %s", res.Job.State, res.Job.Reason)
	}
	if rep.BestAccuracy < demoMinAccuracy {
		return rep, bonfire.Errorf(bonfire.ECodeTaskFailed, "best held-out accuracy %.4f is below %.2f", rep.BestAccuracy, demoMinAccuracy)
	}
	say("best configuration reaches %.1f%% held-out accuracy\n", rep.BestAccuracy*100)
	if rep.Verification, err = verificationOf(ctx, c, res.Job); err != nil {
		return rep, err
	}
	if !g.json {
		rep.Verification.print(w)
	}
	if paid {
		if rep.Settlement, err = settleDemo(ctx, n, res.Job); err != nil {
			return rep, err
		}
		if !g.json {
			rep.Settlement.print(w)
		}
	}
	return rep, nil
}
