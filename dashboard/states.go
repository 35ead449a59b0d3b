package dashboard

import "github.com/bonfirenet/bonfire"

// cellStates is the one table from a task state to how the grid shows it:
// its CSS class (the colour, in static/dash.css) and its label. The grid,
// the count bar and the live updates all read it, so a new task state
// (such as "verifying") is one line here and one colour in the CSS.
// Assigned shows as queued-for-a-provider, a shade of running.
var cellStates = []struct {
	State bonfire.TaskState
	Class string
	Label string
}{
	{bonfire.TaskQueued, "s-queued", "queued"},
	{bonfire.TaskAssigned, "s-assigned", "assigned"},
	{bonfire.TaskRunning, "s-running", "running"},
	{bonfire.TaskVerifying, "s-verifying", "verifying"},
	{bonfire.TaskSucceeded, "s-done", "done"},
	{bonfire.TaskFailed, "s-failed", "failed"},
	{bonfire.TaskCancelled, "s-cancelled", "cancelled"},
}

// stateClass is the grid's CSS class for s; an unknown state gets a
// neutral class rather than none.
func stateClass(s bonfire.TaskState) string {
	for _, c := range cellStates {
		if c.State == s {
			return c.Class
		}
	}
	return "s-other"
}

// countOf reads one state's count from a job's counts.
func countOf(c bonfire.TaskCounts, s bonfire.TaskState) int {
	switch s {
	case bonfire.TaskQueued:
		return c.Queued
	case bonfire.TaskAssigned:
		return c.Assigned
	case bonfire.TaskRunning:
		return c.Running
	case bonfire.TaskVerifying:
		return c.Verifying
	case bonfire.TaskSucceeded:
		return c.Succeeded
	case bonfire.TaskFailed:
		return c.Failed
	case bonfire.TaskCancelled:
		return c.Cancelled
	}
	return 0
}

// stateCount is one segment of a job's count bar.
type stateCount struct {
	State   bonfire.TaskState `json:"state"`
	Class   string            `json:"class"`
	Label   string            `json:"label"`
	Count   int               `json:"count"`
	Percent float64           `json:"percent"` // of the job's tasks, for the bar's width
}

// countBar is the whole job at a glance: one segment per state in the
// table's order, zero counts included so the live update finds them all.
func countBar(c bonfire.TaskCounts, total int) []stateCount {
	out := make([]stateCount, 0, len(cellStates))
	for _, s := range cellStates {
		n := countOf(c, s.State)
		pct := 0.0
		if total > 0 {
			pct = float64(n) * 100 / float64(total)
		}
		out = append(out, stateCount{State: s.State, Class: s.Class, Label: s.Label, Count: n, Percent: pct})
	}
	return out
}
