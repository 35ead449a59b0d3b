package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/bonfirenet/bonfire/wasmexec"
	"github.com/spf13/cobra"
)

func newBenchCmd(g *globals) *cobra.Command {
	var profile string
	var stopProfile func()
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the network (figures for docs/performance.md)",
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := g.applyConfig(cmd); err != nil {
				return err
			}
			if profile == "" {
				return nil
			}
			f, err := os.Create(profile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				return err
			}
			stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
			return nil
		},
		PersistentPostRun: func(*cobra.Command, []string) {
			if stopProfile != nil {
				stopProfile()
			}
		},
	}
	cmd.PersistentFlags().StringVar(&profile, "cpuprofile", "", "write a CPU profile of the benchmark to this file")
	cmd.AddCommand(newBenchDispatchCmd(g), newBenchSweepCmd(g), newBenchTrustCmd(g))
	return cmd
}

// dispatchReport is what `bench dispatch` prints.
type dispatchReport struct {
	Providers          int     `json:"providers"`
	Tasks              int     `json:"tasks"`
	Verify             string  `json:"verify"`    // the jobs' verification policy
	CheckRuns          int     `json:"checkRuns"` // extra runs verification added to the throughput job
	Seconds            float64 `json:"seconds"`
	TasksPerSecond     float64 `json:"tasksPerSecond"`
	QueueWaitP50Ms     float64 `json:"queueWaitP50Ms"`
	QueueWaitP99Ms     float64 `json:"queueWaitP99Ms"`
	LatencySamples     int     `json:"latencySamples"`
	SubmitToStartP50Ms float64 `json:"submitToStartP50Ms"`
	SubmitToStartP99Ms float64 `json:"submitToStartP99Ms"`
	CPUs               int     `json:"cpus"`
	GoVersion          string  `json:"goVersion"`
	Date               string  `json:"date"`
}

func newBenchDispatchCmd(g *globals) *cobra.Command {
	var providers, tasks, samples int
	var verify string
	cmd := &cobra.Command{
		Use:   "dispatch",
		Short: "Push no-op WASM tasks through the real market, NATS and SQLite; report tasks/s and submit→start latency",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := benchDispatch(cmd.Context(), g, providers, tasks, samples, verify)
			if err != nil {
				return err
			}
			if g.json {
				return printJSON(rep)
			}
			fmt.Printf("%d tasks (verify: %s, %d check runs) on %d providers in %.2fs: %.0f tasks/s (queue wait p50 %.1f ms, p99 %.1f ms)\n",
				rep.Tasks, rep.Verify, rep.CheckRuns, rep.Providers, rep.Seconds, rep.TasksPerSecond, rep.QueueWaitP50Ms, rep.QueueWaitP99Ms)
			fmt.Printf("submit→start on an idle network over %d jobs: p50 %.2f ms, p99 %.2f ms\n",
				rep.LatencySamples, rep.SubmitToStartP50Ms, rep.SubmitToStartP99Ms)
			return nil
		},
	}
	cmd.Flags().IntVar(&providers, "providers", 8, "local providers")
	cmd.Flags().IntVar(&tasks, "tasks", 20000, "no-op tasks in the throughput run")
	cmd.Flags().IntVar(&samples, "latency-samples", 200, "single-task jobs submitted one by one for the latency run")
	cmd.Flags().StringVar(&verify, "verify", "none", "the jobs' verification policy: none measures bare dispatch; adaptive adds commit–reveal and check runs")
	return cmd
}

func benchDispatch(ctx context.Context, g *globals, providers, tasks, samples int, verify string) (*dispatchReport, error) {
	home, err := os.MkdirTemp("", "bonfire-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(home)
	n, err := localnet.Start(ctx, localnet.Config{Home: localnet.Home(home), Providers: providers,
		HTTPAddr: "127.0.0.1:0", NATSPort: -1, Log: g.logger(os.Stderr),
		ProviderCPUMilli: 64_000, ProviderMaxTasks: 64})
	if err != nil {
		return nil, err
	}
	defer n.Close()
	c, err := n.Client()
	if err != nil {
		return nil, err
	}
	mod, _, err := c.UploadReader(ctx, bytes.NewReader(wasmexec.NoopModule))
	if err != nil {
		return nil, err
	}
	rep := &dispatchReport{Providers: providers, Tasks: tasks, Verify: verify, CPUs: runtime.NumCPU(), GoVersion: runtime.Version(),
		Date: time.Now().UTC().Format(time.DateOnly)}

	// Throughput: one job of many tasks, from submission to the last result.
	start := time.Now()
	job, err := c.SubmitJob(ctx, noopSpec(mod, tasks, verify))
	if err != nil {
		return nil, err
	}
	done, err := waitTerminal(ctx, c, job.ID, 20*time.Millisecond)
	if err != nil {
		return nil, err
	}
	rep.Seconds = time.Since(start).Seconds()
	rep.CheckRuns = done.CheckRuns
	rep.TasksPerSecond = float64(tasks) / rep.Seconds
	waits, err := startDelays(ctx, c, job.ID)
	if err != nil {
		return nil, err
	}
	rep.QueueWaitP50Ms, rep.QueueWaitP99Ms = percentile(waits, 0.50), percentile(waits, 0.99)

	// Latency: single-task jobs one at a time on an otherwise idle network.
	var lat []float64
	for i := 0; i < samples; i++ {
		j, err := c.SubmitJob(ctx, noopSpec(mod, 1, verify))
		if err != nil {
			return nil, err
		}
		if _, err := waitTerminal(ctx, c, j.ID, time.Millisecond); err != nil {
			return nil, err
		}
		d, err := startDelays(ctx, c, j.ID)
		if err != nil {
			return nil, err
		}
		lat = append(lat, d...)
	}
	rep.LatencySamples = len(lat)
	rep.SubmitToStartP50Ms, rep.SubmitToStartP99Ms = percentile(lat, 0.50), percentile(lat, 0.99)
	return rep, nil
}

func noopSpec(mod bonfire.Digest, count int, verify string) *bonfire.JobSpec {
	return &bonfire.JobSpec{APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "bench-noop",
		Executor: bonfire.ExecutorWASM, Module: string(mod), Outputs: "/out", Count: count,
		Timeout: bonfire.Duration(time.Minute), Retries: 2, Determinism: bonfire.Determinism{Deterministic: true},
		Resources: bonfire.Resources{CPUMilli: 10, MemoryBytes: 1 << 20}, Verify: bonfire.Verify{Policy: verify}}
}

// waitTerminal follows a benchmark job to its end; one that did not
// succeed spoils the measurement.
func waitTerminal(ctx context.Context, c *httpapi.Client, id string, every time.Duration) (*bonfire.Job, error) {
	j, err := followJob(ctx, c, id, false, every)
	if err != nil {
		return nil, err
	}
	if j.State != bonfire.JobSucceeded {
		return j, bonfire.Errorf(bonfire.ECodeTaskFailed, "benchmark job %s %s: %s", id, j.State, j.Reason)
	}
	return j, nil
}

// startDelays returns, per task, the milliseconds from submission to the
// market learning that a provider started it.
func startDelays(ctx context.Context, c *httpapi.Client, jobID string) ([]float64, error) {
	var out []float64
	from := 0
	for {
		page, err := c.Tasks(ctx, bonfire.TaskFilter{JobID: jobID, Limit: 10000, From: from})
		if err != nil {
			return nil, err
		}
		for _, t := range page {
			if !t.StartedAt.IsZero() {
				out = append(out, float64(t.StartedAt.Sub(t.QueuedAt).Microseconds())/1000)
			}
		}
		if len(page) < 10000 {
			return out, nil
		}
		from = page[len(page)-1].Index + 1
	}
}

func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

func newBenchSweepCmd(g *globals) *cobra.Command {
	var providers int
	cmd := &cobra.Command{
		Use:   "sweep",
		Short: "Run the digits sweep on N local providers and report its wall time",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			quiet := *g
			quiet.json = true
			rep, err := runSweep(cmd.Context(), &quiet, "", providers, false, os.Stdout)
			if err != nil {
				return err
			}
			rep.Results = nil
			if g.json {
				return printJSON(rep)
			}
			fmt.Printf("digits sweep: %d tasks on %d providers in %.1fs, best accuracy %.4f\n",
				rep.Tasks, rep.Providers, rep.WallSeconds, rep.BestAccuracy)
			return nil
		},
	}
	cmd.Flags().IntVar(&providers, "providers", 2, "local providers")
	return cmd
}
