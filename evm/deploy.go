package evm

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm/bindings"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// MaxFeeBps is the highest protocol fee BonfireEscrow accepts (10%).
const MaxFeeBps = 1000

// Backend is what deploying and talking to the contracts needs from a chain
// client: an *ethclient.Client or a simchain client.
type Backend interface {
	bind.ContractBackend
	bind.DeployBackend
	ChainID(ctx context.Context) (*big.Int, error)
}

// Params configures a deployment.
type Params struct {
	// Token is the settlement token. Zero deploys a TestStablecoin (tUSD),
	// which only makes sense on a development chain.
	Token common.Address
	// FeeBps is the protocol fee in basis points, 0..MaxFeeBps.
	FeeBps uint16
	// FeeRecipient receives fees; required when FeeBps > 0.
	FeeRecipient common.Address
	// WithdrawDelay is how long a payer waits between requesting and taking
	// a withdrawal: the window payees have to claim. Whole seconds.
	WithdrawDelay time.Duration
	// UnstakeDelay is how long a provider waits to take its stake out: the
	// window the arbiter has to slash. Whole seconds.
	UnstakeDelay time.Duration
	// Arbiter may slash stakes. The deploying account administers the role.
	Arbiter common.Address
}

// Deployment records where the contracts are and how they were configured.
// It is what a market or a client loads to find them (hence the JSON tags).
type Deployment struct {
	ChainID       uint64           `json:"chainId"`
	Token         common.Address   `json:"token"`
	TestToken     bool             `json:"testToken"` // Token is a TestStablecoin with an open faucet
	Escrow        common.Address   `json:"escrow"`
	Stake         common.Address   `json:"stake"`
	FeeBps        uint16           `json:"feeBps"`
	FeeRecipient  common.Address   `json:"feeRecipient"`
	WithdrawDelay bonfire.Duration `json:"withdrawDelay"`
	UnstakeDelay  bonfire.Duration `json:"unstakeDelay"`
	Arbiter       common.Address   `json:"arbiter"`
	Block         uint64           `json:"block"` // block of the last deployment transaction, where log scans can start
}

// Validate reports every problem with p at once.
func (p Params) Validate() error {
	var es bonfire.Errors
	if p.FeeBps > MaxFeeBps {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "fee of %d basis points is above the maximum %d", p.FeeBps, MaxFeeBps).
			WithField("feeBps").WithHint("use at most 1000 (10%)"))
	}
	if p.FeeBps > 0 && p.FeeRecipient == (common.Address{}) {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "a fee is set but nobody receives it").
			WithField("feeRecipient").WithHint("set the address that collects protocol fees, or set feeBps to 0"))
	}
	for _, d := range []struct {
		field string
		v     time.Duration
	}{{"withdrawDelay", p.WithdrawDelay}, {"unstakeDelay", p.UnstakeDelay}} {
		if d.v < 0 || d.v%time.Second != 0 {
			es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "%s is not a non-negative whole number of seconds", d.v).
				WithField(d.field).WithHint(`write it like "24h" or "90s"`))
		}
	}
	if p.Arbiter == (common.Address{}) {
		es = append(es, bonfire.Errorf(bonfire.ECodeInvalid, "arbiter is the zero address").
			WithField("arbiter").WithHint("set the address allowed to slash provider stakes"))
	}
	return es.Err()
}

// Deploy deploys the settlement contracts from auth's account and waits until
// they are mined: a TestStablecoin when p.Token is zero, then BonfireEscrow
// and ProviderStake. The deploying account becomes ProviderStake's admin.
func Deploy(ctx context.Context, backend Backend, auth *bind.TransactOpts, p Params) (*Deployment, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	chainID, err := backend.ChainID(ctx)
	if err != nil {
		return nil, unavailable("read the chain id", err)
	}
	opts := *auth
	opts.Context = ctx

	d := &Deployment{
		ChainID:       chainID.Uint64(),
		Token:         p.Token,
		FeeBps:        p.FeeBps,
		FeeRecipient:  p.FeeRecipient,
		WithdrawDelay: bonfire.Duration(p.WithdrawDelay),
		UnstakeDelay:  bonfire.Duration(p.UnstakeDelay),
		Arbiter:       p.Arbiter,
	}
	// Sent back to back and awaited together: on a real chain that is one
	// block's wait rather than three. The nonces come from the pending state.
	var txs []*types.Transaction
	if d.Token == (common.Address{}) {
		addr, tx, _, err := bindings.DeployTestStablecoin(&opts, backend)
		if err != nil {
			return nil, unavailable("deploy TestStablecoin", err)
		}
		d.Token, d.TestToken = addr, true
		txs = append(txs, tx)
	}
	addr, tx, _, err := bindings.DeployBonfireEscrow(&opts, backend, d.Token, p.FeeBps, p.FeeRecipient, uint64(p.WithdrawDelay/time.Second))
	if err != nil {
		return nil, unavailable("deploy BonfireEscrow", err)
	}
	d.Escrow = addr
	txs = append(txs, tx)
	addr, tx, _, err = bindings.DeployProviderStake(&opts, backend, d.Token, uint64(p.UnstakeDelay/time.Second), p.Arbiter)
	if err != nil {
		return nil, unavailable("deploy ProviderStake", err)
	}
	d.Stake = addr
	txs = append(txs, tx)

	for _, tx := range txs {
		if _, err := bind.WaitDeployed(ctx, backend, tx); err != nil {
			return nil, unavailable("wait for deployment transaction "+tx.Hash().Hex(), err)
		}
		receipt, err := backend.TransactionReceipt(ctx, tx.Hash())
		if err != nil {
			return nil, unavailable("read deployment receipt", err)
		}
		d.Block = max(d.Block, receipt.BlockNumber.Uint64())
	}
	return d, nil
}

// Contracts are bound handles to a deployment's contracts.
type Contracts struct {
	// Token is bound with the TestStablecoin ABI, whose ERC-20 methods work
	// on any standard token; Faucet works only when TestToken is set.
	Token  *bindings.TestStablecoin
	Escrow *bindings.BonfireEscrow
	Stake  *bindings.ProviderStake
}

// Bind returns handles to d's contracts on backend.
func (d *Deployment) Bind(backend bind.ContractBackend) (*Contracts, error) {
	token, err := bindings.NewTestStablecoin(d.Token, backend)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "bind token: %v", err)
	}
	escrow, err := bindings.NewBonfireEscrow(d.Escrow, backend)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "bind escrow: %v", err)
	}
	stake, err := bindings.NewProviderStake(d.Stake, backend)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "bind stake: %v", err)
	}
	return &Contracts{Token: token, Escrow: escrow, Stake: stake}, nil
}

// ChainIDBig returns d.ChainID as the *big.Int that signing functions take.
func (d *Deployment) ChainIDBig() *big.Int { return new(big.Int).SetUint64(d.ChainID) }

func unavailable(what string, err error) *bonfire.Error {
	msg := err.Error()
	if r, ok := DecodeRevert(err); ok {
		msg = r.Error()
	}
	return bonfire.Errorf(bonfire.ECodeUnavailable, "cannot %s: %s", what, msg).
		WithHint("check that the chain endpoint is reachable and the deploying account has funds for gas")
}

// ParseDeployment decodes a deployments file (the JSON Deployment marshals
// to) and checks that it names the chain and every contract.
func ParseDeployment(data []byte) (*Deployment, error) {
	d := new(Deployment)
	if err := json.Unmarshal(data, d); err != nil {
		return nil, err
	}
	var zero common.Address
	if d.ChainID == 0 || d.Token == zero || d.Escrow == zero || d.Stake == zero {
		return nil, errors.New("it names no chain id, or a contract address is missing")
	}
	return d, nil
}
