package market

import (
	"context"
	"fmt"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/scheduler"
	"github.com/nats-io/nats.go"
)

func (m *Market) onReport(msg *nats.Msg) {
	env, err := m.open(msg, protocol.TypeReport)
	if err != nil {
		m.reply(msg, nil, err)
		return
	}
	var rep protocol.Report
	if err := protocol.DecodeBody(env, &rep); err != nil {
		m.reply(msg, nil, err)
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

	out := &protocol.ReportReply{}
	var unknown []*bonfire.TaskResult
	m.mu.Lock()
	c := m.newChange()
	now := m.cfg.Now()
	for _, ref := range rep.Started {
		if t := m.st.tasks[ref.TaskID]; t != nil && t.Provider == from && t.Attempt == ref.Attempt && t.State == bonfire.TaskAssigned {
			t.StartedAt = now
			c.setState(m.st.jobs[t.JobID], t, bonfire.TaskRunning)
		}
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
		verdict := c.takeResult(t, r, from)
		if verdict == "" {
			out.Accepted = append(out.Accepted, ref)
		} else {
			out.Rejected = append(out.Rejected, protocol.Rejected{TaskRef: ref, Reason: verdict})
		}
	}
	for _, h := range rep.Handbacks {
		t := m.st.tasks[h.TaskID]
		if t == nil || t.Provider != from || t.Attempt != h.Attempt || t.State.Terminal() {
			continue
		}
		c.requeue(t, bonfire.Errorf(bonfire.ECodeHandedBack, "provider handed the task back: %s", h.Reason), false)
	}
	for i := range rep.Logs {
		l := &rep.Logs[i]
		t := m.st.tasks[l.TaskID]
		if t == nil || t.Provider != from || t.Attempt != l.Attempt {
			continue
		}
		key := l.TaskID
		if m.logBytes[key] >= m.cfg.MaxLogBytes {
			continue
		}
		m.logBytes[key] += int64(len(l.Data))
		c.b.Logs = append(c.b.Logs, l)
	}
	requeued := c.requeued
	b, cancels := c.finish()
	m.mu.Unlock()
	m.sendCancels(cancels)

	for _, r := range unknown {
		ref := protocol.TaskRef{TaskID: r.TaskID, Attempt: r.Attempt}
		if m.alreadyRecorded(ctx, r) {
			out.Accepted = append(out.Accepted, ref)
		} else {
			out.Rejected = append(out.Rejected, protocol.Rejected{TaskRef: ref, Reason: "task is not active at this market"})
		}
	}
	if err := m.writer.Commit(ctx, b); err != nil {
		m.reply(msg, nil, err)
		return
	}
	if requeued {
		m.notifyWork()
	}
	m.reply(msg, out, nil)
}

// takeResult records r for t and moves t on. It returns "" when the result
// is accepted (now or before) and the reason otherwise.
func (c *change) takeResult(t *bonfire.Task, r *bonfire.TaskResult, from bonfire.Address) string {
	if t.Result != nil && t.Result.Attempt == r.Attempt && t.Result.Provider.Normal() == from {
		return "" // sent again after a lost acknowledgement
	}
	rc := *r
	c.b.Results = append(c.b.Results, &rc) // every attempt's result is history
	if t.Provider != from || t.Attempt != r.Attempt || t.State.Terminal() {
		reason := fmt.Sprintf("attempt %d of task %s is no longer assigned to %s", r.Attempt, t.ID, from)
		c.event(t, "result-stale", from, reason)
		return reason
	}
	js := c.m.st.jobs[t.JobID]
	if want := assignmentFor(js.job, t); r.InputsDigest != want.InputsDigest() {
		reason := fmt.Sprintf("inputs digest %s does not match the task's %s", r.InputsDigest, want.InputsDigest())
		c.event(t, "result-rejected", from, reason)
		c.requeue(t, bonfire.Errorf(bonfire.ECodeInvalid, "provider ran the wrong inputs: %s", reason), true)
		return reason
	}
	p := c.m.st.Provider(from)
	if r.OK() {
		c.succeed(t, &rc)
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
