package chainwallet

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math/big"
	"os"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
)

// Wallet reads balances and sends a payer's transactions on one chain and
// deployment. It is safe for concurrent reads; sends from the same key must
// not race one another (each takes its nonce from the pending state).
type Wallet struct {
	client    *ethclient.Client
	dep       evm.Deployment
	contracts *evm.Contracts
	chainID   *big.Int
	decimals  uint8
	symbol    string
}

// Connect dials rpcURL and checks that it serves dep's chain and contracts,
// then reads the token's decimals and symbol. Close the wallet when done.
func Connect(ctx context.Context, rpcURL string, dep *evm.Deployment) (*Wallet, error) {
	if dep == nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "no deployment given").WithField("deployment").
			WithHint("pass the deployments.json the chain wrote")
	}
	client, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot use chain endpoint %q: %v", rpcURL, err).
			WithField("chainRPC").WithHint(`give an http:// or ws:// URL like "http://127.0.0.1:8545"`)
	}
	w, err := newWallet(ctx, client, rpcURL, dep)
	if err != nil {
		client.Close()
		return nil, err
	}
	return w, nil
}

func newWallet(ctx context.Context, client *ethclient.Client, rpcURL string, dep *evm.Deployment) (*Wallet, error) {
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "no chain answers at %s: %v", rpcURL, err).
			WithField("chainRPC").WithHint("start the chain with `bonfire up`, or pass --chain-rpc with the URL of a running one")
	}
	if chainID.Uint64() != dep.ChainID || !chainID.IsUint64() {
		return nil, bonfire.Errorf(bonfire.ECodeConflict, "the chain at %s has chain id %s but the deployment is for chain %d", rpcURL, chainID, dep.ChainID).
			WithField("deployment").WithHint("pass the deployments.json of the chain you are connecting to")
	}
	code, err := client.CodeAt(ctx, dep.Escrow, nil)
	if err != nil {
		return nil, unavailable("read the escrow contract", err)
	}
	if len(code) == 0 {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "there is no escrow contract at %s on the chain at %s", dep.Escrow.Hex(), rpcURL).
			WithField("deployment").WithHint("the chain was reset or the deployment file is stale: pass the chain's current deployments.json")
	}
	contracts, err := dep.Bind(client)
	if err != nil {
		return nil, err
	}
	w := &Wallet{client: client, dep: *dep, contracts: contracts, chainID: chainID}
	if w.decimals, err = contracts.Token.Decimals(&bind.CallOpts{Context: ctx}); err != nil {
		return nil, unavailable("read the token's decimals", err)
	}
	if w.symbol, err = contracts.Token.Symbol(&bind.CallOpts{Context: ctx}); err != nil {
		return nil, unavailable("read the token's symbol", err)
	}
	return w, nil
}

// Close closes the connection.
func (w *Wallet) Close() { w.client.Close() }

// Deployment is the deployment the wallet uses.
func (w *Wallet) Deployment() evm.Deployment { return w.dep }

// Decimals is the token's number of decimals (6 for tUSD).
func (w *Wallet) Decimals() uint8 { return w.decimals }

// Symbol is the token's symbol ("tUSD").
func (w *Wallet) Symbol() string { return w.symbol }

// Format writes base units of the token for people: "12.5 tUSD".
func (w *Wallet) Format(amount *big.Int) string { return FormatAmount(amount, w.decimals, w.symbol) }

// Parse reads an amount of the token typed by a person ("12.5").
func (w *Wallet) Parse(s string) (*big.Int, error) { return ParseAmount(s, w.decimals) }

// ETHBalance is addr's ether in wei.
func (w *Wallet) ETHBalance(ctx context.Context, addr common.Address) (*big.Int, error) {
	v, err := w.client.BalanceAt(ctx, addr, nil)
	if err != nil {
		return nil, unavailable("read the ether balance of "+addr.Hex(), err)
	}
	return v, nil
}

// TokenBalance is addr's token balance in base units, outside the escrow.
func (w *Wallet) TokenBalance(ctx context.Context, addr common.Address) (*big.Int, error) {
	v, err := w.contracts.Token.BalanceOf(&bind.CallOpts{Context: ctx}, addr)
	if err != nil {
		return nil, unavailable("read the token balance of "+addr.Hex(), err)
	}
	return v, nil
}

// EscrowBalance is what addr deposited in the escrow and payees have not
// yet claimed nor addr withdrawn, in base units. A pending withdrawal is
// still part of it until completed.
func (w *Wallet) EscrowBalance(ctx context.Context, addr common.Address) (*big.Int, error) {
	v, err := w.contracts.Escrow.BalanceOf(&bind.CallOpts{Context: ctx}, addr)
	if err != nil {
		return nil, unavailable("read the escrow balance of "+addr.Hex(), err)
	}
	return v, nil
}

// Withdrawal is a requested escrow withdrawal.
type Withdrawal struct {
	// Amount is what was requested, in base units. Withdraw pays the smaller
	// of it and the escrow balance left after claims made during the delay.
	Amount *big.Int
	// AvailableAt is when Withdraw may complete it.
	AvailableAt time.Time
}

// PendingWithdrawal is addr's requested withdrawal; nil when there is none.
func (w *Wallet) PendingWithdrawal(ctx context.Context, addr common.Address) (*Withdrawal, error) {
	p, err := w.contracts.Escrow.PendingWithdrawal(&bind.CallOpts{Context: ctx}, addr)
	if err != nil {
		return nil, unavailable("read the pending withdrawal of "+addr.Hex(), err)
	}
	if p.AvailableAt == 0 {
		return nil, nil
	}
	return &Withdrawal{Amount: p.Amount, AvailableAt: unixTime(p.AvailableAt)}, nil
}

// SessionKey is a key a payer allowed to sign vouchers on its behalf.
type SessionKey struct {
	Cap     *big.Int  // most it may ever authorise, base units
	Spent   *big.Int  // what claims have taken under it so far
	Expiry  time.Time // after which its vouchers are refused
	Revoked bool
}

// SessionKey reads what payer authorised key to spend; nil when payer never
// authorised it.
func (w *Wallet) SessionKey(ctx context.Context, payer, key common.Address) (*SessionKey, error) {
	k, err := w.contracts.Escrow.SessionKey(&bind.CallOpts{Context: ctx}, payer, key)
	if err != nil {
		return nil, unavailable("read session key "+key.Hex(), err)
	}
	if k.Expiry == 0 {
		return nil, nil
	}
	return &SessionKey{Cap: k.Cap, Spent: k.Spent, Expiry: unixTime(k.Expiry), Revoked: k.Revoked}, nil
}

// Balances is everything an account holds that a wallet shows.
type Balances struct {
	Address           common.Address
	ETH               *big.Int    // wei
	Token             *big.Int    // base units in the account
	Escrow            *big.Int    // base units deposited and not yet claimed or withdrawn
	PendingWithdrawal *Withdrawal // nil when none
}

// Balances reads all of addr's balances.
func (w *Wallet) Balances(ctx context.Context, addr common.Address) (*Balances, error) {
	b := &Balances{Address: addr}
	var err error
	if b.ETH, err = w.ETHBalance(ctx, addr); err != nil {
		return nil, err
	}
	if b.Token, err = w.TokenBalance(ctx, addr); err != nil {
		return nil, err
	}
	if b.Escrow, err = w.EscrowBalance(ctx, addr); err != nil {
		return nil, err
	}
	if b.PendingWithdrawal, err = w.PendingWithdrawal(ctx, addr); err != nil {
		return nil, err
	}
	return b, nil
}

// ReadDeploymentFile reads a deployments.json as package evm/devchain
// writes it (an evm.Deployment).
func ReadDeploymentFile(path string) (*evm.Deployment, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "there is no deployment file %s", path).
			WithField("deployments").WithHint("start the chain once with `bonfire up` to deploy the contracts, or pass --deployments FILE")
	}
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot read the deployment file %s: %v", path, err).
			WithField("deployments").WithHint("check the file's permissions")
	}
	d := new(evm.Deployment)
	if err := json.Unmarshal(data, d); err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%s is not a deployment file: %v", path, err).
			WithField("deployments").WithHint("pass the deployments.json the chain wrote")
	}
	var zero common.Address
	if d.ChainID == 0 || d.Token == zero || d.Escrow == zero {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%s names no chain id, token or escrow", path).
			WithField("deployments").WithHint("pass the deployments.json the chain wrote")
	}
	return d, nil
}

func unixTime(s uint64) time.Time {
	if s > 1<<62 {
		s = 1 << 62
	}
	return time.Unix(int64(s), 0).UTC()
}
