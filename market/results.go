package market

import (
	"context"
	"encoding/json"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
)

var _ bonfire.ResultService = (*Market)(nil)

// maxSummaryBytes bounds the summary file the market reads per task: it is
// a small metrics file, and a provider must not make the market read more.
const maxSummaryBytes = 1 << 20

// JobResults implements bonfire.ResultService.
func (m *Market) JobResults(ctx context.Context, caller bonfire.Address, jobID string) (*bonfire.JobResults, error) {
	job, err := m.Job(ctx, jobID)
	if err != nil {
		return nil, err
	}
	if job.Owner.Normal() != caller.Normal() {
		return nil, notOwner(caller, job)
	}
	tasks, err := m.allTasks(ctx, jobID)
	if err != nil {
		return nil, err
	}
	tasks = ownTasks(tasks)
	out := &bonfire.JobResults{Job: job, Tasks: make([]bonfire.TaskOutcome, 0, len(tasks))}
	for _, t := range tasks {
		out.Tasks = append(out.Tasks, bonfire.TaskOutcome{TaskID: t.ID, Index: t.Index, Params: t.Params,
			State: t.State, Error: t.Error, Result: t.Result})
	}
	if s := job.Spec.Summary; s != nil {
		out.Ranking = m.rank(ctx, s, tasks)
	}
	return out, nil
}

// rank reads each succeeded task's summary file and orders the tasks by
// the metric. Tasks whose file is missing or has no such number are left
// out of the ranking (their outcome still lists them).
func (m *Market) rank(ctx context.Context, s *bonfire.Summary, tasks []*bonfire.Task) []bonfire.RankEntry {
	var out []bonfire.RankEntry
	want := path.Clean(strings.TrimPrefix(s.File, "/"))
	for _, t := range tasks {
		if t.State != bonfire.TaskSucceeded || t.Result == nil {
			continue
		}
		for _, f := range t.Result.Outputs {
			if path.Clean(f.Name) != want {
				continue
			}
			if v, ok := m.readMetric(ctx, f.Digest, s.Metric); ok {
				out = append(out, bonfire.RankEntry{TaskID: t.ID, Params: t.Params, Metric: v})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if s.Order == "asc" {
			return out[i].Metric < out[j].Metric
		}
		return out[i].Metric > out[j].Metric
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

func (m *Market) readMetric(ctx context.Context, d bonfire.Digest, metric string) (float64, bool) {
	rc, _, err := m.cfg.Blobs.Open(ctx, d)
	if err != nil {
		return 0, false
	}
	defer rc.Close()
	var doc map[string]any
	if err := json.NewDecoder(io.LimitReader(rc, maxSummaryBytes)).Decode(&doc); err != nil {
		return 0, false
	}
	v, ok := doc[metric].(float64)
	return v, ok
}

// TaskLogs implements bonfire.ResultService.
func (m *Market) TaskLogs(ctx context.Context, caller bonfire.Address, taskID string, attempt int) ([]*bonfire.LogChunk, error) {
	if _, err := m.ownedJobOfTask(ctx, caller, taskID); err != nil {
		return nil, err
	}
	if attempt <= 0 {
		attempt = m.latestAttempt(ctx, taskID)
	}
	return m.cfg.Store.Logs(ctx, taskID, attempt)
}

// TaskHistory implements bonfire.ResultService.
func (m *Market) TaskHistory(ctx context.Context, caller bonfire.Address, taskID string) ([]*bonfire.TaskEvent, error) {
	job, err := m.ownedJobOfTask(ctx, caller, taskID)
	if err != nil {
		return nil, err
	}
	jobID := job.ID
	t, err := m.task(ctx, jobID, taskID)
	if err != nil {
		return nil, err
	}
	events, err := m.cfg.Store.Events(ctx, taskID)
	if err != nil || !t.State.Terminal() || job.CheckRuns == 0 || t.Checks != "" {
		return events, err
	}
	// Check runs follow the job's own tasks; only this task's are added.
	all, err := m.cfg.Store.Tasks(ctx, bonfire.TaskFilter{JobID: jobID, From: job.TaskCount, Limit: job.CheckRuns + 1})
	if err != nil {
		return nil, err
	}
	for _, r := range all {
		if r.Checks != taskID {
			continue
		}
		more, err := m.cfg.Store.Events(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		events = append(events, more...)
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].At.Before(events[j].At) })
	return events, nil
}

// ownedJobOfTask is the job of taskID, if caller owns it.
func (m *Market) ownedJobOfTask(ctx context.Context, caller bonfire.Address, taskID string) (*bonfire.Job, error) {
	jobID, ok := bonfire.JobOfTask(taskID)
	if !ok {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "task ID %q is not of the form <job>.<index>", taskID).WithField("task")
	}
	job, err := m.Job(ctx, jobID)
	if err != nil {
		return nil, err
	}
	if job.Owner.Normal() != caller.Normal() {
		return nil, notOwner(caller, job)
	}
	return job, nil
}

// task reads one task from the store.
func (m *Market) task(ctx context.Context, jobID, taskID string) (*bonfire.Task, error) {
	_, idx, _ := strings.Cut(strings.TrimPrefix(taskID, jobID), ".")
	i, err := strconv.Atoi(idx)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "task ID %q has no index", taskID).WithField("task")
	}
	ts, err := m.cfg.Store.Tasks(ctx, bonfire.TaskFilter{JobID: jobID, From: i, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 || ts[0].ID != taskID {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "task %q does not exist", taskID).WithField("task")
	}
	return ts[0], nil
}

func (m *Market) latestAttempt(ctx context.Context, taskID string) int {
	m.mu.Lock()
	if t := m.st.tasks[taskID]; t != nil {
		a := t.Attempt
		m.mu.Unlock()
		return a
	}
	m.mu.Unlock()
	results, err := m.cfg.Store.Results(ctx, taskID)
	if err != nil || len(results) == 0 {
		return 1
	}
	a := 1
	for _, r := range results {
		a = max(a, r.Attempt)
	}
	return a
}
