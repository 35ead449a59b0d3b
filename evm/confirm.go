package evm

import (
	"context"
	"math/big"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// ChainHead reads the chain far enough to count confirmations.
// ethclient.Client and the dev chain's Backend implement it.
type ChainHead interface {
	HeaderByNumber(ctx context.Context, number *big.Int) (*types.Header, error)
	TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error)
}

// confirmPoll is how often WaitConfirmed looks at the head. Public chains
// make a block every few seconds; a dev chain that mines on demand makes
// one only when something is sent.
const confirmPoll = time.Second

// WaitConfirmed returns once the block that mined r has confirmations-1
// blocks on top of it (so 1, the default everywhere, returns at once) and r
// is still in the canonical chain. A reorganisation that drops the
// transaction is an ECodeConflict error: the caller sends it again.
func WaitConfirmed(ctx context.Context, chain ChainHead, r *types.Receipt, confirmations uint64) error {
	if confirmations <= 1 {
		return nil
	}
	want := new(big.Int).Add(r.BlockNumber, new(big.Int).SetUint64(confirmations-1))
	tick := time.NewTicker(confirmPoll)
	defer tick.Stop()
	for {
		head, err := chain.HeaderByNumber(ctx, nil)
		if err == nil && head.Number.Cmp(want) >= 0 {
			again, err := chain.TransactionReceipt(ctx, r.TxHash)
			if err != nil || again.BlockHash != r.BlockHash {
				return bonfire.Errorf(bonfire.ECodeConflict, "transaction %s left block %s in a reorganisation", r.TxHash.Hex(), r.BlockNumber).
					WithHint("send it again")
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return bonfire.Errorf(bonfire.ECodeTimeout, "transaction %s has fewer than %d confirmations: %v", r.TxHash.Hex(), confirmations, ctx.Err()).
				WithHint("the chain makes blocks slowly, or not at all without new transactions; lower the confirmations or wait longer")
		case <-tick.C:
		}
	}
}
