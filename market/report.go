package market

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"unicode/utf8"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/scheduler"
	"github.com/bonfirenet/bonfire/trust"
	"github.com/nats-io/nats.go"
)

func (m *Market) onReport(msg *nats.Msg) {
	var rep protocol.Report
	env, ok := m.openBody(msg, protocol.TypeReport, &rep)
	if !ok {
		return
	}
	from := env.From.Normal()
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()

	// Signatures are checked before taking the lock: they are the costly
	// part and need no state.
	sigErr := make([]error, len(rep.Results))
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.Provider.Normal() != from {
			sigErr[i] = bonfire.Errorf(bonfire.ECodeForbidden, "result names provider %s but was sent by %s", r.Provider, from)
			continue
		}
		sigErr[i] = identity.VerifyResult(r)
	}

	verdicts := m.judgeAnswers(from, rep.Answers)
	metrics := m.numericFiles(ctx, rep.Results)
	out := &protocol.ReportReply{}
	var unknown, stale []*bonfire.TaskResult
	paidBy := map[bonfire.Address]bool{} // owners of the accepted results: their vouchers go in the reply
	m.mu.Lock()
	c := m.newChange()
	now := m.cfg.Now()
	for _, ref := range rep.Started {
		if t := m.st.tasks[ref.TaskID]; t != nil && t.Provider == from && t.Attempt == ref.Attempt && t.State == bonfire.TaskAssigned {
			t.StartedAt = now
			c.setState(m.st.jobs[t.JobID], t, bonfire.TaskRunning)
		}
	}
	// Logs before results and hand-backs: a failed attempt's logs usually
	// travel with its result, and once the result requeues the task they
	// would no longer match its provider.
	for i := range rep.Logs {
		l := &rep.Logs[i]
		t := m.st.tasks[l.TaskID]
		if t == nil || t.Provider != from || t.Attempt != l.Attempt {
			continue
		}
		if kept, ok := m.keepLog(l); ok {
			c.b.Logs = append(c.b.Logs, kept)
		}
	}
	c.applyVerdicts(from, verdicts)
	for _, cm := range rep.Commits {
		if reason := c.takeCommit(cm, from); reason != "" {
			out.Rejected = append(out.Rejected, protocol.Rejected{TaskRef: cm.TaskRef, Reason: reason})
		}
	}
	salts := make(map[protocol.TaskRef]*trust.Hash, len(rep.Reveals))
	for i := range rep.Reveals {
		salts[rep.Reveals[i].TaskRef] = &rep.Reveals[i].Salt
	}
	for i := range rep.Results {
		r := &rep.Results[i]
		ref := protocol.TaskRef{TaskID: r.TaskID, Attempt: r.Attempt}
		if sigErr[i] != nil {
			out.Rejected = append(out.Rejected, protocol.Rejected{TaskRef: ref, Reason: sigErr[i].Error()})
			if t := m.st.tasks[r.TaskID]; t != nil {
				c.event(t, "result-rejected", from, sigErr[i].Error())
			}
			continue
		}
		t := m.st.tasks[r.TaskID]
		if t == nil {
			unknown = append(unknown, r) // decided after the lock, against the store
			continue
		}
		switch verdict := c.takeResult(t, r, from, salts[ref], metrics[ref]); verdict {
		case "":
			out.Accepted = append(out.Accepted, ref)
			if t.State == bonfire.TaskSucceeded && t.Result != nil && t.Result.Provider.Normal() == from {
				paidBy[m.st.jobs[t.JobID].job.Owner.Normal()] = true // resent: the voucher again
			}
		case verdictStale:
			stale = append(stale, r) // a resend of a recorded result, or stale: the store says which
		default:
			out.Rejected = append(out.Rejected, protocol.Rejected{TaskRef: ref, Reason: verdict})
		}
	}
	if n := len(out.Rejected); n > 0 {
		if p := m.st.Provider(from); p != nil {
			p.Rejections += int64(n)
			p.LastRejection = out.Rejected[n-1].Reason
			c.provider(p)
		}
	}
	for _, h := range rep.Handbacks {
		t := m.st.tasks[h.TaskID]
		if t == nil || t.Provider != from || t.Attempt != h.Attempt || t.State.Terminal() {
			continue
		}
		c.requeue(t, bonfire.Errorf(bonfire.ECodeHandedBack, "provider handed the task back: %s", h.Reason), false)
	}
	requeued := c.requeued
	for owner := range c.earned[from] {
		paidBy[owner] = true
	}
	out.Reveal = c.reveals[from]
	delete(c.reveals, from)
	delete(c.earned, from)
	reveals, earned, slashes := c.reveals, c.earned, c.slashes
	b, cancels := c.finish()
	ended := c.ended
	saved := m.writer.enqueue(b)
	m.mu.Unlock()
	m.sendCancels(cancels)

	for _, r := range unknown {
		ref := protocol.TaskRef{TaskID: r.TaskID, Attempt: r.Attempt}
		if m.alreadyRecorded(ctx, r) {
			out.Accepted = append(out.Accepted, ref)
			paidBy[m.ownerOfTask(ctx, r.TaskID)] = true
		} else {
			out.Rejected = append(out.Rejected, protocol.Rejected{TaskRef: ref, Reason: "task is not active at this market"})
		}
	}
	// Stale results are history as events only: writing them to the
	// results table would let any provider take the (task, attempt) slot
	// of the attempt's real provider.
	staleEvents := &bonfire.Batch{}
	for _, r := range stale {
		ref := protocol.TaskRef{TaskID: r.TaskID, Attempt: r.Attempt}
		if m.alreadyRecorded(ctx, r) {
			out.Accepted = append(out.Accepted, ref)
			paidBy[m.ownerOfTask(ctx, r.TaskID)] = true
			continue
		}
		reason := fmt.Sprintf("attempt %d of task %s is no longer assigned to %s", r.Attempt, r.TaskID, from)
		out.Rejected = append(out.Rejected, protocol.Rejected{TaskRef: ref, Reason: reason})
		staleEvents.Events = append(staleEvents.Events, &bonfire.TaskEvent{TaskID: r.TaskID, Attempt: r.Attempt, At: now,
			Kind: "result-stale", Provider: from, Detail: fmt.Sprintf("%s; exit code %d, output %s", reason, r.ExitCode, r.OutputDigest)})
	}
	// Events are insert-only, so this batch may go after others.
	if err := errors.Join(saved.wait(ctx), m.writer.Commit(ctx, staleEvents)); err != nil {
		m.fail(msg, from, ErrHandler, err)
		return
	}
	if requeued {
		m.notifyWork()
	}
	delete(paidBy, "")
	out.Vouchers = m.vouchersFor(ctx, from, paidBy)
	m.reply(msg, from, out, nil)
	m.sendNotices(ctx, reveals, earned)
	m.runSlashes(slashes)
	if m.obs != nil {
		m.obs.Results(len(out.Accepted), len(out.Rejected))
	}
	m.logReport(from, out)
	m.logEnded(ended)
}

// logReport logs what a report reply said about each result. Rejections
// are warnings: an honest provider should not see them.
func (m *Market) logReport(from bonfire.Address, out *protocol.ReportReply) {
	for _, r := range out.Rejected {
		m.log.Warn("result rejected", "job", jobOf(r.TaskID), "task", r.TaskID, "provider", from,
			"attempt", r.Attempt, "reason", r.Reason)
	}
	if !m.log.Enabled(context.Background(), slog.LevelDebug) {
		return // the hot path: skip building attributes nobody reads
	}
	for _, r := range out.Accepted {
		m.log.Debug("result accepted", "job", jobOf(r.TaskID), "task", r.TaskID, "provider", from, "attempt", r.Attempt)
	}
}

// verdictStale is takeResult's answer for a result of an attempt that is
// not the task's live one.
const verdictStale = "stale"

// keepLog applies the per-attempt log budget to l, cutting the chunk that
// crosses it at a UTF-8 boundary. Call with mu held.
func (m *Market) keepLog(l *bonfire.LogChunk) (*bonfire.LogChunk, bool) {
	used := m.logBytes[l.TaskID]
	if used.attempt != l.Attempt {
		used = logBudget{attempt: l.Attempt}
	}
	left := m.cfg.MaxLogBytes - used.bytes
	if left <= 0 {
		return nil, false
	}
	kept := *l
	if int64(len(kept.Data)) > left {
		cut := int(left)
		for cut > 0 && !utf8.RuneStart(kept.Data[cut]) {
			cut--
		}
		kept.Data = kept.Data[:cut]
	}
	used.bytes += int64(len(kept.Data))
	if len(kept.Data) < len(l.Data) {
		used.bytes = m.cfg.MaxLogBytes // nothing more of this attempt fits
	}
	m.logBytes[l.TaskID] = used
	return &kept, kept.Data != ""
}

// takeResult records r for t and moves t on. It returns "" when the result
// is accepted (now or before), verdictStale when r is not for t's live
// attempt, and the reason otherwise.
func (c *change) takeResult(t *bonfire.Task, r *bonfire.TaskResult, from bonfire.Address, salt *trust.Hash, metrics []byte) string {
	if t.Result != nil && t.Result.Attempt == r.Attempt && t.Result.Provider.Normal() == from {
		return "" // sent again after a lost acknowledgement
	}
	if g := c.m.st.runs[t.ID]; g != nil && t.State == bonfire.TaskVerifying && g.revealed[t.ID] != nil &&
		g.revealed[t.ID].Attempt == r.Attempt && t.Provider == from {
		return "" // a revealed result sent again; its group is still deciding
	}
	if t.Provider != from || t.Attempt != r.Attempt || t.State.Terminal() {
		return verdictStale
	}
	rc := *r
	c.b.Results = append(c.b.Results, &rc) // every attempt's result is history
	js := c.m.st.jobs[t.JobID]
	if want := assignmentFor(js.job, t); r.InputsDigest != want.InputsDigest() {
		reason := fmt.Sprintf("inputs digest %s does not match the task's %s", r.InputsDigest, want.InputsDigest())
		c.event(t, "result-rejected", from, reason)
		// Through the retry limit, so a provider that keeps running the
		// wrong inputs cannot keep the task going round for ever.
		c.apply(scheduler.AfterFailure(js.job, t, bonfire.Errorf(bonfire.ECodeInvalid, "provider ran the wrong inputs: %s", reason)))
		return reason
	}
	p := c.m.st.Provider(from)
	if t.State == bonfire.TaskVerifying {
		return c.takeReveal(js, t, &rc, salt, metrics, from)
	}
	if r.OK() && commitsFirst(js.job) {
		reason := "this job's results are committed first: send a commitment, then the result when the market asks"
		c.event(t, "result-rejected", from, reason)
		c.apply(scheduler.AfterFailure(js.job, t, bonfire.Errorf(bonfire.ECodeInvalid, "provider skipped commit–reveal: %s", reason)))
		return reason
	}
	if r.OK() {
		c.succeed(t, &rc)
		c.charge(js, t, &rc, p)
		c.paid(from, js.job.Owner)
		if p != nil {
			p.TasksDone++
			c.provider(p)
		}
		return ""
	}
	reason := r.Error
	if reason == nil {
		reason = bonfire.Errorf(bonfire.ECodeTaskFailed, "exited with code %d", r.ExitCode)
	}
	if p != nil {
		p.TasksFailed++
		c.provider(p)
	}
	c.event(t, "attempt-failed", from, reason.Error())
	t.Provider = from
	c.apply(scheduler.AfterFailure(js.job, t, reason))
	return ""
}

// alreadyRecorded reports whether the store holds r's result already, as
// when a provider resends a result whose acknowledgement a market restart
// lost after the job finished.
func (m *Market) alreadyRecorded(ctx context.Context, r *bonfire.TaskResult) bool {
	prior, err := m.cfg.Store.Results(ctx, r.TaskID)
	if err != nil {
		return false
	}
	for _, p := range prior {
		if p.Attempt == r.Attempt && p.Provider.Normal() == r.Provider.Normal() {
			return true
		}
	}
	return false
}
