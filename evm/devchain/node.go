package devchain

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/rpc"
)

// nodeName is go-ethereum's instance directory inside the data directory.
const nodeName = "geth"

// newStack creates the node shell. It takes the data directory's lock, so a
// second chain on the same directory fails here, before touching anything.
func newStack(cfg Config) (*node.Node, error) {
	host, port, _ := splitHostPort(cfg.HTTPAddr)
	if port != 0 && !portFree(cfg.HTTPAddr) {
		cfg.Log.Warn("devchain: JSON-RPC port taken, using a free one", "wanted", cfg.HTTPAddr)
		port = 0
	}
	stack, err := node.New(&node.Config{
		Name:    nodeName,
		DataDir: cfg.DataDir,
		Logger:  log.NewLogger(warnings{cfg.Log.Handler()}),
		// No peers, no discovery, no listening socket: the chain is private
		// and reachable only through JSON-RPC on loopback.
		P2P:                  p2p.Config{NoDiscovery: true, MaxPeers: 0, ListenAddr: ""},
		HTTPHost:             host,
		HTTPPort:             port,
		HTTPModules:          []string{"eth", "net", "web3"},
		HTTPVirtualHosts:     []string{"localhost"}, // IP hosts always pass
		HTTPCors:             []string{"*"},         // browser dapps on any local origin
		HTTPTimeouts:         rpc.DefaultHTTPTimeouts,
		HTTPBodyLimit:        5 * 1024 * 1024,
		BatchRequestLimit:    1000,
		BatchResponseMaxSize: 25 * 1000 * 1000,
		DBEngine:             "pebble",
	})
	if errors.Is(err, node.ErrDatadirUsed) {
		return nil, bonfire.Errorf(bonfire.ECodeConflict, "the dev chain in %s is already running", cfg.DataDir).
			WithField("dataDir").WithHint("stop the other bonfire process, or connect to its RPC URL instead")
	}
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "create the node in %s: %v", cfg.DataDir, err).
			WithHint("check that the data directory is writable")
	}
	return stack, nil
}

// portFree reports whether addr can be listened on now. Another process may
// take it before the node does; then Start fails and says so.
func portFree(addr string) bool {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// newGenesis is the genesis of a new chain: geth --dev's (every fork from
// block 0, system contracts) with the dev key funded.
func newGenesis(chainID uint64, dev common.Address) *core.Genesis {
	g := core.DeveloperGenesisBlock(DefaultGasLimit, &dev)
	// DeveloperGenesisBlock copied the config, so this changes only ours.
	g.Config.ChainID = new(big.Int).SetUint64(chainID)
	// Stop at Osaka, the latest fork live on mainnet: forks still in design
	// change gas costs, and wallets may not speak their payload formats.
	g.Config.AmsterdamTime, g.Config.BogotaTime = nil, nil
	g.Alloc[dev] = types.Account{Balance: devKeyBalance}
	g.Timestamp = uint64(time.Now().Unix())
	return g
}

// ethConfig configures the Ethereum service so that every block is on disk
// when it is mined: archive mode with hash-based state commits each block's
// state trie in the same database as the block, and no state snapshot layers
// linger in memory. A killed process therefore loses nothing that was mined;
// the default (path scheme, pruning) keeps recent state in memory and on an
// unclean stop rewinds the chain to its last flush, which for a chain that
// mines a handful of blocks means back to genesis.
func ethConfig(genesis *core.Genesis, dev common.Address) *ethconfig.Config {
	c := ethconfig.Defaults
	c.Genesis = genesis
	c.NetworkId = genesis.Config.ChainID.Uint64()
	c.SyncMode = ethconfig.FullSync
	c.NoPruning = true
	c.StateScheme = rawdb.HashScheme
	c.SnapshotCache = 0
	// Small caches: a dev chain's state is tiny, and the defaults are sized
	// for mainnet (gigabytes).
	c.DatabaseCache = 32
	c.TrieCleanCache = 16
	c.TrieDirtyCache = 16
	c.Miner.GasCeil = DefaultGasLimit
	c.Miner.PendingFeeRecipient = dev
	// Like geth --dev: any tip is enough to be mined.
	c.Miner.GasPrice = big.NewInt(1)
	c.TxPool.NoLocals = true
	return &c
}

// assemble registers the Ethereum service, the log filters and the simulated
// beacon, then starts the node. The caller starts the miner (miner.go) that
// seals a block whenever transactions arrive.
func assemble(stack *node.Node, genesis *core.Genesis, dev common.Address) (*eth.Ethereum, *catalyst.SimulatedBeacon, error) {
	backend, err := eth.New(stack, ethConfig(genesis, dev))
	if err != nil {
		return nil, nil, bonfire.Errorf(bonfire.ECodeInternal, "open the chain: %v", err).
			WithHint("the chain database may be from another program or damaged; delete the data directory to start a new chain")
	}
	filterSystem := filters.NewFilterSystem(backend.APIBackend, filters.Config{})
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(filterSystem)}})
	// Period 0: the beacon seals only when asked. Its dev API is not
	// registered, because registering it starts go-ethereum's own sealing
	// loop, which outlives shutdown (see miner).
	beacon, err := catalyst.NewSimulatedBeacon(0, dev, backend)
	if err != nil {
		return nil, nil, bonfire.Errorf(bonfire.ECodeInternal, "start block production: %v", err)
	}
	stack.RegisterLifecycle(beacon)
	if err := stack.Start(); err != nil {
		return nil, nil, bonfire.Errorf(bonfire.ECodeUnavailable, "start the node: %v", err).
			WithHint("if the JSON-RPC address is taken, choose another httpAddr or port 0")
	}
	return backend, beacon, nil
}

// warnings passes geth's warnings and errors on and drops its info chatter.
type warnings struct{ slog.Handler }

func (w warnings) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.Handler.Enabled(ctx, l)
}

func (w warnings) WithAttrs(as []slog.Attr) slog.Handler {
	return warnings{w.Handler.WithAttrs(as)}
}

func (w warnings) WithGroup(name string) slog.Handler { return warnings{w.Handler.WithGroup(name)} }

// rpcURL turns the node's HTTP endpoint into the URL clients use: a
// wildcard listen address is reachable on loopback.
func rpcURL(endpoint string) string {
	hostPort := strings.TrimPrefix(endpoint, "http://")
	host, port, err := net.SplitHostPort(hostPort)
	if err != nil {
		return endpoint
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
