package settlement

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"math/big"
	"strings"
	"sync"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Arbiter carries out the market's slash orders on ProviderStake. Its key
// must hold the contract's ARBITER_ROLE (GrantArbiter). It implements
// bonfire.Slasher.
type Arbiter struct {
	backend   CollectorBackend
	contracts *evm.Contracts
	dep       *evm.Deployment
	auth      *bind.TransactOpts
	mu        sync.Mutex // one transaction at a time: they share the key's nonces
}

// NewArbiter returns an Arbiter sending from key's account.
func NewArbiter(key *ecdsa.PrivateKey, dep *evm.Deployment, backend CollectorBackend) (*Arbiter, error) {
	contracts, auth, err := sender("the arbiter", "the market's arbiter key", key, dep, backend)
	if err != nil {
		return nil, err
	}
	return &Arbiter{backend: backend, contracts: contracts, dep: dep, auth: auth}, nil
}

// Address is the arbiter's account.
func (a *Arbiter) Address() common.Address { return a.auth.From }

// Slash takes min(amount, stake) of provider's stake for consumer, citing
// evidence, and returns what it took. The contract reverts rather than
// take less than asked, so the stake is read first; a provider with no
// stake costs one call and no transaction.
func (a *Arbiter) Slash(ctx context.Context, provider, consumer bonfire.Address, amount uint64, evidence bonfire.Digest) (uint64, error) {
	ev, err := digestBytes32(evidence)
	if err != nil {
		return 0, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	p := common.HexToAddress(string(provider))
	staked, err := a.contracts.Stake.StakeOf(&bind.CallOpts{Context: ctx}, p)
	if err != nil {
		return 0, chainError("read the stake of "+p.Hex(), err)
	}
	take := new(big.Int).SetUint64(amount)
	if staked.Cmp(take) < 0 {
		take = staked
	}
	if take.Sign() == 0 {
		return 0, nil
	}
	opts := *a.auth
	opts.Context = ctx
	tx, err := a.contracts.Stake.Slash(&opts, p, take, common.HexToAddress(string(consumer)), ev)
	if err != nil {
		return 0, chainError("slash "+p.Hex(), err)
	}
	r, err := bind.WaitMined(ctx, a.backend, tx)
	if err != nil {
		return 0, chainError("wait for the slash transaction "+tx.Hash().Hex(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return 0, bonfire.Errorf(bonfire.ECodeUnavailable, "the slash transaction %s reverted", tx.Hash().Hex()).
			WithHint("check that the arbiter holds ARBITER_ROLE and has ether for gas")
	}
	return take.Uint64(), nil
}

// GrantArbiter gives arbiter ARBITER_ROLE on the deployment's
// ProviderStake, sending as admin (the deployer), unless it holds it.
func GrantArbiter(ctx context.Context, admin *bind.TransactOpts, dep *evm.Deployment, backend CollectorBackend, arbiter common.Address) error {
	contracts, err := dep.Bind(backend)
	if err != nil {
		return err
	}
	call := &bind.CallOpts{Context: ctx}
	role, err := contracts.Stake.ARBITERROLE(call)
	if err != nil {
		return chainError("read ARBITER_ROLE", err)
	}
	if has, err := contracts.Stake.HasRole(call, role, arbiter); err != nil {
		return chainError("read the arbiter's role", err)
	} else if has {
		return nil
	}
	opts := *admin
	opts.Context = ctx
	tx, err := contracts.Stake.GrantRole(&opts, role, arbiter)
	if err != nil {
		return chainError("grant ARBITER_ROLE to "+arbiter.Hex(), err)
	}
	r, err := bind.WaitMined(ctx, backend, tx)
	if err != nil {
		return chainError("wait for the role grant "+tx.Hash().Hex(), err)
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "granting ARBITER_ROLE reverted (transaction %s)", tx.Hash().Hex()).
			WithHint("send it from the account that deployed the contracts")
	}
	return nil
}

// digestBytes32 turns a "sha256:<hex>" digest into the contract's bytes32.
func digestBytes32(d bonfire.Digest) ([32]byte, error) {
	var out [32]byte
	if err := d.Validate(); err != nil {
		return out, bonfire.Errorf(bonfire.ECodeInvalid, "evidence: %v", err).WithField("evidence")
	}
	_, h, _ := strings.Cut(string(d), ":")
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 32 {
		return out, bonfire.Errorf(bonfire.ECodeInvalid, "evidence %q is not a 32-byte digest", d).WithField("evidence")
	}
	copy(out[:], b)
	return out, nil
}
