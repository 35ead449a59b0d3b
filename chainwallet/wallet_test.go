package chainwallet

import (
	"context"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/devchain"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/ethereum/go-ethereum/common"
)

// tusd is n whole tUSD in base units.
func tusd(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1_000_000)) }

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// startChain starts a dev chain on a free port with a new funded key and
// connects a wallet to it over HTTP, as the CLI does.
func startChain(t *testing.T, params *evm.Params) (*Wallet, *identity.Key, *devchain.Chain) {
	t.Helper()
	key, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	chain, err := devchain.Start(ctx, devchain.Config{
		DataDir: t.TempDir(), HTTPAddr: "127.0.0.1:0", Params: params,
		Fund: []common.Address{addrOf(key)}, FundTokens: big.NewInt(0),
	})
	if err != nil {
		t.Fatalf("devchain.Start: %v", err)
	}
	t.Cleanup(func() { chain.Close() })
	w, err := Connect(ctx, chain.RPCURL(), chain.Deployment())
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(w.Close)
	return w, key, chain
}

func addrOf(k *identity.Key) common.Address { return common.HexToAddress(string(k.Address())) }

func wantBalance(t *testing.T, what string, got *big.Int, err error, want *big.Int) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if got.Cmp(want) != 0 {
		t.Fatalf("%s = %s, want %s", what, got, want)
	}
}

func wantCode(t *testing.T, what string, err error, code bonfire.ErrorCode, message string) *bonfire.Error {
	t.Helper()
	var be *bonfire.Error
	if !asError(err, &be) {
		t.Fatalf("%s: got %v, want a *bonfire.Error", what, err)
	}
	if be.Code != code || !strings.Contains(be.Message, message) || be.Hint == "" {
		t.Fatalf("%s: got %q (code %s, hint %q), want code %s, a hint and a message containing %q", what, be.Message, be.Code, be.Hint, code, message)
	}
	return be
}

func TestWalletFaucetDepositWithdrawEarlyAndSessionKey(t *testing.T) {
	t.Parallel()
	w, key, _ := startChain(t, nil) // devchain.DefaultDelay: a withdrawal cannot complete during the test
	ctx := testContext(t)
	me := addrOf(key)
	if w.Symbol() != "tUSD" || w.Decimals() != 6 {
		t.Fatalf("token is %q with %d decimals, want tUSD with 6", w.Symbol(), w.Decimals())
	}

	eth, err := w.ETHBalance(ctx, me)
	wantBalance(t, "ether after funding", eth, err, devchain.DefaultFundETH)
	tok, err := w.TokenBalance(ctx, me)
	wantBalance(t, "tokens before the faucet", tok, err, new(big.Int))

	if _, err := w.Faucet(ctx, key, tusd(100)); err != nil {
		t.Fatalf("Faucet: %v", err)
	}
	tok, err = w.TokenBalance(ctx, me)
	wantBalance(t, "tokens after the faucet", tok, err, tusd(100))

	deposit, _ := ParseAmount("12.5", w.Decimals())
	if _, err := w.Deposit(ctx, key, deposit); err != nil {
		t.Fatalf("Deposit: %v", err)
	}
	tok, err = w.TokenBalance(ctx, me)
	wantBalance(t, "tokens after the deposit", tok, err, new(big.Int).Sub(tusd(100), deposit))
	esc, err := w.EscrowBalance(ctx, me)
	wantBalance(t, "escrow after the deposit", esc, err, deposit)
	if got := w.Format(esc); got != "12.5 tUSD" {
		t.Fatalf("Format(escrow) = %q, want 12.5 tUSD", got)
	}

	_, err = w.Deposit(ctx, key, tusd(1000))
	wantCode(t, "depositing more than held", err, bonfire.ECodeInvalid, "holds only 87.5 tUSD")
	_, err = w.Withdraw(ctx, key)
	wantCode(t, "completing with nothing requested", err, bonfire.ECodeNotFound, "no pending withdrawal")
	_, err = w.RequestWithdrawal(ctx, key, tusd(13))
	wantCode(t, "requesting more than the escrow holds", err, bonfire.ECodeInvalid, "escrow holds only 12.5 tUSD")

	before := time.Now()
	p, err := w.RequestWithdrawal(ctx, key, tusd(10))
	if err != nil {
		t.Fatalf("RequestWithdrawal: %v", err)
	}
	if p.Amount.Cmp(tusd(10)) != 0 {
		t.Fatalf("pending amount %s, want %s", p.Amount, tusd(10))
	}
	// Block times follow the wall clock, to the second.
	if earliest := before.Add(devchain.DefaultDelay - 2*time.Second); p.AvailableAt.Before(earliest) {
		t.Fatalf("withdrawal available at %s, before %s", p.AvailableAt, earliest)
	}
	read, err := w.PendingWithdrawal(ctx, me)
	if err != nil || read == nil || !read.AvailableAt.Equal(p.AvailableAt) {
		t.Fatalf("PendingWithdrawal = %+v, %v; want %+v", read, err, p)
	}
	_, err = w.Withdraw(ctx, key)
	be := wantCode(t, "completing early", err, bonfire.ECodeConflict, "becomes available at "+p.AvailableAt.Format(time.RFC3339))
	if !strings.Contains(be.Hint, "withdraw complete") {
		t.Fatalf("hint %q does not name the command to retry", be.Hint)
	}
	esc, err = w.EscrowBalance(ctx, me)
	wantBalance(t, "escrow after the early completion failed", esc, err, deposit)

	session, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	expiry := time.Now().Add(24 * time.Hour).Truncate(time.Second)
	if _, err := w.AuthorizeSessionKey(ctx, key, addrOf(session), tusd(5), expiry); err != nil {
		t.Fatalf("AuthorizeSessionKey: %v", err)
	}
	sk, err := w.SessionKey(ctx, me, addrOf(session))
	if err != nil || sk == nil {
		t.Fatalf("SessionKey = %v, %v", sk, err)
	}
	if sk.Cap.Cmp(tusd(5)) != 0 || sk.Spent.Sign() != 0 || !sk.Expiry.Equal(expiry) || sk.Revoked {
		t.Fatalf("SessionKey = %+v, want cap %s, nothing spent, expiry %s", sk, tusd(5), expiry)
	}
	if sk, err := w.SessionKey(ctx, me, me); err != nil || sk != nil {
		t.Fatalf("SessionKey of a key never authorised = %+v, %v; want nil", sk, err)
	}
	_, err = w.AuthorizeSessionKey(ctx, key, addrOf(session), tusd(5), time.Now().Add(-time.Hour))
	wantCode(t, "authorising with a past expiry", err, bonfire.ECodeInvalid, "not in the future")
	_, err = w.AuthorizeSessionKey(ctx, key, me, tusd(5), expiry)
	wantCode(t, "authorising the wallet's own key", err, bonfire.ECodeInvalid, "session key may be neither")
}

func TestWalletWithdrawCompletesAfterDelay(t *testing.T) {
	t.Parallel()
	// With no delay the withdrawal is ready in the next block; the delay
	// itself is the contract's, tested in package evm.
	arbiter := common.HexToAddress("0x000000000000000000000000000000000000a1b1")
	w, key, _ := startChain(t, &evm.Params{Arbiter: arbiter})
	ctx := testContext(t)
	me := addrOf(key)
	if _, err := w.Faucet(ctx, key, tusd(50)); err != nil {
		t.Fatalf("Faucet: %v", err)
	}
	if _, err := w.Deposit(ctx, key, tusd(20)); err != nil {
		t.Fatalf("Deposit: %v", err)
	}
	if _, err := w.RequestWithdrawal(ctx, key, tusd(8)); err != nil {
		t.Fatalf("RequestWithdrawal: %v", err)
	}
	paid, err := w.Withdraw(ctx, key)
	wantBalance(t, "paid", paid, err, tusd(8))
	esc, err := w.EscrowBalance(ctx, me)
	wantBalance(t, "escrow after withdrawing", esc, err, tusd(12))
	tok, err := w.TokenBalance(ctx, me)
	wantBalance(t, "tokens after withdrawing", tok, err, tusd(38))
	if p, err := w.PendingWithdrawal(ctx, me); err != nil || p != nil {
		t.Fatalf("PendingWithdrawal after completing = %+v, %v; want nil", p, err)
	}
	b, err := w.Balances(ctx, me)
	if err != nil {
		t.Fatal(err)
	}
	if b.Token.Cmp(tusd(38)) != 0 || b.Escrow.Cmp(tusd(12)) != 0 || b.PendingWithdrawal != nil || b.ETH.Sign() <= 0 {
		t.Fatalf("Balances = %+v", b)
	}
}

func TestConnectRefusesWrongChainAndStaleDeployment(t *testing.T) {
	t.Parallel()
	w, _, chain := startChain(t, nil)
	ctx := testContext(t)
	dep := w.Deployment()

	wrongChain := dep
	wrongChain.ChainID++
	_, err := Connect(ctx, chain.RPCURL(), &wrongChain)
	wantCode(t, "connecting with another chain's deployment", err, bonfire.ECodeConflict, "chain id")

	stale := dep
	stale.Escrow = common.HexToAddress("0x00000000000000000000000000000000000e5c80")
	_, err = Connect(ctx, chain.RPCURL(), &stale)
	wantCode(t, "connecting with a stale deployment", err, bonfire.ECodeNotFound, "no escrow contract")

	fromFile, err := ReadDeploymentFile(filepath.Join(chain.DataDir(), "deployments.json"))
	if err != nil || *fromFile != dep {
		t.Fatalf("ReadDeploymentFile = %+v, %v; want %+v", fromFile, err, dep)
	}
	_, err = ReadDeploymentFile(filepath.Join(t.TempDir(), "deployments.json"))
	wantCode(t, "reading a missing deployment file", err, bonfire.ECodeNotFound, "no deployment file")
}

func TestFaucetRefusesRealToken(t *testing.T) {
	t.Parallel()
	w := &Wallet{dep: evm.Deployment{TestToken: false}, decimals: 6, symbol: "USDC"}
	_, err := w.Faucet(context.Background(), nil, big.NewInt(1))
	wantCode(t, "faucet on a real token", err, bonfire.ECodeForbidden, "no faucet")
}
