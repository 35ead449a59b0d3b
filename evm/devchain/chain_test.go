package devchain

import (
	"context"
	"errors"
	"math/big"
	"net"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
)

func TestStartDeploysFundsAndServesHTTP(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	// The requested port is taken: Start must pick another, not fail.
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	user := common.HexToAddress("0x00000000000000000000000000000000000b0b01")
	dir := t.TempDir()
	c, err := Start(ctx, Config{DataDir: dir, HTTPAddr: taken.Addr().String(), Fund: []common.Address{user}})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer c.Close()

	if c.RPCURL() == "http://"+taken.Addr().String() || !strings.HasPrefix(c.RPCURL(), "http://127.0.0.1:") {
		t.Errorf("RPCURL = %s, want another loopback port than the taken %s", c.RPCURL(), taken.Addr())
	}
	if got := c.ChainID().Uint64(); got != DefaultChainID {
		t.Errorf("chain id = %d, want %d", got, DefaultChainID)
	}

	d := c.Deployment()
	saved, err := ReadDeployment(dir)
	if err != nil {
		t.Fatalf("ReadDeployment: %v", err)
	}
	if !reflect.DeepEqual(saved, d) {
		t.Errorf("deployments.json = %+v, want %+v", saved, d)
	}
	if d.ChainID != DefaultChainID || !d.TestToken || d.Arbiter != c.DevAddress() || d.WithdrawDelay.D() != DefaultDelay {
		t.Errorf("deployment = %+v, want chain %d, a test token, the dev key as arbiter, %s delays", d, DefaultChainID, DefaultDelay)
	}
	requireDeployed(t, ctx, c, d)

	eth, tokens := balances(t, ctx, c, user)
	if eth.Cmp(DefaultFundETH) != 0 || tokens.Cmp(DefaultFundTokens) != 0 {
		t.Errorf("funded account has %s wei and %s tUSD units, want %s and %s", eth, tokens, DefaultFundETH, DefaultFundTokens)
	}

	// Plain HTTP, as a wallet or cast would talk to it.
	if id := rpcUint(t, c.RPCURL(), "eth_chainId"); id.Uint64() != DefaultChainID {
		t.Errorf("eth_chainId = %s, want %d", id, DefaultChainID)
	}
	if n := rpcUint(t, c.RPCURL(), "eth_blockNumber"); n.Uint64() < d.Block {
		t.Errorf("eth_blockNumber = %s, want at least the deployment block %d", n, d.Block)
	}
	if bal := rpcUint(t, c.RPCURL(), "eth_getBalance", user, "latest"); bal.Cmp(DefaultFundETH) != 0 {
		t.Errorf("eth_getBalance over HTTP = %s, want %s", bal, DefaultFundETH)
	}
}

func TestContractsWorkThroughBackend(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	// More tUSD than one faucet call may mint, and no ether.
	whale := common.HexToAddress("0x00000000000000000000000000000000000b0b06")
	many := big.NewInt(2_500_000 * tokenUnit)
	c, err := Start(ctx, Config{DataDir: t.TempDir(), HTTPAddr: "127.0.0.1:0",
		Fund: []common.Address{whale}, FundETH: new(big.Int), FundTokens: many})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer c.Close()
	if eth, tokens := balances(t, ctx, c, whale); eth.Sign() != 0 || tokens.Cmp(many) != 0 {
		t.Errorf("whale has %s wei, %s tUSD units, want 0 and %s", eth, tokens, many)
	}

	contracts, err := c.Deployment().Bind(c.Backend())
	if err != nil {
		t.Fatal(err)
	}
	// A deposit into escrow: approve, then deposit, each mined before the
	// send returns, so the second sees the first's effect.
	amount := big.NewInt(5 * tokenUnit)
	opts := c.Auth()
	opts.Context = ctx
	for _, send := range []func() error{
		func() error { _, err := contracts.Token.Faucet(opts, c.DevAddress(), amount); return err },
		func() error { _, err := contracts.Token.Approve(opts, c.Deployment().Escrow, amount); return err },
		func() error { _, err := contracts.Escrow.Deposit(opts, amount); return err },
	} {
		if err := send(); err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	held, err := contracts.Token.BalanceOf(&bind.CallOpts{Context: ctx}, c.Deployment().Escrow)
	if err != nil {
		t.Fatal(err)
	}
	if held.Cmp(amount) != 0 {
		t.Errorf("escrow holds %s, want %s", held, amount)
	}
}

func TestRestartKeepsState(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	dir := t.TempDir()
	user := common.HexToAddress("0x00000000000000000000000000000000000b0b02")
	payee := common.HexToAddress("0x00000000000000000000000000000000000b0b03")

	c := startTest(t, dir, user)
	block, err := transfer(ctx, c, payee, 12345)
	if err != nil {
		t.Fatalf("transfer: %v", err)
	}
	before, dev, deployment := c.DataDir(), c.DevAddress(), *c.Deployment()
	if err := c.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	// A chain id that disagrees with the chain's is refused, and the
	// refusal releases the directory.
	_, err = Start(ctx, Config{DataDir: dir, HTTPAddr: "127.0.0.1:0", ChainID: 5})
	if bonfire.Code(err) != bonfire.ECodeConflict || !strings.Contains(err.Error(), "chain id 1337") {
		t.Errorf("Start with chain id 5 on a 1337 chain: %v, want a conflict naming 1337", err)
	}

	c2 := startTest(t, dir, user, payee)
	if c2.DataDir() != before || c2.DevAddress() != dev {
		t.Errorf("dev key changed across restart: %s, was %s", c2.DevAddress(), dev)
	}
	if !reflect.DeepEqual(*c2.Deployment(), deployment) {
		t.Errorf("deployment changed across restart: %+v, was %+v", c2.Deployment(), deployment)
	}
	requireDeployed(t, ctx, c2, c2.Deployment())
	head, err := c2.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if head < block {
		t.Errorf("head after restart = %d, want at least %d", head, block)
	}
	// user was funded by the first start and is not funded again; payee is
	// new to the Fund list and is funded on top of its transfer.
	eth, tokens := balances(t, ctx, c2, user)
	if eth.Cmp(DefaultFundETH) != 0 || tokens.Cmp(DefaultFundTokens) != 0 {
		t.Errorf("user has %s wei, %s tUSD units after restart, want exactly one funding", eth, tokens)
	}
	eth, tokens = balances(t, ctx, c2, payee)
	wantETH := new(big.Int).Add(DefaultFundETH, big.NewInt(12345))
	if eth.Cmp(wantETH) != 0 || tokens.Cmp(DefaultFundTokens) != 0 {
		t.Errorf("payee has %s wei, %s tUSD units, want %s and %s", eth, tokens, wantETH, DefaultFundTokens)
	}
	// The chain still mines after a restart.
	if _, err := transfer(ctx, c2, payee, 1); err != nil {
		t.Errorf("transfer after restart: %v", err)
	}
}

func TestSecondStartOnSameDirFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := startTest(t, dir)
	done := make(chan error, 1)
	go func() {
		c2, err := Start(context.Background(), Config{DataDir: dir, HTTPAddr: "127.0.0.1:0"})
		if err == nil {
			c2.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		var be *bonfire.Error
		if !errors.As(err, &be) || be.Code != bonfire.ECodeConflict || !strings.Contains(be.Message, "already running") {
			t.Fatalf("second Start: %v, want a conflict saying the chain is already running", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("second Start on a directory in use hangs")
	}
	// The first chain is unharmed.
	if _, err := c.Client().BlockNumber(context.Background()); err != nil {
		t.Errorf("first chain after the refused second start: %v", err)
	}
}

func TestConfigProblems(t *testing.T) {
	t.Parallel()
	_, err := Start(context.Background(), Config{
		HTTPAddr:   "nonsense",
		FundETH:    big.NewInt(-1),
		FundTokens: big.NewInt(-1),
		Params:     &evm.Params{Token: common.HexToAddress("0x01")},
	})
	var es bonfire.Errors
	if !errors.As(err, &es) {
		t.Fatalf("Start with a bad config: %v, want bonfire.Errors", err)
	}
	fields := map[string]bool{}
	for _, e := range es {
		fields[e.Field] = true
		if e.Code != bonfire.ECodeInvalid || e.Hint == "" {
			t.Errorf("problem %v: want code invalid with a hint", e)
		}
	}
	for _, f := range []string{"dataDir", "httpAddr", "fundETH", "fundTokens", "params.token"} {
		if !fields[f] {
			t.Errorf("no problem reported for %s (got %v)", f, es)
		}
	}
}

func TestChainWithoutItsKeyIsRefused(t *testing.T) {
	t.Parallel()
	l := Layout(t.TempDir())
	if err := saveGenesis(l, newGenesis(DefaultChainID, common.HexToAddress("0x0d"))); err != nil {
		t.Fatal(err)
	}
	_, _, err := loadOrCreateDevKey(l)
	if bonfire.Code(err) != bonfire.ECodeConflict || !strings.Contains(err.Error(), "dev key") {
		t.Fatalf("loadOrCreateDevKey with a genesis but no key: %v, want a conflict about the dev key", err)
	}
	if _, err := os.Stat(l.DevKey()); err == nil {
		t.Error("a new dev key was written next to a chain that funded another")
	}
}

func TestDevKeyRoundTrips(t *testing.T) {
	t.Parallel()
	l := Layout(t.TempDir())
	k1, created, err := loadOrCreateDevKey(l)
	if err != nil || !created {
		t.Fatalf("first load: created=%v err=%v, want a new key", created, err)
	}
	k2, created, err := loadOrCreateDevKey(l)
	if err != nil || created {
		t.Fatalf("second load: created=%v err=%v, want the saved key", created, err)
	}
	if !k1.Equal(k2) {
		t.Error("the saved dev key differs from the one created")
	}
}
