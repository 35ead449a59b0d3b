package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/chainwallet"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"
)

// defaultContractDelay is the withdrawal and unstake delay of a deployment
// made by `contracts deploy`: a day gives payees and the arbiter time to act
// on a public chain, where the dev chain's ten minutes would not.
const defaultContractDelay = 24 * time.Hour

func newContractsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "contracts",
		Short: "Deploy Bonfire's settlement contracts on any EVM chain, and check a deployment",
		Long: "`bonfire up` deploys the contracts on its own dev chain. To settle on another chain, deploy\n" +
			"them there with `contracts deploy`, then pass --chain-rpc and --deployments to the wallet\n" +
			"commands. See docs/chains.md.",
	}
	// A mistyped flag value is reported like every other bad input: as a
	// *bonfire.Error naming the flag.
	cmd.SetFlagErrorFunc(flagError)
	cmd.AddCommand(newContractsDeployCmd(g), newContractsShowCmd(g))
	return cmd
}

// flagName finds the flag a pflag parse error is about.
var flagName = regexp.MustCompile(`(?:for|flag:?) "?--?([a-z][a-z0-9-]*)`)

func flagError(cmd *cobra.Command, err error) error {
	be := bonfire.Errorf(bonfire.ECodeInvalid, "%v", err).WithHint("see `" + cmd.CommandPath() + " --help`")
	if m := flagName.FindStringSubmatch(err.Error()); m != nil {
		be.Field = m[1]
	}
	return be
}

// deployFlags are `contracts deploy`'s flags.
type deployFlags struct {
	rpc           string
	keyFile       string
	passwordFile  string
	token         string
	testToken     bool
	feeBps        int
	feeRecipient  string
	withdrawDelay time.Duration
	unstakeDelay  time.Duration
	arbiter       string
	out           string
	confirmations int
	force         bool
}

func newContractsDeployCmd(g *globals) *cobra.Command {
	f := &deployFlags{}
	cmd := &cobra.Command{
		Use:   "deploy --chain-rpc URL --key KEYSTORE_FILE [--token ADDRESS | --test-token] [--out deployments.json]",
		Short: "Deploy the escrow and stake contracts (and a test token when asked) and write the deployments file",
		Long: "Deploys BonfireEscrow and ProviderStake from the --key account, waits for --confirmations,\n" +
			"and writes the deployments file the wallet and market read. Without --token it also deploys\n" +
			"TestStablecoin (tUSD), a token anyone can mint: fine for a testnet, worthless for real payments.\n" +
			"The key's passphrase comes from --password-file, else BONFIRE_PASSPHRASE.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The root's --token is the market API token and is filled from
			// BONFIRE_TOKEN and config.yaml; only a --token typed here is a
			// token address.
			if !cmd.Flags().Changed("token") {
				f.token = ""
			}
			return runContractsDeploy(cmd, g, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.rpc, "chain-rpc", "", "JSON-RPC URL of the chain to deploy on (required)")
	fl.StringVar(&f.keyFile, "key", "", "keystore v3 file of the deploying account, which pays the gas (required)")
	fl.StringVar(&f.passwordFile, "password-file", "", "file holding the key's passphrase (default: BONFIRE_PASSPHRASE)")
	fl.StringVar(&f.token, "token", "", "address of the ERC-20 token payments settle in (default: deploy a test token)")
	fl.BoolVar(&f.testToken, "test-token", false, "deploy TestStablecoin (tUSD, open faucet) as the token")
	fl.IntVar(&f.feeBps, "fee-bps", 0, fmt.Sprintf("protocol fee in basis points, 0 to %d", evm.MaxFeeBps))
	fl.StringVar(&f.feeRecipient, "fee-recipient", "", "address that receives the protocol fee (required with --fee-bps)")
	fl.DurationVar(&f.withdrawDelay, "withdraw-delay", defaultContractDelay, "how long a payer waits to withdraw from the escrow: the window payees have to claim")
	fl.DurationVar(&f.unstakeDelay, "unstake-delay", defaultContractDelay, "how long a provider waits to take its stake out: the window the arbiter has to slash")
	fl.StringVar(&f.arbiter, "arbiter", "", "address allowed to slash provider stakes (default: the deploying account)")
	fl.StringVar(&f.out, "out", "deployments.json", "deployments file to write")
	fl.IntVar(&f.confirmations, "confirmations", 1, confirmationsHelp)
	fl.BoolVar(&f.force, "force", false, "replace an existing --out file")
	return cmd
}

// params checks the flags that need no chain and returns the deployment
// parameters, every problem at once. The arbiter defaults to deployer.
func (f *deployFlags) params(deployer common.Address) (evm.Params, error) {
	var es bonfire.Errors
	bad := func(field, hint, format string, args ...any) {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, format, args...).WithField(field).WithHint(hint))
	}
	address := func(flag, text string) common.Address {
		if text == "" {
			return common.Address{}
		}
		if !common.IsHexAddress(text) {
			bad(flag, "give 0x followed by 40 hex digits", "--%s %q is not an Ethereum address", flag, text)
			return common.Address{}
		}
		a := common.HexToAddress(text)
		if a == (common.Address{}) {
			bad(flag, "give a real address, not the zero address", "--%s is the zero address", flag)
		}
		return a
	}
	p := evm.Params{
		Token:         address("token", f.token),
		FeeRecipient:  address("fee-recipient", f.feeRecipient),
		Arbiter:       address("arbiter", f.arbiter),
		WithdrawDelay: f.withdrawDelay,
		UnstakeDelay:  f.unstakeDelay,
	}
	if f.arbiter == "" {
		p.Arbiter = deployer
	}
	if f.token != "" && f.testToken {
		bad("test-token", "give either --token ADDRESS for a real token or --test-token, not both",
			"--test-token deploys a new token, but --token names one")
	}
	if f.feeBps < 0 || f.feeBps > evm.MaxFeeBps {
		bad("fee-bps", fmt.Sprintf("give 0 to %d (%d%%)", evm.MaxFeeBps, evm.MaxFeeBps/100), "--fee-bps %d is outside 0..%d", f.feeBps, evm.MaxFeeBps)
	} else {
		p.FeeBps = uint16(f.feeBps)
	}
	if f.feeBps > 0 && f.feeRecipient == "" {
		bad("fee-recipient", "give --fee-recipient ADDRESS, or drop --fee-bps", "--fee-bps %d is set but nobody receives the fee", f.feeBps)
	}
	for _, d := range []struct {
		flag string
		v    time.Duration
	}{{"withdraw-delay", f.withdrawDelay}, {"unstake-delay", f.unstakeDelay}} {
		if d.v < 0 || d.v%time.Second != 0 {
			bad(d.flag, `write a whole number of seconds or more, like "24h" or "90s"`, "--%s %s is not a non-negative whole number of seconds", d.flag, d.v)
		}
	}
	if err := checkConfirmations(f.confirmations); err != nil {
		es = append(es, err)
	}
	return p, es.Err()
}

func runContractsDeploy(cmd *cobra.Command, g *globals, f *deployFlags) error {
	var es bonfire.Errors
	if f.rpc == "" {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "no --chain-rpc given").WithField("chain-rpc").
			WithHint(`give the URL of the chain's JSON-RPC endpoint, like --chain-rpc https://sepolia.example.org`))
	}
	if f.keyFile == "" {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "no --key given").WithField("key").
			WithHint("give the keystore file of an account with ether for gas, like --key ~/.bonfire/wallet/key.json"))
	}
	if f.out == "" {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "--out is empty").WithField("out").
			WithHint("give the deployments file to write, like --out deployments.json"))
	}
	if _, err := f.params(common.Address{1}); err != nil {
		es = append(es, err.(bonfire.Errors)...)
	}
	if err := es.Err(); err != nil {
		return err
	}
	// Refuse before spending gas on contracts whose addresses could not be
	// recorded.
	if err := chainwallet.CheckDeploymentFileWritable(f.out, f.force); err != nil {
		return err
	}
	key, err := loadDeployKey(f.keyFile, f.passwordFile)
	if err != nil {
		return err
	}
	deployer := common.HexToAddress(string(key.Address()))
	p, err := f.params(deployer)
	if err != nil {
		return err
	}
	dep, err := chainwallet.Deploy(cmd.Context(), f.rpc, key, p, uint64(f.confirmations))
	if err != nil {
		return deployFlagError(err)
	}
	if err := chainwallet.WriteDeploymentFile(f.out, dep, f.force); err != nil {
		// The contracts exist and cost gas: whatever went wrong with the
		// file, the addresses must not be lost.
		var be *bonfire.Error
		if errors.As(err, &be) {
			be.Hint += "; the deployment was: " + deploymentOneLine(dep)
		}
		return err
	}
	out := cmd.OutOrStdout()
	if g.json {
		return writeWalletJSON(out, map[string]any{"file": f.out, "chainRpc": f.rpc, "deployment": dep})
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "chain\t%d at %s, from %s\n", dep.ChainID, f.rpc, deployer.Hex())
	if dep.TestToken {
		fmt.Fprintf(tw, "token\t%s\tTestStablecoin tUSD, deployed because no --token was given: anyone can mint it, so use it for testing only\n", dep.Token.Hex())
	} else {
		fmt.Fprintf(tw, "token\t%s\n", dep.Token.Hex())
	}
	fmt.Fprintf(tw, "escrow\t%s\tfee %d bps, withdraw delay %s\n", dep.Escrow.Hex(), dep.FeeBps, time.Duration(dep.WithdrawDelay))
	fmt.Fprintf(tw, "stake\t%s\tunstake delay %s, arbiter %s\n", dep.Stake.Hex(), time.Duration(dep.UnstakeDelay), dep.Arbiter.Hex())
	fmt.Fprintf(tw, "block\t%d, waited for %d confirmation(s)\n", dep.Block, f.confirmations)
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "wrote %s; use it with --chain-rpc %s --deployments %s\n", f.out, f.rpc, f.out)
	return err
}

// loadDeployKey decrypts the keystore with the passphrase in passwordFile,
// or BONFIRE_PASSPHRASE when none is given.
func loadDeployKey(keyFile, passwordFile string) (*identity.Key, error) {
	pass := identity.Passphrase()
	if passwordFile != "" {
		b, err := os.ReadFile(passwordFile)
		if err != nil {
			return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot read --password-file: %v", err).
				WithField("password-file").WithHint("give a readable file holding the key's passphrase")
		}
		// Editors end files with a newline that is not part of the passphrase.
		pass = strings.TrimRight(string(b), "\r\n")
	}
	key, err := identity.Load(keyFile, pass)
	var be *bonfire.Error
	if errors.As(err, &be) {
		be.Field = "key"
		switch {
		case be.Code == bonfire.ECodeNotFound:
			be.Hint = "give the path of an Ethereum keystore file (geth, clef, `bonfire wallet new` write them)"
		case be.Code == bonfire.ECodeUnauthorized && passwordFile != "":
			be.Field = "password-file"
			be.Hint = "put the passphrase the key was saved with in --password-file"
		}
	}
	return key, err
}

// deployFlagError names the flag behind an error from chainwallet.Deploy,
// whose fields are the library's names.
func deployFlagError(err error) error {
	flags := map[string]string{"chainRPC": "chain-rpc", "feeBps": "fee-bps", "feeRecipient": "fee-recipient",
		"withdrawDelay": "withdraw-delay", "unstakeDelay": "unstake-delay"}
	rename := func(e *bonfire.Error) {
		if f, ok := flags[e.Field]; ok {
			e.Field = f
		}
	}
	var list bonfire.Errors
	var one *bonfire.Error
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			rename(e)
		}
	case errors.As(err, &one):
		rename(one)
	}
	return err
}

func deploymentOneLine(d *evm.Deployment) string {
	return fmt.Sprintf("chainId %d token %s escrow %s stake %s block %d", d.ChainID, d.Token.Hex(), d.Escrow.Hex(), d.Stake.Hex(), d.Block)
}

func newContractsShowCmd(g *globals) *cobra.Command {
	var chain *walletChain
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print a deployments file and check that the chain has code at each of its addresses",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path := chain.resolve(g)
			dep, err := chainwallet.ReadDeploymentFile(path)
			if err != nil {
				return err
			}
			checks, checkErr := chainwallet.CheckDeployment(cmd.Context(), chain.rpc, dep)
			if checkErr != nil {
				checkErr = deployFlagError(checkErr)
			}
			if err := printDeployment(cmd.OutOrStdout(), g, path, chain.rpc, dep, checks); err != nil {
				return err
			}
			if checkErr != nil {
				return checkErr
			}
			for _, c := range checks {
				if c.CodeSize == 0 {
					return bonfire.Errorf(bonfire.ECodeNotFound, "there is no %s contract at %s on the chain at %s", c.Name, c.Address.Hex(), chain.rpc).
						WithField("deployments").WithHint("the chain was reset or the file is for another chain: pass the right --chain-rpc, or deploy again with `bonfire contracts deploy`")
				}
			}
			return nil
		},
	}
	chain = addWalletChainFlags(cmd)
	return cmd
}

// printDeployment shows d and, when the chain answered, the code found at
// each contract.
func printDeployment(out io.Writer, g *globals, path, rpc string, d *evm.Deployment, checks []chainwallet.ContractCode) error {
	if g.json {
		return writeWalletJSON(out, map[string]any{"file": path, "chainRpc": rpc, "deployment": d, "contracts": checks})
	}
	code := map[string]string{}
	for _, c := range checks {
		code[c.Name] = "no code: missing"
		if c.CodeSize > 0 {
			code[c.Name] = fmt.Sprintf("ok, %d bytes of code", c.CodeSize)
		}
	}
	tokenNote := code["token"]
	if d.TestToken {
		tokenNote = strings.TrimPrefix(tokenNote+"; ", "; ") + "test token (open faucet)"
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "file\t%s\n", path)
	fmt.Fprintf(tw, "chain\t%d at %s\n", d.ChainID, rpc)
	fmt.Fprintf(tw, "token\t%s\t%s\n", d.Token.Hex(), tokenNote)
	fmt.Fprintf(tw, "escrow\t%s\t%s\n", d.Escrow.Hex(), code["escrow"])
	fmt.Fprintf(tw, "stake\t%s\t%s\n", d.Stake.Hex(), code["stake"])
	fmt.Fprintf(tw, "fee\t%d bps to %s\n", d.FeeBps, d.FeeRecipient.Hex())
	fmt.Fprintf(tw, "withdraw delay\t%s\n", time.Duration(d.WithdrawDelay))
	fmt.Fprintf(tw, "unstake delay\t%s\n", time.Duration(d.UnstakeDelay))
	fmt.Fprintf(tw, "arbiter\t%s\n", d.Arbiter.Hex())
	fmt.Fprintf(tw, "deployed by block\t%d\n", d.Block)
	return tw.Flush()
}
