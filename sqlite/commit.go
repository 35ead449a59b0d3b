package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
)

// Statements of Commit. Upserts replace every column; results and logs are
// insert-once so a redelivered report changes nothing.
const (
	upsertJob = `INSERT INTO jobs (id, owner, state, submitted_at, finished_at, json) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, state = excluded.state,
	submitted_at = excluded.submitted_at, finished_at = excluded.finished_at, json = excluded.json`
	upsertProvider = `INSERT INTO providers (id, json) VALUES (?, ?)
ON CONFLICT(id) DO UPDATE SET json = excluded.json`
	upsertTask = `INSERT INTO tasks (id, job_id, idx, state, provider, attempt, json) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(id) DO UPDATE SET job_id = excluded.job_id, idx = excluded.idx, state = excluded.state,
	provider = excluded.provider, attempt = excluded.attempt, json = excluded.json`
	insertResult = `INSERT INTO results (task_id, attempt, provider, json) VALUES (?, ?, ?, ?)
ON CONFLICT(task_id, attempt) DO NOTHING`
	insertEvent = `INSERT INTO events (task_id, attempt, json) VALUES (?, ?, ?)`
	insertLog   = `INSERT INTO logs (task_id, attempt, stream, seq, data) VALUES (?, ?, ?, ?, ?)
ON CONFLICT(task_id, attempt, stream, seq) DO NOTHING`
)

// Commit applies b in one transaction: every write or none. Within the batch
// jobs and providers are written before tasks, and tasks before results, so a
// batch may create a job together with its tasks.
func (s *Store) Commit(ctx context.Context, b *bonfire.Batch) error {
	if b == nil || b.Empty() {
		return nil
	}
	if err := validateBatch(b); err != nil {
		return err
	}
	if s.closed.Load() {
		return s.dbError(ctx, "commit", nil)
	}
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return s.dbError(ctx, "commit: begin", err)
	}
	defer tx.Rollback() // a no-op once committed
	w := batchWriter{ctx: ctx, tx: tx}
	w.jobs(b.Jobs)
	w.providers(b.Providers)
	w.tasks(b.Tasks)
	w.results(b.Results)
	w.events(b.Events)
	w.logs(b.Logs)
	w.charges(b.Charges)
	if w.err != nil {
		return s.dbError(ctx, "commit", w.err)
	}
	if err := tx.Commit(); err != nil {
		return s.dbError(ctx, "commit", err)
	}
	return nil
}

// batchWriter keeps the first error so the steps of Commit read as a list.
type batchWriter struct {
	ctx context.Context
	tx  *sql.Tx
	err error
}

// each prepares query once and runs it for n rows.
func (w *batchWriter) each(n int, query string, args func(i int) ([]any, error)) {
	if w.err != nil || n == 0 {
		return
	}
	stmt, err := w.tx.PrepareContext(w.ctx, query)
	if err != nil {
		w.err = err
		return
	}
	defer stmt.Close()
	for i := 0; i < n; i++ {
		a, err := args(i)
		if err == nil {
			_, err = stmt.ExecContext(w.ctx, a...)
		}
		if err != nil {
			w.err = err
			return
		}
	}
}

func (w *batchWriter) jobs(jobs []*bonfire.Job) {
	w.each(len(jobs), upsertJob, func(i int) ([]any, error) {
		j := jobs[i]
		data, err := json.Marshal(j)
		return []any{j.ID, string(j.Owner.Normal()), string(j.State), unixNanos(j.SubmittedAt), nullableNanos(j.FinishedAt), data}, err
	})
}

func (w *batchWriter) providers(ps []*bonfire.Provider) {
	w.each(len(ps), upsertProvider, func(i int) ([]any, error) {
		data, err := json.Marshal(ps[i])
		return []any{string(ps[i].Info.ID.Normal()), data}, err
	})
}

func (w *batchWriter) tasks(tasks []*bonfire.Task) {
	if w.err != nil {
		return
	}
	w.each(len(tasks), upsertTask, func(i int) ([]any, error) {
		t := tasks[i]
		data, err := json.Marshal(t)
		return []any{t.ID, t.JobID, t.Index, string(t.State), string(t.Provider.Normal()), t.Attempt, data}, err
	})
	if w.err != nil && strings.Contains(w.err.Error(), "FOREIGN KEY") {
		w.err = w.missingJob(tasks)
	}
}

// missingJob names the task whose job does not exist, after the foreign key
// refused it, so the caller learns which one rather than just "constraint
// failed".
func (w *batchWriter) missingJob(tasks []*bonfire.Task) error {
	first := w.err
	w.err = nil // the transaction is still usable for reads; it will be rolled back
	for i, t := range tasks {
		var one int
		err := w.tx.QueryRowContext(w.ctx, `SELECT 1 FROM jobs WHERE id = ?`, t.JobID).Scan(&one)
		if err == sql.ErrNoRows {
			return bonfire.Errorf(bonfire.ECodeInvalid, "task %q belongs to job %q, which does not exist", t.ID, t.JobID).
				WithField(fmt.Sprintf("tasks[%d].jobId", i)).
				WithHint("commit the job in the same batch as its tasks or before them")
		}
		if err != nil {
			break
		}
	}
	return first
}

func (w *batchWriter) results(rs []*bonfire.TaskResult) {
	w.each(len(rs), insertResult, func(i int) ([]any, error) {
		r := rs[i]
		data, err := json.Marshal(r)
		return []any{r.TaskID, r.Attempt, string(r.Provider.Normal()), data}, err
	})
}

func (w *batchWriter) events(es []*bonfire.TaskEvent) {
	w.each(len(es), insertEvent, func(i int) ([]any, error) {
		data, err := json.Marshal(es[i])
		return []any{es[i].TaskID, es[i].Attempt, data}, err
	})
}

func (w *batchWriter) logs(ls []*bonfire.LogChunk) {
	w.each(len(ls), insertLog, func(i int) ([]any, error) {
		l := ls[i]
		return []any{l.TaskID, l.Attempt, l.Stream, l.Seq, l.Data}, nil
	})
}

// validateBatch refuses rows that the schema would store but that nobody
// could ever find again (an empty key), and nil entries.
func validateBatch(b *bonfire.Batch) error {
	var errs bonfire.Errors
	bad := func(field, msg, hint string) {
		errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "%s", msg).WithField(field).WithHint(hint))
	}
	for i, j := range b.Jobs {
		if j == nil || j.ID == "" {
			bad(fmt.Sprintf("jobs[%d].id", i), "a job in the batch has no ID", "assign the job an ID before committing it")
		}
	}
	for i, p := range b.Providers {
		if p == nil || p.Info.ID == "" {
			bad(fmt.Sprintf("providers[%d].info.id", i), "a provider in the batch has no ID", "set the provider's address")
		}
	}
	for i, t := range b.Tasks {
		if t == nil || t.ID == "" || t.JobID == "" {
			bad(fmt.Sprintf("tasks[%d]", i), "a task in the batch has no ID or no job ID", "set both ID and JobID")
		}
	}
	for i, r := range b.Results {
		if r == nil || r.TaskID == "" {
			bad(fmt.Sprintf("results[%d].taskId", i), "a result in the batch names no task", "set TaskID")
		}
	}
	for i, e := range b.Events {
		if e == nil || e.TaskID == "" {
			bad(fmt.Sprintf("events[%d].taskId", i), "an event in the batch names no task", "set TaskID")
		}
	}
	for i, l := range b.Logs {
		if l == nil || l.TaskID == "" {
			bad(fmt.Sprintf("logs[%d].taskId", i), "a log chunk in the batch names no task", "set TaskID")
		}
	}
	for i, c := range b.Charges {
		switch {
		case c == nil || c.TaskID == "" || c.JobID == "" || c.Owner == "" || c.Provider == "":
			bad(fmt.Sprintf("charges[%d]", i), "a charge in the batch lacks its task, job, owner or provider", "set all four")
		case c.Amount > math.MaxInt64:
			bad(fmt.Sprintf("charges[%d].amount", i), fmt.Sprintf("charge %d is beyond what the store holds", c.Amount),
				"cap task charges (bonfire.MaxTaskCharge) well below 2^63 base units")
		}
	}
	return errs.Err()
}

func unixNanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func nullableNanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}
