package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/chainwallet"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/bonfirenet/bonfire/metrics"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/bonfirenet/bonfire/sqlite"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/spf13/cobra"
)

// providerLedgerFile is the provider's voucher and claim database, inside
// its directory next to key.json.
const providerLedgerFile = "wallet.db"

// providerDirOf is --dir, or <home>/provider as for `bonfire provider`.
func providerDirOf(g *globals, dir string) string {
	if dir != "" {
		return dir
	}
	return filepath.Join(g.home, "provider")
}

// providerChain locates the chain the way the wallet commands do: --chain-rpc,
// else the running market's endpoints.json, else the default dev chain URL;
// --deployments, else <home>/chain/deployments.json.
type providerChain struct {
	rpc         string
	deployments string
}

func addProviderChainFlags(cmd *cobra.Command, c *providerChain) {
	cmd.Flags().StringVar(&c.rpc, "chain-rpc", "", "JSON-RPC URL of the chain (default: the chain of the market running on --home, else "+defaultChainRPC+")")
	cmd.Flags().StringVar(&c.deployments, "deployments", "", "the contracts' deployments.json (default <home>/chain/deployments.json)")
}

// chainConn is a connection to the settlement chain: the checked wallet view
// (token symbol and decimals) and a raw client for the settlement package.
type chainConn struct {
	rpc    string
	dep    *evm.Deployment
	view   *chainwallet.Wallet
	client *ethclient.Client
}

func (c *providerChain) connect(ctx context.Context, g *globals) (*chainConn, error) {
	home := localnet.Home(g.home)
	rpc := c.rpc
	if rpc == "" {
		rpc = defaultChainRPC
		if ep, err := home.ReadEndpoints(); err == nil && ep.ChainRPC != "" {
			rpc = ep.ChainRPC
		}
	}
	path := c.deployments
	if path == "" {
		path = filepath.Join(home.ChainDir(), "deployments.json")
	}
	dep, err := chainwallet.ReadDeploymentFile(path)
	if err != nil {
		return nil, err
	}
	view, err := chainwallet.Connect(ctx, rpc, dep)
	if err != nil {
		return nil, err
	}
	client, err := ethclient.DialContext(ctx, rpc)
	if err != nil {
		view.Close()
		return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "cannot connect to %s: %v", rpc, err).WithField("chainRPC").
			WithHint("start the chain with `bonfire up`, or pass --chain-rpc with the URL of a running one")
	}
	return &chainConn{rpc: rpc, dep: dep, view: view, client: client}, nil
}

func (c *chainConn) Close() {
	c.client.Close()
	c.view.Close()
}

// providerPayFlags are the flags of the commands acting on a provider's
// money: its directory and its chain.
type providerPayFlags struct {
	dir   string
	chain providerChain
}

func addProviderPayFlags(cmd *cobra.Command) *providerPayFlags {
	f := &providerPayFlags{}
	cmd.Flags().StringVar(&f.dir, "dir", "", "the provider's directory, holding key.json and "+providerLedgerFile+
		" (default <home>/provider; local providers of `bonfire up` are <home>/providers/N)")
	addProviderChainFlags(cmd, &f.chain)
	return f
}

// loadProviderKey loads an existing provider key: these commands never
// create one, since a new key would have earned nothing.
func loadProviderKey(dir string) (*identity.Key, error) {
	path := filepath.Join(dir, "key.json")
	key, err := identity.Load(path, identity.Passphrase())
	if bonfire.Code(err) == bonfire.ECodeNotFound {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "there is no provider key at %s", path).WithField("dir").
			WithHint("run `bonfire provider` once to create it, or pass --dir with the provider's directory (local providers are <home>/providers/N)")
	}
	return key, err
}

func keyAddress(k *identity.Key) common.Address { return common.HexToAddress(string(k.Address())) }

func openProviderLedger(dir string) (*sqlite.Store, error) {
	return sqlite.Open(filepath.Join(dir, providerLedgerFile))
}

func newProviderEarningsCmd(g *globals) *cobra.Command {
	var f *providerPayFlags
	cmd := &cobra.Command{
		Use:   "earnings",
		Short: "Show what each payer owes this provider, what was claimed, and recent claim transactions",
		Long: "Earnings come from the provider's own ledger (<dir>/" + providerLedgerFile + "); the chain is asked only for the\n" +
			"token's symbol and decimals, and amounts are shown in base units when it cannot be reached.\n" +
			"Amounts are gross: the escrow keeps its protocol fee out of each claim.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir := providerDirOf(g, f.dir)
			key, err := loadProviderKey(dir)
			if err != nil {
				return err
			}
			ledger, err := openProviderLedger(dir)
			if err != nil {
				return err
			}
			defer ledger.Close()
			e, err := settlement.ReadEarnings(cmd.Context(), ledger, keyAddress(key), settlement.RecentClaims)
			if err != nil {
				return err
			}
			unit := tokenUnit{symbol: "base units"}
			var offline error
			if conn, err := f.chain.connect(cmd.Context(), g); err == nil {
				unit = tokenUnit{symbol: conn.view.Symbol(), decimals: conn.view.Decimals()}
				conn.Close()
			} else {
				offline = err
			}
			if g.json {
				return writeWalletJSON(cmd.OutOrStdout(), earningsJSON(e, unit))
			}
			return printEarnings(cmd, e, unit, offline)
		},
	}
	f = addProviderPayFlags(cmd)
	return cmd
}

// tokenUnit formats amounts of the settlement token.
type tokenUnit struct {
	symbol   string
	decimals uint8
}

func (u tokenUnit) format(x *big.Int) string {
	return chainwallet.FormatAmount(x, u.decimals, u.symbol)
}

type payerEarningsJSON struct {
	Payer     common.Address `json:"payer"`
	Earned    walletAmount   `json:"earned"`
	Claimed   walletAmount   `json:"claimed"`
	Unclaimed walletAmount   `json:"unclaimed"`
}

type claimJSON struct {
	Tx   common.Hash  `json:"tx"`
	Paid walletAmount `json:"paid"`
	At   time.Time    `json:"at"`
}

type providerEarningsJSON struct {
	Provider  common.Address      `json:"provider"`
	Symbol    string              `json:"symbol"`
	Decimals  uint8               `json:"decimals"`
	Payers    []payerEarningsJSON `json:"payers"`
	Earned    walletAmount        `json:"earned"`
	Claimed   walletAmount        `json:"claimed"`
	Unclaimed walletAmount        `json:"unclaimed"`
	Claims    []claimJSON         `json:"claims"`
}

func earningsJSON(e *settlement.Earnings, u tokenUnit) providerEarningsJSON {
	j := providerEarningsJSON{
		Provider: e.Payee, Symbol: u.symbol, Decimals: u.decimals,
		Payers:  []payerEarningsJSON{},
		Earned:  newWalletAmount(e.Earned, u.decimals),
		Claimed: newWalletAmount(e.Claimed, u.decimals), Unclaimed: newWalletAmount(e.Unclaimed, u.decimals),
		Claims: []claimJSON{},
	}
	for _, p := range e.Payers {
		j.Payers = append(j.Payers, payerEarningsJSON{Payer: p.Payer, Earned: newWalletAmount(p.Earned, u.decimals),
			Claimed: newWalletAmount(p.Claimed, u.decimals), Unclaimed: newWalletAmount(p.Unclaimed, u.decimals)})
	}
	for _, c := range e.Claims {
		j.Claims = append(j.Claims, claimJSON{Tx: c.Tx, Paid: newWalletAmount(c.Paid, u.decimals), At: c.At.UTC()})
	}
	return j
}

func printEarnings(cmd *cobra.Command, e *settlement.Earnings, u tokenUnit, offline error) error {
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "provider %s\n", e.Payee.Hex())
	if offline != nil {
		fmt.Fprintf(out, "(amounts in base units: %v)\n", offline)
	}
	if len(e.Payers) == 0 {
		fmt.Fprintln(out, "no vouchers received yet")
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PAYER\tEARNED\tCLAIMED\tUNCLAIMED")
	for _, p := range e.Payers {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Payer.Hex(), u.format(p.Earned), u.format(p.Claimed), u.format(p.Unclaimed))
	}
	fmt.Fprintf(tw, "total\t%s\t%s\t%s\n", u.format(e.Earned), u.format(e.Claimed), u.format(e.Unclaimed))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(e.Claims) > 0 {
		fmt.Fprintln(out, "\nrecent claims:")
		tw = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		for _, c := range e.Claims {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Tx.Hex(), u.format(c.Paid), c.At.Local().Format(time.DateTime))
		}
		return tw.Flush()
	}
	return nil
}

func newProviderClaimCmd(g *globals) *cobra.Command {
	var (
		f             *providerPayFlags
		confirmations uint64
	)
	cmd := &cobra.Command{
		Use:   "claim",
		Short: "Claim every unclaimed voucher now, in one escrow transaction",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir := providerDirOf(g, f.dir)
			key, err := loadProviderKey(dir)
			if err != nil {
				return err
			}
			conn, err := f.chain.connect(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer conn.Close()
			ledger, err := openProviderLedger(dir)
			if err != nil {
				return err
			}
			defer ledger.Close()
			c, err := settlement.OpenCollector(cmd.Context(), settlement.CollectorConfig{
				Ledger: ledger, Key: key.PrivateKey(), Deployment: conn.dep, Backend: conn.client, Confirmations: confirmations,
			})
			if err != nil {
				return err
			}
			tx, paid, err := c.ClaimNow(cmd.Context())
			if err != nil {
				return err
			}
			j := map[string]any{"tx": nil, "paid": newWalletAmount(paid, conn.view.Decimals())}
			if tx == (common.Hash{}) {
				return walletResult(cmd, g, j, "nothing to claim\n")
			}
			j["tx"] = tx
			if paid.Sign() == 0 {
				return walletResult(cmd, g, j, "claim transaction %s paid nothing: the payers' escrow deposits or session keys do not cover the vouchers\n", tx.Hex())
			}
			net := new(big.Int).Sub(paid, new(big.Int).Quo(new(big.Int).Mul(paid, big.NewInt(int64(conn.dep.FeeBps))), big.NewInt(10_000)))
			return walletResult(cmd, g, j, "claimed %s (%s after the protocol fee) in transaction %s\n",
				conn.view.Format(paid), conn.view.Format(net), tx.Hex())
		},
	}
	f = addProviderPayFlags(cmd)
	cmd.Flags().Uint64Var(&confirmations, "confirmations", 1, "blocks, counting its own, the claim waits for before it counts")
	return cmd
}

// stakeTx is what the staking commands share: the key, the chain, a Staker.
func stakeTx(cmd *cobra.Command, g *globals, f *providerPayFlags) (*settlement.Staker, *chainConn, error) {
	key, err := loadProviderKey(providerDirOf(g, f.dir))
	if err != nil {
		return nil, nil, err
	}
	conn, err := f.chain.connect(cmd.Context(), g)
	if err != nil {
		return nil, nil, err
	}
	s, err := settlement.NewStaker(key.PrivateKey(), conn.dep, conn.client)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return s, conn, nil
}

type stakeJSON struct {
	Provider    common.Address `json:"provider"`
	Staked      walletAmount   `json:"staked"`
	Unstaking   walletAmount   `json:"unstaking"`
	AvailableAt *time.Time     `json:"availableAt,omitempty"`
}

func printStake(cmd *cobra.Command, g *globals, s *settlement.Staker, conn *chainConn, st *settlement.StakeState, verb string) error {
	d := conn.view.Decimals()
	j := stakeJSON{Provider: s.Address(), Staked: newWalletAmount(st.Staked, d), Unstaking: newWalletAmount(st.Unstaking, d)}
	if !st.AvailableAt.IsZero() {
		at := st.AvailableAt
		j.AvailableAt = &at
	}
	if g.json {
		return writeWalletJSON(cmd.OutOrStdout(), j)
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "%s%s has %s at stake\n", verb, s.Address().Hex(), conn.view.Format(st.Staked))
	if !st.AvailableAt.IsZero() {
		fmt.Fprintf(out, "unstaking %s, %s\n", conn.view.Format(st.Unstaking), unstakeAvailability(st.AvailableAt, time.Now()))
	}
	return nil
}

func unstakeAvailability(at, now time.Time) string {
	if !now.Before(at) {
		return "ready: run `bonfire provider unstake complete`"
	}
	return fmt.Sprintf("available at %s (in %s)", at.Local().Format(time.DateTime), at.Sub(now).Round(time.Second))
}

func newProviderStakeCmd(g *globals) *cobra.Command {
	var (
		f    *providerPayFlags
		show bool
	)
	cmd := &cobra.Command{
		Use:   "stake [AMOUNT] [--show]",
		Short: "Put tokens at stake on ProviderStake (the arbiter may slash it for bad results), or show the stake",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if show == (len(args) == 1) {
				return bonfire.Errorf(bonfire.ECodeInvalid, "give either an AMOUNT to stake or --show").WithField("amount").
					WithHint("run `bonfire provider stake 10` to stake 10 tokens, or `bonfire provider stake --show`")
			}
			s, conn, err := stakeTx(cmd, g, f)
			if err != nil {
				return err
			}
			defer conn.Close()
			if show {
				st, err := s.State(cmd.Context())
				if err != nil {
					return err
				}
				return printStake(cmd, g, s, conn, st, "")
			}
			amount, err := conn.view.Parse(args[0])
			if err != nil {
				return err
			}
			st, err := s.Stake(cmd.Context(), amount)
			if err != nil {
				return err
			}
			return printStake(cmd, g, s, conn, st, "staked "+conn.view.Format(amount)+"; ")
		},
	}
	f = addProviderPayFlags(cmd)
	cmd.Flags().BoolVar(&show, "show", false, "show the stake and any pending unstake instead of staking")
	return cmd
}

func newProviderUnstakeCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "unstake",
		Short: "Take stake back: request, wait out the unstake delay, complete",
	}
	var reqFlags, doneFlags *providerPayFlags
	request := &cobra.Command{
		Use:   "request AMOUNT",
		Short: "Start the unstake delay for AMOUNT (replaces a pending request)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, conn, err := stakeTx(cmd, g, reqFlags)
			if err != nil {
				return err
			}
			defer conn.Close()
			amount, err := conn.view.Parse(args[0])
			if err != nil {
				return err
			}
			st, err := s.RequestUnstake(cmd.Context(), amount)
			if err != nil {
				return err
			}
			return printStake(cmd, g, s, conn, st, "requested to unstake "+conn.view.Format(amount)+"; ")
		},
	}
	reqFlags = addProviderPayFlags(request)
	complete := &cobra.Command{
		Use:   "complete",
		Short: "Pay out the pending unstake once its delay has passed",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, conn, err := stakeTx(cmd, g, doneFlags)
			if err != nil {
				return err
			}
			defer conn.Close()
			paid, err := s.Unstake(cmd.Context())
			if err != nil {
				return err
			}
			return walletResult(cmd, g, map[string]any{"unstaked": newWalletAmount(paid, conn.view.Decimals())},
				"unstaked %s\n", conn.view.Format(paid))
		},
	}
	doneFlags = addProviderPayFlags(complete)
	cmd.AddCommand(request, complete)
	return cmd
}

// providerPayments is the paid side of a running provider: the collector
// that receives the market's vouchers and claims them.
type providerPayments struct {
	collector *settlement.Collector
	ledger    *sqlite.Store
	conn      *chainConn
	stop      context.CancelFunc
	done      chan error
}

// chainProbeTimeout bounds finding the chain at start: a provider without one
// still works, unpaid, so it must not wait long.
const chainProbeTimeout = 5 * time.Second

// openProviderPayments connects a provider to the settlement chain. When no
// chain can be reached it returns nil payments and the reason (the provider
// runs unpaid); err is for mistakes the user must fix first.
func openProviderPayments(ctx context.Context, g *globals, dir string, key *identity.Key, f *providerFlags, log *slog.Logger,
	pm *metrics.Provider) (pp *providerPayments, unpaid, err error) {
	probe, cancel := context.WithTimeout(ctx, chainProbeTimeout)
	defer cancel()
	conn, unpaid := f.chain.connect(probe, g)
	if unpaid != nil {
		return nil, unpaid, nil
	}
	defer func() {
		if err != nil {
			conn.Close()
		}
	}()
	policy := settlement.ClaimPolicy{Interval: f.claimEvery}
	if pm != nil {
		policy.OnClaim = func(common.Hash, *big.Int) { pm.Claimed() }
		policy.OnError = func(error) { pm.ClaimFailed() }
	}
	if f.claimAt != "" {
		if policy.MinAmount, err = conn.view.Parse(f.claimAt); err != nil {
			return nil, nil, withField(err, "--claim-at")
		}
	}
	if f.claimEvery < 0 {
		return nil, nil, bonfire.Errorf(bonfire.ECodeInvalid, "--claim-every %s is negative", f.claimEvery).WithField("--claim-every").
			WithHint(`give a period like "10m", or 0 to claim only by amount and at shutdown`)
	}
	ledger, err := openProviderLedger(dir)
	if err != nil {
		return nil, nil, err
	}
	c, err := settlement.OpenCollector(ctx, settlement.CollectorConfig{
		Ledger: ledger, Key: key.PrivateKey(), Deployment: conn.dep, Backend: conn.client,
		Policy: policy, Confirmations: f.confirmations, Log: log,
	})
	if err != nil {
		ledger.Close()
		return nil, nil, err
	}
	return &providerPayments{collector: c, ledger: ledger, conn: conn}, nil, nil
}

// earnings reads the cumulative earned and claimed totals from the ledger,
// for the earnings metrics.
func (pp *providerPayments) earnings(ctx context.Context) (earned, claimed *big.Int, err error) {
	e, err := pp.collector.Summary(ctx)
	if err != nil {
		return nil, nil, err
	}
	return e.Earned, e.Claimed, nil
}

// start runs the claim loop. It is not stopped by ctx but by finish, so the
// final claim comes after the provider's last report has brought its last
// vouchers.
func (pp *providerPayments) start(ctx context.Context) {
	ctx, pp.stop = context.WithCancel(context.WithoutCancel(ctx))
	pp.done = make(chan error, 1)
	go func() { pp.done <- pp.collector.Run(ctx) }()
}

// finish makes the final claim and closes everything.
func (pp *providerPayments) finish() error {
	var err error
	if pp.stop != nil {
		pp.stop()
		err = <-pp.done
	}
	pp.ledger.Close()
	pp.conn.Close()
	return err
}

func withField(err error, field string) error {
	if be, ok := err.(*bonfire.Error); ok {
		be.Field = field
	}
	return err
}
