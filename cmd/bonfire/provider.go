package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/hostinfo"
	"github.com/bonfirenet/bonfire/jobspec"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/bonfirenet/bonfire/metrics"
	"github.com/bonfirenet/bonfire/natsbus"
	"github.com/bonfirenet/bonfire/provider"
	"github.com/bonfirenet/bonfire/wasmexec"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

type providerFlags struct {
	nats          string
	name          string
	cpu           float64
	memory        string
	benchScore    float64
	price         uint64
	maxTasks      int
	idleOnly      bool
	idleThreshold float64
	dir           string
	chain         providerChain
	claimEvery    time.Duration
	claimAt       string
	confirmations uint64
	metricsAddr   string
	docker        dockerFlags
}

func newProviderCmd(g *globals) *cobra.Command {
	f := &providerFlags{}
	cmd := &cobra.Command{
		Use:   "provider",
		Short: "Lend this machine to a market (runs until Ctrl-C)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runProvider(cmd.Context(), g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.nats, "nats", "", "the market's NATS URL (default: the market running on --home)")
	fl.StringVar(&f.name, "name", hostname(), "a name shown to the market")
	fl.Float64Var(&f.cpu, "cpu", 0, "cores to lend (default: all)")
	fl.StringVar(&f.memory, "memory", "", "memory to lend, e.g. 4Gi (default: half of this machine's)")
	fl.Uint64Var(&f.price, "price", 0, "price per cpu-second in the token's smallest unit")
	fl.Float64Var(&f.benchScore, "bench-score", 0, "per-core speed to claim for the market's hardware challenges, in millions of SHA-256 steps/s (default: measured at start)")
	fl.IntVar(&f.maxTasks, "max-tasks", 0, "most tasks at once (default: one per lent core)")
	fl.BoolVar(&f.idleOnly, "idle-only", false, "lend only while this machine's owner is not using it")
	fl.Float64Var(&f.idleThreshold, "idle-threshold", 0.25, "with --idle-only: share of the machine other programs may use before tasks are handed back")
	fl.StringVar(&f.dir, "dir", "", "key and cache directory (default: <home>/provider)")
	addProviderChainFlags(cmd, &f.chain)
	fl.DurationVar(&f.claimEvery, "claim-every", 10*time.Minute, "claim earned vouchers this often (0: only by --claim-at and at shutdown)")
	fl.StringVar(&f.claimAt, "claim-at", "", "also claim as soon as this many tokens are unclaimed, e.g. 5")
	fl.Uint64Var(&f.confirmations, "confirmations", 1, "blocks, counting its own, a claim waits for before it counts")
	f.docker.register(fl)
	fl.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus /metrics, /healthz and /readyz on this address, e.g. 127.0.0.1:9101 (default: off)")
	cmd.AddCommand(newProviderLsCmd(g), newProviderEarningsCmd(g), newProviderClaimCmd(g), newProviderStakeCmd(g), newProviderUnstakeCmd(g))
	return cmd
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "provider"
	}
	return h
}

func runProvider(ctx context.Context, g *globals, f *providerFlags) error {
	log := g.logger(os.Stderr)
	home := localnet.Home(g.home)
	url := f.nats
	if url == "" {
		ep, err := home.ReadEndpoints()
		if err != nil {
			return bonfire.Errorf(bonfire.ECodeInvalid, "no --nats URL given and %v", err).WithField("--nats").
				WithHint("pass the URL `bonfire up` or `bonfire market` printed, e.g. --nats nats://market-host:4222")
		}
		url = ep.NATS
	}
	dir := f.dir
	if dir == "" {
		dir = filepath.Join(g.home, "provider")
	}
	key, err := localnet.Key(filepath.Join(dir, "key.json"))
	if err != nil {
		return err
	}
	hw, err := hostinfo.Detect(ctx)
	if err != nil {
		log.Warn("hardware detection incomplete", "err", err)
	}
	lend := bonfire.Capacity{CPUMilli: int64(hw.CPUCores) * 1000, MemoryBytes: hw.MemoryBytes / 2, GPUs: len(hw.GPUs)}
	if f.cpu > 0 {
		lend.CPUMilli = int64(f.cpu * 1000)
	}
	if f.memory != "" {
		if lend.MemoryBytes, err = jobspec.ParseBytes(f.memory); err != nil {
			return bonfire.Errorf(bonfire.ECodeInvalid, "%v", err).WithField("--memory").WithHint("write it like 4Gi or 512Mi")
		}
	}
	if lend.MemoryBytes <= 0 {
		lend.MemoryBytes = 1 << 30
	}
	var pm *metrics.Provider
	if f.metricsAddr != "" {
		pm = metrics.NewProvider()
	}
	pay, unpaid, err := openProviderPayments(ctx, g, dir, key, f, log, pm)
	if err != nil {
		return err
	}
	var vouchers bonfire.VoucherReceiver
	if pay != nil {
		vouchers = pay.collector
		if pm != nil {
			pm.WatchEarnings(pay.earnings)
		}
		pay.start(ctx)
		defer func() {
			if err := pay.finish(); err != nil {
				log.Warn("final claim failed; the vouchers are kept for `bonfire provider claim`", "err", err)
			}
		}()
	} else {
		log.Warn("no settlement chain: running unpaid", "reason", unpaid)
	}
	exec, err := wasmexec.New(wasmexec.Options{CacheDir: filepath.Join(dir, "wazero-cache")})
	if err != nil {
		return err
	}
	defer exec.Close(context.Background())
	executors := []bonfire.Executor{exec}
	docker, err := f.docker.open(ctx, dir, lend.GPUs, log)
	if err != nil {
		return err
	}
	if docker != nil {
		defer docker.Close()
		executors = append(executors, docker)
	}
	conn, err := natsbus.Connect(url, "bonfire-provider "+f.name, log)
	if err != nil {
		return err
	}
	defer conn.Close()
	score := f.benchScore
	if score <= 0 {
		score = provider.MeasureScore(200 * time.Millisecond)
		log.Info("measured this machine's speed for hardware challenges", "score", score)
	}
	pcfg := provider.Config{Conn: conn, Key: key, Name: f.name, Hardware: hw, Lend: lend, Price: f.price, BenchScore: score,
		GPUPrice: f.docker.gpuPrice, AllowNetwork: f.docker.allowNetwork && docker != nil,
		Executors: executors, WorkDir: dir, IdleMode: f.idleOnly, Log: log, MaxTasks: f.maxTasks,
		Vouchers: vouchers}
	if pm != nil {
		pcfg.Observer = pm // a nil *metrics.Provider must not become a non-nil interface
	}
	p, err := provider.New(pcfg)
	if err != nil {
		return err
	}
	if pm != nil {
		stop, err := serveMetrics(f.metricsAddr, metrics.Mux(pm.Handler(), p.Ready), log)
		if err != nil {
			return err
		}
		defer stop()
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if f.idleOnly {
		if err := startIdleWatch(ctx, &wg, p, f.idleThreshold); err != nil {
			return err
		}
	}
	fmt.Printf("provider %s lending %s cores, %s memory to %s\n", key.Address(), jobspec.FormatCPU(lend.CPUMilli),
		humanBytes(lend.MemoryBytes), url)
	if term.IsTerminal(int(os.Stdout.Fd())) && !g.json {
		wg.Add(1)
		var earnedToday func(context.Context) (string, error)
		if pay != nil {
			earnedToday = func(ctx context.Context) (string, error) {
				v, err := pay.collector.EarnedSince(ctx, startOfDay(time.Now()))
				if err != nil {
					return "", err
				}
				return pay.conn.view.Format(v), nil
			}
		}
		go func() { defer wg.Done(); liveStatus(ctx, p, earnedToday) }()
	}
	return p.Run(ctx, nil)
}

// serveMetrics serves h on addr until stop is called.
func serveMetrics(addr string, h http.Handler, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot listen on %s: %v", addr, err).WithField("--metrics-addr").
			WithHint("give a free host:port, e.g. 127.0.0.1:9101; keep it on loopback unless a firewall guards it")
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "addr", addr, "err", err)
		}
	}()
	log.Info("serving metrics", "addr", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}, nil
}

func startIdleWatch(ctx context.Context, wg *sync.WaitGroup, p *provider.Provider, threshold float64) error {
	meter, err := hostinfo.NewLoadMeter()
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInvalid, "idle mode is not available here: %v", err).WithField("--idle-only").
			WithHint("run without --idle-only and limit --cpu instead")
	}
	w, err := hostinfo.NewIdleWatcher(meter, hostinfo.IdleConfig{Threshold: threshold, BusyAfter: 2, IdleAfter: 5, Interval: 2 * time.Second})
	if err != nil {
		return err
	}
	// The watcher starts out assuming the owner is busy until the machine
	// has been quiet for a while: never grab a machine just being used.
	p.SetBusy(w.Busy())
	t := time.NewTicker(2 * time.Second)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer t.Stop()
		w.Run(ctx, t.C, p.SetBusy)
	}()
	return nil
}

// liveStatus keeps one status line current on a terminal. earnedToday is
// nil for a provider that runs unpaid.
func liveStatus(ctx context.Context, p *provider.Provider, earnedToday func(context.Context) (string, error)) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		earned := "unpaid"
		if earnedToday != nil {
			e, err := earnedToday(ctx)
			if err != nil {
				e = "?"
			}
			earned = "earned today " + e
		}
		fmt.Printf("\r\033[K%s", statusLine(p.Stats(), earned))
		select {
		case <-ctx.Done():
			fmt.Println()
			return
		case <-t.C:
		}
	}
}

// statusLine is the provider's one-line status.
func statusLine(s provider.Stats, earned string) string {
	state := "lending"
	if s.Busy {
		state = "owner busy, paused"
	}
	return fmt.Sprintf("%s · running %d · done %d · failed %d · handed back %d · %s",
		state, s.Running, s.Succeeded, s.Failed, s.HandedBack, earned)
}

// startOfDay is local midnight before t: "today" is the owner's day.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func newProviderLsCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "ls",
		Short: "List the market's providers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.client()
			if err != nil {
				return err
			}
			ps, err := c.Providers(cmd.Context())
			if err != nil {
				return err
			}
			if g.json {
				return printJSON(ps)
			}
			tw := table("PROVIDER", "NAME", "STATE", "CPU", "MEMORY", "PRICE", "RUNNING", "DONE", "FAILED",
				"REPUTATION", "AGREED", "FAULTS", "CANARIES", "CHALLENGE", "LAST HEARTBEAT")
			for _, p := range ps {
				state := string(p.State)
				if p.Unhealthy {
					state += ",unhealthy"
				}
				rep := p.Reputation
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%.2f\t%d\t%d\t%d/%d\t%s\t%s ago\n", p.Info.ID, p.Info.Name, state,
					jobspec.FormatCPU(p.Info.Lend.CPUMilli), humanBytes(p.Info.Lend.MemoryBytes), p.Info.PricePerCPUSecond,
					p.Running, p.TasksDone, p.TasksFailed, rep.Score, rep.Agreed, rep.Faults,
					rep.CanariesPassed, rep.CanariesPassed+rep.CanariesFailed, orDash(challengeOutcome(p.LastChallenge)),
					time.Since(p.LastHeartbeat).Round(time.Second))
			}
			return tw.Flush()
		},
	}
}

// challengeOutcome is the outcome word of a provider's last challenge.
func challengeOutcome(s string) string {
	outcome, _, _ := strings.Cut(s, ":")
	return outcome
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
