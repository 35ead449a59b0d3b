package settlement

import (
	"context"
	"crypto/ecdsa"
	"log/slog"
	"math/big"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// CollectorBackend is what a Collector needs from a chain client: reads,
// sends, and receipts. *ethclient.Client and the simulated chains have it.
type CollectorBackend interface {
	bind.ContractBackend
	bind.DeployBackend
}

// CollectorConfig configures a Collector.
type CollectorConfig struct {
	// Ledger keeps the best voucher per payer and every claim made.
	Ledger ClaimLedger
	// Key is the provider's key: vouchers must name its address as payee,
	// and it signs (and pays gas for) the claims.
	Key        *ecdsa.PrivateKey
	Deployment *evm.Deployment
	Backend    CollectorBackend
	// Policy says when Run claims. Its Confirmations is overridden by the
	// field below; OnClaim and OnError are called after the Collector's own
	// bookkeeping.
	Policy ClaimPolicy
	// Confirmations a claim waits for before it counts (0 or 1: mined).
	Confirmations uint64
	// Log receives claims and claim failures; nil discards them.
	Log *slog.Logger
	// Now stamps claim records and checks session-key expiry; nil is
	// time.Now.
	Now func() time.Time
	// SessionKeys overrides where session keys are read; nil reads the
	// escrow through Backend with a cache.
	SessionKeys SessionKeys
}

// Collector is a provider's whole paid side: it receives the market's
// vouchers (bonfire.VoucherReceiver), keeps the best per payer, claims them
// in batches on the escrow, and records each claim so earnings can be listed.
type Collector struct {
	payee   common.Address
	wallet  *Wallet
	claimer *Claimer
	ledger  ClaimLedger
	log     *slog.Logger
	now     func() time.Time
	cached  *ChainSessionKeys // nil when the caller supplied SessionKeys
}

var _ bonfire.VoucherReceiver = (*Collector)(nil)

// OpenCollector checks cfg and that the deployment's escrow exists on the
// chain behind cfg.Backend.
func OpenCollector(ctx context.Context, cfg CollectorConfig) (*Collector, error) {
	var es bonfire.Errors
	if cfg.Ledger == nil {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "no ledger given").WithField("ledger").
			WithHint("open the provider's wallet database (sqlite.Open) and pass it"))
	}
	if cfg.Key == nil {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "no provider key given").WithField("key").
			WithHint("pass the provider's private key: vouchers pay its address"))
	}
	if cfg.Deployment == nil {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "no deployment given").WithField("deployment").
			WithHint("pass the deployments.json the chain wrote"))
	}
	if cfg.Backend == nil {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "no chain backend given").WithField("backend").
			WithHint("connect to the chain (ethclient) first"))
	}
	if err := es.Err(); err != nil {
		return nil, err
	}
	dep := cfg.Deployment
	code, err := cfg.Backend.CodeAt(ctx, dep.Escrow, nil)
	if err != nil {
		return nil, chainError("read the escrow contract", err)
	}
	if len(code) == 0 {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "there is no escrow contract at %s on this chain", dep.Escrow.Hex()).
			WithField("deployment").WithHint("the chain was reset or the deployment file is stale: pass the chain's current deployments.json")
	}
	contracts, err := dep.Bind(cfg.Backend)
	if err != nil {
		return nil, err
	}
	chainID := dep.ChainIDBig()
	auth, err := bind.NewKeyedTransactorWithChainID(cfg.Key, chainID)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot sign for chain %s: %v", chainID, err).WithField("key")
	}
	c := &Collector{payee: crypto.PubkeyToAddress(cfg.Key.PublicKey), ledger: cfg.Ledger, log: cfg.Log, now: cfg.Now}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	keys := cfg.SessionKeys
	if keys == nil {
		if c.cached, err = NewChainSessionKeys(cfg.Backend, dep.Escrow, c.now); err != nil {
			return nil, err
		}
		keys = c.cached
	}
	c.wallet = NewWallet(c.payee, chainID, dep.Escrow, cfg.Ledger, WithSessionKeys(keys), WithClock(c.now))

	policy := cfg.Policy
	policy.Confirmations = cfg.Confirmations
	userClaim, userErr := cfg.Policy.OnClaim, cfg.Policy.OnError
	policy.OnClaim = func(tx common.Hash, paid *big.Int) {
		c.recordClaim(tx, paid)
		if userClaim != nil {
			userClaim(tx, paid)
		}
	}
	policy.OnError = func(err error) {
		c.log.Warn("claim failed; vouchers are kept and claimed again later", "err", err)
		if userErr != nil {
			userErr(err)
		}
	}
	c.claimer = NewClaimer(c.wallet, cfg.Backend, contracts, auth, policy)
	return c, nil
}

// Payee is the provider's address, which the vouchers pay.
func (c *Collector) Payee() common.Address { return c.payee }

// Wallet is the collector's voucher store.
func (c *Collector) Wallet() *Wallet { return c.wallet }

// Receive implements bonfire.VoucherReceiver: it checks v and keeps it if it
// raises what its payer owes.
func (c *Collector) Receive(ctx context.Context, v bonfire.Voucher) error {
	sv, err := FromVoucher(v)
	if err != nil {
		return err
	}
	return c.wallet.Accept(ctx, sv)
}

// Run claims by amount and interval until ctx ends, then once more, and
// returns that final claim's error. Claims are recorded as they confirm.
func (c *Collector) Run(ctx context.Context) error {
	return c.claimer.Run(ctx, nil)
}

// ClaimNow claims everything unclaimed at once and records the claim. With
// nothing to claim it sends nothing and returns the zero hash and zero.
func (c *Collector) ClaimNow(ctx context.Context) (common.Hash, *big.Int, error) {
	tx, paid, err := c.claimer.ClaimNow(ctx)
	if err == nil && tx != (common.Hash{}) {
		err = c.saveClaim(ctx, tx, paid)
	}
	return tx, paid, err
}

// Summary is the provider's earnings from the ledger, with the most recent
// claims.
func (c *Collector) Summary(ctx context.Context) (*Earnings, error) {
	return ReadEarnings(ctx, c.ledger, c.payee, RecentClaims)
}

// recordClaim is Run's OnClaim: a claim the ledger cannot record is still
// paid, so it is only logged.
func (c *Collector) recordClaim(tx common.Hash, paid *big.Int) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.saveClaim(ctx, tx, paid); err != nil {
		c.log.Warn("claim not recorded in the ledger", "tx", tx.Hex(), "paid", paid, "err", err)
	}
}

func (c *Collector) saveClaim(ctx context.Context, tx common.Hash, paid *big.Int) error {
	if c.cached != nil {
		// The claim raised what session keys have spent.
		c.cached.Forget()
	}
	c.log.Info("claimed vouchers", "tx", tx.Hex(), "paid", paid)
	return c.ledger.SaveClaim(ctx, c.payee, ClaimRecord{Tx: tx, Paid: orZero(paid), At: c.now()})
}

// FromVoucher turns the market's wire voucher into a SignedVoucher,
// refusing malformed addresses and amounts.
func FromVoucher(v bonfire.Voucher) (SignedVoucher, error) {
	var es bonfire.Errors
	for _, a := range []struct {
		field string
		v     bonfire.Address
	}{{"voucher.escrow", v.Escrow}, {"voucher.payer", v.Payer}, {"voucher.payee", v.Payee}} {
		if !common.IsHexAddress(string(a.v)) {
			es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not an Ethereum address", a.v).
				WithField(a.field).WithHint("the market sent a malformed voucher; it must name addresses as 0x and 40 hex digits"))
		}
	}
	if v.Cumulative == nil || v.Cumulative.Sign() < 0 || v.Cumulative.BitLen() > 256 {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "cumulative amount %v is missing or outside 0..2^256-1", v.Cumulative).
			WithField("voucher.cumulative").WithHint("the market sent a malformed voucher; amounts are uint256 base units"))
	}
	switch len(es) {
	case 0:
	case 1:
		return SignedVoucher{}, es[0]
	default:
		return SignedVoucher{}, es
	}
	return SignedVoucher{
		ChainID: new(big.Int).SetUint64(v.ChainID),
		Escrow:  common.HexToAddress(string(v.Escrow)),
		Voucher: evm.Voucher{
			Payer: common.HexToAddress(string(v.Payer)), Payee: common.HexToAddress(string(v.Payee)),
			CumulativeAmount: new(big.Int).Set(v.Cumulative),
		},
		Signature: append([]byte(nil), v.Signature...),
	}, nil
}
