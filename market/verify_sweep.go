package market

import (
	"slices"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/scheduler"
	"github.com/bonfirenet/bonfire/trust"
)

// sweepRuns is verification's part of a reap: a run asked to reveal that
// did not in RevealTimeout goes to someone else, and an adaptive group
// whose queued run no provider outside the group can take (the others went
// away) is relaxed to accept its result unchecked rather than stall the
// job. replicate: N never relaxes: the consumer asked for N providers.
// Call with mu held.
func (c *change) sweepRuns(now time.Time) {
	m := c.m
	seen := map[*group]bool{}
	var groups []*group
	for _, g := range m.st.runs {
		if !seen[g] {
			seen[g] = true
			groups = append(groups, g)
		}
	}
	for _, g := range groups {
		if g.ended {
			continue
		}
		js := m.st.jobs[g.origin.JobID]
		for _, run := range g.runs {
			asked, ok := g.asked[run.ID]
			if !ok || run.State != bonfire.TaskVerifying || g.revealed[run.ID] != nil || now.Sub(asked) < m.cfg.RevealTimeout {
				continue
			}
			reason := bonfire.Errorf(bonfire.ECodeTimeout, "provider did not reveal its committed result within %s", m.cfg.RevealTimeout)
			c.event(run, "reveal-timeout", run.Provider, reason.Error())
			c.retryRun(js, run, reason)
		}
		c.decide(js, g) // a no-op unless every live run has revealed (as after a restart)
		if g.ended || g.relaxed || g.canary != nil || g.want <= 1 || policyOf(js.job).Mode != trust.ModeAdaptive {
			continue
		}
		if origin := m.st.Provider(g.origin.Provider); origin != nil && suspect(origin) {
			continue // a proven cheater's result waits for a check
		}
		for _, run := range g.runs {
			if run.State == bonfire.TaskQueued && now.Sub(run.QueuedAt) >= m.cfg.CheckWait && !m.placeable(js.job, run) {
				c.relax(js, g)
				break
			}
		}
	}
}

// lostHeldResults gives to someone else the runs whose results provider
// committed to but has not revealed: it registered again, so it restarted,
// and a restarted provider holds no results. Call with mu held.
func (c *change) lostHeldResults(provider bonfire.Address) {
	var lost []*bonfire.Task
	for _, g := range c.m.st.runs {
		for _, run := range g.runs {
			if run.Provider == provider && run.State == bonfire.TaskVerifying && g.revealed[run.ID] == nil && !slices.Contains(lost, run) {
				lost = append(lost, run)
			}
		}
	}
	for _, run := range lost {
		reason := bonfire.Errorf(bonfire.ECodeProviderLost, "provider %s restarted before revealing its committed result", provider)
		c.retryRun(c.m.st.jobs[run.JobID], run, reason)
	}
}

// placeable reports whether some online provider could take run now.
func (m *Market) placeable(job *bonfire.Job, run *bonfire.Task) bool {
	for id, p := range m.st.providers {
		if p.State == bonfire.ProviderOnline && scheduler.Eligible(p, job) && !m.st.excluded(run, id) {
			return true
		}
	}
	return false
}

// relax lowers g to one run: its queued check runs are cancelled, its
// runs may share a provider, and the first result is accepted unchecked.
func (c *change) relax(js *jobState, g *group) {
	g.relaxed, g.want = true, 1
	c.event(g.origin, "check-relaxed", "", "no other provider can run the check; the result is accepted unchecked")
	why := bonfire.Errorf(bonfire.ECodeCancelled, "no other provider could run the check")
	for _, run := range g.runs {
		if run != g.origin && run.State == bonfire.TaskQueued {
			run.FinishedAt, run.Error = c.m.cfg.Now(), why
			c.setState(js, run, bonfire.TaskCancelled)
		}
	}
	c.openRound(g, "")
	c.decide(js, g)
}
