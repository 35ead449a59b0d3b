package market

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
)

func TestNewProvidersAreCheckedByCommitThenReveal(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	ps := tm.pricedProviders(2)
	a, b := ps[0], ps[1]
	job := tm.submit(tm.verifiedSpec(1, ""))

	first := a.pullOne()
	if !first.Commit {
		t.Fatal("a verified job's assignment does not ask for a commitment")
	}
	if more := a.pull(5); len(more) != 0 {
		t.Fatalf("the provider of a task also got %v, its own check run among them", taskIDs(more))
	}
	check := b.pullOne()
	if check.TaskID == first.TaskID || check.InputsDigest() != first.InputsDigest() {
		t.Fatalf("check run %s does not repeat task %s exactly", check.TaskID, first.TaskID)
	}

	aNotices := a.notices()
	heldA, reply := a.commit(first, "42")
	if len(reply.Reveal) != 0 || len(reply.Rejected) != 0 {
		t.Fatalf("first commitment: reply %+v; want it recorded, nothing revealed before the other replica commits", reply)
	}
	if got := tm.job(job.ID).Counts.Verifying; got != 1 {
		t.Fatalf("a committed task counts %d verifying, want 1", got)
	}
	heldB, reply := b.commit(check, "42")
	if !slices.Equal(reply.Reveal, refs(check)) {
		t.Fatalf("last commitment: reveal %v, want its own %v", reply.Reveal, refs(check))
	}
	if n := a.nextNotice(aNotices); !slices.Equal(n.Reveal, refs(first)) {
		t.Fatalf("the first replica was sent reveal %v, want %v", n.Reveal, refs(first))
	}
	if r := b.reveal(heldB); len(r.Accepted) != 1 {
		t.Fatalf("reveal: %+v", r)
	}
	if got := tm.job(job.ID).State; got.Terminal() {
		t.Fatalf("job %s after one of two reveals", got)
	}
	if r := a.reveal(heldA); len(r.Accepted) != 1 || len(r.Vouchers) != 0 {
		t.Fatalf("reveal: %+v", r)
	}

	done := tm.job(job.ID)
	if done.State != bonfire.JobSucceeded || done.CheckRuns != 1 || done.CheckCounts.Succeeded != 1 {
		t.Fatalf("job %s, %d check runs %+v; want succeeded with one succeeded check run", done.State, done.CheckRuns, done.CheckCounts)
	}
	if done.Charged == 0 || len(tm.charges(job.ID)) != 2 {
		t.Fatalf("charged %d in %d rows; want both agreeing runs paid", done.Charged, len(tm.charges(job.ID)))
	}
	for _, p := range []*fakeProvider{a, b} {
		rep := tm.provider(p.id).Reputation
		if rep.Agreed != 1 || rep.CV != 1 || rep.Faults != 0 || !(rep.Score > 0.5) {
			t.Errorf("provider %s reputation %+v; want one agreement raising its score above a newcomer's", p.id, rep)
		}
	}
	// Consumers see their own task only.
	listed, err := tm.m.Tasks(context.Background(), bonfire.TaskFilter{JobID: job.ID})
	if err != nil || len(listed) != 1 || listed[0].ID != first.TaskID {
		t.Fatalf("task list %v, %v; want only %s", listed, err, first.TaskID)
	}
	res, err := tm.m.JobResults(context.Background(), tm.owner, job.ID)
	if err != nil || len(res.Tasks) != 1 || res.Tasks[0].Result.OutputDigest != heldA.result.OutputDigest {
		t.Fatalf("results %+v, %v; want the agreed result of the one task", res, err)
	}
}

func TestDisagreementIsSettledByARefereeAndTheMinorityIsFaulted(t *testing.T) {
	t.Parallel()
	slasher := newSlashRecorder()
	tm := startMarket(t, func(c *Config) { c.Slasher = slasher })
	ps := tm.pricedProviders(3)
	a, b, c := ps[0], ps[1], ps[2]
	job := tm.submit(tm.verifiedSpec(1, ""))
	first, check := a.pullOne(), b.pullOne()
	heldA, _ := a.commit(first, "wrong")
	heldB, _ := b.commit(check, "right")
	a.reveal(heldA)
	b.reveal(heldB)

	referee := c.pullOne() // queued when the two results differed
	if referee.InputsDigest() != first.InputsDigest() {
		t.Fatal("the referee run is not the same task")
	}
	if e := hasEvent(tm.events(first.TaskID), "referee"); e == nil {
		t.Fatal("no referee event in the task's history")
	}
	heldC, _ := c.commit(referee, "right")
	c.reveal(heldC)

	done := tm.job(job.ID)
	if done.State != bonfire.JobSucceeded {
		t.Fatalf("job %s: %s", done.State, done.Reason)
	}
	// The consumer gets the agreed result although its own task's run
	// was the wrong one.
	res, err := tm.m.JobResults(context.Background(), tm.owner, job.ID)
	if err != nil || res.Tasks[0].Result.OutputDigest != heldB.result.OutputDigest {
		t.Fatalf("result %+v, %v; want the agreed one", res.Tasks[0].Result, err)
	}
	paid := map[bonfire.Address]bool{}
	for _, ch := range tm.charges(job.ID) {
		paid[ch.Provider] = true
	}
	if paid[a.id] || !paid[b.id] || !paid[c.id] {
		t.Fatalf("paid %v; want the two agreeing providers and not the faulted one", paid)
	}
	if rep := tm.provider(a.id).Reputation; rep.Faults != 1 || rep.CV != 0 || rep.Score >= 0.5 {
		t.Fatalf("faulted provider's reputation %+v", rep)
	}
	if e := hasEvent(tm.events(first.TaskID), "faulted"); e == nil || e.Provider != a.id {
		t.Fatalf("no fault of %s in the task's history", a.id)
	}
	history, err := tm.m.TaskHistory(context.Background(), tm.owner, first.TaskID)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, e := range history {
		kinds[e.Kind]++
	}
	if kinds["committed"] != 3 || kinds["revealed"] != 3 || kinds["referee"] != 1 || kinds["faulted"] != 1 {
		t.Fatalf("history %v; want the three runs' commitments and reveals, the referee and the fault", kinds)
	}
	if _, err := tm.m.TaskHistory(context.Background(), a.id, first.TaskID); bonfire.Code(err) != bonfire.ECodeForbidden {
		t.Fatalf("a provider read the owner's task history: %v", err)
	}
	orders := slasher.wait(t, 1)
	o := orders[0]
	if o.provider != a.id || o.consumer != tm.owner.Normal() || o.amount < bonfire.MaxTaskCharge(&done.Spec) || o.evidence.Validate() != nil {
		t.Fatalf("slash order %+v; want the faulted provider's stake, at least the task's price, to the consumer, with evidence", o)
	}
}

func TestCommitRevealRejectsWhatItCannotTrust(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	ps := tm.pricedProviders(2)
	a, b := ps[0], ps[1]
	tm.submit(tm.verifiedSpec(3, "replicate: 2"))
	as := a.pull(3)
	if len(as) != 3 {
		t.Fatalf("pulled %d", len(as))
	}
	ref := refs(as[0])[0]

	cases := []struct {
		name   string
		commit protocol.Commit
		want   string
	}{
		{"malformed", protocol.Commit{TaskRef: ref, Commitment: "sha256:zz"}, "malformed commitment"},
		{"late", protocol.Commit{TaskRef: protocol.TaskRef{TaskID: ref.TaskID, Attempt: 9}, Commitment: bonfire.DigestOf([]byte("x"))}, "late or stale"},
		{"someone else's", protocol.Commit{TaskRef: refs(b.pullOne())[0], Commitment: bonfire.DigestOf([]byte("x"))}, "not assigned to " + string(a.id)},
	}
	for _, c := range cases {
		reply := a.report(protocol.Report{Commits: []protocol.Commit{c.commit}})
		if len(reply.Rejected) != 1 || !strings.Contains(reply.Rejected[0].Reason, c.want) {
			t.Errorf("%s commitment: reply %+v, want rejected with %q", c.name, reply, c.want)
		}
	}
	if e := hasEvent(tm.events(ref.TaskID), "commit-rejected"); e == nil {
		t.Error("the rejected commitment is not in the task's history")
	}
	if p := tm.provider(a.id); p.Rejections != 3 || !strings.Contains(p.LastRejection, "not assigned") {
		t.Errorf("provider record after three refused commitments: %d rejections, last %q", p.Rejections, p.LastRejection)
	}

	// A result sent without a commitment is refused and retried.
	reply := a.finish(a.result(as[1], 0, output("7")))
	if len(reply.Rejected) != 1 || !strings.Contains(reply.Rejected[0].Reason, "committed first") {
		t.Fatalf("uncommitted result: %+v", reply)
	}
	if st := tm.storedTask(as[1].TaskID).State; st != bonfire.TaskQueued {
		t.Fatalf("task with an uncommitted result is %s, want queued again", st)
	}

	// A reveal that does not open the commitment is a fault.
	h, _ := a.commit(as[2], "7")
	h.result = a.result(as[2], 0, output("8")) // another answer than committed
	reply = a.reveal(h)
	if len(reply.Rejected) != 1 || !strings.Contains(reply.Rejected[0].Reason, "does not open commitment") {
		t.Fatalf("mismatched reveal: %+v", reply)
	}
	if rep := tm.provider(a.id).Reputation; rep.Faults != 1 {
		t.Fatalf("reputation after a broken reveal: %+v", rep)
	}
	if e := hasEvent(tm.events(as[2].TaskID), "reveal-rejected"); e == nil {
		t.Fatal("the broken reveal is not in the task's history")
	}
}

func TestJobsCanRequireAReputation(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p := tm.pricedProviders(1)[0]
	spec := tm.verifiedSpec(1, "none")
	spec.Verify.MinReputation = 0.6
	tm.submit(spec)
	if got := p.pull(1); len(got) != 0 {
		t.Fatalf("a newcomer (score %.2f) got a task of a job asking for 0.6", tm.provider(p.id).Reputation.Score)
	}
	if s := tm.provider(p.id).Reputation.Score; s != 0.5 {
		t.Fatalf("a newcomer scores %v, want 0.5", s)
	}
}

func TestAdaptiveCheckIsRelaxedWhenNoOtherProviderIsLeft(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	a := tm.pricedProviders(2)[0]
	job := tm.submit(tm.verifiedSpec(1, ""))
	first := a.pullOne()
	h, _ := a.commit(first, "1")
	// The other provider leaves before taking the check run: the check
	// can never run.
	tm.clock.Advance(tm.m.cfg.Scheduler.HeartbeatTimeout + tm.m.cfg.CheckWait)
	a.heartbeat()
	tm.reap()
	if e := hasEvent(tm.events(first.TaskID), "check-relaxed"); e == nil {
		t.Fatal("the check was not relaxed")
	}
	if reply := a.reveal(h); len(reply.Accepted) != 1 {
		t.Fatalf("reveal after relaxing: %+v", reply)
	}
	if done := tm.job(job.ID); done.State != bonfire.JobSucceeded || done.CheckCounts.Cancelled != 1 {
		t.Fatalf("job %s with checks %+v; want succeeded, its check run cancelled", done.State, done.CheckCounts)
	}
}

func TestVerificationSurvivesAMarketRestart(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	ps := tm.pricedProviders(2)
	a, b := ps[0], ps[1]
	job := tm.submit(tm.verifiedSpec(1, ""))
	first, check := a.pullOne(), b.pullOne()
	heldA, _ := a.commit(first, "5")
	heldB, reply := b.commit(check, "5")
	if len(reply.Reveal) != 1 {
		t.Fatalf("reply %+v", reply)
	}
	b.reveal(heldB)
	tm.restart()
	// a still holds its result; its heartbeat resends the commitment,
	// and the reply asks for the reveal again.
	_, reply = a.commit(first, "5")
	if !slices.Equal(reply.Reveal, refs(first)) {
		t.Fatalf("after the restart the resent commitment got %+v, want a reveal request", reply)
	}
	a.reveal(heldA)
	if done := tm.job(job.ID); done.State != bonfire.JobSucceeded {
		t.Fatalf("job %s after the restart: %s", done.State, done.Reason)
	}
}

func TestCanariesCatchAWrongAnswerToAKnownTask(t *testing.T) {
	t.Parallel()
	slasher := newSlashRecorder()
	tm := startMarket(t, func(c *Config) { c.Slasher, c.Seed = slasher, 3 })
	ps := tm.pricedProviders(3)
	a, b, c := ps[0], ps[1], ps[2]
	job := tm.submit(tm.verifiedSpec(200, ""))
	first, check := a.pullOne(), b.pullOne()
	ha, _ := a.commit(first, "known")
	hb, _ := b.commit(check, "known")
	a.reveal(ha)
	b.reveal(hb)

	// A newcomer meets a canary on about one pull in ten; the seed is
	// fixed, so the draw is the same on every run.
	var canary protocol.Assignment
	for range 100 {
		if got := c.pullOne(); got.InputsDigest() == first.InputsDigest() {
			canary = got
			break
		}
	}
	if canary.TaskID == "" {
		t.Fatal("no canary in 100 pulls")
	}
	if canary.TaskID == first.TaskID || canary.TaskID == check.TaskID || !canary.Commit {
		t.Fatalf("canary %+v does not look like an ordinary task", canary)
	}
	tm.reap() // a canary still running is not judged
	if rep := tm.provider(c.id).Reputation; rep.CanariesFailed != 0 || rep.Faults != 0 {
		t.Fatalf("a canary was judged before it answered: %+v", rep)
	}
	h, reply := c.commit(canary, "guessed")
	if !slices.Equal(reply.Reveal, refs(canary)) {
		t.Fatalf("a canary's commitment got %+v; want an immediate reveal request", reply)
	}
	c.reveal(h)
	if rep := tm.provider(c.id).Reputation; rep.CanariesFailed != 1 || rep.CV != 0 {
		t.Fatalf("reputation after a wrong canary: %+v", rep)
	}
	if st := tm.storedTask(canary.TaskID); st.State != bonfire.TaskFailed {
		t.Fatalf("wrong canary run is %s, want failed", st.State)
	}
	for _, ch := range tm.charges(job.ID) {
		if ch.TaskID == canary.TaskID {
			t.Fatal("a canary run was charged to the consumer")
		}
	}
	if o := slasher.wait(t, 1)[0]; o.provider != c.id {
		t.Fatalf("slash order %+v; want the canary's provider", o)
	}
}

func TestACheckRunThatFailsForGoodIsReplacedByAReferee(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	ps := tm.pricedProviders(3)
	a, b, c := ps[0], ps[1], ps[2]
	spec := tm.verifiedSpec(1, "")
	spec.Retries = 0
	job := tm.submit(spec)
	first, check := a.pullOne(), b.pullOne()
	aNotices := a.notices()
	h, reply := a.commit(first, "1")
	if len(reply.Reveal) != 0 {
		t.Fatalf("revealed before the check run ended: %+v", reply)
	}
	// The check run's provider fails it with no retries left: the
	// origin is asked to reveal, and a referee takes the check's place.
	b.finish(b.result(check, 3))
	if n := a.nextNotice(aNotices); !slices.Equal(n.Reveal, refs(first)) {
		t.Fatalf("notice %+v; want the origin asked to reveal", n)
	}
	a.reveal(h)
	referee := c.pullOne()
	hc, _ := c.commit(referee, "1")
	c.reveal(hc)
	if done := tm.job(job.ID); done.State != bonfire.JobSucceeded {
		t.Fatalf("job %s: %s", done.State, done.Reason)
	}
}

func TestNewcomersDoNotCheckEachOtherWhileAnEstablishedProviderIsThere(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	ps := tm.pricedProviders(3)
	a, b, veteran := ps[0], ps[1], ps[2]
	tm.m.mu.Lock()
	tm.m.st.Provider(veteran.id).Reputation.CV = 50
	tm.m.mu.Unlock()
	tm.submit(tm.verifiedSpec(2, ""))
	first := a.pullOne()
	// b is new too: it gets the job's other task, not the check of a's.
	if got := b.pullOne(); got.InputsDigest() == first.InputsDigest() {
		t.Fatal("a newcomer was given the check of another newcomer's result")
	}
	if got := veteran.pull(5); !slices.ContainsFunc(got, func(x protocol.Assignment) bool { return x.InputsDigest() == first.InputsDigest() }) {
		t.Fatalf("the established provider got %v, not the check of %s", taskIDs(got), first.TaskID)
	}
}

func TestARestartedProviderLosesItsHeldResults(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	ps := tm.pricedProviders(3)
	a, b, c := ps[0], ps[1], ps[2]
	job := tm.submit(tm.verifiedSpec(1, ""))
	first, check := a.pullOne(), b.pullOne()
	a.commit(first, "1")
	// a restarts before the round opens: what it held is gone, and its
	// run goes to another provider at once rather than after a timeout.
	a.register()
	if st := tm.storedTask(first.TaskID); st.State != bonfire.TaskQueued {
		t.Fatalf("the restarted provider's committed run is %s, want queued again", st.State)
	}
	hb, _ := b.commit(check, "1")
	rerun := c.pullOne()
	hc, _ := c.commit(rerun, "1")
	b.reveal(hb)
	c.reveal(hc)
	if done := tm.job(job.ID); done.State != bonfire.JobSucceeded {
		t.Fatalf("job %s: %s", done.State, done.Reason)
	}
}
