package trustsim

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
)

// faultKinds are the task events that prove a provider at fault: a result
// outvoted or contradicting a known answer, and a reveal that does not
// open its commitment. A rejected commitment is not one: an honest
// provider's commitment arrives late when its run was reaped on a busy host.
var faultKinds = map[string]bool{"faulted": true, "reveal-rejected": true}

// maxAnomalies bounds the unexpected events a report quotes.
const maxAnomalies = 20

// measure fills in the report from the market's record of jobs (own tasks
// and check runs alike), the providers' reputations and the stake ledger.
func (n *simNet) measure(ctx context.Context, rep *Report, jobs []string) error {
	live, err := n.market.Providers(ctx)
	if err != nil {
		return err
	}
	byID := map[bonfire.Address]*bonfire.Provider{}
	for _, p := range live {
		byID[p.Info.ID.Normal()] = p
	}
	// The market waits for its slashes on close; the store stays open.
	n.close()

	honest := map[bonfire.Address]bool{}
	for _, sp := range n.provs {
		honest[sp.id] = sp.mode == Honest
	}
	note := func(format string, args ...any) {
		if len(rep.Anomalies) < maxAnomalies {
			rep.Anomalies = append(rep.Anomalies, fmt.Sprintf(format, args...))
		}
	}
	firstFault := map[bonfire.Address]time.Time{}
	faultTask := map[bonfire.Address]string{}
	accepted := map[bonfire.Address]int{}
	wrong := map[string]int{}
	for _, jobID := range jobs {
		tasks, err := n.allTasks(ctx, jobID)
		if err != nil {
			return err
		}
		runsOf := map[string][]*bonfire.Task{}
		for _, t := range tasks {
			if t.Checks != "" {
				runsOf[t.Checks] = append(runsOf[t.Checks], t)
			}
		}
		for _, t := range tasks {
			if t.Checks == "" && t.State == bonfire.TaskFailed {
				note("task %s failed (runs by %s): %v", t.ID, n.modesOf(append([]*bonfire.Task{t}, runsOf[t.ID]...)), t.Error)
			}
			events, err := n.store.Events(ctx, t.ID)
			if err != nil {
				return err
			}
			if t.Checks == "" && t.State == bonfire.TaskSucceeded {
				ok, err := n.correct(ctx, t)
				if err != nil {
					return err
				}
				if !ok {
					wrong[jobID]++
					if unchecked(t, events) {
						rep.WrongAcceptedUnchecked++
					}
				}
				if t.Result != nil {
					accepted[t.Result.Provider.Normal()]++
				}
			}
			for _, e := range events {
				p := e.Provider.Normal()
				if faultKinds[e.Kind] && p != "" {
					if honest[p] {
						note("honest provider %s: %s on %s attempt %d: %s", p, e.Kind, t.ID, e.Attempt, e.Detail)
					}
					if at, seen := firstFault[p]; !seen || e.At.Before(at) {
						firstFault[p], faultTask[p] = e.At, t.ID
					}
				}
			}
		}
	}
	rep.WrongAccepted = wrong[rep.JobID]
	if rep.Warmup != nil {
		rep.Warmup.WrongAccepted = wrong[rep.Warmup.JobID]
	}
	for _, w := range wrong {
		rep.WrongAcceptedTotal += w
	}

	for _, sp := range n.provs {
		mp := byID[sp.id]
		slashed := n.ledger.Slashed(sp.id)
		at, faulted := firstFault[sp.id]
		if mp != nil && mp.Reputation.Faults+mp.Reputation.CanariesFailed > 0 {
			faulted = true
		}
		if sp.mode == Honest {
			if faulted {
				rep.HonestFaulted++
			}
			if slashed > 0 {
				rep.HonestSlashed++
			}
			continue
		}
		cr := CheaterReport{Address: sp.id, Mode: sp.mode, Caught: faulted, Slashed: slashed,
			Executions: sp.exec.runs.Load(), Accepted: accepted[sp.id], ClaimedCPUMilli: lendCPU}
		if sp.mode == Cores {
			cr.ClaimedCPUMilli = claimedCores * 1000
		}
		if faulted && !at.IsZero() {
			honestRuns := int(sp.exec.honestRuns.Load())
			cr.TasksUntilCaught = max(sp.exec.ordinal(faultTask[sp.id])-honestRuns, 0)
			cr.StartedBeforeCaught = sp.exec.startsUpTo(at) - honestRuns
		}
		if mp != nil {
			cr.Faults, cr.CanariesFailed = mp.Reputation.Faults, mp.Reputation.CanariesFailed
			cr.CPUMilli, cr.LastChallenge, cr.ChallengesFailed = mp.Info.Lend.CPUMilli, mp.LastChallenge, mp.Reputation.ChallengesFailed
		}
		if cr.Caught {
			rep.CheatersCaught++
		}
		if cr.Slashed > 0 {
			rep.CheatersSlashed++
		}
		rep.PerCheater = append(rep.PerCheater, cr)
	}
	return nil
}

// allTasks lists every task of a job the store holds, check runs included
// (the market's own listing hides them).
func (n *simNet) allTasks(ctx context.Context, jobID string) ([]*bonfire.Task, error) {
	const page = 5000
	var out []*bonfire.Task
	for from := 0; ; {
		ts, err := n.store.Tasks(ctx, bonfire.TaskFilter{JobID: jobID, Limit: page, From: from})
		if err != nil {
			return nil, err
		}
		out = append(out, ts...)
		if len(ts) < page {
			return out, nil
		}
		from = ts[len(ts)-1].Index + 1
	}
}

// correct reports whether an accepted task's outputs are exactly what an
// honest run writes.
func (n *simNet) correct(ctx context.Context, t *bonfire.Task) (bool, error) {
	if t.Result == nil || len(t.Result.Outputs) != 1 || t.Result.Outputs[0].Name != outputName {
		return false, nil
	}
	rc, _, err := n.blobs.Open(ctx, t.Result.Outputs[0].Digest)
	if err != nil {
		return false, err
	}
	defer rc.Close()
	got, err := io.ReadAll(io.LimitReader(rc, 4096))
	if err != nil {
		return false, err
	}
	if bytes.HasPrefix(got, []byte(cheatMarker)) {
		return false, nil
	}
	return bytes.Equal(got, correctOutput(n.module, t.Args, t.Env, t.Seed)), nil
}

// modesOf names the behaviour of the provider of each run, for anomalies.
func (n *simNet) modesOf(runs []*bonfire.Task) string {
	mode := map[bonfire.Address]Mode{}
	for _, sp := range n.provs {
		mode[sp.id] = sp.mode
	}
	var b strings.Builder
	for i, r := range runs {
		if i > 0 {
			b.WriteString(", ")
		}
		m := mode[r.Provider.Normal()]
		if m == "" {
			m = "none"
		}
		fmt.Fprintf(&b, "%s %s", m, r.State)
	}
	return b.String()
}

// unchecked reports whether the market accepted task t's result without
// comparing it: it placed the task alone (no other provider looked able to
// check it) or relaxed its check later for the same reason.
func unchecked(t *bonfire.Task, events []*bonfire.TaskEvent) bool {
	if t.Replicas <= 1 {
		return true
	}
	for _, e := range events {
		if e.Kind == "check-relaxed" {
			return true
		}
	}
	return false
}
