package provider

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/blobfs"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/nats-io/nats.go"
)

// Config describes one provider.
type Config struct {
	Conn     *nats.Conn
	Key      *identity.Key
	Name     string
	Hardware bonfire.Hardware
	Lend     bonfire.Capacity
	Price    uint64 // per cpu-second, token's smallest unit
	GPUPrice uint64 // per GPU-second, token's smallest unit
	// AllowNetwork lets tasks whose job asks for the network have it
	// (docker executor); the provider advertises it so only such
	// providers are given those jobs.
	AllowNetwork bool
	Executors    []bonfire.Executor
	WorkDir      string // blob cache and task directories
	IdleMode     bool   // lend only while the owner does not use the machine
	Log          *slog.Logger
	HTTP         *http.Client
	// Vouchers receives the payment vouchers the market sends with each
	// report reply; nil runs the provider unpaid (vouchers are dropped).
	Vouchers bonfire.VoucherReceiver
	// Observer, if set, is told of tasks, idle mode, reports and vouchers
	// (package metrics implements it). Nil means no metrics.
	Observer Observer

	// BenchScore is the per-core speed the provider claims (see
	// bonfire.ProviderInfo.BenchScore and MeasureScore); the market's
	// hardware challenges hold it to the claim.
	BenchScore float64

	MaxTasks       int           // most tasks at once; 0 means one per lent core
	PollInterval   time.Duration // pull again this often when idle (work notices usually come first)
	RequestTimeout time.Duration // for each request to the market
	LogBytes       int64         // per stream per task
	OutputBytes    int64         // per task
}

func (c *Config) defaults() {
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.HTTP == nil {
		c.HTTP = &http.Client{Timeout: 10 * time.Minute}
	}
	if c.MaxTasks <= 0 {
		c.MaxTasks = max(1, int(c.Lend.CPUMilli/1000))
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 10 * time.Second
	}
	if c.LogBytes <= 0 {
		c.LogBytes = 1 << 20
	}
	if c.OutputBytes <= 0 {
		c.OutputBytes = 1 << 30
	}
}

// Provider is a running provider daemon.
//
// Lock order: mu, then nothing; outbox.mu is separate and never held with mu.
type Provider struct {
	cfg       Config
	id        bonfire.Address
	log       *slog.Logger
	seq       *protocol.Sequencer
	executors map[string]bonfire.Executor
	cache     *blobfs.Store
	dirs      *workDirs
	out       *outbox
	wake      chan struct{}

	mu       sync.Mutex
	market   bonfire.Address // learned at registration; signs cancels
	apiURL   string
	fetcher  *blobfs.Fetcher
	api      *httpapi.Client         // uploads outputs, signed with the provider's key
	running  map[string]*runningTask // by task ID
	free     bonfire.Capacity
	busy     bool // idle mode: the owner is using the machine
	stats    Stats
	interval time.Duration
	stop     context.CancelFunc // ends Run; set while Run serves

	killed atomic.Bool // Kill was called: Run owes the market nothing
	// bg counts background work started by market messages (challenge
	// solving, voucher delivery); Run waits for it before returning.
	bg       sync.WaitGroup
	ctxVal   atomic.Value // context.Context of the current Run, for bg
	solveGen atomic.Int64 // the latest hardware challenge being solved (verify.go)
}

// runCtx is the current Run's context, or a background one before Run.
func (p *Provider) runCtx() context.Context {
	if ctx, ok := p.ctxVal.Load().(context.Context); ok {
		return ctx
	}
	return context.Background()
}

type runningTask struct {
	ref      protocol.TaskRef
	res      bonfire.Resources
	cancel   context.CancelFunc
	handback string // set when the task is being handed back, with the reason
}

// Stats are the provider's counters since start.
type Stats struct {
	Succeeded  int64 `json:"succeeded"`
	Failed     int64 `json:"failed"`
	HandedBack int64 `json:"handedBack"`
	Running    int   `json:"running"`
	Busy       bool  `json:"busy"`
}

// New prepares a provider; Run starts it.
func New(cfg Config) (*Provider, error) {
	cfg.defaults()
	if cfg.Conn == nil || cfg.Key == nil || len(cfg.Executors) == 0 || cfg.WorkDir == "" {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "provider needs a NATS connection, a key, an executor and a work directory")
	}
	cache, err := blobfs.Open(filepath.Join(cfg.WorkDir, "blobs"))
	if err != nil {
		return nil, err
	}
	p := &Provider{
		cfg: cfg, id: cfg.Key.Address().Normal(), log: cfg.Log.With("provider", cfg.Key.Address()),
		seq: protocol.NewSequencer(time.Now()), executors: map[string]bonfire.Executor{}, cache: cache,
		wake: make(chan struct{}, 1), running: map[string]*runningTask{}, free: cfg.Lend,
		interval: 2 * time.Second,
	}
	if p.dirs, err = newWorkDirs(filepath.Join(cfg.WorkDir, "work")); err != nil {
		return nil, err
	}
	p.out = newOutbox(p)
	for _, e := range cfg.Executors {
		p.executors[e.Name()] = e
	}
	return p, nil
}

// ID is the provider's address.
func (p *Provider) ID() bonfire.Address { return p.id }

// Stats returns a snapshot of the provider's counters.
func (p *Provider) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.Running, s.Busy = len(p.running), p.busy
	return s
}

// Run registers with the market, calls ready (if not nil), and serves
// until ctx ends. On the way out it hands back running tasks and delivers
// what it still owes the market.
func (p *Provider) Run(ctx context.Context, ready func()) error {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	p.mu.Lock()
	p.stop = stop
	p.mu.Unlock()
	if p.killed.Load() {
		stop()
	}
	p.ctxVal.Store(ctx)
	defer p.bg.Wait()
	noticeSub, err := p.cfg.Conn.Subscribe(protocol.NoticeSubject(p.id), p.onNotice)
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "subscribing to notices: %v", err)
	}
	defer noticeSub.Unsubscribe()
	if err := p.register(ctx); err != nil {
		return err
	}
	cancelSub, err := p.cfg.Conn.Subscribe(protocol.CancelSubject(p.id), p.onCancel)
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "subscribing to cancellations: %v", err)
	}
	defer cancelSub.Unsubscribe()
	workSub, err := p.cfg.Conn.Subscribe(protocol.SubjectWork, func(*nats.Msg) { p.poke() })
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "subscribing to work notices: %v", err)
	}
	defer workSub.Unsubscribe()

	if ready != nil {
		ready()
	}
	var wg sync.WaitGroup
	tasks := &sync.WaitGroup{}
	outCtx, stopOut := context.WithCancel(context.Background())
	// Tasks do not run under ctx: on shutdown each must be marked handed
	// back before it is stopped, or a task stopped by ctx could end first
	// and be reported neither as a result nor as a hand-back, leaving the
	// market to wait for the heartbeat timeout.
	taskCtx, stopTasks := context.WithCancel(context.WithoutCancel(ctx))
	defer stopTasks()
	wg.Add(2)
	go func() { defer wg.Done(); p.heartbeatLoop(ctx) }()
	go func() { defer wg.Done(); p.out.run(outCtx) }()
	p.pullLoop(ctx, taskCtx, tasks)

	if p.killed.Load() {
		stopTasks() // abandoned, as in a crash: no hand-back, no result
		tasks.Wait()
		stopOut()
		wg.Wait()
		return nil
	}
	p.handBackAll("provider shutting down")
	tasks.Wait()
	flushCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	p.out.flush(flushCtx)
	cancel()
	stopOut()
	wg.Wait()
	return nil
}

// Kill stops the provider as a crash would: heartbeats, pulls and reports
// stop at once, running tasks are abandoned without a hand-back, and what
// is still owed to the market is dropped. Run returns soon after. It exists
// so that tests can show the market recovering work from a provider that
// vanished; a real provider stops by cancelling Run's context.
func (p *Provider) Kill() {
	p.killed.Store(true)
	p.mu.Lock()
	stop := p.stop
	p.mu.Unlock()
	if stop != nil {
		stop()
	}
}

// request sends a sealed message and decodes the reply into out.
func (p *Provider) request(ctx context.Context, subject, typ string, body, out any) error {
	data, err := protocol.Seal(p.cfg.Key, typ, p.seq.Next(), time.Now(), body)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.RequestTimeout)
	defer cancel()
	msg, err := p.cfg.Conn.RequestWithContext(ctx, subject, data)
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "%s request to the market: %v", typ, err)
	}
	var r protocol.Reply
	if err := json.Unmarshal(msg.Data, &r); err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "market sent an unreadable %s reply: %v", typ, err)
	}
	if r.Error != nil {
		return r.Error
	}
	if out != nil {
		if err := json.Unmarshal(r.Body, out); err != nil {
			return bonfire.Errorf(bonfire.ECodeInternal, "market sent an unreadable %s reply body: %v", typ, err)
		}
	}
	return nil
}

func (p *Provider) info() bonfire.ProviderInfo {
	names := make([]string, 0, len(p.executors))
	for n := range p.executors {
		names = append(names, n)
	}
	return bonfire.ProviderInfo{ID: p.cfg.Key.Address(), Name: p.cfg.Name, Version: "bonfire/v1", Hardware: p.cfg.Hardware,
		Lend: p.cfg.Lend, Executors: names, PricePerCPUSecond: p.cfg.Price, IdleMode: p.cfg.IdleMode,
		PricePerGPUSecond: p.cfg.GPUPrice, Network: p.cfg.AllowNetwork && p.executors[bonfire.ExecutorDocker] != nil,
		BenchScore: p.cfg.BenchScore}
}

// register retries until the market answers: a provider may start before
// the market, or outlive it.
func (p *Provider) register(ctx context.Context) error {
	backoff := 100 * time.Millisecond
	for {
		var reply protocol.RegisterReply
		err := p.request(ctx, protocol.SubjectRegister, protocol.TypeRegister, &protocol.Register{Info: p.info()}, &reply)
		if err == nil {
			p.mu.Lock()
			p.market, p.apiURL = reply.Market.Normal(), strings.TrimSuffix(reply.BlobURL, "/")
			p.fetcher = blobfs.NewFetcher(p.cache, p.apiURL+"/v1/blobs", p.cfg.HTTP)
			api, err := httpapi.NewClient(p.apiURL, httpapi.WithKey(p.cfg.Key), httpapi.WithHTTPClient(p.cfg.HTTP))
			if err != nil {
				p.mu.Unlock()
				return err
			}
			p.api = api
			if reply.HeartbeatInterval > 0 {
				p.interval = reply.HeartbeatInterval.D()
			}
			p.mu.Unlock()
			p.log.Info("registered", "market", reply.Market, "api", reply.BlobURL)
			if reply.Challenge != nil {
				p.solve(*reply.Challenge)
			}
			return nil
		}
		if code := bonfire.Code(err); code != bonfire.ECodeUnavailable && code != bonfire.ECodeInternal {
			return err // the market refused us: retrying will not help
		}
		p.log.Warn("registration failed, retrying", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (p *Provider) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *Provider) heartbeatLoop(ctx context.Context) {
	for {
		p.mu.Lock()
		iv := p.interval
		p.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-time.After(iv):
		}
		p.heartbeat(ctx)
		p.out.recommit()
	}
}

func (p *Provider) heartbeat(ctx context.Context) {
	p.mu.Lock()
	hb := protocol.Heartbeat{Free: p.free, Busy: p.busy, Running: make([]protocol.TaskRef, 0, len(p.running))}
	for _, rt := range p.running {
		hb.Running = append(hb.Running, rt.ref)
	}
	p.mu.Unlock()
	err := p.request(ctx, protocol.SubjectHeartbeat, protocol.TypeHeartbeat, &hb, nil)
	if bonfire.Code(err) == bonfire.ECodeNotFound {
		// The market forgot us (a new market on a fresh home): register
		// again, which also tells it we run nothing it knows of.
		p.log.Warn("market does not know this provider; registering again")
		if err := p.register(ctx); err != nil && ctx.Err() == nil {
			p.log.Error("re-registration failed", "err", err)
		}
	} else if err != nil && ctx.Err() == nil {
		p.log.Warn("heartbeat failed", "err", err)
	}
}

// SetBusy is idle mode's switch: busy hands every running task back and
// stops pulling; not busy resumes.
func (p *Provider) SetBusy(busy bool) {
	p.mu.Lock()
	changed := p.busy != busy
	p.busy = busy
	p.mu.Unlock()
	if !changed {
		return
	}
	p.log.Info("idle mode", "ownerBusy", busy)
	if p.cfg.Observer != nil {
		p.cfg.Observer.Busy(busy)
	}
	if busy {
		p.handBackAll("the machine's owner needs it")
	} else {
		p.poke()
	}
	go p.heartbeat(context.Background())
}

func (p *Provider) handBackAll(reason string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, rt := range p.running {
		if rt.handback == "" {
			rt.handback = reason
			rt.cancel()
		}
	}
}

// openFromMarket decodes a message the market pushed into v, and reports
// false (after logging why) for anything malformed, of another type, or
// not signed by the market this provider registered with.
func (p *Provider) openFromMarket(msg *nats.Msg, typ string, v any) bool {
	env, err := protocol.Open(msg.Data)
	if err != nil || env.Type != typ {
		p.log.Warn("ignored a malformed "+typ+" message", "err", err)
		return false
	}
	p.mu.Lock()
	market := p.market
	p.mu.Unlock()
	if err := env.ExpectFrom(market); err != nil {
		p.log.Warn("ignored a "+typ+" message not signed by the market", "from", env.From, "err", err)
		return false
	}
	if err := protocol.DecodeBody(env, v); err != nil {
		p.log.Warn("ignored an unreadable "+typ+" message", "err", err)
		return false
	}
	return true
}

func (p *Provider) onCancel(msg *nats.Msg) {
	var c protocol.Cancel
	if !p.openFromMarket(msg, protocol.TypeCancel, &c) {
		return
	}
	p.out.drop(c.Tasks) // a held result of a cancelled attempt is not wanted
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, ref := range c.Tasks {
		if rt := p.running[ref.TaskID]; rt != nil && rt.ref.Attempt == ref.Attempt {
			rt.cancel()
			p.log.Info("task cancelled by the market", "job", jobOf(ref.TaskID), "task", ref.TaskID, "attempt", ref.Attempt)
		}
	}
}
