package settlement

import (
	"context"
	"math/big"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm/bindings"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
)

// SessionKeyState is what a payer allowed one session key on the escrow:
// the escrow's sessionKey(payer, key) view. The zero value (Expiry 0) is a
// key the payer never authorised.
type SessionKeyState struct {
	Cap     *big.Int // most the key may ever authorise, base units
	Spent   *big.Int // what claims have taken under it so far
	Expiry  uint64   // unix seconds; claims at or after it are refused
	Revoked bool
}

// Known reports whether the payer ever authorised the key.
func (s SessionKeyState) Known() bool { return s.Expiry != 0 }

// Remaining is cap − spent, never negative.
func (s SessionKeyState) Remaining() *big.Int {
	r := new(big.Int)
	if s.Cap != nil {
		r.Set(s.Cap)
	}
	if s.Spent != nil {
		r.Sub(r, s.Spent)
	}
	if r.Sign() < 0 {
		r.SetInt64(0)
	}
	return r
}

// Usable reports whether claims signed by the key would be honoured at now
// (known, not revoked, not expired), leaving the cap to the caller.
func (s SessionKeyState) Usable(now time.Time) bool {
	return s.Known() && !s.Revoked && !expired(s.Expiry, now)
}

// expired mirrors the escrow's `block.timestamp >= k.expiry`.
func expired(expiry uint64, now time.Time) bool {
	return now.Unix() >= 0 && uint64(now.Unix()) >= expiry
}

// SessionKeys reads what a payer authorised a session key to sign.
type SessionKeys interface {
	SessionKey(ctx context.Context, payer, key common.Address) (SessionKeyState, error)
}

// SessionKeyTTL is how long ChainSessionKeys trusts a usable key it read
// before reading it again. A payer's revocation therefore reaches a wallet
// within this time; vouchers accepted meanwhile are refused by the escrow at
// claim time, which is the real guard.
const SessionKeyTTL = 30 * time.Second

// ChainSessionKeys reads session keys from the escrow contract and caches
// usable ones for SessionKeyTTL. Unknown, revoked and expired keys are not
// cached, so a payer that authorises a key is believed at once.
type ChainSessionKeys struct {
	escrow *bindings.BonfireEscrowCaller
	now    func() time.Time

	mu    sync.Mutex
	cache map[[2]common.Address]cachedKey
}

type cachedKey struct {
	state  SessionKeyState
	readAt time.Time
}

// NewChainSessionKeys reads session keys of the escrow at escrow through
// caller. now is the clock for the cache and expiry (nil: time.Now).
func NewChainSessionKeys(caller bind.ContractCaller, escrow common.Address, now func() time.Time) (*ChainSessionKeys, error) {
	c, err := bindings.NewBonfireEscrowCaller(escrow, caller)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "bind escrow: %v", err)
	}
	if now == nil {
		now = time.Now
	}
	return &ChainSessionKeys{escrow: c, now: now, cache: map[[2]common.Address]cachedKey{}}, nil
}

// SessionKey implements SessionKeys.
func (c *ChainSessionKeys) SessionKey(ctx context.Context, payer, key common.Address) (SessionKeyState, error) {
	id := [2]common.Address{payer, key}
	now := c.now()
	c.mu.Lock()
	hit, ok := c.cache[id]
	c.mu.Unlock()
	if ok && now.Sub(hit.readAt) < SessionKeyTTL && hit.state.Usable(now) {
		return copyKeyState(hit.state), nil
	}
	k, err := c.escrow.SessionKey(&bind.CallOpts{Context: ctx}, payer, key)
	if err != nil {
		return SessionKeyState{}, chainError("read session key "+key.Hex()+" of "+payer.Hex(), err)
	}
	s := SessionKeyState{Cap: k.Cap, Spent: k.Spent, Expiry: k.Expiry, Revoked: k.Revoked}
	c.mu.Lock()
	if s.Usable(now) {
		c.cache[id] = cachedKey{state: s, readAt: now}
	} else {
		delete(c.cache, id)
	}
	c.mu.Unlock()
	return copyKeyState(s), nil
}

// Forget drops every cached key, so the next read sees the chain: after a
// claim has raised what keys have spent, for example.
func (c *ChainSessionKeys) Forget() {
	c.mu.Lock()
	clear(c.cache)
	c.mu.Unlock()
}

func copyKeyState(s SessionKeyState) SessionKeyState {
	c := s
	if s.Cap != nil {
		c.Cap = new(big.Int).Set(s.Cap)
	}
	if s.Spent != nil {
		c.Spent = new(big.Int).Set(s.Spent)
	}
	return c
}
