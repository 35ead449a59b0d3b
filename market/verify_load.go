package market

import (
	"context"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/trust"
)

// loadGroups rebuilds the groups of unfinished verified tasks after a
// restart, from what the store keeps: each run's task row (Checks,
// Replicas), the "committed" events (commitments), and the results table
// (revealed results). Runs whose providers still hold results commit
// again with their heartbeats and are asked to reveal; runs that cannot
// are given to someone else after RevealTimeout.
func (m *Market) loadGroups(ctx context.Context) error {
	now := m.cfg.Now()
	for _, js := range m.st.jobs {
		if !commitsFirst(js.job) {
			continue
		}
		groups := map[string]*group{}
		for _, t := range js.tasks {
			if t.Checks == "" && t.Replicas > 0 && !t.State.Terminal() {
				g := newGroup(t, t.Replicas)
				g.runs = []*bonfire.Task{t}
				groups[t.ID] = g
			}
		}
		for _, t := range js.tasks {
			if t.Checks == "" {
				continue
			}
			if g := groups[t.Checks]; g != nil {
				g.runs = append(g.runs, t)
				continue
			}
			origin := m.st.tasks[t.Checks]
			if t.State.Terminal() || origin == nil || origin.Result == nil {
				continue
			}
			canary, ok := trust.CanaryFrom(t.ID, origin.Result, trust.Decision{Outcome: trust.Agreed,
				Result: origin.Result.OutputDigest, Agree: []bonfire.Address{"a", "b"}})
			if !ok {
				continue
			}
			g := newGroup(origin, 1)
			g.runs, g.canary = []*bonfire.Task{t}, &canary
			groups[t.ID] = g
		}
		for _, g := range groups {
			if g.canary == nil {
				g.referees = max(len(g.runs)-g.want, 0)
			}
			for _, run := range g.runs {
				m.st.runs[run.ID] = g
				if run.Provider != "" {
					g.ran[run.Provider] = true
				}
				if run.State != bonfire.TaskVerifying {
					continue
				}
				if err := m.loadRun(ctx, g, run); err != nil {
					return err
				}
				if g.revealed[run.ID] == nil {
					g.asked[run.ID] = now
				}
			}
		}
	}
	return nil
}

// loadRun restores what the store knows of a verifying run's attempt.
func (m *Market) loadRun(ctx context.Context, g *group, run *bonfire.Task) error {
	events, err := m.cfg.Store.Events(ctx, run.ID)
	if err != nil {
		return err
	}
	for _, e := range events {
		if e.Kind == "committed" && e.Attempt == run.Attempt && e.Provider.Normal() == run.Provider {
			g.commits[run.ID] = commitRecord{attempt: run.Attempt, digest: bonfire.Digest(e.Detail)}
		}
	}
	results, err := m.cfg.Store.Results(ctx, run.ID)
	if err != nil {
		return err
	}
	for _, r := range results {
		if r.Attempt == run.Attempt && r.Provider.Normal() == run.Provider && r.OK() {
			g.revealed[run.ID] = r
			if js := m.st.jobs[run.JobID]; js != nil && js.job.Spec.Verify.Numeric != nil {
				g.numeric[run.ID] = m.readNumeric(ctx, r, js.job.Spec.Verify.Numeric.File)
			}
		}
	}
	return nil
}
