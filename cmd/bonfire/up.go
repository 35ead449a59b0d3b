package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/bonfirenet/bonfire/localnet"
	"github.com/spf13/cobra"
)

// netFlags are the flags that shape a local network.
type netFlags struct {
	providers   int
	httpAddr    string
	natsPort    int
	natsURL     string
	providerCPU float64
	price       uint64
	chain       bool
	chainAddr   string
	chainRPC    string
	deployments string
	docker      dockerFlags
}

func (f *netFlags) register(cmd *cobra.Command, defaultProviders int) {
	fl := cmd.Flags()
	fl.IntVar(&f.providers, "providers", defaultProviders, "number of local providers lending this machine")
	fl.StringVar(&f.httpAddr, "http", "127.0.0.1:8080", "HTTP API address (a free port is picked if taken)")
	fl.IntVar(&f.natsPort, "nats-port", 4222, "embedded NATS port (a free port is picked if taken)")
	fl.StringVar(&f.natsURL, "nats", "", "use this external NATS cluster instead of embedding one")
	fl.Float64Var(&f.providerCPU, "provider-cpu", 0, "cores each local provider lends (default: this machine's cores split evenly)")
	fl.Uint64Var(&f.price, "price", 0, "local providers' price per cpu-second, in the token's smallest unit")
	fl.BoolVar(&f.chain, "chain", true, "run the embedded, persistent dev chain (settlement contracts, test stablecoin)")
	fl.StringVar(&f.chainAddr, "chain-addr", "127.0.0.1:8545", "JSON-RPC address of the embedded chain (a free port if taken)")
	fl.StringVar(&f.chainRPC, "chain-rpc", "", "settle on this EVM chain's JSON-RPC URL instead of the embedded chain (needs --deployments)")
	fl.StringVar(&f.deployments, "deployments", "", "with --chain-rpc: the deployments file `bonfire contracts deploy` wrote")
	f.docker.register(fl)
}

func (f *netFlags) config(g *globals) localnet.Config {
	capBytes, _ := f.docker.cacheBytes() // checked by runNetwork
	return localnet.Config{
		Home: localnet.Home(g.home), Providers: f.providers, HTTPAddr: f.httpAddr, NATSPort: f.natsPort,
		NATSURL: f.natsURL, ProviderCPUMilli: int64(f.providerCPU * 1000), ProviderPrice: f.price,
		Chain: f.chain && f.chainRPC == "", ChainAddr: f.chainAddr, ChainRPC: f.chainRPC, Deployments: f.deployments,
		Log:      g.logger(os.Stderr),
		NoDocker: f.docker.noDocker, DockerHost: f.docker.dockerHost, AllowNetwork: f.docker.allowNetwork, ImageCacheBytes: capBytes,
		ProviderGPUPrice: f.docker.gpuPrice,
	}
}

func newUpCmd(g *globals) *cobra.Command {
	f := &netFlags{}
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Run a market, embedded NATS and local providers in one process",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runNetwork(cmd.Context(), g, f)
		},
	}
	f.register(cmd, 2)
	return cmd
}

func newMarketCmd(g *globals) *cobra.Command {
	f := &netFlags{}
	cmd := &cobra.Command{
		Use:   "market",
		Short: "Run only the market (providers join from other machines with `bonfire provider`)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runNetwork(cmd.Context(), g, f)
		},
	}
	f.register(cmd, 0)
	return cmd
}

func runNetwork(ctx context.Context, g *globals, f *netFlags) error {
	start := time.Now()
	if _, err := f.docker.cacheBytes(); err != nil {
		return err
	}
	n, err := localnet.Start(ctx, f.config(g))
	if err != nil {
		return err
	}
	defer n.Close()
	w := os.Stdout
	fmt.Fprintf(w, "bonfire is up (home %s, %d providers, %s)\n", g.home, len(n.Providers), time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(w, "  API        %s\n", n.APIURL)
	fmt.Fprintf(w, "  NATS       %s\n", n.NATSURL)
	fmt.Fprintf(w, "  dashboard  %s\n", n.DashboardURL)
	fmt.Fprintf(w, "  metrics    %s/metrics (readiness: %s/readyz)\n", n.APIURL, n.APIURL)
	if d := n.Deployment; d != nil {
		fmt.Fprintf(w, "  chain      %s (chain id %d; escrow %s, token %s)\n", n.ChainURL, d.ChainID, d.Escrow.Hex(), d.Token.Hex())
		fmt.Fprintf(w, "  session    %s (authorise it to pay for your jobs: bonfire wallet authorize %s --cap AMOUNT)\n",
			n.Paymaster.SessionKey().Hex(), n.Paymaster.SessionKey().Hex())
	} else {
		fmt.Fprintf(w, "  chain      none: jobs are not charged\n")
	}
	fmt.Fprintf(w, "  wallet     %s\n", n.Wallet.Address())
	fmt.Fprintf(w, "Providers elsewhere join with: bonfire provider --nats %s\n", n.NATSURL)
	fmt.Fprintf(w, "Submit work with:              bonfire job run examples/digits-sweep/job.yaml --wait\n")
	fmt.Fprintln(w, "Press Ctrl-C to stop.")
	<-ctx.Done()
	fmt.Fprintln(w, "stopping: handing back running tasks and saving state")
	return nil
}
