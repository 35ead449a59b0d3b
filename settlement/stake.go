package settlement

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// StakeState is a provider's stake on ProviderStake.
type StakeState struct {
	Staked *big.Int // base units, including any amount requested for unstaking
	// Unstaking is the pending unstake request, zero when none.
	Unstaking *big.Int
	// AvailableAt is when Unstake may complete the request; zero when none.
	AvailableAt time.Time
}

// Staker puts a provider's tokens at stake and takes them back, through the
// contract's request-then-wait unstaking (the delay is the window in which
// the arbiter may still slash).
type Staker struct {
	backend   CollectorBackend
	contracts *evm.Contracts
	dep       *evm.Deployment
	auth      *bind.TransactOpts
}

// NewStaker returns a Staker sending from key's account.
func NewStaker(key *ecdsa.PrivateKey, dep *evm.Deployment, backend CollectorBackend) (*Staker, error) {
	contracts, auth, err := sender("staking", "the provider's key", key, dep, backend)
	if err != nil {
		return nil, err
	}
	return &Staker{backend: backend, contracts: contracts, dep: dep, auth: auth}, nil
}

// sender binds the deployment's contracts and signs as key, for one of
// the roles that send transactions (staking, arbitration).
func sender(what, whose string, key *ecdsa.PrivateKey, dep *evm.Deployment, backend CollectorBackend) (*evm.Contracts, *bind.TransactOpts, error) {
	if key == nil || dep == nil || backend == nil {
		return nil, nil, bonfire.Errorf(bonfire.ECodeInvalid, "%s needs a key, a deployment and a chain backend", what).
			WithHint("load " + whose + " and connect to the chain first")
	}
	contracts, err := dep.Bind(backend)
	if err != nil {
		return nil, nil, err
	}
	auth, err := bind.NewKeyedTransactorWithChainID(key, dep.ChainIDBig())
	if err != nil {
		return nil, nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot sign for chain %d: %v", dep.ChainID, err).WithField("key")
	}
	return contracts, auth, nil
}

// Address is the staking account.
func (s *Staker) Address() common.Address { return s.auth.From }

// State reads the account's stake and pending unstake.
func (s *Staker) State(ctx context.Context) (*StakeState, error) {
	opts := &bind.CallOpts{Context: ctx}
	staked, err := s.contracts.Stake.StakeOf(opts, s.auth.From)
	if err != nil {
		return nil, chainError("read the stake of "+s.auth.From.Hex(), err)
	}
	p, err := s.contracts.Stake.PendingUnstake(opts, s.auth.From)
	if err != nil {
		return nil, chainError("read the pending unstake of "+s.auth.From.Hex(), err)
	}
	st := &StakeState{Staked: staked, Unstaking: orZero(p.Amount)}
	if p.AvailableAt != 0 {
		st.AvailableAt = time.Unix(int64(min(p.AvailableAt, 1<<62)), 0).UTC()
	}
	return st, nil
}

// Stake moves amount of the account's tokens into the stake, approving the
// stake contract first when its allowance is short.
func (s *Staker) Stake(ctx context.Context, amount *big.Int) (*StakeState, error) {
	if amount == nil || amount.Sign() <= 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "stake amount must be positive").WithField("amount").
			WithHint("give an amount of tokens like 10 or 2.5")
	}
	opts := &bind.CallOpts{Context: ctx}
	have, err := s.contracts.Token.BalanceOf(opts, s.auth.From)
	if err != nil {
		return nil, chainError("read the token balance of "+s.auth.From.Hex(), err)
	}
	if have.Cmp(amount) < 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot stake %s base units: %s holds only %s", amount, s.auth.From.Hex(), have).
			WithField("amount").WithHint("stake less, or earn or transfer tokens to the provider's address first")
	}
	allowed, err := s.contracts.Token.Allowance(opts, s.auth.From, s.dep.Stake)
	if err != nil {
		return nil, chainError("read the token allowance", err)
	}
	if allowed.Cmp(amount) < 0 {
		if _, err := s.send(ctx, "approve the stake contract", func(o *bind.TransactOpts) (*types.Transaction, error) {
			return s.contracts.Token.Approve(o, s.dep.Stake, amount)
		}); err != nil {
			return nil, err
		}
	}
	if _, err := s.send(ctx, "stake", func(o *bind.TransactOpts) (*types.Transaction, error) {
		return s.contracts.Stake.Stake(o, amount)
	}); err != nil {
		return nil, err
	}
	return s.State(ctx)
}

// RequestUnstake starts the unstake delay for amount, replacing any pending
// request (and restarting its delay).
func (s *Staker) RequestUnstake(ctx context.Context, amount *big.Int) (*StakeState, error) {
	if amount == nil || amount.Sign() <= 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "unstake amount must be positive").WithField("amount").
			WithHint("give an amount of tokens like 10 or 2.5")
	}
	if _, err := s.send(ctx, "request to unstake", func(o *bind.TransactOpts) (*types.Transaction, error) {
		return s.contracts.Stake.RequestUnstake(o, amount)
	}); err != nil {
		return nil, err
	}
	return s.State(ctx)
}

// Unstake pays out the pending request once its delay has passed and
// returns what it paid (less than requested if the stake was slashed since).
func (s *Staker) Unstake(ctx context.Context) (*big.Int, error) {
	r, err := s.send(ctx, "unstake", func(o *bind.TransactOpts) (*types.Transaction, error) {
		return s.contracts.Stake.Unstake(o)
	})
	if err != nil {
		return nil, err
	}
	for _, l := range r.Logs {
		if ev, err := s.contracts.Stake.ParseUnstaked(*l); err == nil && l.Address == s.dep.Stake {
			return ev.Amount, nil
		}
	}
	return new(big.Int), nil
}

// send builds, sends and waits for one transaction, turning the stake
// contract's reverts into errors that say what to do.
func (s *Staker) send(ctx context.Context, what string, build func(*bind.TransactOpts) (*types.Transaction, error)) (*types.Receipt, error) {
	opts := *s.auth
	opts.Context = ctx
	tx, err := build(&opts)
	if err != nil {
		return nil, s.stakeError(what, err)
	}
	r, err := bind.WaitMined(ctx, s.backend, tx)
	if err != nil {
		return nil, chainError("wait for the "+what+" transaction "+tx.Hash().Hex(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "the %s transaction %s reverted", what, tx.Hash().Hex()).
			WithHint("check the provider account's ether for gas and try again")
	}
	return r, nil
}

func (s *Staker) stakeError(what string, err error) error {
	r, ok := evm.DecodeRevert(err)
	if !ok {
		return chainError(what, err)
	}
	switch r.Name {
	case "InsufficientStake":
		return bonfire.Errorf(bonfire.ECodeInvalid, "cannot %s: %s", what, stakeRevertText(r)).WithField("amount").
			WithHint("see the stake with `bonfire provider stake --show` and ask for at most that")
	case "NoPendingUnstake":
		return bonfire.Errorf(bonfire.ECodeNotFound, "there is no unstake request to complete").
			WithHint("start one with `bonfire provider unstake request AMOUNT`, then wait out the delay")
	case "UnstakeNotReady":
		return bonfire.Errorf(bonfire.ECodeConflict, "cannot %s yet: %s", what, stakeRevertText(r)).
			WithHint("wait until the unstake delay has passed; `bonfire provider stake --show` says when")
	case "ZeroAmount":
		return bonfire.Errorf(bonfire.ECodeInvalid, "cannot %s nothing", what).WithField("amount").
			WithHint("give a positive amount")
	}
	return chainError(what, err)
}

func stakeRevertText(r *evm.RevertError) string {
	switch r.Name {
	case "InsufficientStake":
		if len(r.Args) == 2 {
			return "asked for " + argString(r.Args[0]) + " base units but only " + argString(r.Args[1]) + " are staked"
		}
	case "UnstakeNotReady":
		if len(r.Args) == 1 {
			if at, ok := r.Args[0].(uint64); ok {
				return "the stake is released at " + time.Unix(int64(min(at, 1<<62)), 0).UTC().Format(time.RFC3339)
			}
		}
	}
	return r.Error()
}

func argString(a any) string {
	if b, ok := a.(*big.Int); ok {
		return b.String()
	}
	return fmt.Sprint(a)
}
