package chainwallet

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// syncWait is how long a node may take to mine a transaction sent with
// eth_sendRawTransactionSync before the wallet falls back to polling.
const syncWait = 30 * time.Second

// methodNotFound is the JSON-RPC code of a method the node lacks.
const methodNotFound = -32601

// txSyncTimeoutCode is eth_sendRawTransactionSync's code for "in the pool
// but not mined in time".
const txSyncTimeoutCode = 4

// Faucet mints amount of the test token to key's account. Only a
// deployment's own TestStablecoin has a faucet.
func (w *Wallet) Faucet(ctx context.Context, key *identity.Key, amount *big.Int) (*types.Receipt, error) {
	if !w.dep.TestToken {
		return nil, bonfire.Errorf(bonfire.ECodeForbidden, "the token %s has no faucet", w.dep.Token.Hex()).
			WithHint("only a development chain's test token can be minted; buy or transfer the token instead")
	}
	if err := positive(amount); err != nil {
		return nil, err
	}
	return w.send(ctx, key, "mint "+w.Format(amount), func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.contracts.Token.Faucet(o, o.From, amount)
	})
}

// Deposit moves amount of key's tokens into the escrow, approving the
// escrow first when its allowance is short. It returns the deposit's receipt.
func (w *Wallet) Deposit(ctx context.Context, key *identity.Key, amount *big.Int) (*types.Receipt, error) {
	if err := positive(amount); err != nil {
		return nil, err
	}
	from := common.HexToAddress(string(key.Address()))
	have, err := w.TokenBalance(ctx, from)
	if err != nil {
		return nil, err
	}
	if have.Cmp(amount) < 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot deposit %s: %s holds only %s", w.Format(amount), from.Hex(), w.Format(have)).
			WithField("amount").WithHint(w.topUpHint())
	}
	allowed, err := w.contracts.Token.Allowance(&bind.CallOpts{Context: ctx}, from, w.dep.Escrow)
	if err != nil {
		return nil, unavailable("read the escrow's allowance", err)
	}
	if allowed.Cmp(amount) < 0 {
		if _, err := w.send(ctx, key, "approve the escrow for "+w.Format(amount), func(o *bind.TransactOpts) (*types.Transaction, error) {
			return w.contracts.Token.Approve(o, w.dep.Escrow, amount)
		}); err != nil {
			return nil, err
		}
	}
	return w.send(ctx, key, "deposit "+w.Format(amount), func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.contracts.Escrow.Deposit(o, amount)
	})
}

// RequestWithdrawal starts the escrow's withdrawal delay for amount,
// replacing any pending request, and returns the request as recorded.
func (w *Wallet) RequestWithdrawal(ctx context.Context, key *identity.Key, amount *big.Int) (*Withdrawal, error) {
	if err := positive(amount); err != nil {
		return nil, err
	}
	if _, err := w.send(ctx, key, "request a withdrawal of "+w.Format(amount), func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.contracts.Escrow.RequestWithdrawal(o, amount)
	}); err != nil {
		return nil, err
	}
	p, err := w.PendingWithdrawal(ctx, common.HexToAddress(string(key.Address())))
	if err == nil && p == nil {
		err = bonfire.Errorf(bonfire.ECodeInternal, "the withdrawal request was mined but none is pending")
	}
	return p, err
}

// Withdraw completes key's pending withdrawal once its delay has passed and
// returns what was paid out: the amount requested, or less when payees
// claimed part of the balance during the delay.
func (w *Wallet) Withdraw(ctx context.Context, key *identity.Key) (*big.Int, error) {
	r, err := w.send(ctx, key, "complete the withdrawal", func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.contracts.Escrow.Withdraw(o)
	})
	if err != nil {
		return nil, err
	}
	for _, l := range r.Logs {
		if ev, err := w.contracts.Escrow.ParseWithdrawn(*l); err == nil && l.Address == w.dep.Escrow {
			return ev.Amount, nil
		}
	}
	return nil, bonfire.Errorf(bonfire.ECodeInternal, "withdrawal %s was mined without a Withdrawn event", r.TxHash.Hex())
}

// AuthorizeSessionKey lets session sign vouchers for key's account until
// expiry, for at most cap base units over the session key's whole life.
// Authorising the same session key again replaces cap and expiry.
func (w *Wallet) AuthorizeSessionKey(ctx context.Context, key *identity.Key, session common.Address, cap *big.Int, expiry time.Time) (*types.Receipt, error) {
	if cap == nil || cap.Sign() < 0 || cap.BitLen() > 128 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "the cap must be between 0 and 2^128-1 base units").
			WithField("cap").WithHint("give a smaller, non-negative cap")
	}
	if expiry.Unix() <= 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "the expiry %s is not after 1970", expiry).
			WithField("expiry").WithHint("give a time in the future")
	}
	return w.send(ctx, key, "authorise session key "+session.Hex(), func(o *bind.TransactOpts) (*types.Transaction, error) {
		return w.contracts.Escrow.AuthorizeSessionKey(o, session, cap, uint64(expiry.Unix()))
	})
}

// send builds a transaction signed by key, records it in the journal, sends
// it and waits for its receipt and confirmations. Transactions an earlier
// send or process left in flight for the account are settled first, so the
// nonce the node reports as next is really free. Contract reverts (found
// when estimating gas, before anything is sent) come back as errors that
// say what to do.
func (w *Wallet) send(ctx context.Context, key *identity.Key, what string, build func(*bind.TransactOpts) (*types.Transaction, error)) (*types.Receipt, error) {
	if key == nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "no key to sign with").WithField("key").
			WithHint("create a wallet key with `bonfire wallet new`")
	}
	from := common.HexToAddress(string(key.Address()))
	if _, err := w.Settle(ctx, from); err != nil {
		return nil, err
	}
	opts, err := bind.NewKeyedTransactorWithChainID(key.PrivateKey(), w.chainID)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "cannot sign for chain %s: %v", w.chainID, err)
	}
	opts.Context = ctx
	opts.NoSend = true
	// The nonce is left unset: bind takes it from the node's pending state,
	// which after Settle counts every transaction of the account.
	if opts.GasTipCap, opts.GasFeeCap, err = suggestFees(ctx, w.client); err != nil {
		return nil, w.sendError(what, from, err)
	}
	tx, err := build(opts)
	if err != nil {
		return nil, w.sendError(what, from, err)
	}
	if err := w.journal.add(from, tx, what, time.Now()); err != nil {
		return nil, err
	}
	r, refused, err := w.submit(ctx, tx)
	if refused {
		// The node answered no: the transaction is not in its pool and its
		// nonce is still free, so nothing is in flight.
		if jerr := w.journal.remove(from, tx.Hash()); jerr != nil {
			return nil, jerr
		}
	}
	if err == nil && r == nil {
		r, err = bind.WaitMined(ctx, w.client, tx)
	}
	if err != nil {
		return nil, w.sendError(what, from, err)
	}
	if err := evm.WaitConfirmed(ctx, w.client, r, w.confirmations); err != nil {
		return nil, err
	}
	if err := w.journal.remove(from, tx.Hash()); err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return nil, bonfire.Errorf(bonfire.ECodeConflict, "cannot %s: transaction %s reverted", what, tx.Hash().Hex()).
			WithHint("the chain state changed between estimating and mining; check the balances and try again")
	}
	return r, nil
}

// submit sends tx and returns its receipt when the node mined it at once
// (eth_sendRawTransactionSync, which the dev chain answers in milliseconds,
// where bind.WaitMined would poll once a second), else nil. refused reports
// that the node answered with an error, so tx is not in its pool; any other
// failure (a timeout, a broken connection) leaves that unknown.
func (w *Wallet) submit(ctx context.Context, tx *types.Transaction) (r *types.Receipt, refused bool, err error) {
	wait := syncWait
	r, err = w.client.SendTransactionSync(ctx, tx, &wait)
	var rpcErr rpc.Error
	switch {
	case err == nil:
		return r, false, nil
	case errors.As(err, &rpcErr) && rpcErr.ErrorCode() == txSyncTimeoutCode:
		return nil, false, nil // in the pool already: only the wait is left
	case errors.As(err, &rpcErr) && rpcErr.ErrorCode() == methodNotFound:
		if err = w.client.SendTransaction(ctx, tx); err == nil {
			return nil, false, nil
		}
	}
	return nil, errors.As(err, &rpcErr) && ctx.Err() == nil, err
}

func (w *Wallet) sendError(what string, from common.Address, err error) error {
	var be *bonfire.Error
	if errors.As(err, &be) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return bonfire.Errorf(bonfire.ECodeTimeout, "cannot %s: %v", what, err).
			WithHint("the transaction may still be mined: `bonfire wallet pending` waits for it, and the next send does so first")
	}
	if r, ok := evm.DecodeRevert(err); ok {
		return w.revertError(what, from, r)
	}
	if msg := err.Error(); strings.Contains(msg, "insufficient funds") {
		return bonfire.Errorf(bonfire.ECodeInvalid, "cannot %s: %s has no ether for gas", what, from.Hex()).
			WithHint("send the account some ether (a dev chain funds accounts listed in its Fund config)")
	}
	return unavailable(what, err)
}

// revertError says in words why the contract refused and what fixes it.
func (w *Wallet) revertError(what string, from common.Address, r *evm.RevertError) *bonfire.Error {
	arg := func(i int) *big.Int {
		if i < len(r.Args) {
			if v, ok := r.Args[i].(*big.Int); ok {
				return v
			}
		}
		return new(big.Int)
	}
	switch r.Name {
	case "WithdrawalNotReady":
		at := time.Unix(0, 0).UTC()
		if len(r.Args) > 0 {
			if v, ok := r.Args[0].(uint64); ok {
				at = unixTime(v)
			}
		}
		return bonfire.Errorf(bonfire.ECodeConflict, "cannot %s: the withdrawal becomes available at %s (the escrow's delay has not passed)", what, at.Format(time.RFC3339)).
			WithHint("run `bonfire wallet withdraw complete` again after that time")
	case "NoPendingWithdrawal":
		return bonfire.Errorf(bonfire.ECodeNotFound, "cannot %s: %s has no pending withdrawal", what, from.Hex()).
			WithHint("request one first with `bonfire wallet withdraw request AMOUNT`")
	case "InsufficientBalance":
		return bonfire.Errorf(bonfire.ECodeInvalid, "cannot %s: the escrow holds only %s for %s", what, w.Format(arg(1)), from.Hex()).
			WithField("amount").WithHint("ask for at most the escrow balance shown by `bonfire wallet balance`")
	case "ERC20InsufficientBalance":
		return bonfire.Errorf(bonfire.ECodeInvalid, "cannot %s: %s holds only %s", what, from.Hex(), w.Format(arg(1))).
			WithField("amount").WithHint(w.topUpHint())
	case "ERC20InsufficientAllowance":
		return bonfire.Errorf(bonfire.ECodeConflict, "cannot %s: the escrow may take only %s", what, w.Format(arg(1))).
			WithHint("retry: the deposit approves the escrow first")
	case "FaucetLimit":
		return bonfire.Errorf(bonfire.ECodeInvalid, "cannot %s: one faucet call mints at most %s", what, w.Format(arg(1))).
			WithField("amount").WithHint("ask for less, or call the faucet several times")
	case "ZeroAmount":
		return bonfire.Errorf(bonfire.ECodeInvalid, "cannot %s: the amount is zero", what).
			WithField("amount").WithHint("give an amount above zero")
	case "ExpiryInPast":
		return bonfire.Errorf(bonfire.ECodeInvalid, "cannot %s: the expiry is not in the future", what).
			WithField("expiry").WithHint("give an expiry after the chain's latest block time")
	case "InvalidSessionKey":
		return bonfire.Errorf(bonfire.ECodeInvalid, "cannot %s: the session key may be neither the zero address nor the wallet's own", what).
			WithField("session").WithHint("authorise a separate key made for the session")
	}
	return bonfire.Errorf(bonfire.ECodeConflict, "cannot %s: the contract %s", what, r.Error()).
		WithHint("check the balances with `bonfire wallet balance`")
}

func (w *Wallet) topUpHint() string {
	if w.dep.TestToken {
		return "get test tokens with `bonfire wallet faucet`"
	}
	return "transfer " + w.symbol + " to the wallet first"
}

func positive(amount *big.Int) error {
	if amount == nil || amount.Sign() <= 0 {
		return bonfire.Errorf(bonfire.ECodeInvalid, "the amount must be above zero").
			WithField("amount").WithHint("give an amount above zero")
	}
	return nil
}

func unavailable(what string, err error) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeUnavailable, "cannot %s: %v", what, err).
		WithHint("check that the chain is running (`bonfire up`) and --chain-rpc points at it")
}
