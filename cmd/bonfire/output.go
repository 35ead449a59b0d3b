package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bonfirenet/bonfire"
)

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func table(headers ...string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(headers, "\t"))
	return tw
}

// humanBytes rounds a size for people ("11.8Gi"); specs keep exact forms.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%dB", n)
	}
	v, suffix := float64(n), ""
	for _, s := range []string{"Ki", "Mi", "Gi", "Ti", "Pi"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") + suffix
}

// progressLine renders a job's progress as a bar with counts and an ETA
// extrapolated from the rate of finished tasks so far.
func progressLine(j *bonfire.Job, started time.Time, now time.Time, width int) string {
	c := j.Counts
	done := c.Succeeded + c.Failed + c.Cancelled
	total := max(j.TaskCount, 1)
	filled := done * width / total
	bar := strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
	eta := "–"
	if elapsed := now.Sub(started); done > 0 && done < total {
		rest := time.Duration(float64(elapsed) / float64(done) * float64(total-done))
		eta = rest.Round(time.Second).String()
	} else if done == total {
		eta = "0s"
	}
	return fmt.Sprintf("%s %d/%d  done %d · running %d · failed %d · queued %d  ETA %s",
		bar, done, j.TaskCount, c.Succeeded, c.Running+c.Assigned, c.Failed, c.Queued, eta)
}

// printRanking prints a job's summary ranking.
func printRanking(w io.Writer, r *bonfire.JobResults, limit int) {
	if len(r.Ranking) == 0 {
		return
	}
	s := r.Job.Spec.Summary
	fmt.Fprintf(w, "Ranking by %s (%s):\n", s.Metric, s.Order)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "RANK\tTASK\tPARAMS\t%s\n", strings.ToUpper(s.Metric))
	for i, e := range r.Ranking {
		if limit > 0 && i == limit {
			break
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.4f\n", e.Rank, e.TaskID, formatParams(r.Job.Spec.Matrix, e.Params), e.Metric)
	}
	_ = tw.Flush()
}

// formatParams writes params in the spec's matrix order.
func formatParams(matrix []bonfire.MatrixParam, params map[string]string) string {
	var parts []string
	for _, m := range matrix {
		if v, ok := params[m.Name]; ok {
			parts = append(parts, m.Name+"="+v)
		}
	}
	return strings.Join(parts, " ")
}
