package market

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/scheduler"
	"github.com/bonfirenet/bonfire/trust"
	"github.com/nats-io/nats.go"
)

// Config wires a market to its parts.
type Config struct {
	Store   bonfire.Store
	Blobs   bonfire.BlobStore
	Conn    *nats.Conn    // the bus; the market subscribes on it
	Key     *identity.Key // signs messages the market sends providers
	BlobURL string        // where providers fetch and upload blobs
	Log     *slog.Logger
	Now     func() time.Time // the clock; time.Now when nil

	Scheduler         scheduler.Config
	HeartbeatInterval time.Duration // what providers are told to use
	ReapInterval      time.Duration // how often Reap runs; 0 disables the loop (tests call Reap)
	// BudgetInterval is how often, with Payments, running jobs' budgets are
	// checked again (RecheckBudgets); 0 disables the loop.
	BudgetInterval time.Duration
	MaxLogBytes    int64         // per task attempt; more is dropped
	MaxSkew        time.Duration // accepted clock difference of provider messages

	// Payments, when set, checks each priced job's budget against the
	// owner's escrow at submission and pays providers for accepted tasks
	// with vouchers. Without it charges are recorded but nobody is paid.
	Payments bonfire.Payments

	// OnRegister, if set, is called (on its own goroutine, after the reply)
	// with the address of each provider that registers; Close waits for it.
	// A dev network uses it to give providers gas for their claims.
	OnRegister func(provider bonfire.Address)

	// Observer, if set, is told of messages, dispatches, results, commits
	// and payments (package metrics implements it). Nil means no metrics.
	Observer Observer
	// ChainCheck, if set with Payments, asks the settlement chain for
	// something cheap (its block number); Ready uses it.
	ChainCheck func(ctx context.Context) error

	// Slasher, if set, takes stake from providers proven at fault and
	// gives it to the consumer harmed. Nil: faults cost reputation and pay.
	Slasher bonfire.Slasher
	// RevealTimeout is how long a provider has to reveal a committed
	// result once asked before the run is given to someone else.
	RevealTimeout time.Duration
	// Challenge sizes hardware challenges (see trust.NewChallengeSized):
	// Seconds of honest work per chain and Grace for the network. Every
	// is the mean time between a provider's random challenges; negative
	// disables them (the one at registration is always sent).
	ChallengeSeconds float64
	ChallengeGrace   time.Duration
	ChallengeEvery   time.Duration
	// UptimeSample is how often each provider's uptime is sampled.
	UptimeSample time.Duration
	// CheckWait is how long a check run of an adaptive job may stay
	// queued with no provider able to take it before the result is
	// accepted unchecked (see sweepRuns).
	CheckWait time.Duration
	// Seed seeds the draws of verification (which tasks are checked,
	// canaries); 0 seeds from the system's randomness. Tests fix it.
	Seed uint64
}

func (c *Config) defaults() {
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Scheduler = c.Scheduler.WithDefaults()
	if c.HeartbeatInterval == 0 {
		c.HeartbeatInterval = 2 * time.Second
	}
	if c.MaxLogBytes == 0 {
		c.MaxLogBytes = 1 << 20
	}
	if c.MaxSkew == 0 {
		c.MaxSkew = 2 * time.Minute
	}
	if c.RevealTimeout <= 0 {
		c.RevealTimeout = 5*c.HeartbeatInterval + 10*time.Second
	}
	if !(c.ChallengeSeconds > 0) {
		c.ChallengeSeconds = trust.ChallengeSeconds
	}
	if c.ChallengeGrace <= 0 {
		c.ChallengeGrace = trust.NetworkGrace
	}
	if c.ChallengeEvery == 0 {
		c.ChallengeEvery = time.Hour
	}
	if c.UptimeSample <= 0 {
		c.UptimeSample = time.Minute
	}
	if c.CheckWait <= 0 {
		c.CheckWait = 10 * time.Second
	}
}

// maxConcurrentMessages bounds the provider messages handled at once.
const maxConcurrentMessages = 256

// Market coordinates jobs and providers.
//
// Lock order: budgetMu, then mu, then only the writer's queue lock, a leaf that is held to
// append a batch (so batches reach the store in the order of the changes
// they record). mu guards st and logBytes; it is never held while waiting on
// the store, the bus or the blob store, so a slow disk slows
// acknowledgements but never blocks decisions.
type Market struct {
	cfg    Config
	log    *slog.Logger
	obs    Observer // nil: no metrics
	writer *writer
	guard  *protocol.ReplayGuard

	// budgetMu serialises budget checks with the submissions they admit,
	// so two jobs cannot both spend the same deposit. Taken before mu.
	budgetMu sync.Mutex

	mu       sync.Mutex
	st       *state
	owed     map[owedKey]uint64   // running totals of durable charges
	logBytes map[string]logBudget // task ID → log bytes kept for its current attempt
	seq      *protocol.Sequencer

	chainOK atomic.Int64 // unix nanoseconds of the chain's last answer to Ready

	// rng draws which results are checked and which tasks are canaries;
	// challenges holds each provider's outstanding hardware challenge;
	// sampledAt is when uptime was last sampled. Guarded by mu.
	rng        *rand.Rand
	challenges map[bonfire.Address]*trust.Challenge
	lapsed     map[bonfire.Address]time.Time // challenges past their give-up time, kept for a late answer
	sampledAt  time.Time

	subs   []*nats.Subscription
	stop   chan struct{}
	wg     sync.WaitGroup
	closed bool
}

// New loads the market's unfinished state from the store and returns a
// market that is not yet listening; call Start.
func New(ctx context.Context, cfg Config) (*Market, error) {
	cfg.defaults()
	m := &Market{
		cfg:      cfg,
		log:      cfg.Log,
		obs:      cfg.Observer,
		guard:    protocol.NewReplayGuard(cfg.MaxSkew, 4096),
		st:       newState(),
		logBytes: map[string]logBudget{},
		owed:     map[owedKey]uint64{},
		seq:      protocol.NewSequencer(time.Now()),
		stop:     make(chan struct{}),

		rng:        newRand(cfg.Seed),
		challenges: map[bonfire.Address]*trust.Challenge{},
		lapsed:     map[bonfire.Address]time.Time{},
		sampledAt:  cfg.Now(),
	}
	if err := m.load(ctx); err != nil {
		return nil, err
	}
	if err := m.loadGroups(ctx); err != nil {
		return nil, err
	}
	if err := m.loadOwed(ctx); err != nil {
		return nil, err
	}
	m.writer = newWriter(cfg.Store, cfg.Log, cfg.Observer)
	return m, nil
}

// load restores unfinished jobs and all providers. Providers start offline
// until they heartbeat again; tasks they were running stay theirs until the
// heartbeat timeout says otherwise, so a market restart loses no work.
func (m *Market) load(ctx context.Context) error {
	provs, err := m.cfg.Store.Providers(ctx)
	if err != nil {
		return err
	}
	now := m.cfg.Now()
	for _, p := range provs {
		// A restart is not the provider's fault: give it a fresh heartbeat
		// window to reconnect before its tasks are reassigned.
		p.LastHeartbeat = now
		m.st.providers[p.Info.ID.Normal()] = p
	}
	after := ""
	for {
		jobs, err := m.cfg.Store.Jobs(ctx, bonfire.JobFilter{
			States: []bonfire.JobState{bonfire.JobQueued, bonfire.JobRunning}, Limit: 1000, After: after})
		if err != nil {
			return err
		}
		for _, j := range jobs {
			tasks, err := m.allTasks(ctx, j.ID)
			if err != nil {
				return err
			}
			m.st.addJob(j, tasks)
			after = j.ID
		}
		if len(jobs) < 1000 {
			return nil
		}
	}
}

func (m *Market) allTasks(ctx context.Context, jobID string) ([]*bonfire.Task, error) {
	var out []*bonfire.Task
	from := 0
	for {
		page, err := m.cfg.Store.Tasks(ctx, bonfire.TaskFilter{JobID: jobID, Limit: 10000, From: from})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < 10000 {
			return out, nil
		}
		from = page[len(page)-1].Index + 1
	}
}

// Start subscribes to provider messages and starts the reaper.
func (m *Market) Start() error {
	handlers := map[string]nats.MsgHandler{
		protocol.SubjectRegister:  m.timed(MsgRegister, m.onRegister),
		protocol.SubjectHeartbeat: m.timed(MsgHeartbeat, m.onHeartbeat),
		protocol.SubjectPull:      m.timed(MsgPull, m.onPull),
		protocol.SubjectReport:    m.timed(MsgReport, m.onReport),
	}
	// NATS calls a subscription's handler one message at a time; handlers
	// wait for their commit, so running them concurrently is what lets the
	// group-commit writer batch many providers' changes into one
	// transaction. The semaphore bounds the work in flight.
	sem := make(chan struct{}, maxConcurrentMessages)
	concurrent := func(h nats.MsgHandler) nats.MsgHandler {
		return func(msg *nats.Msg) {
			sem <- struct{}{}
			m.wg.Add(1)
			go func() {
				defer func() { <-sem; m.wg.Done() }()
				h(msg)
			}()
		}
	}
	for subj, h := range handlers {
		// A queue group lets several market replicas share the load later.
		sub, err := m.cfg.Conn.QueueSubscribe(subj, "market", concurrent(h))
		if err != nil {
			return bonfire.Errorf(bonfire.ECodeUnavailable, "subscribing to %s: %v", subj, err)
		}
		_ = sub.SetPendingLimits(-1, -1)
		m.subs = append(m.subs, sub)
	}
	if err := m.cfg.Conn.Flush(); err != nil {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "flushing subscriptions: %v", err)
	}
	if m.cfg.BudgetInterval > 0 && m.cfg.Payments != nil {
		m.wg.Add(1)
		go m.budgetLoop()
	}
	if m.cfg.ReapInterval > 0 {
		m.wg.Add(1)
		go m.reapLoop()
	}
	m.notifyWork()
	return nil
}

// timed reports how long each message of kind took, request to reply;
// without an observer it returns h itself.
func (m *Market) timed(kind MessageKind, h nats.MsgHandler) nats.MsgHandler {
	if m.obs == nil {
		return h
	}
	return func(msg *nats.Msg) {
		start := time.Now()
		h(msg)
		m.obs.Handled(kind, time.Since(start))
	}
}

// Close stops listening and waits until everything accepted is written.
func (m *Market) Close() {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.closed = true
	m.mu.Unlock()
	// Drain returns at once; a subscription reports closed only after its
	// last callback returned, and the writer must outlive every handler.
	var drained []<-chan nats.SubStatus
	for _, s := range m.subs {
		ch := s.StatusChanged(nats.SubscriptionClosed)
		if s.Drain() == nil {
			drained = append(drained, ch)
		}
	}
	deadline := time.After(commitTimeout)
	for _, ch := range drained {
		select {
		case <-ch:
		case <-deadline:
		}
	}
	close(m.stop)
	m.wg.Wait()
	m.writer.close()
}

// logBudget counts the log bytes kept for one attempt of a task; a new
// attempt starts from zero.
type logBudget struct {
	attempt int
	bytes   int64
}

func (m *Market) reapLoop() {
	defer m.wg.Done()
	t := time.NewTicker(m.cfg.ReapInterval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			if err := m.Reap(context.Background()); err != nil {
				m.log.Error("reap failed", "err", err)
			}
		}
	}
}

// Reap runs the scheduler's reaper once and applies its plan, then the
// verification sweep: reveals overdue, challenges unanswered, uptime.
func (m *Market) Reap(ctx context.Context) error {
	m.mu.Lock()
	plan := scheduler.Reap(m.st, m.cfg.Scheduler, m.cfg.Now())
	reaped := reapedOf(plan) // before applying: a requeue clears the provider
	c := m.newChange()
	c.apply(plan)
	c.sweep()
	if plan.Empty() && c.untouched() {
		m.mu.Unlock()
		return nil
	}
	requeued := c.requeued
	slashes, reveals, earned := c.slashes, c.reveals, c.earned
	b, cancels := c.finish()
	ended := c.ended
	saved := m.writer.enqueue(b)
	m.mu.Unlock()
	m.sendCancels(cancels)
	m.sendNotices(ctx, reveals, earned)
	m.runSlashes(slashes)
	if requeued {
		m.notifyWork()
	}
	for _, id := range plan.Offline {
		m.log.Warn("provider offline: missed its heartbeats", "provider", id)
	}
	for _, r := range reaped {
		m.log.Info(r.msg, "job", r.job, "task", r.task, "provider", r.provider, "attempt", r.attempt, "reason", r.reason)
	}
	m.logEnded(ended)
	return saved.wait(ctx)
}

// reaped is one task the reaper gave up on, copied for logging after mu
// is released. Reaped tasks are rare and each is worth a line.
type reaped struct {
	msg, job, task, reason string
	provider               bonfire.Address
	attempt                int
}

// reapedOf copies what to log of a reap plan. Call with mu held.
func reapedOf(plan *scheduler.Plan) []reaped {
	out := make([]reaped, 0, len(plan.Requeue)+len(plan.Fail))
	for _, r := range plan.Requeue {
		out = append(out, reaped{msg: "task requeued", job: r.Task.JobID, task: r.Task.ID, reason: r.Reason.Error(),
			provider: r.Task.Provider, attempt: r.Task.Attempt})
	}
	for _, f := range plan.Fail {
		out = append(out, reaped{msg: "task failed", job: f.Task.JobID, task: f.Task.ID, reason: f.Reason.Error(),
			provider: f.Task.Provider, attempt: f.Task.Attempt})
	}
	return out
}

// notifyWork tells idle providers that there may be tasks to pull. It is a
// hint: providers also poll, so a lost notification only adds latency.
func (m *Market) notifyWork() {
	_ = m.cfg.Conn.Publish(protocol.SubjectWork, nil)
}
