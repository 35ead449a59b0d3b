package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/chainwallet"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/devchain"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/ethereum/go-ethereum/common"
)

// wantFlagError checks that err is a *bonfire.Error (or a list holding one)
// about flag, with a hint.
func wantFlagError(t *testing.T, what string, err error, code bonfire.ErrorCode, flag string) {
	t.Helper()
	var list bonfire.Errors
	var one *bonfire.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = bonfire.Errors{one}
	default:
		t.Fatalf("%s: got %v, want a *bonfire.Error about --%s", what, err, flag)
	}
	for _, e := range list {
		if e.Code == code && e.Field == flag && e.Hint != "" {
			return
		}
	}
	t.Fatalf("%s: got %v, want a %s error about --%s with a hint", what, err, code, flag)
}

func TestContractsDeployFlagErrors(t *testing.T) {
	t.Parallel()
	ctx := walletTestContext(t)
	home := t.TempDir()
	run := func(args ...string) error {
		_, err := runBonfire(ctx, t, home, "", append([]string{"contracts", "deploy"}, args...)...)
		return err
	}
	err := run()
	wantFlagError(t, "deploy without flags", err, bonfire.ECodeInvalid, "chain-rpc")
	wantFlagError(t, "deploy without flags", err, bonfire.ECodeInvalid, "key")

	base := []string{"--chain-rpc", "http://127.0.0.1:1", "--key", filepath.Join(home, "key.json")}
	for _, c := range []struct {
		flag string
		args []string
	}{
		{"fee-bps", []string{"--fee-bps", "2000", "--fee-recipient", "0x00000000000000000000000000000000000000f1"}},
		{"fee-recipient", []string{"--fee-bps", "5"}},
		{"token", []string{"--token", "0x1234"}},
		{"test-token", []string{"--token", "0x00000000000000000000000000000000000000f1", "--test-token"}},
		{"arbiter", []string{"--arbiter", "0x0000000000000000000000000000000000000000"}},
		{"withdraw-delay", []string{"--withdraw-delay", "1500ms"}},
		{"unstake-delay", []string{"--unstake-delay", "-1h"}},
		{"confirmations", []string{"--confirmations", "0"}},
		{"out", []string{"--out", ""}},
		{"fee-bps", []string{"--fee-bps", "lots"}}, // rejected by the flag parser itself
	} {
		wantFlagError(t, strings.Join(c.args, " "), run(append(base, c.args...)...), bonfire.ECodeInvalid, c.flag)
	}
	// All flags fine, but no key file there: the error names --key.
	wantFlagError(t, "a missing key file", run(base...), bonfire.ECodeNotFound, "key")
}

func TestContractsDeployOnAnotherChainThenWallet(t *testing.T) {
	t.Parallel()
	ctx := walletTestContext(t)
	home, dir := t.TempDir(), t.TempDir()

	// The deploying key is a keystore with a passphrase; the same account is
	// the home's wallet (empty passphrase, as tests cannot set the variable).
	key, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	me := common.HexToAddress(string(key.Address()))
	keyFile, passFile := filepath.Join(dir, "deployer.json"), filepath.Join(dir, "pass")
	if err := key.Save(keyFile, "s3cret", true); err != nil {
		t.Fatal(err)
	}
	if err := key.Save(localnet.Home(home).WalletKey(), "", true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(passFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The root's --token (the API token) set in config.yaml must not be
	// taken for a token address.
	if err := os.WriteFile(filepath.Join(home, "config.yaml"), []byte("token: api-token-not-an-address\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// "Another chain": a dev chain of its own, reached only by its URL.
	chain, err := devchain.Start(ctx, devchain.Config{
		DataDir: filepath.Join(dir, "other-chain"), HTTPAddr: "127.0.0.1:0", Fund: []common.Address{me},
	})
	if err != nil {
		t.Fatalf("devchain.Start: %v", err)
	}
	t.Cleanup(func() { chain.Close() })
	rpc := chain.RPCURL()
	out := filepath.Join(dir, "deployments.json")
	deploy := []string{"contracts", "deploy", "--chain-rpc", rpc, "--key", keyFile, "--password-file", passFile, "--out", out}

	wrongPass := filepath.Join(dir, "wrong")
	if err := os.WriteFile(wrongPass, []byte("nope"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = runBonfire(ctx, t, home, "", "contracts", "deploy", "--chain-rpc", rpc, "--key", keyFile, "--password-file", wrongPass, "--out", out)
	wantFlagError(t, "deploying with the wrong passphrase", err, bonfire.ECodeUnauthorized, "password-file")

	printed, err := runBonfire(ctx, t, home, "", append(deploy, "--withdraw-delay", "1h")...)
	if err != nil {
		t.Fatalf("contracts deploy: %v", err)
	}
	if !strings.Contains(printed, "no --token was given") || !strings.Contains(printed, "testing only") || !strings.Contains(printed, "wrote "+out) {
		t.Fatalf("contracts deploy printed %q; want the test-token notice and the file written", printed)
	}
	first, err := chainwallet.ReadDeploymentFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !first.TestToken || first.ChainID != devchain.DefaultChainID || first.Escrow == chain.Deployment().Escrow ||
		first.WithdrawDelay != bonfire.Duration(time.Hour) || first.Arbiter != me || !strings.Contains(printed, first.Escrow.Hex()) {
		t.Fatalf("deployment %+v: want a fresh test-token deployment on chain 1337, 1h delay, the deployer as arbiter, escrow printed", first)
	}

	_, err = runBonfire(ctx, t, home, "", deploy...)
	wantFlagError(t, "deploying over an existing file", err, bonfire.ECodeConflict, "out")
	if again, _ := chainwallet.ReadDeploymentFile(out); again == nil || *again != *first {
		t.Fatalf("the refused deployment changed the file: %+v", again)
	}

	// --force replaces it; this one keeps the first deployment's token.
	printed, err = runBonfire(ctx, t, home, "", append(deploy, "--force", "--token", first.Token.Hex(), "--json")...)
	if err != nil {
		t.Fatalf("contracts deploy --force --token: %v", err)
	}
	var j struct {
		File       string         `json:"file"`
		Deployment evm.Deployment `json:"deployment"`
	}
	if err := json.Unmarshal([]byte(printed), &j); err != nil {
		t.Fatalf("contracts deploy --json printed %q: %v", printed, err)
	}
	second, err := chainwallet.ReadDeploymentFile(out)
	if err != nil || *second != j.Deployment || second.TestToken || second.Token != first.Token || second.Escrow == first.Escrow || j.File != out {
		t.Fatalf("after --force the file holds %+v (%v), printed %+v; want the new deployment on the first token", second, err, j)
	}

	// The wallet works on that chain through the URL and the file. The
	// faucet is the first deployment's test token (the second does not know
	// it is one), so mint with the first file.
	firstFile := filepath.Join(dir, "first.json")
	if err := chainwallet.WriteDeploymentFile(firstFile, first, false); err != nil {
		t.Fatal(err)
	}
	flags := []string{"--chain-rpc", rpc, "--deployments", out}
	if printed, err := runBonfire(ctx, t, home, "", "wallet", "faucet", "50", "--chain-rpc", rpc, "--deployments", firstFile); err != nil ||
		!strings.Contains(printed, "minted 50 tUSD") {
		t.Fatalf("wallet faucet: %q, %v", printed, err)
	}
	_, err = runBonfire(ctx, t, home, "", append([]string{"wallet", "faucet", "1"}, flags...)...)
	wantFlagError(t, "faucet on a deployment without a test token", err, bonfire.ECodeForbidden, "")
	if printed, err := runBonfire(ctx, t, home, "", append([]string{"wallet", "deposit", "20", "--confirmations", "1"}, flags...)...); err != nil ||
		!strings.Contains(printed, "deposited 20 tUSD; the escrow holds 20 tUSD") {
		t.Fatalf("wallet deposit: %q, %v", printed, err)
	}
	_, err = runBonfire(ctx, t, home, "", append([]string{"wallet", "deposit", "1", "--confirmations", "0"}, flags...)...)
	wantFlagError(t, "--confirmations 0", err, bonfire.ECodeInvalid, "confirmations")

	printed, err = runBonfire(ctx, t, home, "", append([]string{"wallet", "balance", "--json"}, flags...)...)
	if err != nil {
		t.Fatalf("wallet balance: %v", err)
	}
	var b walletBalanceJSON
	if err := json.Unmarshal([]byte(printed), &b); err != nil {
		t.Fatalf("wallet balance --json printed %q: %v", printed, err)
	}
	if b.Address != me || b.ChainID != devchain.DefaultChainID || b.TokenBalance.Units != "30" || b.Escrow.Units != "20" {
		t.Fatalf("balance %+v, want 30 tUSD held and 20 in the new escrow", b)
	}
	if printed, err := runBonfire(ctx, t, home, "", append([]string{"wallet", "pending"}, flags...)...); err != nil || !strings.Contains(printed, "no transactions") {
		t.Fatalf("wallet pending: %q, %v", printed, err)
	}

	// contracts show checks the code behind each address.
	printed, err = runBonfire(ctx, t, home, "", "contracts", "show", "--json", "--chain-rpc", rpc, "--deployments", out)
	if err != nil {
		t.Fatalf("contracts show: %v", err)
	}
	var shown struct {
		Contracts []chainwallet.ContractCode `json:"contracts"`
	}
	if err := json.Unmarshal([]byte(printed), &shown); err != nil || len(shown.Contracts) != 3 {
		t.Fatalf("contracts show --json printed %q (%v)", printed, err)
	}
	for _, c := range shown.Contracts {
		if c.CodeSize == 0 {
			t.Fatalf("contracts show: no code at %+v", c)
		}
	}
	stale := *second
	stale.Stake = common.HexToAddress("0x00000000000000000000000000000000000057a1")
	staleFile := filepath.Join(dir, "stale.json")
	if err := chainwallet.WriteDeploymentFile(staleFile, &stale, false); err != nil {
		t.Fatal(err)
	}
	printed, err = runBonfire(ctx, t, home, "", "contracts", "show", "--chain-rpc", rpc, "--deployments", staleFile)
	wantFlagError(t, "contracts show of a stale file", err, bonfire.ECodeNotFound, "deployments")
	if !strings.Contains(printed, stale.Stake.Hex()) || !strings.Contains(printed, "missing") || !strings.Contains(printed, "ok,") {
		t.Fatalf("contracts show of a stale file printed %q; want the missing stake marked", printed)
	}
}
