package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/jobspec"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func newJobCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "job", Short: "Submit and follow jobs"}
	cmd.AddCommand(newJobRunCmd(g), newJobValidateCmd(g), newJobLsCmd(g), newJobStatusCmd(g),
		newJobLogsCmd(g), newJobHistoryCmd(g), newJobResultsCmd(g), newJobCancelCmd(g))
	return cmd
}

// loadSpec parses and validates a spec file.
func loadSpec(path string) (*bonfire.JobSpec, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "reading job spec: %v", err).WithHint("pass the path of a job YAML file")
	}
	return jobspec.Parse(b)
}

func newJobValidateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a job spec and report every problem at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			spec, err := loadSpec(args[0])
			if err != nil {
				return err
			}
			n := jobspec.TaskCount(spec)
			if g.json {
				return printJSON(map[string]any{"valid": true, "tasks": n, "spec": spec})
			}
			fmt.Printf("%s: valid, %d tasks\n", args[0], n)
			return nil
		},
	}
}

func newJobRunCmd(g *globals) *cobra.Command {
	var wait bool
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Upload a job's module and inputs, submit it, and optionally wait for it",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			job, err := submitFile(cmd.Context(), c, args[0])
			if err != nil {
				return err
			}
			if !wait {
				if g.json {
					return printJSON(job)
				}
				fmt.Printf("submitted job %s (%d tasks)\n", job.ID, job.TaskCount)
				return nil
			}
			if !g.json {
				fmt.Printf("submitted job %s (%d tasks)\n", job.ID, job.TaskCount)
			}
			return waitAndReport(cmd.Context(), g, c, job.ID)
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "wait for the job to end, showing progress, then print its results")
	return cmd
}

// submitFile parses a spec, uploads what it names, and submits it.
func submitFile(ctx context.Context, c *httpapi.Client, path string) (*bonfire.Job, error) {
	spec, err := loadSpec(path)
	if err != nil {
		return nil, err
	}
	if err := jobspec.Resolve(ctx, spec, filepath.Dir(path), c); err != nil {
		return nil, err
	}
	return c.SubmitJob(ctx, spec)
}

// waitAndReport follows a job to its end and prints its outcome. It exits
// non-zero when the job did not succeed.
func waitAndReport(ctx context.Context, g *globals, c *httpapi.Client, id string) error {
	start := time.Now()
	job, err := followJob(ctx, c, id, !g.json && isTerminal(os.Stderr), 200*time.Millisecond)
	if err != nil {
		return err
	}
	res, err := c.JobResults(ctx, id)
	if err != nil {
		return err
	}
	if g.json {
		if err := printJSON(res); err != nil {
			return err
		}
	} else {
		printOutcome(res, time.Since(start))
	}
	if job.State != bonfire.JobSucceeded {
		return bonfire.Errorf(bonfire.ECodeTaskFailed, "job %s %s: %s", id, job.State, job.Reason)
	}
	return nil
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// followJob polls a job every interval until it ends, drawing a progress
// bar on stderr when live.
func followJob(ctx context.Context, c *httpapi.Client, id string, live bool, every time.Duration) (*bonfire.Job, error) {
	start := time.Now()
	for {
		job, err := c.Job(ctx, id)
		if err != nil {
			return nil, err
		}
		if live {
			fmt.Fprintf(os.Stderr, "\r\033[K%s", progressLine(job, start, time.Now(), 30))
		}
		if job.State.Terminal() {
			if live {
				fmt.Fprintln(os.Stderr)
			}
			return job, nil
		}
		select {
		case <-ctx.Done():
			if live {
				fmt.Fprintln(os.Stderr)
			}
			return nil, bonfire.Errorf(bonfire.ECodeCancelled, "stopped waiting; job %s goes on", id).
				WithHint("follow it with `bonfire job status " + id + "` or stop it with `bonfire job cancel " + id + "`")
		case <-time.After(every):
		}
	}
}

func printOutcome(r *bonfire.JobResults, took time.Duration) {
	j := r.Job
	fmt.Printf("job %s %s: %d succeeded, %d failed, %d cancelled (%s)\n", j.ID, j.State,
		j.Counts.Succeeded, j.Counts.Failed, j.Counts.Cancelled, took.Round(time.Millisecond))
	for _, t := range r.Tasks {
		if t.State == bonfire.TaskFailed && t.Error != nil {
			fmt.Printf("  task %s failed: %s\n", t.TaskID, t.Error.Error())
		}
	}
	printRanking(os.Stdout, r, 10)
}

func newJobLsCmd(g *globals) *cobra.Command {
	var state string
	var limit int
	cmd := &cobra.Command{
		Use:   "ls",
		Short: "List jobs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			f := bonfire.JobFilter{Limit: limit}
			if state != "" {
				for _, s := range strings.Split(state, ",") {
					f.States = append(f.States, bonfire.JobState(s))
				}
			}
			jobs, err := c.Jobs(cmd.Context(), f)
			if err != nil {
				return err
			}
			if g.json {
				return printJSON(jobs)
			}
			tw := table("JOB", "NAME", "STATE", "TASKS", "DONE", "FAILED", "SUBMITTED")
			for _, j := range jobs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\n", j.ID, j.Spec.Name, j.State, j.TaskCount,
					j.Counts.Succeeded, j.Counts.Failed, j.SubmittedAt.Local().Format(time.DateTime))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&state, "state", "", "only jobs in these states (comma-separated)")
	cmd.Flags().IntVar(&limit, "limit", 100, "most jobs to list")
	return cmd
}

func newJobStatusCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "status JOB",
		Short: "Show a job's state and task counts",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			j, err := c.Job(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if g.json {
				return printJSON(j)
			}
			fmt.Printf("job %s (%s): %s\n", j.ID, j.Spec.Name, j.State)
			if j.Reason != "" {
				fmt.Printf("  reason: %s\n", j.Reason)
			}
			fmt.Printf("  %s\n", progressLine(j, j.SubmittedAt, time.Now(), 30))
			return nil
		},
	}
}

func newJobLogsCmd(g *globals) *cobra.Command {
	var attempt int
	cmd := &cobra.Command{
		Use:   "logs TASK",
		Short: "Print a task's stdout and stderr",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			chunks, err := c.TaskLogs(cmd.Context(), args[0], attempt)
			if err != nil {
				return err
			}
			if g.json {
				return printJSON(chunks)
			}
			for _, ch := range chunks {
				w := os.Stdout
				if ch.Stream == "stderr" {
					w = os.Stderr
				}
				fmt.Fprint(w, ch.Data)
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&attempt, "attempt", 0, "which attempt (default: the latest)")
	return cmd
}

func newJobHistoryCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "history TASK",
		Short: "Show what happened to a task: runs, commitments, reveals, checks, faults, slashes",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			events, err := c.TaskHistory(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if g.json {
				return printJSON(events)
			}
			tw := table("TIME", "TASK", "ATTEMPT", "EVENT", "PROVIDER", "DETAIL")
			for _, e := range events {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", e.At.Local().Format("15:04:05.000"), e.TaskID, e.Attempt, e.Kind,
					orDash(string(e.Provider)), e.Detail)
			}
			return tw.Flush()
		},
	}
}

func newJobResultsCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "results JOB",
		Short: "Show a job's results and ranking, and download its outputs with --out",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			r, err := c.JobResults(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if out != "" {
				if err := downloadOutputs(cmd.Context(), c, r, out); err != nil {
					return err
				}
			}
			if g.json {
				return printJSON(r)
			}
			printOutcome(r, 0)
			if out != "" {
				fmt.Printf("outputs written under %s/<task>/\n", out)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "download every task's outputs into this directory")
	return cmd
}

func downloadOutputs(ctx context.Context, c *httpapi.Client, r *bonfire.JobResults, dir string) error {
	for _, t := range r.Tasks {
		if t.Result == nil {
			continue
		}
		for _, f := range t.Result.Outputs {
			dst := filepath.Join(dir, t.TaskID, filepath.FromSlash(f.Name))
			rel, err := filepath.Rel(dir, dst)
			if err != nil || strings.HasPrefix(rel, "..") {
				return bonfire.Errorf(bonfire.ECodeInvalid, "output name %q leaves the output directory", f.Name)
			}
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			fh, err := os.Create(dst)
			if err != nil {
				return err
			}
			err = c.DownloadBlob(ctx, f.Digest, fh)
			if cerr := fh.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func newJobCancelCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "cancel JOB",
		Short: "Cancel a job's unfinished tasks",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			j, err := c.CancelJob(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if g.json {
				return printJSON(j)
			}
			fmt.Printf("job %s cancelled\n", j.ID)
			return nil
		},
	}
}
