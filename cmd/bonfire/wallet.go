package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/chainwallet"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"
)

// defaultChainRPC is where `bonfire up` runs its dev chain unless the port
// was taken, for when no running market on --home says where it is.
const defaultChainRPC = "http://127.0.0.1:8545"

// etherDecimals turns wei into ether: one ether is 10^18 wei.
const etherDecimals = 18

// defaultFaucetAmount is what `wallet faucet` mints when no amount is given.
const defaultFaucetAmount = "1000"

func newWalletCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "wallet",
		Short: "Manage the consumer wallet: key, balances, test tokens, escrow deposits",
		Long: "The wallet key is <home>/wallet/key.json (an Ethereum keystore file, passphrase from\n" +
			"BONFIRE_PASSPHRASE). Chain commands talk to --chain-rpc and find the contracts in --deployments.\n" +
			"Transactions sent but not yet confirmed are journaled in <home>/wallet/pending/; the next\n" +
			"send waits for them first (see `bonfire wallet pending`).",
	}
	cmd.AddCommand(newWalletNewCmd(g), newWalletImportCmd(g), newWalletAddressCmd(g), newWalletBalanceCmd(g),
		newWalletFaucetCmd(g), newWalletDepositCmd(g), newWalletWithdrawCmd(g), newWalletAuthorizeCmd(g), newWalletPendingCmd(g))
	return cmd
}

func newWalletNewCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "new",
		Short: "Create the wallet key (refuses to replace an existing one)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, err := identity.Generate()
			if err != nil {
				return err
			}
			return saveWalletKey(cmd, g, key)
		},
	}
}

func newWalletImportCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "import [HEXKEY|-]",
		Short: "Save a private key (64 hex digits) as the wallet key; reads it from stdin when omitted or -",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			hex := "-"
			if len(args) == 1 {
				hex = args[0]
			}
			if hex == "-" {
				line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if err != nil && err != io.EOF {
					return bonfire.Errorf(bonfire.ECodeInvalid, "cannot read the key from stdin: %v", err).
						WithHint("pipe the private key in, or pass it as an argument")
				}
				hex = line
			}
			key, err := identity.FromHex(hex)
			if err != nil {
				return err
			}
			return saveWalletKey(cmd, g, key)
		},
	}
}

func saveWalletKey(cmd *cobra.Command, g *globals, key *identity.Key) error {
	path := localnet.Home(g.home).WalletKey()
	// Light scrypt, as localnet.Key uses for the same file: the key guards a
	// laptop's test money, and standard scrypt costs a second per command.
	if err := key.Save(path, identity.Passphrase(), true); err != nil {
		return err
	}
	if g.json {
		return writeWalletJSON(cmd.OutOrStdout(), map[string]string{"address": string(key.Address()), "keyFile": path})
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wallet %s saved in %s\n", key.Address(), path)
	return nil
}

func newWalletAddressCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "address",
		Short: "Print the wallet's address",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, err := loadWalletKey(g)
			if err != nil {
				return err
			}
			if g.json {
				return writeWalletJSON(cmd.OutOrStdout(), map[string]string{"address": string(key.Address())})
			}
			fmt.Fprintln(cmd.OutOrStdout(), key.Address())
			return nil
		},
	}
}

func loadWalletKey(g *globals) (*identity.Key, error) {
	path := localnet.Home(g.home).WalletKey()
	key, err := identity.Load(path, identity.Passphrase())
	if bonfire.Code(err) == bonfire.ECodeNotFound {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "there is no wallet key at %s", path).
			WithHint("create one with `bonfire wallet new`, or import one with `bonfire wallet import`")
	}
	return key, err
}

// walletChain holds the flags of the commands that talk to the chain.
type walletChain struct {
	rpc           string
	deployments   string
	sends         bool // the command sends transactions and has --confirmations
	confirmations int
}

func addWalletChainFlags(cmd *cobra.Command) *walletChain {
	c := &walletChain{}
	cmd.Flags().StringVar(&c.rpc, "chain-rpc", "", "JSON-RPC URL of the chain (default: the chain of the market running on --home, else "+defaultChainRPC+")")
	cmd.Flags().StringVar(&c.deployments, "deployments", "", "the contracts' deployments.json (default <home>/chain/deployments.json)")
	return c
}

// addWalletSendFlags is addWalletChainFlags plus --confirmations, for the
// commands that send transactions.
func addWalletSendFlags(cmd *cobra.Command) *walletChain {
	c := addWalletChainFlags(cmd)
	c.sends = true
	cmd.Flags().IntVar(&c.confirmations, "confirmations", 1, confirmationsHelp)
	return c
}

// confirmationsHelp explains --confirmations wherever it appears.
const confirmationsHelp = "blocks, counting its own, each transaction waits for; on the dev chain of `bonfire up`, " +
	"which mines only when a transaction arrives, more than 1 waits for someone else's traffic"

// checkConfirmations refuses --confirmations below 1.
func checkConfirmations(n int) *bonfire.Error {
	if n < 1 {
		return bonfire.Errorf(bonfire.ECodeInvalid, "--confirmations %d is below 1", n).WithField("confirmations").
			WithHint("give 1 to return once mined, or more to wait for blocks on top (for example 3 on a public chain)")
	}
	return nil
}

// walletJournalDir is where the wallet journals transactions in flight:
// next to its key, so the record travels with the account.
func walletJournalDir(g *globals) string {
	return filepath.Join(filepath.Dir(localnet.Home(g.home).WalletKey()), "pending")
}

// resolve fills in the defaults: the chain URL (kept in c.rpc for
// messages) and the deployment file's path.
func (c *walletChain) resolve(g *globals) (deployments string) {
	home := localnet.Home(g.home)
	if c.rpc == "" {
		c.rpc = defaultChainRPC
		// `bonfire up` records its chain's URL, which differs from the
		// default when port 8545 was taken.
		if ep, err := home.ReadEndpoints(); err == nil && ep.ChainRPC != "" {
			c.rpc = ep.ChainRPC
		}
	}
	if c.deployments != "" {
		return c.deployments
	}
	return filepath.Join(home.ChainDir(), "deployments.json")
}

// connect resolves the defaults and connects.
func (c *walletChain) connect(cmd *cobra.Command, g *globals) (*chainwallet.Wallet, error) {
	path := c.resolve(g)
	dep, err := chainwallet.ReadDeploymentFile(path)
	if err != nil {
		return nil, err
	}
	opts := []chainwallet.Option{chainwallet.WithJournal(walletJournalDir(g))}
	if c.sends {
		if err := checkConfirmations(c.confirmations); err != nil {
			return nil, err
		}
		opts = append(opts, chainwallet.WithConfirmations(uint64(c.confirmations)))
	}
	return chainwallet.Connect(cmd.Context(), c.rpc, dep, opts...)
}

// walletAmount is an amount in JSON: tokens as people write them, and the
// exact base units for programs.
type walletAmount struct {
	Units     string `json:"units"`
	BaseUnits string `json:"baseUnits"`
}

func newWalletAmount(v *big.Int, decimals uint8) walletAmount {
	if v == nil {
		v = new(big.Int)
	}
	return walletAmount{Units: chainwallet.FormatAmount(v, decimals, ""), BaseUnits: v.String()}
}

type walletWithdrawalJSON struct {
	Amount      walletAmount `json:"amount"`
	AvailableAt time.Time    `json:"availableAt"`
}

type walletBalanceJSON struct {
	Address           common.Address        `json:"address"`
	ChainID           uint64                `json:"chainId"`
	Token             common.Address        `json:"token"`
	Symbol            string                `json:"symbol"`
	Decimals          uint8                 `json:"decimals"`
	ETH               walletAmount          `json:"eth"`
	TokenBalance      walletAmount          `json:"tokenBalance"`
	Escrow            walletAmount          `json:"escrow"`
	PendingWithdrawal *walletWithdrawalJSON `json:"pendingWithdrawal"`
}

func newWalletBalanceCmd(g *globals) *cobra.Command {
	var chain *walletChain
	cmd := &cobra.Command{
		Use:   "balance [ADDRESS]",
		Short: "Show ether, token and escrow balances (of the wallet, or of ADDRESS)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			addr, err := walletAddressArg(g, args)
			if err != nil {
				return err
			}
			w, err := chain.connect(cmd, g)
			if err != nil {
				return err
			}
			defer w.Close()
			b, err := w.Balances(cmd.Context(), addr)
			if err != nil {
				return err
			}
			dep := w.Deployment()
			out := cmd.OutOrStdout()
			if g.json {
				j := walletBalanceJSON{
					Address: addr, ChainID: dep.ChainID, Token: dep.Token, Symbol: w.Symbol(), Decimals: w.Decimals(),
					ETH:          newWalletAmount(b.ETH, etherDecimals),
					TokenBalance: newWalletAmount(b.Token, w.Decimals()),
					Escrow:       newWalletAmount(b.Escrow, w.Decimals()),
				}
				if p := b.PendingWithdrawal; p != nil {
					j.PendingWithdrawal = &walletWithdrawalJSON{Amount: newWalletAmount(p.Amount, w.Decimals()), AvailableAt: p.AvailableAt}
				}
				return writeWalletJSON(out, j)
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "address\t%s\n", addr.Hex())
			fmt.Fprintf(tw, "chain\t%d at %s\n", dep.ChainID, chain.rpc)
			fmt.Fprintf(tw, "ether\t%s\n", chainwallet.FormatAmount(b.ETH, etherDecimals, "ETH"))
			fmt.Fprintf(tw, "tokens\t%s\n", w.Format(b.Token))
			fmt.Fprintf(tw, "escrow\t%s\n", w.Format(b.Escrow))
			if p := b.PendingWithdrawal; p != nil {
				fmt.Fprintf(tw, "withdrawing\t%s, %s\n", w.Format(p.Amount), availability(p.AvailableAt, time.Now()))
			}
			return tw.Flush()
		},
	}
	chain = addWalletChainFlags(cmd)
	return cmd
}

// walletAddressArg is the address given on the command line, or the
// wallet's own.
func walletAddressArg(g *globals, args []string) (common.Address, error) {
	if len(args) == 1 {
		if !common.IsHexAddress(args[0]) {
			return common.Address{}, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not an Ethereum address", args[0]).
				WithField("address").WithHint("give 0x followed by 40 hex digits")
		}
		return common.HexToAddress(args[0]), nil
	}
	key, err := loadWalletKey(g)
	if err != nil {
		return common.Address{}, err
	}
	return common.HexToAddress(string(key.Address())), nil
}

func availability(at, now time.Time) string {
	if !now.Before(at) {
		return "ready: run `bonfire wallet withdraw complete`"
	}
	return fmt.Sprintf("available at %s (in %s)", at.Local().Format(time.DateTime), at.Sub(now).Round(time.Second))
}

// walletTx is what every sending command needs: the key and a connection.
func walletTx(cmd *cobra.Command, g *globals, chain *walletChain) (*identity.Key, *chainwallet.Wallet, error) {
	key, err := loadWalletKey(g)
	if err != nil {
		return nil, nil, err
	}
	w, err := chain.connect(cmd, g)
	return key, w, err
}

func newWalletFaucetCmd(g *globals) *cobra.Command {
	var chain *walletChain
	cmd := &cobra.Command{
		Use:   "faucet [AMOUNT]",
		Short: "Mint test tokens (dev chain only) to the wallet; " + defaultFaucetAmount + " when no amount is given",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			key, w, err := walletTx(cmd, g, chain)
			if err != nil {
				return err
			}
			defer w.Close()
			text := defaultFaucetAmount
			if len(args) == 1 {
				text = args[0]
			}
			amount, err := w.Parse(text)
			if err != nil {
				return err
			}
			if _, err := w.Faucet(cmd.Context(), key, amount); err != nil {
				return err
			}
			bal, err := w.TokenBalance(cmd.Context(), common.HexToAddress(string(key.Address())))
			if err != nil {
				return err
			}
			return walletResult(cmd, g, map[string]any{"minted": newWalletAmount(amount, w.Decimals()), "tokenBalance": newWalletAmount(bal, w.Decimals())},
				"minted %s; the wallet holds %s\n", w.Format(amount), w.Format(bal))
		},
	}
	chain = addWalletSendFlags(cmd)
	return cmd
}

func newWalletDepositCmd(g *globals) *cobra.Command {
	var chain *walletChain
	cmd := &cobra.Command{
		Use:   "deposit AMOUNT",
		Short: "Move tokens from the wallet into the escrow that pays providers",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			key, w, err := walletTx(cmd, g, chain)
			if err != nil {
				return err
			}
			defer w.Close()
			amount, err := w.Parse(args[0])
			if err != nil {
				return err
			}
			if _, err := w.Deposit(cmd.Context(), key, amount); err != nil {
				return err
			}
			esc, err := w.EscrowBalance(cmd.Context(), common.HexToAddress(string(key.Address())))
			if err != nil {
				return err
			}
			return walletResult(cmd, g, map[string]any{"deposited": newWalletAmount(amount, w.Decimals()), "escrow": newWalletAmount(esc, w.Decimals())},
				"deposited %s; the escrow holds %s\n", w.Format(amount), w.Format(esc))
		},
	}
	chain = addWalletSendFlags(cmd)
	return cmd
}

func newWalletWithdrawCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "withdraw",
		Short: "Take tokens out of the escrow: request, wait out the delay, complete",
	}
	var reqChain, doneChain *walletChain
	request := &cobra.Command{
		Use:   "request AMOUNT",
		Short: "Start the escrow's withdrawal delay for AMOUNT (replaces a pending request)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			key, w, err := walletTx(cmd, g, reqChain)
			if err != nil {
				return err
			}
			defer w.Close()
			amount, err := w.Parse(args[0])
			if err != nil {
				return err
			}
			p, err := w.RequestWithdrawal(cmd.Context(), key, amount)
			if err != nil {
				return err
			}
			return walletResult(cmd, g, walletWithdrawalJSON{Amount: newWalletAmount(p.Amount, w.Decimals()), AvailableAt: p.AvailableAt},
				"requested a withdrawal of %s, %s\n", w.Format(p.Amount), availability(p.AvailableAt, time.Now()))
		},
	}
	reqChain = addWalletSendFlags(request)
	complete := &cobra.Command{
		Use:   "complete",
		Short: "Pay out the pending withdrawal once its delay has passed",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			key, w, err := walletTx(cmd, g, doneChain)
			if err != nil {
				return err
			}
			defer w.Close()
			paid, err := w.Withdraw(cmd.Context(), key)
			if err != nil {
				return err
			}
			return walletResult(cmd, g, map[string]any{"withdrawn": newWalletAmount(paid, w.Decimals())},
				"withdrew %s\n", w.Format(paid))
		},
	}
	doneChain = addWalletSendFlags(complete)
	cmd.AddCommand(request, complete)
	return cmd
}

func newWalletAuthorizeCmd(g *globals) *cobra.Command {
	var (
		chain   *walletChain
		capText string
		expires time.Duration
	)
	cmd := &cobra.Command{
		Use:   "authorize [SESSION_ADDR] --cap AMOUNT [--expires 24h]",
		Short: "Let a session key (default: the market's) sign payments from the escrow, up to a cap, until it expires",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				market, err := marketSessionKey(cmd.Context(), g)
				if err != nil {
					return err
				}
				args = []string{market}
			}
			if !common.IsHexAddress(args[0]) {
				return bonfire.Errorf(bonfire.ECodeInvalid, "%q is not an Ethereum address", args[0]).
					WithField("session").WithHint("give the session key's address: 0x followed by 40 hex digits")
			}
			if capText == "" {
				return bonfire.Errorf(bonfire.ECodeInvalid, "no cap given").WithField("cap").
					WithHint("say how much the session key may spend in total, like --cap 50")
			}
			if expires <= 0 {
				return bonfire.Errorf(bonfire.ECodeInvalid, "--expires %s is not in the future", expires).WithField("expires").
					WithHint(`give how long the key stays valid, like "24h"`)
			}
			key, w, err := walletTx(cmd, g, chain)
			if err != nil {
				return err
			}
			defer w.Close()
			limit, err := w.Parse(capText)
			if err != nil {
				var be *bonfire.Error
				if errors.As(err, &be) {
					be.Field = "cap"
				}
				return err
			}
			session := common.HexToAddress(args[0])
			expiry := time.Now().Add(expires).Truncate(time.Second)
			if _, err := w.AuthorizeSessionKey(cmd.Context(), key, session, limit, expiry); err != nil {
				return err
			}
			return walletResult(cmd, g, map[string]any{"session": session, "cap": newWalletAmount(limit, w.Decimals()), "expiry": expiry.UTC()},
				"session key %s may spend up to %s until %s\n", session.Hex(), w.Format(limit), expiry.Local().Format(time.DateTime))
		},
	}
	chain = addWalletSendFlags(cmd)
	cmd.Flags().StringVar(&capText, "cap", "", "most the session key may spend in total, in tokens (required)")
	cmd.Flags().DurationVar(&expires, "expires", 24*time.Hour, "how long the session key stays valid")
	return cmd
}

func newWalletPendingCmd(g *globals) *cobra.Command {
	var (
		chain  *walletChain
		noWait bool
	)
	cmd := &cobra.Command{
		Use:   "pending",
		Short: "Wait for the wallet's transactions still in flight (sent before a crash or a timeout) and report them",
		Long: "Every send journals its signed transaction in <home>/wallet/pending/ until it is confirmed. If a\n" +
			"command died or timed out meanwhile, the next send waits for that transaction first (sending it\n" +
			"again if the node lost it) so two transactions never fight over one nonce. This command does the\n" +
			"same without sending anything new; --no-wait only lists where each stands.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			addr, err := walletAddressArg(g, nil)
			if err != nil {
				return err
			}
			w, err := chain.connect(cmd, g)
			if err != nil {
				return err
			}
			defer w.Close()
			var txs []chainwallet.PendingTx
			if noWait {
				txs, err = w.Pending(cmd.Context(), addr)
			} else {
				txs, err = w.Settle(cmd.Context(), addr)
			}
			if perr := printPending(cmd, g, addr, txs); err == nil {
				err = perr
			}
			return err
		},
	}
	chain = addWalletSendFlags(cmd)
	cmd.Flags().BoolVar(&noWait, "no-wait", false, "only list the transactions in flight and where each stands")
	return cmd
}

// pendingWords says what a transaction's state means for the user.
var pendingWords = map[chainwallet.TxState]string{
	chainwallet.TxInPool:    "waiting in the node's pool",
	chainwallet.TxMined:     "mined, awaiting confirmations",
	chainwallet.TxLost:      "unknown to the node; the next send sends it again",
	chainwallet.TxConfirmed: "confirmed",
	chainwallet.TxReverted:  "mined but reverted by the contract",
	chainwallet.TxReplaced:  "replaced: another transaction used its nonce",
	chainwallet.TxDropped:   "dropped: the node refused it again, its nonce is free",
}

func printPending(cmd *cobra.Command, g *globals, addr common.Address, txs []chainwallet.PendingTx) error {
	if txs == nil {
		txs = []chainwallet.PendingTx{}
	}
	out := cmd.OutOrStdout()
	if g.json {
		return writeWalletJSON(out, map[string]any{"address": addr, "transactions": txs})
	}
	if len(txs) == 0 {
		_, err := fmt.Fprintf(out, "no transactions of %s in flight\n", addr.Hex())
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, p := range txs {
		state := pendingWords[p.State]
		if p.Block != 0 {
			state += fmt.Sprintf(" (block %d)", p.Block)
		}
		if p.Reason != "" {
			state += ": " + p.Reason
		}
		fmt.Fprintf(tw, "nonce %d\t%s\t%s\t%s\n", p.Nonce, p.Hash.Hex(), p.What, state)
	}
	return tw.Flush()
}

// walletResult prints a sending command's outcome as JSON or as a line.
func walletResult(cmd *cobra.Command, g *globals, j any, format string, args ...any) error {
	if g.json {
		return writeWalletJSON(cmd.OutOrStdout(), j)
	}
	_, err := fmt.Fprintf(cmd.OutOrStdout(), format, args...)
	return err
}

// writeWalletJSON is printJSON for a command's own writer, so tests can
// capture the output without swapping os.Stdout.
func writeWalletJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// marketSessionKey asks the market which key signs its vouchers, so that a
// consumer can authorise it without copying an address.
func marketSessionKey(ctx context.Context, g *globals) (string, error) {
	c, err := g.client()
	if err != nil {
		return "", err
	}
	info, err := c.Settlement(ctx)
	if err != nil {
		if bonfire.Code(err) == bonfire.ECodeNotFound {
			return "", bonfire.Errorf(bonfire.ECodeInvalid, "the market runs without payments, so it has no session key").
				WithField("session").WithHint("give the session key's address, or start the market with a chain")
		}
		return "", err
	}
	return string(info.SessionKey), nil
}
