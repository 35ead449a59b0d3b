package market

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/scheduler"
	"github.com/bonfirenet/bonfire/trust"
	"github.com/nats-io/nats.go"
)

// commitTimeout bounds how long a message handler waits for its state to
// be saved before it answers the provider with an error (the provider
// retries).
const commitTimeout = 30 * time.Second

// open checks a provider message: a well-formed envelope of the expected
// type, signed by the address it claims, not seen before and not stale, and
// (except for registration) from a registered provider. On failure it
// also says why, for the message-error metric.
func (m *Market) open(msg *nats.Msg, typ string) (*protocol.Envelope, MessageError, error) {
	env, err := protocol.Open(msg.Data)
	if err != nil {
		return nil, ErrBadEnvelope, err
	}
	if env.Type != typ {
		return env, ErrBadEnvelope, bonfire.Errorf(bonfire.ECodeInvalid, "message type %q sent on %s, want %q", env.Type, msg.Subject, typ)
	}
	if err := m.guard.Check(env.From, env.Seq, time.UnixMilli(env.Time), m.cfg.Now()); err != nil {
		return env, ErrReplay, err
	}
	if typ != protocol.TypeRegister {
		m.mu.Lock()
		known := m.st.Provider(env.From) != nil
		m.mu.Unlock()
		if !known {
			return env, ErrUnknownProvider, bonfire.Errorf(bonfire.ECodeNotFound, "provider %s is not registered", env.From).
				WithHint("the provider registers again")
		}
	}
	return env, 0, nil
}

// openBody opens a provider message and decodes its body into v. On
// failure it has already answered the provider and returns false.
func (m *Market) openBody(msg *nats.Msg, typ string, v any) (*protocol.Envelope, bool) {
	env, reason, err := m.open(msg, typ)
	if err == nil {
		if err = protocol.DecodeBody(env, v); err != nil {
			reason = ErrBadBody
		}
	}
	if err != nil {
		var from bonfire.Address
		if env != nil {
			from = env.From.Normal() // claimed, and maybe forged: it is only logged
		}
		m.fail(msg, from, reason, err)
		return nil, false
	}
	return env, true
}

// saveAndUnlock queues b while mu is still held (so batches reach the
// store in the order their changes were made), releases mu, sends the
// cancellations, and waits until b is durable.
func (m *Market) saveAndUnlock(b *bonfire.Batch, cancels map[bonfire.Address][]protocol.TaskRef) error {
	saved := m.writer.enqueue(b)
	m.mu.Unlock()
	m.sendCancels(cancels)
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	return saved.wait(ctx)
}

// fail answers a provider message with err, logs it and counts it.
func (m *Market) fail(msg *nats.Msg, from bonfire.Address, reason MessageError, err error) {
	if m.obs != nil {
		m.obs.MessageFailed(reason)
	}
	e := asError(err)
	m.log.Warn("rejected provider message", "provider", from, "subject", msg.Subject, "reason", reason.String(),
		"code", e.Code, "err", e.Message)
	m.reply(msg, from, nil, e)
}

// reply answers a provider message with body, or with err when it is not
// nil. Error replies go through fail, which logs and counts them.
func (m *Market) reply(msg *nats.Msg, from bonfire.Address, body any, err error) {
	if msg.Reply == "" {
		return
	}
	var r protocol.Reply
	if err != nil {
		r.Error = asError(err)
	} else if body != nil {
		b, mErr := json.Marshal(body)
		if mErr != nil {
			r.Error = bonfire.Errorf(bonfire.ECodeInternal, "encoding reply: %v", mErr)
		} else {
			r.Body = b
		}
	}
	data, _ := json.Marshal(&r)
	if err := msg.Respond(data); err != nil {
		if m.obs != nil {
			m.obs.MessageFailed(ErrReply)
		}
		m.log.Warn("reply failed", "provider", from, "subject", msg.Subject, "err", err)
	}
}

func asError(err error) *bonfire.Error {
	if e, ok := err.(*bonfire.Error); ok {
		return e
	}
	if es, ok := err.(bonfire.Errors); ok && len(es) > 0 {
		return &bonfire.Error{Code: es[0].Code, Field: es[0].Field, Message: es.Error(), Hint: es[0].Hint}
	}
	return &bonfire.Error{Code: bonfire.Code(err), Message: err.Error()}
}

func (m *Market) onRegister(msg *nats.Msg) {
	var body protocol.Register
	env, ok := m.openBody(msg, protocol.TypeRegister, &body)
	if !ok {
		return
	}
	info := body.Info
	if err := checkProviderInfo(env.From, &info); err != nil {
		m.fail(msg, env.From.Normal(), ErrBadBody, err)
		return
	}
	now := m.cfg.Now()
	m.mu.Lock()
	c := m.newChange()
	p := m.st.Provider(info.ID)
	if p == nil {
		p = &bonfire.Provider{RegisteredAt: now}
		m.st.providers[info.ID] = p
	}
	p.Info, p.State, p.LastHeartbeat = info, bonfire.ProviderOnline, now
	if p.Reputation.Score == 0 && p.Reputation.TasksDone == 0 {
		rep := trust.Reputation(p.Reputation)
		c.setReputation(p, rep) // a newcomer's prior score
	}
	challenge := m.newChallenge(p)
	c.provider(p)
	// A provider that registers again has restarted: whatever it was
	// running is gone with the old process. That counts against the
	// task's retries like any lost attempt, so a task that crashes its
	// provider cannot keep doing so for ever.
	for _, t := range m.st.active {
		if t.Provider == info.ID {
			reason := bonfire.Errorf(bonfire.ECodeProviderLost, "provider %s restarted", info.ID)
			c.apply(scheduler.AfterFailure(m.st.jobs[t.JobID].job, t, reason))
		}
	}
	c.lostHeldResults(info.ID)
	requeued := c.requeued
	reveals, earned, slashes := c.reveals, c.earned, c.slashes
	b, cancels := c.finish()
	if err := m.saveAndUnlock(b, cancels); err != nil {
		m.fail(msg, info.ID, ErrHandler, err)
		return
	}
	if requeued {
		m.notifyWork()
	}
	// Runs lost with the restart may have let their groups decide.
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	m.sendNotices(ctx, reveals, earned)
	cancel()
	m.runSlashes(slashes)
	m.log.Info("provider registered", "provider", info.ID, "name", info.Name, "cpuMilli", info.Lend.CPUMilli,
		"price", info.PricePerCPUSecond, "idleMode", info.IdleMode)
	m.reply(msg, info.ID, &protocol.RegisterReply{Market: m.cfg.Key.Address(), BlobURL: m.cfg.BlobURL,
		HeartbeatInterval: bonfire.Duration(m.cfg.HeartbeatInterval), ServerTime: now, Challenge: challenge}, nil)
	if m.cfg.OnRegister != nil {
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			m.cfg.OnRegister(info.ID.Normal())
		}()
	}
}

func checkProviderInfo(from bonfire.Address, info *bonfire.ProviderInfo) error {
	var errs bonfire.Errors
	if info.ID.Normal() != from.Normal() {
		errs = append(errs, bonfire.Errorf(bonfire.ECodeForbidden, "registers %s but the message is signed by %s", info.ID, from).WithField("info.id"))
	}
	if len(info.Executors) == 0 {
		errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "no executors offered").WithField("info.executors").WithHint(`offer at least "wasm"`))
	}
	if info.Lend.CPUMilli <= 0 || info.Lend.MemoryBytes <= 0 || info.Lend.GPUs < 0 {
		errs = append(errs, bonfire.Errorf(bonfire.ECodeInvalid, "lends cpu %dm, memory %d bytes, %d GPUs", info.Lend.CPUMilli, info.Lend.MemoryBytes, info.Lend.GPUs).
			WithField("info.lend").WithHint("lend a positive amount of cpu and memory"))
	}
	info.ID = from.Normal()
	return errs.Err()
}

func (m *Market) onHeartbeat(msg *nats.Msg) {
	var hb protocol.Heartbeat
	env, ok := m.openBody(msg, protocol.TypeHeartbeat, &hb)
	if !ok {
		return
	}
	from := env.From.Normal()
	m.mu.Lock()
	c := m.newChange()
	p := m.st.Provider(from)
	p.LastHeartbeat = m.cfg.Now()
	want := bonfire.ProviderOnline
	if hb.Busy {
		want = bonfire.ProviderBusy
	}
	cameBack := p.State != want && want == bonfire.ProviderOnline
	if p.State != want {
		p.State = want
		c.provider(p)
	}
	running := 0
	// Tasks the provider runs but should not (cancelled, or reassigned
	// after it was thought lost) are stopped.
	for _, ref := range hb.Running {
		t := m.st.tasks[ref.TaskID]
		if t == nil || t.Provider != from || t.Attempt != ref.Attempt || t.State.Terminal() {
			c.cancels[from] = append(c.cancels[from], ref)
			continue
		}
		running++
	}
	p.Running = running
	challenge := m.maybeChallenge(p)
	b, cancels := c.finish()
	if err := m.saveAndUnlock(b, cancels); err != nil {
		m.fail(msg, from, ErrHandler, err)
		return
	}
	if challenge != nil {
		m.sendNotice(from, &protocol.Notice{Challenge: challenge})
	}
	if cameBack {
		m.notifyWork()
	}
	m.reply(msg, from, struct{}{}, nil)
}

func (m *Market) onPull(msg *nats.Msg) {
	var pull protocol.Pull
	env, ok := m.openBody(msg, protocol.TypePull, &pull)
	if !ok {
		return
	}
	from := env.From.Normal()
	var waits []time.Duration // queue waits of first attempts, observed after the lock
	m.mu.Lock()
	p := m.st.Provider(from)
	p.LastHeartbeat = m.cfg.Now()
	free := clampCapacity(pull.Free, p.Info.Lend)
	plan := scheduler.Place(m.st, scheduler.PullRequest{Provider: from, Free: free, Max: min(pull.Max, 1024)})
	reply := &protocol.PullReply{Assignments: make([]protocol.Assignment, 0, len(plan.Assign))}
	c := m.newChange()
	c.maybeCanary(plan.Assign, p)
	c.apply(plan)
	for _, a := range plan.Assign {
		c.placed(a.Task, p)
	}
	requeued := c.requeued
	b, cancels := c.finish()
	for _, a := range plan.Assign {
		reply.Assignments = append(reply.Assignments, assignmentFor(m.st.jobs[a.Task.JobID].job, a.Task))
		if m.obs != nil && a.Task.Attempt == 1 {
			waits = append(waits, a.Task.AssignedAt.Sub(a.Task.QueuedAt))
		}
	}
	if err := m.saveAndUnlock(b, cancels); err != nil {
		// The tasks stay assigned in memory; the reaper requeues them
		// when the provider never reports them started.
		m.fail(msg, from, ErrHandler, err)
		return
	}
	m.reply(msg, from, reply, nil)
	if requeued {
		m.notifyWork() // check runs wait for other providers
	}
	if m.obs != nil && len(waits) > 0 {
		m.obs.Dispatched(waits)
	}
	// Checked once per pull: building the attributes of every line would
	// cost allocations on the hot path even when debug is off.
	if m.log.Enabled(context.Background(), slog.LevelDebug) {
		for i := range reply.Assignments {
			a := &reply.Assignments[i]
			m.log.Debug("task assigned", "job", a.JobID, "task", a.TaskID, "provider", from, "attempt", a.Attempt)
		}
	}
}

// clampCapacity never lets a provider claim more free room than it lends.
func clampCapacity(free, lend bonfire.Capacity) bonfire.Capacity {
	return bonfire.Capacity{
		CPUMilli:    min(free.CPUMilli, lend.CPUMilli),
		MemoryBytes: min(free.MemoryBytes, lend.MemoryBytes),
		GPUs:        min(free.GPUs, lend.GPUs),
	}
}

// assignmentFor is what a provider needs to run the current attempt of t.
func assignmentFor(job *bonfire.Job, t *bonfire.Task) protocol.Assignment {
	s := &job.Spec
	a := protocol.Assignment{
		TaskID: t.ID, JobID: t.JobID, Attempt: t.Attempt, Executor: s.Executor,
		Args: t.Args, Env: t.Env, Inputs: s.Inputs, Outputs: s.Outputs, Resources: s.Resources,
		Timeout: s.Timeout, Determinism: s.Determinism, Seed: t.Seed, Commit: commitsFirst(job),
	}
	if s.Executor == bonfire.ExecutorWASM {
		a.Module = bonfire.Digest(s.Module)
	} else {
		a.Image = s.Module
	}
	return a
}

func (m *Market) sendCancels(cancels map[bonfire.Address][]protocol.TaskRef) {
	for p, refs := range cancels {
		data, err := protocol.Seal(m.cfg.Key, protocol.TypeCancel, m.seq.Next(), m.cfg.Now(), &protocol.Cancel{Tasks: refs})
		if err != nil {
			m.log.Error("sealing cancel", "provider", p, "err", err)
			continue
		}
		if err := m.cfg.Conn.Publish(protocol.CancelSubject(p), data); err != nil {
			m.log.Warn("sending cancel", "provider", p, "tasks", len(refs), "err", err)
			continue
		}
		if m.log.Enabled(context.Background(), slog.LevelDebug) {
			for _, ref := range refs {
				m.log.Debug("task cancel sent", "job", jobOf(ref.TaskID), "task", ref.TaskID, "provider", p, "attempt", ref.Attempt)
			}
		}
	}
}
