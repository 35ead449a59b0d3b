package devchain

import (
	"log/slog"
	"sync"

	"github.com/bonfirenet/bonfire"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/event"
)

// durability fsyncs the chain database and tracks the highest block known
// to be on disk. go-ethereum writes without syncing, so a block it reports
// as mined may still sit in the database's write-ahead buffer; syncing
// before answering a sender means "mined" also means "survives a kill -9 or
// a power cut". Blocks mined for other clients (over HTTP) are synced as
// they become the head.
type durability struct {
	chain headReader
	db    ethdb.KeyValueSyncer
	log   *slog.Logger

	mu     sync.Mutex // held across a sync: a waiter may find its work done by the last one
	head   uint64     // the highest block known to be on disk
	closed bool

	sub  event.Subscription
	done chan struct{}
}

type headReader interface{ CurrentBlock() *types.Header }

func startDurability(backend *eth.Ethereum, log *slog.Logger) *durability {
	heads := make(chan core.ChainHeadEvent, 64)
	d := &durability{
		chain: backend.BlockChain(),
		db:    backend.ChainDb(),
		log:   log,
		sub:   backend.BlockChain().SubscribeChainHeadEvent(heads),
		done:  make(chan struct{}),
	}
	go func() {
		defer close(d.done)
		for {
			select {
			case ev := <-heads:
				n := ev.Header.Number.Uint64()
				// One sync covers every head queued behind this one.
				for drained := false; !drained; {
					select {
					case ev := <-heads:
						n = max(n, ev.Header.Number.Uint64())
					default:
						drained = true
					}
				}
				if err := d.wait(n); err != nil {
					log.Error("devchain: cannot sync the chain database", "block", n, "err", err)
				}
			case <-d.sub.Err(): // closed by stop
				return
			}
		}
	}()
	return d
}

// wait returns once block n, which the caller has seen mined, is on disk.
func (d *durability) wait(n uint64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.head >= n {
		return nil
	}
	if d.closed {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "the dev chain stopped before block %d reached the disk", n).
			WithHint("start the chain again; the transaction may have to be resent")
	}
	// Read before syncing: everything up to this head was written already,
	// so the sync makes all of it durable.
	current := d.chain.CurrentBlock().Number.Uint64()
	if err := d.db.SyncKeyValue(); err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "block %d was mined but cannot be written to disk: %v", n, err).
			WithHint("check the data directory's disk")
	}
	d.head = max(d.head, current, n)
	return nil
}

// stop ends the sync loop and refuses later syncs; the database may be
// closed after it returns.
func (d *durability) stop() {
	d.sub.Unsubscribe()
	<-d.done
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
}
