package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// Page sizes of Jobs and Tasks. The maximum bounds the memory one request
// can make the market spend.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// Job returns one job; ECodeNotFound if there is none with that ID.
func (s *Store) Job(ctx context.Context, id string) (*bonfire.Job, error) {
	if s.closed.Load() {
		return nil, s.dbError(ctx, "read job", nil)
	}
	var data []byte
	err := s.reader.QueryRowContext(ctx, `SELECT json FROM jobs WHERE id = ?`, id).Scan(&data)
	if err == sql.ErrNoRows {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "job %q not found", id).WithField("jobId").
			WithHint("check the job ID; listing your jobs shows the valid ones")
	}
	if err != nil {
		return nil, s.dbError(ctx, "read job", err)
	}
	j := new(bonfire.Job)
	if err := json.Unmarshal(data, j); err != nil {
		return nil, s.dbError(ctx, "decode job "+id, err)
	}
	return j, nil
}

// Jobs lists jobs in submission order (the order of their IDs), after
// f.After when it is set.
func (s *Store) Jobs(ctx context.Context, f bonfire.JobFilter) ([]*bonfire.Job, error) {
	limit, err := pageLimit(f.Limit)
	if err != nil {
		return nil, err
	}
	var q query
	if f.Owner != "" {
		q.add("owner = ?", string(f.Owner.Normal()))
	}
	if len(f.States) > 0 {
		q.in("state", stringsOf(f.States))
	}
	if f.After != "" {
		q.add("id > ?", f.After)
	}
	return list[bonfire.Job](ctx, s, "list jobs", `SELECT json FROM jobs WHERE `+q.where()+` ORDER BY id LIMIT ?`, append(q.args, limit))
}

// Tasks lists tasks by index, from index f.From on. Without JobID, tasks of
// every job are listed by job and index and From must not be set, since an
// index alone cannot say where a page across jobs ended.
func (s *Store) Tasks(ctx context.Context, f bonfire.TaskFilter) ([]*bonfire.Task, error) {
	limit, err := pageLimit(f.Limit)
	if err != nil {
		return nil, err
	}
	var q query
	if f.JobID != "" {
		q.add("job_id = ?", f.JobID)
	} else if f.From > 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "from is a task index, which needs a job").
			WithField("from").WithHint("set jobId when paging through tasks")
	}
	if len(f.States) > 0 {
		q.in("state", stringsOf(f.States))
	}
	if f.From > 0 {
		q.add("idx >= ?", f.From)
	}
	return list[bonfire.Task](ctx, s, "list tasks", `SELECT json FROM tasks WHERE `+q.where()+` ORDER BY job_id, idx LIMIT ?`, append(q.args, limit))
}

// Providers lists every provider ever registered, by address.
func (s *Store) Providers(ctx context.Context) ([]*bonfire.Provider, error) {
	return list[bonfire.Provider](ctx, s, "list providers", `SELECT json FROM providers ORDER BY id`, nil)
}

// Results lists every result recorded for a task, by attempt.
func (s *Store) Results(ctx context.Context, taskID string) ([]*bonfire.TaskResult, error) {
	return list[bonfire.TaskResult](ctx, s, "list results", `SELECT json FROM results WHERE task_id = ? ORDER BY attempt`, []any{taskID})
}

// Events lists a task's events in the order they were committed.
func (s *Store) Events(ctx context.Context, taskID string) ([]*bonfire.TaskEvent, error) {
	return list[bonfire.TaskEvent](ctx, s, "list events", `SELECT json FROM events WHERE task_id = ? ORDER BY seq`, []any{taskID})
}

// Logs returns an attempt's log chunks ordered by sequence number, stderr
// before stdout at equal numbers. Attempt 0 (or less) means the latest
// attempt that has any logs.
func (s *Store) Logs(ctx context.Context, taskID string, attempt int) ([]*bonfire.LogChunk, error) {
	if s.closed.Load() {
		return nil, s.dbError(ctx, "list logs", nil)
	}
	const cols = `SELECT task_id, attempt, stream, seq, data FROM logs `
	var rows *sql.Rows
	var err error
	if attempt > 0 {
		rows, err = s.reader.QueryContext(ctx, cols+`WHERE task_id = ? AND attempt = ? ORDER BY seq, stream`, taskID, attempt)
	} else {
		rows, err = s.reader.QueryContext(ctx, cols+`WHERE task_id = ?1 AND attempt = (SELECT max(attempt) FROM logs WHERE task_id = ?1) ORDER BY seq, stream`, taskID)
	}
	if err != nil {
		return nil, s.dbError(ctx, "list logs", err)
	}
	defer rows.Close()
	var out []*bonfire.LogChunk
	for rows.Next() {
		l := new(bonfire.LogChunk)
		if err := rows.Scan(&l.TaskID, &l.Attempt, &l.Stream, &l.Seq, &l.Data); err != nil {
			return nil, s.dbError(ctx, "list logs", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, s.dbError(ctx, "list logs", err)
	}
	return out, nil
}

// list runs a query whose one column is an object's JSON and decodes each row.
func list[T any](ctx context.Context, s *Store, op, sqlText string, args []any) ([]*T, error) {
	if s.closed.Load() {
		return nil, s.dbError(ctx, op, nil)
	}
	rows, err := s.reader.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, s.dbError(ctx, op, err)
	}
	defer rows.Close()
	var out []*T
	var data []byte
	for rows.Next() {
		if err := rows.Scan(&data); err != nil {
			return nil, s.dbError(ctx, op, err)
		}
		v := new(T)
		if err := json.Unmarshal(data, v); err != nil {
			return nil, s.dbError(ctx, op+": decode", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, s.dbError(ctx, op, err)
	}
	return out, nil
}

func pageLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, bonfire.Errorf(bonfire.ECodeInvalid, "limit %d is negative", limit).
			WithField("limit").WithHint("omit limit for a page of 100, or give 1 to 10000")
	case limit == 0:
		return DefaultLimit, nil
	case limit > MaxLimit:
		return MaxLimit, nil
	}
	return limit, nil
}

// query accumulates a WHERE clause and its arguments.
type query struct {
	conds []string
	args  []any
}

func (q *query) add(cond string, args ...any) {
	q.conds = append(q.conds, cond)
	q.args = append(q.args, args...)
}

func (q *query) in(col string, values []string) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ")
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	q.add(col+" IN ("+marks+")", args...)
}

func (q *query) where() string {
	if len(q.conds) == 0 {
		return "TRUE"
	}
	return strings.Join(q.conds, " AND ")
}

func stringsOf[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
