package devchain

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"os"
	"sync"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/node"
)

// Chain is a running dev chain. Close it when done; its state stays in the
// data directory for the next Start.
type Chain struct {
	cfg        Config
	layout     Layout
	stack      *node.Node
	eth        *eth.Ethereum
	durable    *durability
	miner      *miner
	client     *ethclient.Client
	backend    *Backend
	key        *ecdsa.PrivateKey
	chainID    *big.Int
	rpcURL     string
	deployment *evm.Deployment

	fundMu sync.Mutex // one Fund at a time: they share the dev key's nonces and funded.json

	closeOnce sync.Once
	closeErr  error
}

// Start opens the chain in cfg.DataDir, creating it on first use: a dev key,
// a genesis that funds it, the settlement contracts (evm.Deploy) and
// deployments.json. Then it funds the cfg.Fund accounts not funded before.
// Only one process may run a data directory's chain at a time; a second
// Start fails at once with ECodeConflict.
func Start(ctx context.Context, cfg Config) (*Chain, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, ioError("create the data directory", err)
	}
	stack, err := newStack(cfg) // takes the directory lock first
	if err != nil {
		return nil, err
	}
	c := &Chain{cfg: cfg, layout: Layout(cfg.DataDir), stack: stack}
	if err := c.open(ctx); err != nil {
		c.Close()
		return nil, err
	}
	cfg.Log.Info("devchain: running", "rpc", c.rpcURL, "chainId", c.chainID,
		"escrow", c.deployment.Escrow, "token", c.deployment.Token, "dataDir", cfg.DataDir)
	return c, nil
}

func (c *Chain) open(ctx context.Context) error {
	key, created, err := loadOrCreateDevKey(c.layout)
	if err != nil {
		return err
	}
	c.key = key
	dev := c.DevAddress()
	genesis, err := c.genesis(dev)
	if err != nil {
		return err
	}
	if created {
		c.cfg.Log.Info("devchain: new chain", "devKey", dev, "chainId", genesis.Config.ChainID)
	}
	c.chainID = new(big.Int).Set(genesis.Config.ChainID)
	var beacon *catalyst.SimulatedBeacon
	c.eth, beacon, err = assemble(c.stack, genesis, dev)
	if err != nil {
		return err
	}
	c.durable = startDurability(c.eth, c.cfg.Log)
	pool := &serialPool{pool: c.eth.TxPool()}
	c.miner = startMiner(beacon, c.eth, pool, c.cfg.Log)
	c.client = ethclient.NewClient(c.stack.Attach())
	c.backend = &Backend{Client: c.client, durable: c.durable, pool: pool}
	c.rpcURL = rpcURL(c.stack.HTTPEndpoint())
	if c.deployment, err = c.ensureDeployment(ctx); err != nil {
		return err
	}
	return c.Fund(ctx, c.cfg.Fund...)
}

// genesis returns the saved genesis, or creates and saves a new one. It is
// saved before the chain is created so that every later start builds the
// very same genesis block whatever this package's defaults become.
func (c *Chain) genesis(dev common.Address) (*core.Genesis, error) {
	g, err := loadGenesis(c.layout)
	if err != nil {
		return nil, err
	}
	if g == nil {
		id := c.cfg.ChainID
		if id == 0 {
			id = DefaultChainID
		}
		g = newGenesis(id, dev)
		return g, saveGenesis(c.layout, g)
	}
	if have := g.Config.ChainID.Uint64(); c.cfg.ChainID != 0 && c.cfg.ChainID != have {
		return nil, bonfire.Errorf(bonfire.ECodeConflict, "the chain in %s has chain id %d, not %d", c.cfg.DataDir, have, c.cfg.ChainID).
			WithField("chainId").WithHint("use the chain's own id (or 0), or another data directory for a new chain")
	}
	if _, ok := g.Alloc[dev]; !ok {
		return nil, bonfire.Errorf(bonfire.ECodeConflict, "the dev key %s was not funded by %s", dev, c.layout.Genesis()).
			WithField("dataDir").WithHint("restore the dev key this chain was created with, or delete the data directory")
	}
	return g, nil
}

// ensureDeployment returns the saved deployment when its contracts are on
// the chain, and deploys afresh otherwise: on first start, and when a crash
// came between deploying and saving.
func (c *Chain) ensureDeployment(ctx context.Context) (*evm.Deployment, error) {
	d, err := loadDeployment(c.layout)
	if err != nil {
		return nil, err
	}
	if d != nil {
		onChain, err := c.deployedOnChain(ctx, d)
		if err != nil {
			return nil, err
		}
		if onChain {
			return d, nil
		}
		c.cfg.Log.Warn("devchain: the saved deployment is not on this chain; deploying again", "escrow", d.Escrow)
	}
	d, err = evm.Deploy(ctx, c.backend, c.Auth(), c.cfg.deployParams(c.DevAddress()))
	if err != nil {
		return nil, err
	}
	if err := saveDeployment(c.layout, d); err != nil {
		return nil, err
	}
	c.cfg.Log.Info("devchain: contracts deployed", "token", d.Token, "escrow", d.Escrow, "stake", d.Stake)
	return d, nil
}

func (c *Chain) deployedOnChain(ctx context.Context, d *evm.Deployment) (bool, error) {
	if d.ChainID != c.chainID.Uint64() {
		return false, nil
	}
	for _, a := range []common.Address{d.Token, d.Escrow, d.Stake} {
		code, err := c.client.CodeAt(ctx, a, nil)
		if err != nil {
			return false, bonfire.Errorf(bonfire.ECodeInternal, "read the code at %s: %v", a, err)
		}
		if len(code) == 0 {
			return false, nil
		}
	}
	return true, nil
}

// RPCURL is the JSON-RPC endpoint, http://127.0.0.1:PORT, for wallets,
// cast, ethers and other processes.
func (c *Chain) RPCURL() string { return c.rpcURL }

// DataDir is where the chain keeps its state (see Layout).
func (c *Chain) DataDir() string { return c.cfg.DataDir }

// ChainID is the id transactions and EIP-712 signatures commit to.
func (c *Chain) ChainID() *big.Int { return new(big.Int).Set(c.chainID) }

// Client is an in-process JSON-RPC client with go-ethereum's usual
// semantics: SendTransaction returns before the transaction is mined.
func (c *Chain) Client() *ethclient.Client { return c.client }

// Backend is an in-process client whose sends wait until mined (see
// Backend). Use it for evm.Deploy, the bindings and bind.WaitMined.
func (c *Chain) Backend() *Backend { return c.backend }

// Deployment is where the contracts are. Callers must not modify it.
func (c *Chain) Deployment() *evm.Deployment { return c.deployment }

// DevKey is the key genesis funded and that deployed the contracts (it is
// ProviderStake's admin and, by default, its arbiter).
func (c *Chain) DevKey() *ecdsa.PrivateKey { return c.key }

// DevAddress is DevKey's address.
func (c *Chain) DevAddress() common.Address { return crypto.PubkeyToAddress(c.key.PublicKey) }

// Auth returns fresh transaction options signing as the dev key. Sends with
// the same key must not race one another: each takes its nonce from the
// pending state.
func (c *Chain) Auth() *bind.TransactOpts {
	opts, err := bind.NewKeyedTransactorWithChainID(c.key, c.chainID)
	if err != nil {
		panic("devchain: keyed transactor: " + err.Error()) // only fails on a nil chain id
	}
	return opts
}

// Close stops the chain and releases the data directory. Every mined block
// is already on disk; closing adds nothing to what a crash would keep.
func (c *Chain) Close() error {
	c.closeOnce.Do(func() {
		if c.miner != nil {
			c.miner.stop() // before the database closes under a seal
		}
		if c.durable != nil {
			c.durable.stop()
		}
		if c.client != nil {
			c.client.Close()
		}
		if err := c.stack.Close(); err != nil {
			c.closeErr = bonfire.Errorf(bonfire.ECodeInternal, "stop the dev chain: %v", err)
		}
	})
	return c.closeErr
}
