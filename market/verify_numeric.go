package market

import (
	"context"
	"io"
	"path"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/trust"
)

// numericFiles reads, before mu is taken, the metrics file of each result
// in a report whose job compares replicas by numbers (verify.numeric), so
// that deciding needs no disk under the lock. A result without the file,
// or with one too large, gets nil: it cannot agree with anyone.
func (m *Market) numericFiles(ctx context.Context, results []bonfire.TaskResult) map[protocol.TaskRef][]byte {
	// One look under mu for the whole report: most jobs compare digests,
	// and a report of many results must not take the lock once per result.
	var checks map[int]*bonfire.NumericCheck
	m.mu.Lock()
	for i := range results {
		r := &results[i]
		if !r.OK() {
			continue
		}
		if t := m.st.tasks[r.TaskID]; t != nil {
			if js := m.st.jobs[t.JobID]; js != nil && js.job.Spec.Verify.Numeric != nil {
				if checks == nil {
					checks = map[int]*bonfire.NumericCheck{}
				}
				checks[i] = js.job.Spec.Verify.Numeric
			}
		}
	}
	m.mu.Unlock()
	if checks == nil {
		return nil
	}
	out := make(map[protocol.TaskRef][]byte, len(checks))
	for i, check := range checks {
		r := &results[i]
		out[protocol.TaskRef{TaskID: r.TaskID, Attempt: r.Attempt}] = m.readNumeric(ctx, r, check.File)
	}
	return out
}

func (m *Market) readNumeric(ctx context.Context, r *bonfire.TaskResult, file string) []byte {
	for _, f := range r.Outputs {
		if f.Name != path.Clean(file) || f.Size > trust.MaxNumericFileBytes {
			continue
		}
		rc, _, err := m.cfg.Blobs.Open(ctx, f.Digest)
		if err != nil {
			return nil
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, trust.MaxNumericFileBytes+1))
		if err != nil || len(data) > trust.MaxNumericFileBytes {
			return nil
		}
		return data
	}
	return nil
}

// classes maps each live run's result to the digest that stands for its
// class of equal results: its own output digest, or, under verify.numeric,
// the output digest of the first earlier run whose numbers agree within
// the tolerance. trust.Decide then counts classes as it counts digests.
func (g *group) classes(job *bonfire.Job, live []*bonfire.Task) map[string]bonfire.Digest {
	out := make(map[string]bonfire.Digest, len(live))
	check := job.Spec.Verify.Numeric
	for i, run := range live {
		r := g.revealed[run.ID]
		out[run.ID] = r.OutputDigest
		if check == nil {
			continue
		}
		mine := g.numeric[run.ID]
		for _, earlier := range live[:i] {
			if other := g.numeric[earlier.ID]; mine != nil && other != nil && trust.CompareNumeric(*check, other, mine) == nil {
				out[run.ID] = out[earlier.ID]
				break
			}
		}
	}
	return out
}
