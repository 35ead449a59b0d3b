package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm/devchain"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/ethereum/go-ethereum/common"
)

// runBonfire runs the CLI in-process with --home home and returns stdout.
func runBonfire(ctx context.Context, t *testing.T, home, stdin string, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(io.Discard)
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(append([]string{"--home", home}, args...))
	err := root.ExecuteContext(ctx)
	return out.String(), err
}

func walletTestContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestWalletNewAddressBalance(t *testing.T) {
	t.Parallel()
	ctx := walletTestContext(t)
	home := t.TempDir()

	_, err := runBonfire(ctx, t, home, "", "wallet", "address")
	if bonfire.Code(err) != bonfire.ECodeNotFound || !strings.Contains(err.Error(), "wallet new") {
		t.Fatalf("wallet address before new: %v, want not_found naming `wallet new`", err)
	}
	out, err := runBonfire(ctx, t, home, "", "wallet", "new")
	if err != nil {
		t.Fatalf("wallet new: %v", err)
	}
	if _, err := runBonfire(ctx, t, home, "", "wallet", "new"); bonfire.Code(err) != bonfire.ECodeConflict {
		t.Fatalf("second wallet new: %v, want conflict (never overwrite a key)", err)
	}
	printed, err := runBonfire(ctx, t, home, "", "wallet", "address")
	if err != nil {
		t.Fatalf("wallet address: %v", err)
	}
	addr := strings.TrimSpace(printed)
	if !common.IsHexAddress(addr) || !strings.Contains(out, addr) {
		t.Fatalf("wallet address printed %q; wallet new printed %q", printed, out)
	}

	chain, err := devchain.Start(ctx, devchain.Config{
		DataDir: filepath.Join(home, "chain"), HTTPAddr: "127.0.0.1:0", Fund: []common.Address{common.HexToAddress(addr)},
	})
	if err != nil {
		t.Fatalf("devchain.Start: %v", err)
	}
	t.Cleanup(func() { chain.Close() })
	rpc := "--chain-rpc=" + chain.RPCURL()

	if out, err := runBonfire(ctx, t, home, "", "wallet", "deposit", "2.5", rpc); err != nil || !strings.Contains(out, "deposited 2.5 tUSD") {
		t.Fatalf("wallet deposit 2.5: %q, %v", out, err)
	}
	_, err = runBonfire(ctx, t, home, "", "wallet", "withdraw", "complete", rpc)
	if bonfire.Code(err) != bonfire.ECodeNotFound || !strings.Contains(err.Error(), "withdraw request") {
		t.Fatalf("wallet withdraw complete with nothing requested: %v, want not_found naming `withdraw request`", err)
	}

	session := "0x00000000000000000000000000000000000000AA"
	if out, err := runBonfire(ctx, t, home, "", "wallet", "authorize", session, "--cap", "5", "--expires", "1h", rpc); err != nil ||
		!strings.Contains(out, "may spend up to 5 tUSD") {
		t.Fatalf("wallet authorize: %q, %v", out, err)
	}

	out, err = runBonfire(ctx, t, home, "", "wallet", "balance", "--json", rpc)
	if err != nil {
		t.Fatalf("wallet balance --json: %v", err)
	}
	var b walletBalanceJSON
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("wallet balance --json printed %q: %v", out, err)
	}
	if b.Address != common.HexToAddress(addr) || b.ChainID != devchain.DefaultChainID || b.Symbol != "tUSD" || b.Decimals != 6 {
		t.Fatalf("balance header %+v, want %s on chain %d in tUSD with 6 decimals", b, addr, devchain.DefaultChainID)
	}
	if b.TokenBalance.Units != "9997.5" || b.TokenBalance.BaseUnits != "9997500000" || b.Escrow.Units != "2.5" || b.PendingWithdrawal != nil {
		t.Fatalf("balance %+v, want 9997.5 tUSD held, 2.5 in escrow, nothing withdrawing", b)
	}
	// The account paid gas for the approval and the deposit out of 100 ether.
	if !strings.HasPrefix(b.ETH.Units, "99.99") {
		t.Fatalf("ether %q, want just under 100", b.ETH.Units)
	}

	// Without --chain-rpc, the URL comes from the running market's endpoints.
	endpoints, _ := json.Marshal(localnet.EndpointsInfo{API: "http://127.0.0.1:1", ChainRPC: chain.RPCURL()})
	if err := os.MkdirAll(filepath.Dir(localnet.Home(home).Endpoints()), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(localnet.Home(home).Endpoints(), endpoints, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = runBonfire(ctx, t, home, "", "wallet", "balance")
	if err != nil || !strings.Contains(out, "2.5 tUSD") || !strings.Contains(out, "9997.5 tUSD") || !strings.Contains(out, chain.RPCURL()) {
		t.Fatalf("wallet balance: %q, %v", out, err)
	}
}

func TestWalletImport(t *testing.T) {
	t.Parallel()
	ctx := walletTestContext(t)
	const hexKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	want, err := identity.FromHex(hexKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, stdin string
		args        []string
	}{
		{"argument", "", []string{"wallet", "import", hexKey}},
		{"stdin", hexKey + "\n", []string{"wallet", "import"}},
	} {
		home := t.TempDir()
		if _, err := runBonfire(ctx, t, home, c.stdin, c.args...); err != nil {
			t.Fatalf("%s: wallet import: %v", c.name, err)
		}
		out, err := runBonfire(ctx, t, home, "", "wallet", "address", "--json")
		if err != nil {
			t.Fatalf("%s: wallet address --json: %v", c.name, err)
		}
		var got struct{ Address string }
		if err := json.Unmarshal([]byte(out), &got); err != nil || got.Address != string(want.Address()) {
			t.Fatalf("%s: wallet address --json = %q (%v), want %s", c.name, out, err, want.Address())
		}
	}
	_, err = runBonfire(ctx, t, t.TempDir(), "", "wallet", "import", "0x1234")
	if bonfire.Code(err) != bonfire.ECodeInvalid || strings.Contains(err.Error(), "1234") {
		t.Fatalf("importing a short key: %v, want invalid without echoing the secret", err)
	}
}

func TestWalletChainCommandsExplainMissingDeployment(t *testing.T) {
	t.Parallel()
	ctx := walletTestContext(t)
	home := t.TempDir()
	if _, err := runBonfire(ctx, t, home, "", "wallet", "new"); err != nil {
		t.Fatal(err)
	}
	_, err := runBonfire(ctx, t, home, "", "wallet", "balance")
	if bonfire.Code(err) != bonfire.ECodeNotFound || !strings.Contains(err.Error(), filepath.Join(home, "chain", "deployments.json")) {
		t.Fatalf("wallet balance without a chain: %v, want not_found naming the deployment file", err)
	}
	_, err = runBonfire(ctx, t, home, "", "wallet", "authorize", "0x0000000000000000000000000000000000000001")
	if bonfire.Code(err) != bonfire.ECodeInvalid || !strings.Contains(err.Error(), "cap") {
		t.Fatalf("wallet authorize without --cap: %v, want invalid naming the cap", err)
	}
}
