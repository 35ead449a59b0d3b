package trustsim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/blobfs"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/market"
	"github.com/bonfirenet/bonfire/natsbus"
	"github.com/bonfirenet/bonfire/provider"
	"github.com/bonfirenet/bonfire/scheduler"
	"github.com/bonfirenet/bonfire/sqlite"
	"github.com/bonfirenet/bonfire/wasmexec"
	"github.com/nats-io/nats.go"
)

// Timings of the simulated network: everything a real network does in
// seconds or minutes happens here in fractions of a second, so a dropped
// task is reaped and a lapsed reveal reassigned within a second or two.
const (
	heartbeat    = 200 * time.Millisecond
	reapInterval = 100 * time.Millisecond
	taskTimeout  = 2 * time.Second
	// The timeouts that do not decide how fast a cheater is found are
	// generous: on a loaded machine (CI runs many packages at once) an
	// honest provider may answer seconds late, and reaping its work then
	// would count as overhead what is only the host's load, or, worse, let
	// the market relax a check because every checker looked gone.
	heartbeatTimeout = 5 * time.Second
	timeoutGrace     = time.Second
	revealTimeout    = 5 * time.Second
	checkWait        = 5 * time.Second
	// A challenge chain is 50 ms of work at the claimed speed; the grace
	// covers a busy in-process network. The market gives up waiting for
	// an answer at ten times the deadline, 6 s.
	challengeSeconds = 0.05
	challengeGrace   = 500 * time.Millisecond
	// honestScore is what honest providers claim per core: far below what
	// any machine measures, so their registration challenge is a few
	// milliseconds of hashing that always passes, however busy the host.
	honestScore = 1.0
	// claimedCores is what a cores cheater says it lends.
	claimedCores = 64
	lendCPU      = 1000
	maxTasks     = 4
	taskCPU      = 100
	price        = 1000 // per cpu-second; every task is priced so faults are slashed
)

// simNet is a market with its store, bus, blob server and providers, all in
// this process and on loopback.
type simNet struct {
	cfg    Config
	log    *slog.Logger
	nats   *natsbus.Server
	store  *sqlite.Store
	blobs  *blobfs.Store
	mconn  *nats.Conn
	market *market.Market
	ledger *Ledger
	http   *http.Server
	wasm   *wasmexec.Executor
	owner  bonfire.Address
	module bonfire.Digest

	provs  []*simProvider
	cancel context.CancelFunc
	done   sync.WaitGroup
	conns  []*nats.Conn
}

// simProvider is one provider of the simulation.
type simProvider struct {
	index int
	mode  Mode
	id    bonfire.Address // normalised, as the market keys it
	exec  *executor
	p     *provider.Provider
}

func startNet(ctx context.Context, cfg Config) (n *simNet, err error) {
	n = &simNet{cfg: cfg, log: cfg.Log, ledger: NewLedger(cfg.Stake)}
	defer func() {
		if err != nil {
			n.closeStore()
		}
	}()
	if n.nats, err = natsbus.StartServer(natsbus.ServerConfig{Port: -1}); err != nil {
		return nil, err
	}
	if n.store, err = sqlite.Open(filepath.Join(cfg.Dir, "state.db")); err != nil {
		return nil, err
	}
	if n.blobs, err = blobfs.Open(filepath.Join(cfg.Dir, "blobs")); err != nil {
		return nil, err
	}
	if n.module, _, err = n.blobs.Put(ctx, bytes.NewReader(wasmexec.NoopModule), "", 0); err != nil {
		return nil, err
	}
	owner, err := identity.Generate()
	if err != nil {
		return nil, err
	}
	n.owner = owner.Address()
	key, err := identity.Generate()
	if err != nil {
		return nil, err
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	// Providers only fetch modules and upload outputs over HTTP, signed
	// with their keys; the blob routes are all the API they need.
	auth := httpapi.TokenOrSignature{Verifier: identity.NewRequestVerifier(2 * time.Minute)}
	n.http = &http.Server{Handler: httpapi.BlobHandler(n.blobs, 1<<20, httpapi.UploadAuthorizer(auth)),
		ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := n.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.log.Error("blob server stopped", "err", err)
		}
	}()

	if n.mconn, err = natsbus.Connect(n.nats.ClientURL(), "trustsim-market", n.log); err != nil {
		return nil, err
	}
	n.market, err = market.New(ctx, market.Config{
		Store: n.store, Blobs: n.blobs, Conn: n.mconn, Key: key, BlobURL: "http://" + ln.Addr().String(), Log: n.log,
		Scheduler:         scheduler.Config{HeartbeatTimeout: heartbeatTimeout, AssignTimeout: heartbeatTimeout, TimeoutGrace: timeoutGrace},
		HeartbeatInterval: heartbeat, ReapInterval: reapInterval,
		Slasher: n.ledger, RevealTimeout: revealTimeout, CheckWait: checkWait,
		ChallengeSeconds: challengeSeconds, ChallengeGrace: challengeGrace, ChallengeEvery: -1,
		Seed: cfg.Seed,
	})
	if err != nil {
		return nil, err
	}
	if err := n.market.Start(); err != nil {
		return nil, err
	}
	if n.wasm, err = wasmexec.New(wasmexec.Options{}); err != nil {
		return nil, err
	}
	if err := n.startProviders(ctx); err != nil {
		return nil, err
	}
	return n, nil
}

// startProviders starts the honest providers, then one per cheater, and
// returns once all have registered.
func (n *simNet) startProviders(ctx context.Context) error {
	modes := make([]Mode, 0, n.cfg.Honest+len(n.cfg.Cheaters))
	for range n.cfg.Honest {
		modes = append(modes, Honest)
	}
	modes = append(modes, n.cfg.Cheaters...)
	// A cores cheater claims about its real per-core speed over many
	// cores: the lie is in the count. At 3/4 of the measured speed its 64
	// chains take about 1.2 s on two idle cores: twice the deadline, and
	// five times faster than the market's give-up, so a loaded host still
	// answers late rather than never (which would mark it unhealthy
	// instead of correcting its capacity).
	coresScore := provider.MeasureScore(100*time.Millisecond) * 3 / 4
	runCtx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	// Room for each provider's ready and a later error, so no provider
	// blocks on a send nobody reads.
	registered := make(chan error, 2*len(modes))
	for i, mode := range modes {
		key, err := identity.Generate()
		if err != nil {
			return err
		}
		conn, err := natsbus.Connect(n.nats.ClientURL(), fmt.Sprintf("trustsim-provider-%d", i), n.log)
		if err != nil {
			return err
		}
		n.conns = append(n.conns, conn)
		dir := filepath.Join(n.cfg.Dir, fmt.Sprintf("provider-%02d", i))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		exec := newExecutor(n.wasm, mode, !n.cfg.Sleepers)
		pc := provider.Config{Conn: conn, Key: key, Name: fmt.Sprintf("sim-%02d-%s", i, mode),
			Lend: bonfire.Capacity{CPUMilli: lendCPU, MemoryBytes: 1 << 30}, Price: price,
			Executors: []bonfire.Executor{exec}, WorkDir: dir, Log: n.log, BenchScore: honestScore,
			MaxTasks: maxTasks, PollInterval: heartbeat}
		if mode == Cores {
			pc.Lend.CPUMilli, pc.BenchScore = claimedCores*1000, max(coresScore, honestScore)
		}
		p, err := provider.New(pc)
		if err != nil {
			return err
		}
		n.provs = append(n.provs, &simProvider{index: i, mode: mode, id: key.Address().Normal(), exec: exec, p: p})
		n.done.Add(1)
		go func() {
			defer n.done.Done()
			err := p.Run(runCtx, func() { registered <- nil })
			if err != nil && runCtx.Err() == nil {
				n.log.Error("provider stopped", "provider", p.ID(), "err", err)
				registered <- err
			}
		}()
	}
	for range modes {
		select {
		case err := <-registered:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// close stops the providers (they hand back what they hold), then the
// market, which waits for its slashes, and the rest. The store stays
// readable until closeStore.
func (n *simNet) close() {
	if n.cancel != nil {
		n.cancel()
		n.done.Wait()
		n.cancel = nil
	}
	if n.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = n.http.Shutdown(ctx)
		cancel()
		n.http = nil
	}
	if n.market != nil {
		n.market.Close()
		n.market = nil
	}
	for _, c := range n.conns {
		c.Close()
	}
	n.conns = nil
	if n.mconn != nil {
		n.mconn.Close()
		n.mconn = nil
	}
	if n.wasm != nil {
		_ = n.wasm.Close(context.Background())
		n.wasm = nil
	}
	if n.nats != nil {
		n.nats.Shutdown()
		n.nats = nil
	}
}

func (n *simNet) closeStore() {
	n.close()
	if n.store != nil {
		_ = n.store.Close()
		n.store = nil
	}
}
