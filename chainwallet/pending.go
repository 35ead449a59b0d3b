package chainwallet

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// TxState is where a journaled transaction stands.
type TxState string

// States reported by Pending (the first three) and Settle (the last four).
const (
	TxInPool    TxState = "in_pool"   // the node holds it, not yet mined
	TxMined     TxState = "mined"     // mined, with fewer confirmations than the wallet waits for
	TxLost      TxState = "lost"      // the node does not know it; the next send or Settle sends it again
	TxConfirmed TxState = "confirmed" // mined, succeeded and confirmed; forgotten
	TxReverted  TxState = "reverted"  // mined and confirmed, but the contract refused it; forgotten
	TxReplaced  TxState = "replaced"  // another transaction took its nonce; forgotten
	TxDropped   TxState = "dropped"   // the node refused it when sent again; forgotten, its nonce is free
)

// PendingTx is a transaction the journal holds for an account.
type PendingTx struct {
	Hash   common.Hash `json:"hash"`
	Nonce  uint64      `json:"nonce"`
	What   string      `json:"what"`
	SentAt time.Time   `json:"sentAt"`
	State  TxState     `json:"state"`
	Block  uint64      `json:"block,omitempty"`  // where it was mined, when it was
	Reason string      `json:"reason,omitempty"` // why the node refused it (TxDropped)
}

// Pending reports account's journaled transactions and where each stands,
// without waiting or sending anything. Without a journal it reports none.
func (w *Wallet) Pending(ctx context.Context, account common.Address) ([]PendingTx, error) {
	es, err := w.journal.entries(account)
	if err != nil {
		return nil, err
	}
	out := make([]PendingTx, 0, len(es))
	for _, e := range es {
		p := pendingOf(e, TxLost)
		r, err := w.receipt(ctx, e.Hash)
		if err != nil {
			return nil, err
		}
		if r != nil {
			p.State, p.Block = TxMined, r.BlockNumber.Uint64()
		} else if _, _, err := w.client.TransactionByHash(ctx, e.Hash); err == nil {
			p.State = TxInPool
		} else if !errors.Is(err, ethereum.NotFound) {
			return nil, unavailable("look up transaction "+e.Hash.Hex(), err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Settle waits until every journaled transaction of account is confirmed,
// sending again any the node lost (it may have restarted, or the process
// died before the node got it), and forgets each once settled. It returns
// what became of them, lowest nonce first. Every send calls it first.
func (w *Wallet) Settle(ctx context.Context, account common.Address) ([]PendingTx, error) {
	es, err := w.journal.entries(account)
	if err != nil {
		return nil, err
	}
	out := make([]PendingTx, 0, len(es))
	for _, e := range es {
		p, err := w.settle(ctx, account, e)
		if err != nil {
			return out, err
		}
		if err := w.journal.remove(account, e.Hash); err != nil {
			return out, err
		}
		out = append(out, p)
	}
	return out, nil
}

func (w *Wallet) settle(ctx context.Context, account common.Address, e journalEntry) (PendingTx, error) {
	r, err := w.receipt(ctx, e.Hash)
	if err != nil {
		return PendingTx{}, err
	}
	if r == nil {
		var refused bool
		r, refused, err = w.submit(ctx, e.tx)
		switch {
		case err == nil:
		case alreadyKnown(err):
			err = nil // in the pool: wait for it
		case replacementUnderpriced(err):
			// Another transaction with its nonce is in the pool, or was
			// mined a moment ago and the pool has not caught up: once the
			// nonce is used, the receipt says whose it was.
			if err = w.waitNonceUsed(ctx, account, e.Nonce); err != nil {
				return PendingTx{}, w.inFlightError(e, err)
			}
			if r, err = w.receipt(ctx, e.Hash); err != nil {
				return PendingTx{}, err
			}
			if r == nil {
				return pendingOf(e, TxReplaced), nil
			}
		case nonceTooLow(err):
			// Its nonce is used. Unless by this very transaction, mined
			// since the receipt was read, another one took it.
			if r, err = w.receipt(ctx, e.Hash); err != nil {
				return PendingTx{}, err
			}
			if r == nil {
				return pendingOf(e, TxReplaced), nil
			}
		case refused:
			// Not in the node's pool and refused again (too cheap now, or
			// the account lacks the ether): its nonce is free for the next
			// send, which builds a fresh transaction at today's fees.
			p := pendingOf(e, TxDropped)
			p.Reason = err.Error()
			return p, nil
		}
		if err == nil && r == nil {
			r, err = bind.WaitMined(ctx, w.client, e.tx)
		}
		if err != nil {
			return PendingTx{}, w.inFlightError(e, err)
		}
	}
	if err := evm.WaitConfirmed(ctx, w.client, r, w.confirmations); err != nil {
		return PendingTx{}, err
	}
	p := pendingOf(e, TxConfirmed)
	p.Block = r.BlockNumber.Uint64()
	if r.Status != types.ReceiptStatusSuccessful {
		p.State = TxReverted
	}
	return p, nil
}

func pendingOf(e journalEntry, s TxState) PendingTx {
	return PendingTx{Hash: e.Hash, Nonce: e.Nonce, What: e.What, SentAt: e.SentAt, State: s}
}

// receipt is hash's receipt, nil when the node has none (not mined).
func (w *Wallet) receipt(ctx context.Context, hash common.Hash) (*types.Receipt, error) {
	r, err := w.client.TransactionReceipt(ctx, hash)
	if errors.Is(err, ethereum.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable("read the receipt of "+hash.Hex(), err)
	}
	return r, nil
}

func (w *Wallet) inFlightError(e journalEntry, err error) *bonfire.Error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return bonfire.Errorf(bonfire.ECodeTimeout, "transaction %s (%s, nonce %d) sent at %s is not mined yet: %v",
			e.Hash.Hex(), e.What, e.Nonce, e.SentAt.Format(time.RFC3339), err).
			WithHint("the wallet waits for it before sending more; run `bonfire wallet pending` to wait longer")
	}
	return unavailable("send transaction "+e.Hash.Hex()+" again", err)
}

// alreadyKnown tells whether a node refused a transaction because it holds
// it already. Nodes word it differently: geth "already known", Nethermind
// "AlreadyKnown", Besu "ALREADY_KNOWN", others "known transaction".
func alreadyKnown(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "already known") || strings.Contains(msg, "alreadyknown") ||
		strings.Contains(msg, "already_known") || strings.Contains(msg, "known transaction") ||
		strings.Contains(msg, "already imported")
}

// nonceTooLow tells whether a node refused a transaction because its
// account has used the nonce already.
func nonceTooLow(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "nonce too low") || strings.Contains(msg, "noncetoolow") ||
		strings.Contains(msg, "nonce_too_low") || strings.Contains(msg, "oldnonce")
}

// replacementUnderpriced tells whether a node refused a transaction because
// another with the same nonce is in its pool.
func replacementUnderpriced(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "replacement transaction underpriced") || strings.Contains(msg, "replacement underpriced")
}

// nonceUsedPoll is how often waitNonceUsed asks the node; on a dev chain the
// competing transaction is mined within milliseconds.
const nonceUsedPoll = 50 * time.Millisecond

// waitNonceUsed returns once account has a mined transaction with nonce.
func (w *Wallet) waitNonceUsed(ctx context.Context, account common.Address, nonce uint64) error {
	t := time.NewTicker(nonceUsedPoll)
	defer t.Stop()
	for {
		next, err := w.client.NonceAt(ctx, account, nil)
		if err != nil {
			return err
		}
		if next > nonce {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
