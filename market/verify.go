package market

import (
	"fmt"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/jobspec"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/scheduler"
	"github.com/bonfirenet/bonfire/trust"
)

// A group is the runs whose results decide one of a job's tasks: the task
// itself (the origin), and the check runs the policy asked for (replicas)
// or a disagreement added (referees). A canary is a group of one run whose
// answer is already known. Every run commits to its result before any run
// of the group reveals (commit–reveal), and the group is decided when every
// live run has revealed. All fields are guarded by Market.mu.
type group struct {
	origin   *bonfire.Task
	want     int             // results compared; 1 means accepted alone
	runs     []*bonfire.Task // origin first (absent for a canary), then check runs
	ran      map[bonfire.Address]bool
	commits  map[string]commitRecord        // run ID → commitment of its current attempt
	asked    map[string]time.Time           // run ID → when its reveal was asked for
	revealed map[string]*bonfire.TaskResult // run ID → opened result of its current attempt
	numeric  map[string][]byte              // run ID → its metrics file, under verify.numeric
	referees int                            // check runs added after a disagreement
	canary   *trust.Canary                  // set for a canary: the known answer
	ended    bool
	// relaxed is set when too few providers are left to keep the runs on
	// distinct providers (adaptive only): want was lowered and runs may
	// share a provider, whose duplicate vote trust.Decide ignores.
	relaxed bool
}

type commitRecord struct {
	attempt int
	digest  bonfire.Digest
}

// knownTask is a task whose result two or more providers agreed on, kept
// with who ran it so that a canary made of it goes to someone else.
type knownTask struct {
	task *bonfire.Task
	ran  map[bonfire.Address]bool
}

func newGroup(origin *bonfire.Task, want int) *group {
	return &group{origin: origin, want: want, ran: map[bonfire.Address]bool{}, commits: map[string]commitRecord{},
		asked: map[string]time.Time{}, revealed: map[string]*bonfire.TaskResult{}, numeric: map[string][]byte{}}
}

// policyOf is the verification policy the job's spec names (or implies).
func policyOf(j *bonfire.Job) trust.Policy { return jobspec.Policy(&j.Spec) }

// commitsFirst reports whether j's providers commit to results before
// revealing them: every task of a verified job does, checked or not.
func commitsFirst(j *bonfire.Job) bool { return policyOf(j).Mode != trust.ModeNone }

// excluded reports whether provider p may not take queued task t: it
// holds another live run of t's group, whose result t's must be compared
// with (a provider whose run was lost may take the task again), or t is a
// check run, p is still a newcomer, and an established provider could take
// it instead: newcomers do not vouch for each other while someone with a
// record is there, so a ring of fresh identities cannot confirm its own
// wrong answers.
func (s *state) excluded(t *bonfire.Task, p bonfire.Address) bool {
	g := s.runs[t.ID]
	if g == nil || g.relaxed {
		return false
	}
	if g.holds(t, p) {
		return true
	}
	js := s.jobs[t.JobID]
	if js.job.Spec.Verify.Homogeneous && !s.sameClass(g, t, p) {
		return true
	}
	if t.Checks == "" || g.canary != nil {
		return false
	}
	if pr := s.providers[p]; pr == nil || pr.Reputation.CV >= trust.AlwaysCheckBelow {
		return false
	}
	for id, q := range s.providers {
		if id != p && q.State == bonfire.ProviderOnline && q.Reputation.CV >= trust.AlwaysCheckBelow &&
			scheduler.Eligible(q, js.job) && !g.holds(t, id) {
			return true
		}
	}
	return false
}

// sameClass reports whether p's hardware is in the homogeneity class
// (trust.HomogeneityKey) of the providers holding g's other live runs, as
// verify.homogeneous asks: replicas on the same GPU model and driver.
func (s *state) sameClass(g *group, t *bonfire.Task, p bonfire.Address) bool {
	mine := s.providers[p]
	if mine == nil {
		return false
	}
	key := trust.HomogeneityKey(mine.Info.Hardware)
	for _, r := range g.runs {
		if r == t || r.Provider == "" || r.State.Terminal() || r.State == bonfire.TaskQueued {
			continue
		}
		if q := s.providers[r.Provider]; q != nil && trust.HomogeneityKey(q.Info.Hardware) != key {
			return false
		}
	}
	return true
}

// holds reports whether p holds a live run of g other than t.
func (g *group) holds(t *bonfire.Task, p bonfire.Address) bool {
	for _, r := range g.runs {
		if r != t && r.Provider == p && !r.State.Terminal() && r.State != bonfire.TaskQueued {
			return true
		}
	}
	return false
}

// placed gives a task placed on p for the first time its group: how many
// runs the policy wants compared and the check runs that adds. Call after
// the placement is applied.
func (c *change) placed(t *bonfire.Task, p *bonfire.Provider) {
	st := c.m.st
	if g := st.runs[t.ID]; g != nil {
		g.ran[p.Info.ID] = true // a check run, or a retry
		return
	}
	js := st.jobs[t.JobID]
	pol := policyOf(js.job)
	if pol.Mode == trust.ModeNone || t.Checks != "" {
		return
	}
	want := trust.NeedsCheck(pol, trust.Reputation(p.Reputation), c.m.rng)
	if want > 1 && pol.Mode == trust.ModeAdaptive && !suspect(p) {
		// Adaptive checking compares with whoever else is there; with no
		// one else it accepts alone rather than stall the job.
		want = 1 + c.m.otherEligible(js.job, p.Info.ID, want-1)
	}
	t.Replicas = want
	g := newGroup(t, want)
	g.runs = []*bonfire.Task{t}
	g.ran[p.Info.ID] = true
	st.runs[t.ID] = g
	for range want - 1 {
		c.addCheckRun(js, g)
	}
}

// suspect reports whether p was proven wrong and has not yet rebuilt a
// record since: its results are never accepted alone, however few
// providers there are to compare them with.
func suspect(p *bonfire.Provider) bool {
	r := p.Reputation
	return r.Faults+r.CanariesFailed > 0 && r.CV < trust.AlwaysCheckBelow
}

// otherEligible counts, up to n, online providers other than but may run
// job's tasks.
func (m *Market) otherEligible(job *bonfire.Job, but bonfire.Address, n int) int {
	count := 0
	for id, p := range m.st.providers {
		if count == n {
			break
		}
		if id != but && p.State == bonfire.ProviderOnline && scheduler.Eligible(p, job) {
			count++
		}
	}
	return count
}

// addRun adds a hidden run of origin to its job: same args, env and seed,
// so the same inputs digest, under a fresh index past the job's own tasks.
// It is queued but not in the queue; the caller places or queues it.
func (c *change) addRun(js *jobState, origin *bonfire.Task) *bonfire.Task {
	idx := len(js.tasks)
	t := &bonfire.Task{ID: bonfire.TaskID(js.job.ID, idx), JobID: js.job.ID, Index: idx, Params: origin.Params,
		Args: origin.Args, Env: origin.Env, Seed: origin.Seed, State: bonfire.TaskQueued, QueuedAt: c.m.cfg.Now(),
		Checks: origin.ID}
	js.tasks = append(js.tasks, t)
	c.m.st.tasks[t.ID] = t
	js.job.CheckRuns++
	adjust(&js.job.CheckCounts, bonfire.TaskQueued, +1)
	adjust(&c.m.st.counts, bonfire.TaskQueued, +1)
	c.tasks[t.ID], c.jobs[js.job.ID] = t, js
	return t
}

// addCheckRun queues one more run of g's task at the front of the queue.
func (c *change) addCheckRun(js *jobState, g *group) {
	t := c.addRun(js, g.origin)
	g.runs = append(g.runs, t)
	c.m.st.runs[t.ID] = g
	js.pushFront(t)
	c.requeued = true
}

// maybeCanary swaps the last task of a pull's plan for a canary, with the
// chance trust.PickCanary gives p: a run of a task of the same job (so the
// same resources fit) whose answer two providers agreed on and p never
// ran. The swapped-out task stays queued. Call before applying the plan.
func (c *change) maybeCanary(assign []scheduler.Placement, p *bonfire.Provider) {
	if len(assign) == 0 {
		return
	}
	last := &assign[len(assign)-1]
	js := c.m.st.jobs[last.Task.JobID]
	// A canary is judged by its output digest, so a job whose replicas
	// are compared by numbers within a tolerance has none: an honest
	// provider's result would differ in the last bits and be faulted.
	if js == nil || len(js.known) == 0 || js.job.Spec.Verify.Numeric != nil ||
		!trust.PickCanary(trust.Reputation(p.Reputation), c.m.rng) {
		return
	}
	for range 4 { // a few draws; a provider that ran every known task gets none
		k := js.known[c.m.rng.IntN(len(js.known))]
		if k.ran[p.Info.ID] {
			continue
		}
		canary, ok := trust.CanaryFrom(k.task.ID, k.task.Result, trust.Decision{Outcome: trust.Agreed,
			Result: k.task.Result.OutputDigest, Agree: []bonfire.Address{"a", "b"}})
		if !ok {
			return
		}
		t := c.addRun(js, k.task)
		canary.TaskID = t.ID
		g := newGroup(k.task, 1)
		g.runs, g.canary = []*bonfire.Task{t}, &canary
		g.ran[p.Info.ID] = true
		c.m.st.runs[t.ID] = g
		last.Task = t
		return
	}
}

// takeCommit records a run's commitment. It returns "" when recorded (now
// or before) and the reason otherwise; a reveal the round now allows is
// queued in the change.
func (c *change) takeCommit(cm protocol.Commit, from bonfire.Address) string {
	t := c.m.st.tasks[cm.TaskID]
	if t == nil {
		return "task is not active at this market"
	}
	reject := func(format string, args ...any) string {
		reason := fmt.Sprintf(format, args...)
		c.event(t, "commit-rejected", from, reason)
		return reason
	}
	if err := cm.Commitment.Validate(); err != nil {
		return reject("malformed commitment: %v", err)
	}
	if t.Provider != from || t.Attempt != cm.Attempt {
		return reject("late or stale commitment: attempt %d of task %s is not assigned to %s", cm.Attempt, t.ID, from)
	}
	js := c.m.st.jobs[t.JobID]
	g := c.m.st.runs[t.ID]
	if g == nil || !commitsFirst(js.job) {
		return reject("task %s does not take commitments: send its result", t.ID)
	}
	switch t.State {
	case bonfire.TaskAssigned, bonfire.TaskRunning:
		if t.StartedAt.IsZero() {
			t.StartedAt = c.m.cfg.Now()
		}
		c.setState(js, t, bonfire.TaskVerifying)
	case bonfire.TaskVerifying:
		if prior, ok := g.commits[t.ID]; ok && prior.attempt == t.Attempt {
			if prior.digest != cm.Commitment {
				return reject("attempt %d is already committed to a different result", t.Attempt)
			}
			c.openRound(g, from) // a resend: ask again if the round is open
			return ""
		}
	default:
		return reject("task %s is already %s", t.ID, t.State)
	}
	g.commits[t.ID] = commitRecord{attempt: t.Attempt, digest: cm.Commitment}
	c.event(t, "committed", from, string(cm.Commitment))
	c.openRound(g, from)
	return ""
}

// openRound asks for the reveals once every live run of g has committed.
// A run of from is asked again even if it was before (its commitment came
// again, so it may have lost the request).
func (c *change) openRound(g *group, from bonfire.Address) {
	for _, r := range g.runs {
		if !r.State.Terminal() && r.State != bonfire.TaskVerifying {
			return // still queued or running somewhere
		}
	}
	now := c.m.cfg.Now()
	for _, r := range g.runs {
		if r.State != bonfire.TaskVerifying || g.revealed[r.ID] != nil {
			continue
		}
		if _, committed := g.commits[r.ID]; !committed {
			continue // known only after a restart; its provider commits again
		}
		if _, asked := g.asked[r.ID]; asked && r.Provider != from {
			continue
		}
		g.asked[r.ID] = now
		c.reveals[r.Provider] = append(c.reveals[r.Provider], protocol.TaskRef{TaskID: r.ID, Attempt: r.Attempt})
	}
}

// takeReveal checks that r opens t's commitment and decides t's group when
// it was the last result missing. It returns "" or the reason r is refused.
func (c *change) takeReveal(js *jobState, t *bonfire.Task, r *bonfire.TaskResult, salt *trust.Hash, metrics []byte, from bonfire.Address) string {
	g := c.m.st.runs[t.ID]
	rec, committed := g.commits[t.ID]
	var reason string
	switch {
	case !committed || rec.attempt != r.Attempt:
		reason = "result revealed before its commitment was recorded"
	case salt == nil:
		reason = "result sent without the salt that opens its commitment"
	case !r.OK():
		reason = "a committed result must be a successful one"
	case trust.Commitment(r.OutputDigest, from, t.ID, r.Attempt, *salt) != rec.digest:
		reason = fmt.Sprintf("output %s with the salt sent does not open commitment %s", r.OutputDigest, rec.digest)
	}
	if reason != "" {
		c.event(t, "reveal-rejected", from, reason)
		if p := c.m.st.Provider(from); p != nil {
			c.fault(js, t, p, reason, evidenceOf(r))
		}
		c.retryRun(js, t, bonfire.Errorf(bonfire.ECodeInvalid, "provider broke commit–reveal: %s", reason))
		return reason
	}
	g.revealed[t.ID] = r
	if metrics != nil {
		g.numeric[t.ID] = metrics
	}
	c.event(t, "revealed", from, string(r.OutputDigest))
	c.decide(js, g)
	return ""
}

// decide judges g once every live run has revealed.
func (c *change) decide(js *jobState, g *group) {
	if g.ended {
		return
	}
	if g.canary != nil {
		if g.revealed[g.runs[0].ID] != nil { // judged only once it answered
			c.judgeCanary(js, g)
		}
		return
	}
	var live []*bonfire.Task
	for _, run := range g.runs {
		if run.State.Terminal() {
			continue
		}
		if g.revealed[run.ID] == nil {
			return
		}
		live = append(live, run)
	}
	class := g.classes(js.job, live)
	votes := make([]trust.Replica, 0, len(live))
	for _, run := range live {
		votes = append(votes, trust.Replica{Provider: run.Provider, Result: class[run.ID]})
	}
	d := trust.Decide(g.want, votes)
	switch d.Outcome {
	case trust.Agreed:
		c.agree(js, g, d, live, class)
	case trust.Pending, trust.NeedReferee:
		// Pending here means runs failed for good and too few results
		// are left: like a disagreement, another provider settles it.
		if g.referees >= trust.MaxReferees {
			c.inconclusive(js, g, "the runs that could verify it failed or disagreed")
			return
		}
		g.referees++
		c.event(g.origin, "referee", "", fmt.Sprintf("%d results do not agree; one more provider runs the task", len(votes)))
		c.addCheckRun(js, g)
	case trust.Inconclusive:
		c.inconclusive(js, g, fmt.Sprintf("%d providers returned %d different results", len(votes), distinct(votes)))
	}
}

func distinct(votes []trust.Replica) int {
	seen := map[bonfire.Digest]bool{}
	for _, v := range votes {
		seen[v.Result] = true
	}
	return len(seen)
}

// agree accepts the agreed result for g's task: the runs that returned it
// succeed and are paid, the others are faulted, unpaid and slashed. The
// consumer's task gets the agreed result even if its own run was wrong.
func (c *change) agree(js *jobState, g *group, d trust.Decision, live []*bonfire.Task, class map[string]bonfire.Digest) {
	g.ended = true
	var winner *bonfire.TaskResult
	for _, run := range live {
		if r := g.revealed[run.ID]; winner == nil && class[run.ID] == d.Result {
			winner = r
		}
	}
	evidence := evidenceOf(resultsOf(g, live)...)
	for _, run := range live {
		r := g.revealed[run.ID]
		p := c.m.st.Provider(run.Provider)
		if class[run.ID] != d.Result {
			reason := fmt.Sprintf("its result %s lost %d to %d against %s", r.OutputDigest, len(d.Agree), len(live)-len(d.Agree), d.Result)
			c.event(run, "faulted", run.Provider, reason)
			if p != nil {
				c.fault(js, run, p, reason, evidence)
			}
			if run != g.origin {
				c.fail(run, bonfire.Errorf(bonfire.ECodeInvalid, "result rejected: %s", reason))
			}
			continue
		}
		if p != nil {
			rep := trust.Reputation(p.Reputation)
			if g.want > 1 {
				rep.RecordAgreement()
			} else {
				rep.RecordUnchecked()
			}
			c.setReputation(p, rep)
			p.TasksDone++
		}
		c.succeed(run, r)
		c.charge(js, run, r, p)
		c.paid(run.Provider, js.job.Owner)
	}
	if g.origin.State != bonfire.TaskSucceeded {
		c.succeed(g.origin, winner) // its own run was outvoted
	}
	if len(d.Agree) >= 2 {
		js.known = append(js.known, knownTask{task: g.origin, ran: g.ran})
	}
	c.endGroup(g)
}

// inconclusive fails g's task without faulting anyone (see trust.Decide).
func (c *change) inconclusive(js *jobState, g *group, why string) {
	g.ended = true
	reason := bonfire.Errorf(bonfire.ECodeTaskFailed, "the result could not be verified: %s", why).
		WithHint("make the task deterministic (no clock, no host randomness, no races), or set verify: none")
	for _, run := range g.runs {
		if !run.State.Terminal() {
			c.fail(run, reason)
		}
	}
	c.endGroup(g)
}

// judgeCanary compares a canary's result with the known answer.
func (c *change) judgeCanary(js *jobState, g *group) {
	run := g.runs[0]
	r := g.revealed[run.ID]
	g.ended = true
	p := c.m.st.Provider(run.Provider)
	if err := g.canary.Check(r); err != nil {
		c.event(run, "faulted", run.Provider, "wrong answer to a task with a known result: "+err.Error())
		if p != nil {
			rep := trust.Reputation(p.Reputation)
			rep.RecordCanary(false)
			c.setReputation(p, rep)
			c.slash(js, run, p, evidenceOf(g.origin.Result, r))
		}
		c.fail(run, bonfire.Errorf(bonfire.ECodeInvalid, "result rejected: %v", err))
	} else {
		if p != nil {
			rep := trust.Reputation(p.Reputation)
			rep.RecordCanary(true)
			c.setReputation(p, rep)
		}
		c.succeed(run, r) // unpaid: the consumer did not ask for it
	}
	c.endGroup(g)
}

// fault records a provable fault of p on run: reputation, and a slash.
func (c *change) fault(js *jobState, run *bonfire.Task, p *bonfire.Provider, reason string, evidence bonfire.Digest) {
	c.slash(js, run, p, evidence) // before the fault: the stake is priced on the check rate it evaded
	rep := trust.Reputation(p.Reputation)
	rep.RecordFault()
	c.setReputation(p, rep)
	p.TasksFailed++
}

func (c *change) setReputation(p *bonfire.Provider, rep trust.Reputation) {
	rep.Rescore()
	p.Reputation = bonfire.Reputation(rep)
	c.provider(p)
}

// retryRun sends a run back to the queue (or fails it when its retries are
// spent) after its result was refused.
func (c *change) retryRun(js *jobState, t *bonfire.Task, reason *bonfire.Error) {
	if t.Retries < js.job.Spec.Retries {
		c.requeue(t, reason, true)
		return
	}
	c.fail(t, reason)
}

// forgetAttempt drops what g knew of t's current attempt, which is over.
func (g *group) forgetAttempt(t *bonfire.Task) {
	delete(g.commits, t.ID)
	delete(g.asked, t.ID)
	delete(g.revealed, t.ID)
}

// runEnded is told when a run fails for good or is cancelled: the origin
// ending ends its group (its check runs are cancelled); a check run ending
// leaves the group to decide with the runs left.
func (c *change) runEnded(t *bonfire.Task) {
	g := c.m.st.runs[t.ID]
	if g == nil || g.ended {
		return
	}
	js := c.m.st.jobs[t.JobID]
	if t == g.origin || g.canary != nil {
		g.ended = true
		why := bonfire.Errorf(bonfire.ECodeCancelled, "the task it checks ended")
		for _, run := range g.runs {
			if !run.State.Terminal() && run != t {
				c.cancelOn(run.Provider, run)
				run.FinishedAt, run.Error = c.m.cfg.Now(), why
				c.setState(js, run, bonfire.TaskCancelled)
			}
		}
		c.endGroup(g)
		return
	}
	// The runs left may all have committed now: ask for their reveals,
	// then decide (with too few results, a referee is added).
	c.openRound(g, "")
	c.decide(js, g)
}

func (c *change) endGroup(g *group) {
	for _, run := range g.runs {
		delete(c.m.st.runs, run.ID)
	}
}

// paid notes that provider earned from owner in this change, so the
// voucher for the new total reaches it.
func (c *change) paid(provider, owner bonfire.Address) {
	p, o := provider.Normal(), owner.Normal()
	if c.earned[p] == nil {
		c.earned[p] = map[bonfire.Address]bool{}
	}
	c.earned[p][o] = true
}

func resultsOf(g *group, runs []*bonfire.Task) []*bonfire.TaskResult {
	out := make([]*bonfire.TaskResult, 0, len(runs))
	for _, run := range runs {
		if r := g.revealed[run.ID]; r != nil {
			out = append(out, r)
		}
	}
	return out
}

// evidenceOf is the digest of the signed results a fault rests on: anyone
// holding them (the market keeps every result) can check the decision.
func evidenceOf(results ...*bonfire.TaskResult) bonfire.Digest {
	var b strings.Builder
	b.WriteString("bonfire/v1 fault-evidence\n")
	for _, r := range results {
		if r == nil {
			continue
		}
		b.Write(r.SigningBytes())
		b.WriteString("\n" + r.Signature + "\n")
	}
	return bonfire.DigestOf([]byte(b.String()))
}
