package devchain

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
)

// TestCloseWhileSealing closes the chain while the pool still holds
// transactions, so a block is being sealed as the node shuts down. Before the
// miner was waited for on Close, this crashed the process (a nil block read
// from the closing database). The restart then finds every block that was
// sealed, and the chain keeps mining.
func TestCloseWhileSealing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := testContext(t)
	to := common.HexToAddress("0x00000000000000000000000000000000000b0f1e")
	for round := 0; round < 3; round++ {
		c, err := Start(ctx, Config{DataDir: dir, HTTPAddr: "127.0.0.1:0"})
		if err != nil {
			t.Fatalf("round %d: Start: %v", round, err)
		}
		nonce, err := c.Client().PendingNonceAt(ctx, c.DevAddress())
		if err != nil {
			t.Fatalf("PendingNonceAt: %v", err)
		}
		for i := uint64(0); i < 20; i++ {
			tx, err := c.transferTx(ctx, to, big.NewInt(1))
			if err != nil {
				t.Fatalf("round %d tx %d: build: %v", round, i, err)
			}
			if tx.Nonce() < nonce+i {
				// PendingNonceAt lags the pool by a block at most; a
				// duplicate nonce would only be refused, not mined.
				break
			}
			if err := c.Client().SendTransaction(ctx, tx); err != nil {
				break // a transaction replaced in the pool is fine here
			}
		}
		if err := c.Close(); err != nil {
			t.Fatalf("round %d: Close: %v", round, err)
		}
	}
	c := startTest(t, dir)
	if _, err := transfer(ctx, c, to, 1); err != nil {
		t.Fatalf("the chain does not mine after the closes: %v", err)
	}
	got, err := c.Client().BalanceAt(ctx, to, nil)
	if err != nil {
		t.Fatalf("BalanceAt: %v", err)
	}
	if got.Sign() <= 0 {
		t.Errorf("recipient balance %s, want at least the last transfer", got)
	}
}

// TestFundedAccountCanSpendAtOnce sends, over HTTP, from an account the
// moment Fund returns. Before sends waited for the pool to catch up with the
// head, the pool sometimes still saw the account empty and refused it with
// "insufficient funds".
func TestFundedAccountCanSpendAtOnce(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	// Ether only: the send then follows the funding block directly.
	c, err := Start(ctx, Config{DataDir: t.TempDir(), HTTPAddr: "127.0.0.1:0", FundTokens: big.NewInt(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	client, err := ethclient.DialContext(ctx, c.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	for i := 0; i < 20; i++ {
		key, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		from := crypto.PubkeyToAddress(key.PublicKey)
		if err := c.Fund(ctx, from); err != nil {
			t.Fatal(err)
		}
		head, err := client.HeaderByNumber(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := types.SignNewTx(key, types.LatestSignerForChainID(c.ChainID()), &types.DynamicFeeTx{
			ChainID: c.ChainID(), Nonce: 0, GasTipCap: big.NewInt(1), Gas: 21000, Value: big.NewInt(1),
			GasFeeCap: new(big.Int).Add(big.NewInt(1), new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
			To:        &common.Address{0xb0},
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := client.SendTransaction(ctx, tx); err != nil {
			t.Fatalf("round %d: a send right after Fund was refused: %v", i, err)
		}
	}
}
