package devchain

import (
	"context"
	"errors"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// mineWait bounds how long a send waits for its block. Mining on demand
// takes milliseconds; a transaction that is still waiting after this is not
// minable now (a nonce gap, a fee cap below the base fee) and stays pending.
const mineWait = 10 * time.Second

// txSyncTimeoutCode is the JSON-RPC error code of eth_sendRawTransactionSync
// when the transaction entered the pool but was not mined in time.
const txSyncTimeoutCode = 4

// Backend is an in-process client whose SendTransaction returns only once
// the transaction is mined and its block is on disk, so the receipt is
// there on the first ask: bind.WaitMined and evm.Deploy, which poll once a
// second, return at once instead of after a second.
type Backend struct {
	*ethclient.Client
	durable *durability
	pool    poolSyncer
}

// poolSyncer is the transaction pool's wait for its reset to the new head.
type poolSyncer interface{ Sync() error }

var _ evm.Backend = (*Backend)(nil)

// SendTransaction sends tx and waits until it is mined and durable. A
// transaction the chain accepts but cannot mine yet is left pending and is
// not an error, as with any node.
func (b *Backend) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	_, err := b.send(ctx, tx)
	return err
}

// send is SendTransaction returning the receipt; nil when tx is left pending.
func (b *Backend) send(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	wait := mineWait
	receipt, err := b.Client.SendTransactionSync(ctx, tx, &wait)
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) && rpcErr.ErrorCode() == txSyncTimeoutCode {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if receipt.BlockNumber == nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "the receipt of %s names no block", tx.Hash().Hex())
	}
	if err := b.durable.wait(receipt.BlockNumber.Uint64()); err != nil {
		return nil, err
	}
	// The pool re-reads balances and nonces from the new head in the
	// background; until it has, it refuses a transaction that spends what
	// this one just paid (a freshly funded account has "no ether"). Waiting
	// here means whoever sends next, in-process or over HTTP, sees the
	// block this send returned.
	if b.pool != nil {
		if err := b.pool.Sync(); err != nil {
			return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "the dev chain stopped: %v", err)
		}
	}
	return receipt, nil
}
