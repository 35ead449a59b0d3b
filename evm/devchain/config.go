package devchain

import (
	"log/slog"
	"math/big"
	"net"
	"strconv"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"
)

// Defaults applied by Start to a zero Config field.
const (
	DefaultChainID  = 1337
	DefaultHTTPAddr = "127.0.0.1:8545"
	// DefaultGasLimit is each block's gas limit, the same as geth --dev.
	DefaultGasLimit = 60_000_000
	// DefaultDelay is the escrow's withdrawal delay and the stake's unstake
	// delay: long enough to watch the mechanism work in a demo, short enough
	// not to block one.
	DefaultDelay = 10 * time.Minute
)

// tUSD has six decimals, like USDC.
const tokenUnit = 1_000_000

var (
	// DefaultFundETH is the ether each Fund account gets: gas for years of
	// development.
	DefaultFundETH = new(big.Int).Mul(big.NewInt(100), big.NewInt(params.Ether))
	// DefaultFundTokens is the tUSD (base units) each Fund account gets.
	DefaultFundTokens = big.NewInt(10_000 * tokenUnit)
	// devKeyBalance is what genesis gives the dev key. geth --dev gives it
	// nearly 2^256 wei, which wallets display as nonsense; a billion ether is
	// plenty and still readable.
	devKeyBalance = new(big.Int).Mul(big.NewInt(1_000_000_000), big.NewInt(params.Ether))
)

// Config configures a dev chain.
type Config struct {
	// DataDir holds the chain, the dev key and the deployment. Required.
	DataDir string
	// HTTPAddr is where JSON-RPC listens; DefaultHTTPAddr when empty. When
	// the port is taken, Start picks a free one: read RPCURL afterwards.
	// Port 0 always picks a free one.
	HTTPAddr string
	// ChainID is the chain id of a new chain; DefaultChainID when zero. An
	// existing chain keeps its own, and Start fails if a non-zero ChainID
	// disagrees with it.
	ChainID uint64
	// Fund are accounts to give FundETH and FundTokens, once per account and
	// deployment: accounts already funded by an earlier start are skipped.
	Fund []common.Address
	// FundETH is the ether (wei) per funded account; DefaultFundETH when nil.
	FundETH *big.Int
	// FundTokens is the tUSD (base units, six decimals) per funded account;
	// DefaultFundTokens when nil.
	FundTokens *big.Int
	// Params configures the contracts deployed on first start. Nil means no
	// fee, DefaultDelay for both delays and the dev key as arbiter. Token
	// must stay zero: a dev chain deploys its own TestStablecoin.
	Params *evm.Params
	// Log receives the chain's events and geth's warnings; nil discards them.
	Log *slog.Logger
}

// withDefaults returns c with every zero field defaulted, or every problem.
func (c Config) withDefaults() (Config, error) {
	var es bonfire.Errors
	if c.DataDir == "" {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "no data directory given").
			WithField("dataDir").WithHint("set the directory that keeps the chain between runs"))
	}
	if c.HTTPAddr == "" {
		c.HTTPAddr = DefaultHTTPAddr
	}
	if _, _, err := splitHostPort(c.HTTPAddr); err != nil {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a host:port address: %v", c.HTTPAddr, err).
			WithField("httpAddr").WithHint(`write it like "127.0.0.1:8545"`))
	}
	if c.FundETH == nil {
		c.FundETH = DefaultFundETH
	}
	if c.FundTokens == nil {
		c.FundTokens = DefaultFundTokens
	}
	if c.FundETH.Sign() < 0 {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "ether to fund is negative").
			WithField("fundETH").WithHint("give 0 or more wei"))
	}
	if c.FundTokens.Sign() < 0 {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "tokens to fund are negative").
			WithField("fundTokens").WithHint("give 0 or more tUSD base units"))
	}
	if c.Params != nil && c.Params.Token != (common.Address{}) {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "a dev chain deploys its own test token").
			WithField("params.token").WithHint("leave the token unset"))
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	return c, es.Err()
}

// deployParams returns the deployment parameters for a chain whose dev key
// is dev.
func (c Config) deployParams(dev common.Address) evm.Params {
	if c.Params != nil {
		return *c.Params
	}
	return evm.Params{WithdrawDelay: DefaultDelay, UnstakeDelay: DefaultDelay, Arbiter: dev}
}

func splitHostPort(addr string) (string, int, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, strconv.ErrRange
	}
	return host, port, nil
}
