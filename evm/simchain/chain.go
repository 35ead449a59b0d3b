package simchain

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
)

// DefaultChainID is the simulated backend's own chain id.
const DefaultChainID = 1337

// Options configures a chain. The zero value gives 10 accounts on chain 1337.
type Options struct {
	Accounts int    // funded accounts; 0 means 10
	ChainID  uint64 // 0 means DefaultChainID
	GasLimit uint64 // per block; 0 means 60 million
}

// AccountBalance is the ether each account starts with: plenty for gas.
var AccountBalance = new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(params.Ether))

// Chain is a running simulated chain. Close it when done.
type Chain struct {
	sim     *simulated.Backend
	client  *Client
	keys    []*ecdsa.PrivateKey
	chainID *big.Int
}

// New starts a chain with opts.Accounts funded accounts. The accounts' keys
// are derived from their index, so addresses are the same on every run.
func New(opts Options) (*Chain, error) {
	if opts.Accounts == 0 {
		opts.Accounts = 10
	}
	if opts.ChainID == 0 {
		opts.ChainID = DefaultChainID
	}
	if opts.GasLimit == 0 {
		opts.GasLimit = 60_000_000
	}
	c := &Chain{chainID: new(big.Int).SetUint64(opts.ChainID)}
	alloc := types.GenesisAlloc{}
	for i := range opts.Accounts {
		key, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("bonfire simchain account %d", i))))
		if err != nil {
			return nil, fmt.Errorf("simchain: derive key %d: %w", i, err)
		}
		c.keys = append(c.keys, key)
		alloc[crypto.PubkeyToAddress(key.PublicKey)] = types.Account{Balance: AccountBalance}
	}
	chainID := opts.ChainID
	c.sim = simulated.NewBackend(alloc,
		simulated.WithBlockGasLimit(opts.GasLimit),
		func(_ *node.Config, ethConf *ethconfig.Config) {
			cfg := *ethConf.Genesis.Config
			cfg.ChainID = new(big.Int).SetUint64(chainID)
			// The dev config also enables forks still in design (Amsterdam,
			// Bogota) whose gas schedule differs a lot from any live chain's;
			// stop at Osaka so gas figures mean something.
			cfg.AmsterdamTime, cfg.BogotaTime = nil, nil
			ethConf.Genesis.Config = &cfg
			ethConf.NetworkId = chainID
		})
	c.client = &Client{Client: c.sim.Client(), sim: c.sim}
	// Once the chain is ahead of the wall clock, the simulated beacon stamps
	// each block parent+1: deterministic time.
	if err := c.sim.AdjustTime(365 * 24 * time.Hour); err != nil {
		c.sim.Close()
		return nil, fmt.Errorf("simchain: move the clock ahead: %w", err)
	}
	return c, nil
}

// Client returns the chain's auto-mining client.
func (c *Chain) Client() *Client { return c.client }

// ChainID returns the chain id that signatures must commit to.
func (c *Chain) ChainID() *big.Int { return new(big.Int).Set(c.chainID) }

// Accounts is the number of funded accounts.
func (c *Chain) Accounts() int { return len(c.keys) }

// Key returns account i's private key.
func (c *Chain) Key(i int) *ecdsa.PrivateKey { return c.keys[i] }

// Address returns account i's address.
func (c *Chain) Address(i int) common.Address { return crypto.PubkeyToAddress(c.keys[i].PublicKey) }

// Auth returns transaction options that sign as account i. Each call returns
// a fresh value, so callers may set fields (Value, GasLimit) freely.
func (c *Chain) Auth(i int) *bind.TransactOpts {
	opts, err := bind.NewKeyedTransactorWithChainID(c.keys[i], c.chainID)
	if err != nil {
		panic("simchain: keyed transactor: " + err.Error()) // only fails on a nil chain id
	}
	return opts
}

// AdvanceTime mines an empty block d after the latest one; later blocks
// follow it one second apart.
func (c *Chain) AdvanceTime(d time.Duration) error {
	c.client.mu.Lock()
	defer c.client.mu.Unlock()
	// The transaction pool drops the transactions of the last mined block on
	// its own goroutine; until it has, AdjustTime sees them as pending and
	// refuses. Nothing else can be pending while mu is held, so wait it out.
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := c.sim.AdjustTime(d)
		if err == nil || !strings.Contains(err.Error(), "non-empty block") || time.Now().After(deadline) {
			return err
		}
		time.Sleep(time.Millisecond)
	}
}

// Now returns the latest block's timestamp.
func (c *Chain) Now(ctx context.Context) (uint64, error) {
	h, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, err
	}
	return h.Time, nil
}

// Close stops the chain.
func (c *Chain) Close() error { return c.sim.Close() }

// Client is the chain's JSON-RPC client with one change: SendTransaction mines
// a block holding the transaction before it returns.
type Client struct {
	simulated.Client
	sim *simulated.Backend
	mu  sync.Mutex // one send-and-mine at a time, so each block holds exactly one transaction
}

// EstimateGas estimates msg's gas and adds a quarter, as wallets do. The
// node estimates against the latest block, whose timestamp is one second
// behind the block the transaction will land in; when a contract stores a
// value derived from block.timestamp (a withdrawal's availableAt), a repeat
// of the same call can look like a no-op SSTORE to the estimate and then run
// out of gas for real. Real chains have the same trap: callers of the
// contracts must leave headroom too.
func (c *Client) EstimateGas(ctx context.Context, msg ethereum.CallMsg) (uint64, error) {
	gas, err := c.Client.EstimateGas(ctx, msg)
	if err != nil {
		return 0, err
	}
	return gas + gas/4, nil
}

// SendTransaction sends tx and mines it.
func (c *Client) SendTransaction(ctx context.Context, tx *types.Transaction) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.Client.SendTransaction(ctx, tx); err != nil {
		return err
	}
	c.sim.Commit()
	return nil
}
