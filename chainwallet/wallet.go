package chainwallet

import (
	"context"
	"math/big"
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
	client        *ethclient.Client
	dep           evm.Deployment
	contracts     *evm.Contracts
	chainID       *big.Int
	decimals      uint8
	symbol        string
	confirmations uint64
	journalDir    string
	journal       *journal // nil without WithJournal
}

// Option configures a Wallet in Connect.
type Option func(*Wallet)

// WithConfirmations makes every send wait until its block has n-1 blocks on
// top (n = 0 or 1: the receipt alone, the default). A chain that mines only
// when a transaction arrives, like the dev chain, makes those blocks only
// when someone else sends something.
func WithConfirmations(n uint64) Option { return func(w *Wallet) { w.confirmations = max(n, 1) } }

// WithJournal keeps a journal of sent but unconfirmed transactions in dir,
// one small JSON file per chain and account (created on first send). A
// Wallet on the same dir, in this process or a later one, waits for those
// transactions (sending them again if the node lost them) before it sends
// anything from the account, so a crash mid-send cannot make two
// transactions fight over one nonce. Without it nothing survives the process.
func WithJournal(dir string) Option { return func(w *Wallet) { w.journalDir = dir } }

// Connect dials rpcURL and checks that it serves dep's chain and contracts,
// then reads the token's decimals and symbol. Close the wallet when done.
func Connect(ctx context.Context, rpcURL string, dep *evm.Deployment, opts ...Option) (*Wallet, error) {
	if dep == nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "no deployment given").WithField("deployment").
			WithHint("pass the deployments.json the chain wrote")
	}
	client, chainID, err := dial(ctx, rpcURL)
	if err != nil {
		return nil, err
	}
	w, err := newWallet(ctx, client, chainID, rpcURL, dep)
	if err != nil {
		client.Close()
		return nil, err
	}
	w.confirmations = 1
	for _, o := range opts {
		o(w)
	}
	if w.journalDir != "" {
		w.journal = &journal{dir: w.journalDir, chainID: w.chainID}
	}
	return w, nil
}

func newWallet(ctx context.Context, client *ethclient.Client, chainID *big.Int, rpcURL string, dep *evm.Deployment) (*Wallet, error) {
	if !chainID.IsUint64() || chainID.Uint64() != dep.ChainID {
		return nil, wrongChain(rpcURL, chainID, dep.ChainID)
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

// Confirmations is how many blocks, counting its own, a send waits for.
func (w *Wallet) Confirmations() uint64 { return w.confirmations }

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

func unixTime(s uint64) time.Time {
	if s > 1<<62 {
		s = 1 << 62
	}
	return time.Unix(int64(s), 0).UTC()
}
