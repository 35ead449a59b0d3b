package evm_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/simchain"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Account roles on every test chain.
const (
	deployer     = 0
	arbiter      = 1
	feeRecipient = 2
	firstUser    = 3 // payers, payees and providers are accounts from here on
)

const (
	testFeeBps        = 250 // 2.5%
	testWithdrawDelay = time.Hour
	testUnstakeDelay  = 2 * time.Hour
)

// Skip reasons, mirroring BonfireEscrow.SkipReason.
const (
	skipNothingDue uint8 = iota
	skipNoBalance
	skipWrongPayee
	skipBadSignature
	skipKeyRevoked
	skipKeyExpired
	skipKeyOverCap
)

// usd is n whole tUSD in base units (6 decimals).
func usd(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1_000_000)) }

type env struct {
	tb     testing.TB
	ctx    context.Context
	chain  *simchain.Chain
	client *simchain.Client
	dep    *evm.Deployment
	k      *evm.Contracts
}

func newEnv(tb testing.TB, opts simchain.Options) *env {
	tb.Helper()
	chain, err := simchain.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = chain.Close() })
	e := &env{tb: tb, ctx: context.Background(), chain: chain, client: chain.Client()}
	e.dep = e.deploy(common.Address{})
	e.k = e.bind(e.dep)
	return e
}

func (e *env) deploy(token common.Address) *evm.Deployment {
	e.tb.Helper()
	d, err := evm.Deploy(e.ctx, e.client, e.chain.Auth(deployer), evm.Params{
		Token:         token,
		FeeBps:        testFeeBps,
		FeeRecipient:  e.chain.Address(feeRecipient),
		WithdrawDelay: testWithdrawDelay,
		UnstakeDelay:  testUnstakeDelay,
		Arbiter:       e.chain.Address(arbiter),
	})
	if err != nil {
		e.tb.Fatalf("deploy: %v", err)
	}
	return d
}

func (e *env) bind(d *evm.Deployment) *evm.Contracts {
	e.tb.Helper()
	k, err := d.Bind(e.client)
	if err != nil {
		e.tb.Fatal(err)
	}
	return k
}

// mine checks that a binding's transaction was sent and succeeded.
func (e *env) mine(tx *types.Transaction, err error) *types.Receipt {
	e.tb.Helper()
	if err != nil {
		if r, ok := evm.DecodeRevert(err); ok {
			e.tb.Fatalf("transaction failed: %v", r)
		}
		e.tb.Fatalf("transaction failed: %v", err)
	}
	receipt, err := bind.WaitMined(e.ctx, e.client, tx)
	if err != nil {
		e.tb.Fatal(err)
	}
	if receipt.Status != types.ReceiptStatusSuccessful {
		e.tb.Fatalf("transaction %s reverted (gas used %d of %d)", tx.Hash().Hex(), receipt.GasUsed, tx.Gas())
	}
	return receipt
}

// reverts checks that a binding call failed with the named custom error.
func (e *env) reverts(want string, _ *types.Transaction, err error) {
	e.tb.Helper()
	if err == nil {
		e.tb.Fatalf("transaction succeeded, want revert %s", want)
	}
	r, ok := evm.DecodeRevert(err)
	if !ok {
		e.tb.Fatalf("error %v carries no known revert, want %s", err, want)
	}
	if r.Name != want {
		e.tb.Fatalf("reverted with %v, want %s", r, want)
	}
}

func (e *env) call() *bind.CallOpts { return &bind.CallOpts{Context: e.ctx} }

// fundAndDeposit mints amount to account i and deposits it into the escrow.
func (e *env) fundAndDeposit(i int, amount *big.Int) {
	e.tb.Helper()
	e.mine(e.k.Token.Faucet(e.chain.Auth(i), e.chain.Address(i), amount))
	e.mine(e.k.Token.Approve(e.chain.Auth(i), e.dep.Escrow, amount))
	e.mine(e.k.Escrow.Deposit(e.chain.Auth(i), amount))
}

func (e *env) tokenBalance(a common.Address) *big.Int {
	e.tb.Helper()
	b, err := e.k.Token.BalanceOf(e.call(), a)
	if err != nil {
		e.tb.Fatal(err)
	}
	return b
}

func (e *env) escrowBalance(a common.Address) *big.Int {
	e.tb.Helper()
	b, err := e.k.Escrow.BalanceOf(e.call(), a)
	if err != nil {
		e.tb.Fatal(err)
	}
	return b
}

func (e *env) claimed(payer, payee common.Address) *big.Int {
	e.tb.Helper()
	b, err := e.k.Escrow.Claimed(e.call(), payer, payee)
	if err != nil {
		e.tb.Fatal(err)
	}
	return b
}

func (e *env) now() uint64 {
	e.tb.Helper()
	t, err := e.chain.Now(e.ctx)
	if err != nil {
		e.tb.Fatal(err)
	}
	return t
}

func (e *env) advance(d time.Duration) {
	e.tb.Helper()
	if err := e.chain.AdvanceTime(d); err != nil {
		e.tb.Fatal(err)
	}
}

// sign signs a voucher for this env's escrow.
func (e *env) sign(key *ecdsa.PrivateKey, payer, payee common.Address, cumulative *big.Int) (evm.Voucher, []byte) {
	e.tb.Helper()
	v := evm.Voucher{Payer: payer, Payee: payee, CumulativeAmount: cumulative}
	sig, err := evm.SignVoucher(key, e.chain.ChainID(), e.dep.Escrow, v)
	if err != nil {
		e.tb.Fatal(err)
	}
	return v, sig
}

// outcome is what claim did with one voucher: paid or skipped for a reason.
type outcome struct {
	payer   common.Address
	paid    *big.Int // nil when skipped
	fee     *big.Int
	skipped bool
	reason  uint8
}

func (o outcome) String() string {
	if o.skipped {
		return fmt.Sprintf("{payer %s skipped, reason %d}", o.payer.Hex(), o.reason)
	}
	return fmt.Sprintf("{payer %s paid %s, fee %s}", o.payer.Hex(), o.paid, o.fee)
}

// claim sends a claim as account payee and returns what happened to each
// voucher, in order, decoded from the receipt's events.
func (e *env) claim(payee int, vs []evm.Voucher, sigs [][]byte) ([]outcome, *types.Receipt) {
	e.tb.Helper()
	receipt := e.mine(e.k.Escrow.Claim(e.chain.Auth(payee), vs, sigs))
	return e.outcomes(receipt), receipt
}

func (e *env) outcomes(receipt *types.Receipt) []outcome {
	e.tb.Helper()
	var out []outcome
	for _, l := range receipt.Logs {
		if l.Address != e.dep.Escrow {
			continue
		}
		if c, err := e.k.Escrow.ParseClaimed(*l); err == nil {
			out = append(out, outcome{payer: c.Payer, paid: c.Amount, fee: c.Fee})
			continue
		}
		if s, err := e.k.Escrow.ParseVoucherSkipped(*l); err == nil {
			out = append(out, outcome{payer: s.Payer, skipped: true, reason: s.Reason})
		}
	}
	return out
}

// wantPaid checks a single-voucher claim paid amount (gross).
func (e *env) wantPaid(out []outcome, amount *big.Int) {
	e.tb.Helper()
	if len(out) != 1 {
		e.tb.Fatalf("got %d outcomes, want 1: %+v", len(out), out)
	}
	if out[0].skipped {
		e.tb.Fatalf("voucher skipped (reason %d), want paid %s", out[0].reason, amount)
	}
	if out[0].paid.Cmp(amount) != 0 {
		e.tb.Fatalf("paid %s, want %s", out[0].paid, amount)
	}
}

// wantSkipped checks a single-voucher claim was skipped for reason.
func (e *env) wantSkipped(out []outcome, reason uint8) {
	e.tb.Helper()
	if len(out) != 1 {
		e.tb.Fatalf("got %d outcomes, want 1: %+v", len(out), out)
	}
	if !out[0].skipped {
		e.tb.Fatalf("voucher paid %s, want skipped with reason %d", out[0].paid, reason)
	}
	if out[0].reason != reason {
		e.tb.Fatalf("skipped with reason %d, want %d", out[0].reason, reason)
	}
}

func wantEq(tb testing.TB, what string, got, want *big.Int) {
	tb.Helper()
	if got.Cmp(want) != 0 {
		tb.Fatalf("%s = %s, want %s", what, got, want)
	}
}

// newKey returns a fresh key that is no chain account: a session key.
func newKey(tb testing.TB) *ecdsa.PrivateKey {
	tb.Helper()
	k, err := crypto.GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func addr(k *ecdsa.PrivateKey) common.Address { return crypto.PubkeyToAddress(k.PublicKey) }
