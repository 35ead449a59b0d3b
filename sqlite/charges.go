package sqlite

import (
	"context"
	"time"

	"github.com/bonfirenet/bonfire"
)

// insertCharge ignores a second charge for a task: a result acknowledged
// twice (a lost reply, a restarted market) must not be paid twice.
const insertCharge = `INSERT INTO charges (task_id, job_id, owner, provider, amount, at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT(task_id) DO NOTHING`

func (w *batchWriter) charges(cs []*bonfire.TaskCharge) {
	w.each(len(cs), insertCharge, func(i int) ([]any, error) {
		c := cs[i]
		return []any{c.TaskID, c.JobID, string(c.Owner.Normal()), string(c.Provider.Normal()), int64(c.Amount), unixNanos(c.At)}, nil
	})
}

// OwedTotals implements bonfire.ChargeReader.
func (s *Store) OwedTotals(ctx context.Context) ([]bonfire.Owed, error) {
	if s.closed.Load() {
		return nil, s.dbError(ctx, "read owed totals", nil)
	}
	rows, err := s.reader.QueryContext(ctx,
		`SELECT owner, provider, SUM(amount) FROM charges GROUP BY owner, provider ORDER BY owner, provider`)
	if err != nil {
		return nil, s.dbError(ctx, "read owed totals", err)
	}
	defer rows.Close()
	var out []bonfire.Owed
	for rows.Next() {
		var o bonfire.Owed
		var owner, provider string
		var amount int64
		if err := rows.Scan(&owner, &provider, &amount); err != nil {
			return nil, s.dbError(ctx, "read owed totals", err)
		}
		o.Owner, o.Provider, o.Amount = bonfire.Address(owner), bonfire.Address(provider), uint64(amount)
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, s.dbError(ctx, "read owed totals", err)
	}
	return out, nil
}

// JobCharges implements bonfire.ChargeReader.
func (s *Store) JobCharges(ctx context.Context, jobID string) ([]*bonfire.TaskCharge, error) {
	if s.closed.Load() {
		return nil, s.dbError(ctx, "read job charges", nil)
	}
	rows, err := s.reader.QueryContext(ctx,
		`SELECT task_id, owner, provider, amount, at FROM charges WHERE job_id = ? ORDER BY task_id`, jobID)
	if err != nil {
		return nil, s.dbError(ctx, "read job charges", err)
	}
	defer rows.Close()
	var out []*bonfire.TaskCharge
	for rows.Next() {
		c := &bonfire.TaskCharge{JobID: jobID}
		var owner, provider string
		var amount, at int64
		if err := rows.Scan(&c.TaskID, &owner, &provider, &amount, &at); err != nil {
			return nil, s.dbError(ctx, "read job charges", err)
		}
		c.Owner, c.Provider, c.Amount = bonfire.Address(owner), bonfire.Address(provider), uint64(amount)
		if at != 0 {
			c.At = time.Unix(0, at).UTC()
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, s.dbError(ctx, "read job charges", err)
	}
	return out, nil
}
