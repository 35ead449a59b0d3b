package localnet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/blobfs"
	"github.com/bonfirenet/bonfire/dashboard"
	"github.com/bonfirenet/bonfire/dockerexec"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/devchain"
	"github.com/bonfirenet/bonfire/hostinfo"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/market"
	"github.com/bonfirenet/bonfire/metrics"
	"github.com/bonfirenet/bonfire/natsbus"
	"github.com/bonfirenet/bonfire/provider"
	"github.com/bonfirenet/bonfire/scheduler"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/bonfirenet/bonfire/sqlite"
	"github.com/bonfirenet/bonfire/wasmexec"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/nats-io/nats.go"
)

// Config says what to start.
type Config struct {
	Home      Home
	Providers int    // local providers; 0 starts only the market
	HTTPAddr  string // default 127.0.0.1:8080, a free port if taken
	NATSPort  int    // embedded NATS port; default 4222, a free port if taken
	NATSURL   string // use this external NATS instead of embedding one
	Log       *slog.Logger

	// What each local provider lends; zero values split this machine's
	// cores evenly and lend 1 GiB of memory per core.
	ProviderCPUMilli int64
	ProviderMemory   int64
	ProviderMaxTasks int
	ProviderPrice    uint64
	// ProviderBenchScore is the per-core speed local providers claim for
	// hardware challenges (provider.MeasureScore); zero claims the minimum,
	// which keeps every challenge tiny (tests).
	ProviderBenchScore float64
	// Per-task caps on each log stream and on everything written under the
	// output directory; zero keeps the provider's defaults.
	ProviderLogBytes    int64
	ProviderOutputBytes int64
	// ProviderGPUPrice is each local provider's price per GPU-second.
	ProviderGPUPrice uint64

	// Local providers also offer the docker executor when a Docker engine
	// answers (DOCKER_HOST or the default socket), unless NoDocker is set.
	// AllowNetwork lets docker tasks that ask for it reach the network;
	// ImageCacheBytes caps the disk of images they pulled or loaded (0: no
	// cap).
	NoDocker        bool
	DockerHost      string // empty: DOCKER_HOST or the default socket
	AllowNetwork    bool
	ImageCacheBytes int64

	// Chain starts the embedded, persistent dev chain under <home>/chain,
	// with JSON-RPC on ChainAddr (default 127.0.0.1:8545, a free port if
	// taken), deploys the settlement contracts once and funds the wallet
	// and every local provider with gas and test stablecoin.
	Chain     bool
	ChainAddr string
	// ChainRPC settles on another EVM chain instead of the embedded one:
	// its JSON-RPC URL and the deployments file `bonfire contracts deploy`
	// wrote. Local accounts are not funded there.
	ChainRPC    string
	Deployments string
	// Local providers claim their vouchers every ClaimEvery (default 10m),
	// as soon as ClaimAt base units are unclaimed (0: no amount trigger),
	// and once more when the network stops.
	ClaimEvery time.Duration
	ClaimAt    uint64

	Scheduler    scheduler.Config
	ReapInterval time.Duration // default 1s
	Heartbeat    time.Duration // default 2s
	PollInterval time.Duration // provider poll fallback
}

// Net is a running network.
type Net struct {
	Market    *market.Market
	Providers []*provider.Provider
	APIURL    string
	NATSURL   string
	Token     string
	Wallet    *identity.Key
	Store     *sqlite.Store
	Blobs     *blobfs.Store
	Chain     *devchain.Chain       // nil unless Config.Chain
	Paymaster *settlement.Paymaster // the market's paying side; nil without a chain
	Arbiter   *settlement.Arbiter   // slashes provider stakes for proven faults; nil without a chain
	// Metrics are the market's collectors, served at GET /metrics on the
	// API address. Local providers export no metrics of their own.
	Metrics *metrics.Market
	// ChainURL and Deployment say where the network settles, embedded or
	// not; empty and nil without a chain.
	ChainURL   string
	Deployment *evm.Deployment
	// Dashboard is the web dashboard, served under DashboardURL on the
	// API address.
	Dashboard    *dashboard.Dashboard
	DashboardURL string

	cfg    Config
	nats   *natsbus.Server
	conns  []*nats.Conn
	http   *http.Server
	execs  []*wasmexec.Executor
	docker *dockerexec.Executor // shared by the local providers; nil without an engine
	cancel context.CancelFunc
	client *ethclient.Client // to the chain, embedded or not

	providerKeys   map[int]*identity.Key // loaded once: the chain funds them before the providers start
	collectors     []*localCollector
	stopCollecting context.CancelFunc
	collectMu      sync.Mutex // the dashboard's reads of collectors against closing them
	provDone       sync.WaitGroup
	closed         bool
}

// Start brings the network up and returns once every local provider has
// registered.
func Start(ctx context.Context, cfg Config) (n *Net, err error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.HTTPAddr == "" {
		cfg.HTTPAddr = "127.0.0.1:8080"
	}
	if cfg.NATSPort == 0 {
		cfg.NATSPort = 4222
	}
	if cfg.ReapInterval == 0 {
		cfg.ReapInterval = time.Second
	}
	if cfg.ClaimEvery == 0 {
		cfg.ClaimEvery = 10 * time.Minute
	}
	n = &Net{cfg: cfg}
	defer func() {
		if err != nil {
			n.Close()
		}
	}()
	h := cfg.Home
	if err := os.MkdirAll(h.MarketDir(), 0o700); err != nil {
		return nil, err
	}
	if n.Wallet, err = Key(h.WalletKey()); err != nil {
		return nil, err
	}
	marketKey, err := Key(filepath.Join(h.MarketDir(), "key.json"))
	if err != nil {
		return nil, err
	}
	if n.Token, err = h.Token(); err != nil {
		return nil, err
	}
	if n.Store, err = sqlite.Open(filepath.Join(h.MarketDir(), "state.db")); err != nil {
		return nil, err
	}
	if n.Blobs, err = blobfs.Open(filepath.Join(h.MarketDir(), "blobs")); err != nil {
		return nil, err
	}

	// The chain comes first: the market pays through it from the start.
	if cfg.Chain || cfg.ChainRPC != "" {
		if err := n.connectChain(ctx); err != nil {
			return nil, err
		}
		if err := n.startPaymaster(ctx); err != nil {
			return nil, err
		}
		// Only play money is moved without asking: on another chain the
		// consumer deposits and authorises with `bonfire wallet`.
		if n.Chain != nil {
			if err := n.prepareConsumer(ctx); err != nil {
				return nil, err
			}
		}
	}

	n.NATSURL = cfg.NATSURL
	if n.NATSURL == "" {
		n.nats, err = natsbus.StartServer(natsbus.ServerConfig{Port: cfg.NATSPort, FallbackFree: true})
		if err != nil {
			return nil, err
		}
		n.NATSURL = n.nats.ClientURL()
	}
	ln, err := listen(cfg.HTTPAddr)
	if err != nil {
		return nil, err
	}
	n.APIURL = "http://" + ln.Addr().String()

	mconn, err := n.connect("bonfire-market")
	if err != nil {
		ln.Close()
		return nil, err
	}
	n.Metrics = metrics.NewMarket()
	mcfg := market.Config{
		Store: n.Store, Blobs: n.Blobs, Conn: mconn, Key: marketKey, BlobURL: n.APIURL, Log: cfg.Log,
		Scheduler: cfg.Scheduler, ReapInterval: cfg.ReapInterval, HeartbeatInterval: cfg.Heartbeat,
		BudgetInterval: 30 * time.Second,
		Observer:       n.Metrics,
	}
	if n.Arbiter != nil {
		mcfg.Slasher = n.Arbiter
	}
	if n.Paymaster != nil {
		mcfg.Payments = n.Paymaster
		client := n.client
		mcfg.ChainCheck = func(ctx context.Context) error {
			_, err := client.BlockNumber(ctx)
			return err
		}
	}
	if n.Chain != nil {
		mcfg.OnRegister = n.fundProvider
	}
	n.Market, err = market.New(ctx, mcfg)
	if err != nil {
		ln.Close()
		return nil, err
	}
	n.Metrics.Watch(n.Market.Stats)
	if err := n.Market.Start(); err != nil {
		ln.Close()
		return nil, err
	}
	auth := httpapi.TokenOrSignature{Token: n.Token, TokenOwner: n.Wallet.Address(), Verifier: identity.NewRequestVerifier(2 * time.Minute)}
	if err := n.startDashboard(auth); err != nil {
		ln.Close()
		return nil, err
	}
	api := httpapi.NewServer(httpapi.ServerConfig{
		Jobs: n.Market, Results: n.Market, Providers: n.Market, Auth: auth, Logger: cfg.Log,
		Blobs:      httpapi.BlobHandler(n.Blobs, 4<<30, httpapi.UploadAuthorizer(auth)),
		Settlement: n.settlementInfo,
		Metrics:    n.Metrics.Handler(), Ready: n.Market.Ready,
		Dashboard: n.Dashboard,
	})
	n.http = &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := n.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			cfg.Log.Error("http server stopped", "err", err)
		}
	}()
	if err := n.writeEndpoints(); err != nil {
		return nil, err
	}
	if err := n.startProviders(ctx); err != nil {
		return nil, err
	}
	return n, nil
}

func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	host, _, splitErr := net.SplitHostPort(addr)
	if splitErr != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "listen address %q: %v", addr, splitErr).WithHint("write it as host:port")
	}
	// The default port is taken (another market?): pick a free one.
	return net.Listen("tcp", net.JoinHostPort(host, "0"))
}

func (n *Net) connect(name string) (*nats.Conn, error) {
	c, err := natsbus.Connect(n.NATSURL, name, n.cfg.Log)
	if err != nil {
		return nil, err
	}
	n.conns = append(n.conns, c)
	return c, nil
}

func (n *Net) writeEndpoints() error {
	info := EndpointsInfo{API: n.APIURL, NATS: n.NATSURL, PID: os.Getpid()}
	info.ChainRPC = n.ChainURL
	b, _ := json.MarshalIndent(info, "", "  ")
	return os.WriteFile(n.cfg.Home.Endpoints(), b, 0o600)
}

func (n *Net) startProviders(ctx context.Context) error {
	count := n.cfg.Providers
	if count == 0 {
		return nil
	}
	cpu := n.cfg.ProviderCPUMilli
	if cpu == 0 {
		cpu = max(1000, int64(runtime.NumCPU())*1000/int64(count))
	}
	mem := n.cfg.ProviderMemory
	if mem == 0 {
		mem = max(1<<30, cpu/1000*(1<<30))
	}
	runCtx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	defer n.startCollectors()
	registered := make(chan error, count)
	hw := localHardware(ctx, n.cfg.Log)
	n.docker = n.openDocker(ctx, len(hw.GPUs))
	for i := 0; i < count; i++ {
		dir := n.cfg.Home.ProviderDir(i)
		key, err := n.providerKey(i)
		if err != nil {
			return err
		}
		exec, err := wasmexec.New(wasmexec.Options{CacheDir: filepath.Join(string(n.cfg.Home), "wazero-cache")})
		if err != nil {
			return err
		}
		n.execs = append(n.execs, exec)
		conn, err := n.connect(fmt.Sprintf("bonfire-provider-%d", i))
		if err != nil {
			return err
		}
		var vouchers bonfire.VoucherReceiver
		if n.Deployment != nil {
			c, err := n.openCollector(ctx, i, key)
			if err != nil {
				return err
			}
			vouchers = c
		}
		executors := []bonfire.Executor{exec}
		gpus := 0
		if i == 0 {
			gpus = len(hw.GPUs) // the machine's GPUs are lent once, by the first local provider
		}
		if n.docker != nil {
			executors = append(executors, n.docker)
		}
		p, err := provider.New(provider.Config{
			Conn: conn, Key: key, Name: fmt.Sprintf("local-%d", i), Hardware: hw,
			Lend: bonfire.Capacity{CPUMilli: cpu, MemoryBytes: mem, GPUs: gpus}, Price: n.cfg.ProviderPrice,
			GPUPrice: n.cfg.ProviderGPUPrice, AllowNetwork: n.cfg.AllowNetwork && n.docker != nil,
			BenchScore: n.cfg.ProviderBenchScore,
			Executors:  executors, WorkDir: dir, Log: n.cfg.Log, MaxTasks: n.cfg.ProviderMaxTasks,
			PollInterval: n.cfg.PollInterval, LogBytes: n.cfg.ProviderLogBytes, OutputBytes: n.cfg.ProviderOutputBytes,
			Vouchers: vouchers,
		})
		if err != nil {
			return err
		}
		n.Providers = append(n.Providers, p)
		n.provDone.Add(1)
		go func() {
			defer n.provDone.Done()
			err := p.Run(runCtx, func() { registered <- nil })
			if err != nil && runCtx.Err() == nil {
				n.cfg.Log.Error("provider stopped", "provider", p.ID(), "err", err)
				registered <- err
			}
		}()
	}
	for i := 0; i < count; i++ {
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

func localHardware(ctx context.Context, log *slog.Logger) bonfire.Hardware {
	hw, err := hostinfo.Detect(ctx)
	if err != nil {
		log.Warn("hardware detection incomplete", "err", err)
	}
	return hw
}

// Close stops providers (handing back their tasks), the API, the market
// and the bus, in that order, and closes the store.
func (n *Net) Close() {
	if n.closed {
		return
	}
	n.closed = true
	if n.cancel != nil {
		n.cancel()
		n.provDone.Wait()
	}
	n.closeCollectors() // after the providers' last reports, before the chain stops
	if n.Dashboard != nil {
		n.Dashboard.Close() // ends its event streams, which would hold the server's shutdown
	}
	if n.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = n.http.Shutdown(ctx)
		cancel()
	}
	if n.Market != nil {
		n.Market.Close()
	}
	for _, c := range n.conns {
		c.Close()
	}
	for _, e := range n.execs {
		_ = e.Close(context.Background())
	}
	if n.docker != nil {
		_ = n.docker.Close()
	}
	if n.nats != nil {
		n.nats.Shutdown()
	}
	if n.Store != nil {
		_ = n.Store.Close()
	}
	if n.Chain != nil {
		_ = n.Chain.Close()
	} else if n.client != nil {
		n.client.Close()
	}
	_ = os.Remove(n.cfg.Home.Endpoints())
}

// Client returns an API client authenticated with the home's token.
func (n *Net) Client() (*httpapi.Client, error) {
	return httpapi.NewClient(n.APIURL, httpapi.WithToken(n.Token))
}

// providerKey loads (creating on first use) local provider i's key, once.
func (n *Net) providerKey(i int) (*identity.Key, error) {
	if k := n.providerKeys[i]; k != nil {
		return k, nil
	}
	k, err := Key(filepath.Join(n.cfg.Home.ProviderDir(i), "key.json"))
	if err != nil {
		return nil, err
	}
	if n.providerKeys == nil {
		n.providerKeys = map[int]*identity.Key{}
	}
	n.providerKeys[i] = k
	return k, nil
}

// openDocker returns the docker executor the local providers share, or nil
// (they then do not advertise it) when NoDocker is set or no engine answers.
func (n *Net) openDocker(ctx context.Context, gpus int) *dockerexec.Executor {
	if n.cfg.NoDocker {
		return nil
	}
	x, err := dockerexec.New(ctx, dockerexec.Options{Host: n.cfg.DockerHost, AllowNetwork: n.cfg.AllowNetwork, GPUs: gpus,
		ImageCacheBytes: n.cfg.ImageCacheBytes, StateDir: string(n.cfg.Home), Log: n.cfg.Log})
	if err != nil {
		n.cfg.Log.Info("docker executor off: no Docker engine answers", "err", err)
		return nil
	}
	n.cfg.Log.Info("docker executor on", "api", x.APIVersion())
	return x
}
