package settlement_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/devchain"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
)

// ethersCheck is what contracts/ethers-check.mjs prints.
type ethersCheck struct {
	ChainID  string `json:"chainId"`
	Balance  string `json:"balance"`
	Symbol   string `json:"symbol"`
	Decimals uint8  `json:"decimals"`
	Claims   []struct {
		Payer  string `json:"payer"`
		Amount string `json:"amount"`
		TxHash string `json:"txHash"`
	} `json:"claims"`
}

// TestEthersSeesDevchainSettlement settles a voucher on the real embedded
// chain with the Go stack, then reads the result over JSON-RPC with ethers.js,
// proving that a standard Ethereum client agrees with Bonfire's bindings.
func TestEthersSeesDevchainSettlement(t *testing.T) {
	t.Parallel()
	root := moduleRoot(t)
	requireEthers(t, root)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()

	consumerKey, providerKey := newKey(t), newKey(t)
	consumer, payee := addr(consumerKey), addr(providerKey)
	chain, err := devchain.Start(ctx, devchain.Config{DataDir: t.TempDir(), HTTPAddr: "127.0.0.1:0",
		Fund: []common.Address{consumer, payee}})
	if err != nil {
		t.Fatalf("devchain.Start: %v", err)
	}
	defer chain.Close()
	dep := chain.Deployment()
	contracts, err := dep.Bind(chain.Backend())
	if err != nil {
		t.Fatal(err)
	}

	depositIntoEscrow(t, ctx, chain, contracts, consumerKey, big.NewInt(5_000_000))

	ledger := settlement.NewMemoryLedger()
	payer := settlement.NewPayer(consumerKey, consumer, dep.ChainIDBig(), dep.Escrow, ledger)
	wallet := settlement.NewWallet(payee, dep.ChainIDBig(), dep.Escrow, ledger)
	charge := big.NewInt(1_234_567)
	v, err := payer.Pay(ctx, payee, charge)
	if err != nil {
		t.Fatalf("Pay: %v", err)
	}
	if err := wallet.Accept(ctx, *v); err != nil {
		t.Fatalf("Accept: %v", err)
	}
	claimer := settlement.NewClaimer(wallet, chain.Backend(), contracts, transactor(t, chain, providerKey), settlement.ClaimPolicy{})
	claimTx, paid, err := claimer.ClaimNow(ctx)
	if err != nil {
		t.Fatalf("ClaimNow: %v", err)
	}
	if claimTx == (common.Hash{}) {
		t.Fatal("ClaimNow sent no transaction with a voucher pending")
	}
	wantEq(t, "paid", paid, charge)

	call := &bind.CallOpts{Context: ctx}
	goBalance, err := contracts.Token.BalanceOf(call, payee)
	if err != nil {
		t.Fatal(err)
	}
	goSymbol, err := contracts.Token.Symbol(call)
	if err != nil {
		t.Fatal(err)
	}
	goDecimals, err := contracts.Token.Decimals(call)
	if err != nil {
		t.Fatal(err)
	}

	got := runEthersCheck(t, ctx, root, chain.RPCURL(), dep.Token, dep.Escrow, payee)
	t.Logf("ethers-check: %+v", got)
	if got.ChainID != dep.ChainIDBig().String() {
		t.Errorf("ethers chainId = %s, want %d", got.ChainID, dep.ChainID)
	}
	if got.Balance != goBalance.String() {
		t.Errorf("ethers balance = %s, Go bindings say %s", got.Balance, goBalance)
	}
	if got.Symbol != goSymbol || got.Decimals != goDecimals {
		t.Errorf("ethers token = %s/%d decimals, Go bindings say %s/%d", got.Symbol, got.Decimals, goSymbol, goDecimals)
	}
	if len(got.Claims) != 1 {
		t.Fatalf("ethers found %d Claimed events for %s, want the 1 claim: %+v", len(got.Claims), payee.Hex(), got.Claims)
	}
	c := got.Claims[0]
	if common.HexToHash(c.TxHash) != claimTx {
		t.Errorf("ethers claim tx = %s, ClaimNow sent %s", c.TxHash, claimTx.Hex())
	}
	if common.HexToAddress(c.Payer) != consumer {
		t.Errorf("ethers claim payer = %s, want %s", c.Payer, consumer.Hex())
	}
	if c.Amount != paid.String() {
		t.Errorf("ethers claim amount = %s, ClaimNow paid %s", c.Amount, paid)
	}
}

// depositIntoEscrow has key's account approve and deposit amount; the
// devchain backend returns from each send only once it is mined.
func depositIntoEscrow(t *testing.T, ctx context.Context, chain *devchain.Chain, contracts *evm.Contracts, key *ecdsa.PrivateKey, amount *big.Int) {
	t.Helper()
	opts := transactor(t, chain, key)
	opts.Context = ctx
	if _, err := contracts.Token.Approve(opts, chain.Deployment().Escrow, amount); err != nil {
		t.Fatalf("approve: %v", err)
	}
	if _, err := contracts.Escrow.Deposit(opts, amount); err != nil {
		t.Fatalf("deposit: %v", err)
	}
	held, err := contracts.Escrow.BalanceOf(&bind.CallOpts{Context: ctx}, addr(key))
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "escrow balance after deposit", held, amount)
}

func transactor(t *testing.T, chain *devchain.Chain, key *ecdsa.PrivateKey) *bind.TransactOpts {
	t.Helper()
	opts, err := bind.NewKeyedTransactorWithChainID(key, chain.ChainID())
	if err != nil {
		t.Fatal(err)
	}
	return opts
}

func runEthersCheck(t *testing.T, ctx context.Context, root, rpcURL string, token, escrow, payee common.Address) ethersCheck {
	t.Helper()
	cmd := exec.CommandContext(ctx, "node", "contracts/ethers-check.mjs", rpcURL, token.Hex(), escrow.Hex(), payee.Hex())
	cmd.Dir = root
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node contracts/ethers-check.mjs: %v\nstderr: %s", err, stderr.String())
	}
	var got ethersCheck
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("ethers-check printed %q, not its JSON line: %v", stdout.String(), err)
	}
	return got
}

// requireEthers fails, rather than skips, without node or the ethers package:
// the project's test script installs both, so their absence is a broken setup.
func requireEthers(t *testing.T, root string) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not on PATH (%v); install Node.js 20 or later, then run `npm ci --prefix contracts`", err)
	}
	pkg := filepath.Join(root, "contracts", "node_modules", "ethers", "package.json")
	if _, err := os.Stat(pkg); err != nil {
		t.Fatalf("ethers is not installed (%v); run `npm ci --prefix contracts` from %s", err, root)
	}
}

// moduleRoot walks up from the test's directory to the one holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		} else if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
