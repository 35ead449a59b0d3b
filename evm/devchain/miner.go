package devchain

import (
	"log/slog"
	"sync"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
)

// miner seals a block whenever the transaction pool has executable
// transactions. go-ethereum's own on-demand loop (registered with the
// simulated beacon's dev API) is not used: its sealing goroutine is not
// waited for on shutdown, so a block sealed while the node closes reads a
// half-closed database and panics the process. This loop is stopped, and
// waited for, before the node closes.
type miner struct {
	beacon  *catalyst.SimulatedBeacon
	backend *eth.Ethereum
	log     *slog.Logger
	pool    *serialPool

	quit chan struct{}
	done chan struct{}
}

// maxEmptySeals bounds how many blocks in a row may be sealed without
// emptying the pool's executable set; a transaction the block builder keeps
// refusing must not spin the loop forever.
const maxEmptySeals = 3

func startMiner(beacon *catalyst.SimulatedBeacon, backend *eth.Ethereum, pool *serialPool, log *slog.Logger) *miner {
	m := &miner{beacon: beacon, backend: backend, pool: pool, log: log, quit: make(chan struct{}), done: make(chan struct{})}
	// The pool's event feed blocks until every subscriber has taken the
	// event, and the pool's reset (which sealing waits for) sends on it. So
	// one goroutine only drains events into a one-slot wake-up, and another
	// seals; a single goroutine doing both deadlocks the pool.
	newTxs := make(chan core.NewTxsEvent, 16)
	wake := make(chan struct{}, 1)
	wake <- struct{}{} // a pool restored at start may hold work already
	sub := backend.TxPool().SubscribeTransactions(newTxs, true)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		defer sub.Unsubscribe()
		for {
			select {
			case <-newTxs:
				select {
				case wake <- struct{}{}:
				default: // a wake-up is pending already
				}
			case <-sub.Err():
				return
			case <-m.quit:
				return
			}
		}
	}()
	go func() {
		defer close(m.done)
		defer func() { <-drained }()
		for {
			select {
			case <-wake:
				m.sealPending()
			case <-m.quit:
				return
			}
		}
	}()
	return m
}

// sealPending seals blocks until no executable transaction is left.
func (m *miner) sealPending() {
	for stuck := 0; stuck < maxEmptySeals; {
		m.pool.Sync() // the pool resets in the background after each block
		executable, _ := m.backend.TxPool().Stats()
		if executable == 0 {
			return
		}
		select {
		case <-m.quit:
			return
		default:
		}
		before := m.backend.BlockChain().CurrentBlock().Number.Uint64()
		if !m.seal() {
			return
		}
		if m.backend.BlockChain().CurrentBlock().Number.Uint64() == before {
			stuck++
		}
	}
	m.log.Warn("devchain: transactions stay pending after sealing; waiting for the next one", "tries", maxEmptySeals)
}

// seal seals one block. A failure inside go-ethereum is logged rather than
// taking down the process that embeds the chain (bonfire up runs the market
// beside it).
func (m *miner) seal() (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			m.log.Error("devchain: sealing a block failed", "panic", r)
			ok = false
		}
	}()
	m.pool.mu.Lock() // sealing syncs the pool too
	defer m.pool.mu.Unlock()
	m.beacon.Commit()
	return true
}

// stop ends the loop and waits for a seal in progress to finish.
func (m *miner) stop() {
	close(m.quit)
	<-m.done
}

// serialPool makes the pool's Sync safe to call from several goroutines.
// go-ethereum's TxPool.Sync keeps one waiter: a second concurrent call
// replaces the first, which then waits for ever. The miner (whose sealing
// calls Sync inside go-ethereum) and the Backend share one serialPool.
type serialPool struct {
	mu   sync.Mutex
	pool interface{ Sync() error }
}

// Sync waits until the pool has caught up with the chain's head.
func (p *serialPool) Sync() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pool.Sync()
}
