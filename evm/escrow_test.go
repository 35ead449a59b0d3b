package evm_test

import (
	"math/big"
	"testing"

	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/simchain"
	"github.com/ethereum/go-ethereum/common"
)

func TestDepositClaimTakesFee(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	payer, payee := firstUser, firstUser+1
	e.fundAndDeposit(payer, usd(1000))
	wantEq(t, "escrow balance after deposit", e.escrowBalance(e.chain.Address(payer)), usd(1000))
	wantEq(t, "escrow's tokens", e.tokenBalance(e.dep.Escrow), usd(1000))

	v, sig := e.sign(e.chain.Key(payer), e.chain.Address(payer), e.chain.Address(payee), usd(100))
	out, _ := e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantPaid(out, usd(100))

	fee := new(big.Int).Div(new(big.Int).Mul(usd(100), big.NewInt(testFeeBps)), big.NewInt(10_000))
	wantEq(t, "fee in event", out[0].fee, fee)
	wantEq(t, "fee recipient's tokens", e.tokenBalance(e.chain.Address(feeRecipient)), fee)
	wantEq(t, "payee's tokens", e.tokenBalance(e.chain.Address(payee)), new(big.Int).Sub(usd(100), fee))
	wantEq(t, "payer's escrow balance", e.escrowBalance(e.chain.Address(payer)), usd(900))
	wantEq(t, "claimed", e.claimed(e.chain.Address(payer), e.chain.Address(payee)), usd(100))
	wantEq(t, "escrow's tokens", e.tokenBalance(e.dep.Escrow), usd(900))
}

func TestCumulativeVoucherPaysOnlyTheIncrease(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	payer, payee := firstUser, firstUser+1
	pa, pe := e.chain.Address(payer), e.chain.Address(payee)
	e.fundAndDeposit(payer, usd(1000))

	v1, s1 := e.sign(e.chain.Key(payer), pa, pe, usd(100))
	out, _ := e.claim(payee, []evm.Voucher{v1}, [][]byte{s1})
	e.wantPaid(out, usd(100))

	v2, s2 := e.sign(e.chain.Key(payer), pa, pe, usd(250))
	out, _ = e.claim(payee, []evm.Voucher{v2}, [][]byte{s2})
	e.wantPaid(out, usd(150))

	// Replays, of the latest and of an older voucher, pay nothing.
	out, _ = e.claim(payee, []evm.Voucher{v2}, [][]byte{s2})
	e.wantSkipped(out, skipNothingDue)
	out, _ = e.claim(payee, []evm.Voucher{v1}, [][]byte{s1})
	e.wantSkipped(out, skipNothingDue)

	// The same voucher twice in one batch pays once.
	v3, s3 := e.sign(e.chain.Key(payer), pa, pe, usd(300))
	out, _ = e.claim(payee, []evm.Voucher{v3, v3}, [][]byte{s3, s3})
	if len(out) != 2 || out[0].skipped || out[0].paid.Cmp(usd(50)) != 0 || !out[1].skipped || out[1].reason != skipNothingDue {
		t.Fatalf("duplicate in batch: got %+v, want paid 50 then NothingDue", out)
	}
	wantEq(t, "claimed", e.claimed(pa, pe), usd(300))
	wantEq(t, "payer balance", e.escrowBalance(pa), usd(700))
}

func TestVoucherCannotBeReplayedAcrossPayees(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	payer, alice, bob := firstUser, firstUser+1, firstUser+2
	pa := e.chain.Address(payer)
	e.fundAndDeposit(payer, usd(1000))
	v, sig := e.sign(e.chain.Key(payer), pa, e.chain.Address(alice), usd(100))

	// Bob submits Alice's voucher as it is: it names Alice.
	out, _ := e.claim(bob, []evm.Voucher{v}, [][]byte{sig})
	e.wantSkipped(out, skipWrongPayee)
	// Bob rewrites the payee to himself: the signature no longer matches.
	forged := v
	forged.Payee = e.chain.Address(bob)
	out, _ = e.claim(bob, []evm.Voucher{forged}, [][]byte{sig})
	e.wantSkipped(out, skipBadSignature)

	wantEq(t, "bob's tokens", e.tokenBalance(e.chain.Address(bob)), new(big.Int))
	wantEq(t, "payer balance", e.escrowBalance(pa), usd(1000))
	// Alice can still claim it.
	out, _ = e.claim(alice, []evm.Voucher{v}, [][]byte{sig})
	e.wantPaid(out, usd(100))
}

func TestVoucherCannotBeReplayedAcrossContracts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	payer, payee := firstUser, firstUser+1
	pa, pe := e.chain.Address(payer), e.chain.Address(payee)

	second := e.deploy(e.dep.Token) // same token, same chain, another escrow
	k2 := e.bind(second)
	e.mine(e.k.Token.Faucet(e.chain.Auth(payer), pa, usd(500)))
	e.mine(e.k.Token.Approve(e.chain.Auth(payer), second.Escrow, usd(500)))
	e.mine(k2.Escrow.Deposit(e.chain.Auth(payer), usd(500)))

	v, sig := e.sign(e.chain.Key(payer), pa, pe, usd(100)) // for the first escrow
	receipt := e.mine(k2.Escrow.Claim(e.chain.Auth(payee), []evm.Voucher{v}, [][]byte{sig}))
	if len(receipt.Logs) != 1 {
		t.Fatalf("got %d logs, want one VoucherSkipped", len(receipt.Logs))
	}
	skipped, err := k2.Escrow.ParseVoucherSkipped(*receipt.Logs[0])
	if err != nil {
		t.Fatalf("log is not VoucherSkipped: %v", err)
	}
	if skipped.Reason != skipBadSignature {
		t.Fatalf("reason %d, want BadSignature", skipped.Reason)
	}
	bal, err := k2.Escrow.BalanceOf(e.call(), pa)
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "second escrow balance", bal, usd(500))
}

func TestVoucherCannotBeReplayedAcrossChains(t *testing.T) {
	t.Parallel()
	// Same deployer, same nonces: the contracts land at the same addresses
	// on both chains, so only the chain id in the domain tells them apart.
	a := newEnv(t, simchain.Options{})
	b := newEnv(t, simchain.Options{ChainID: 31337})
	if a.dep.Escrow != b.dep.Escrow {
		t.Fatalf("escrow addresses differ (%s, %s); the test needs them equal", a.dep.Escrow, b.dep.Escrow)
	}
	payer, payee := firstUser, firstUser+1
	pa, pe := b.chain.Address(payer), b.chain.Address(payee)
	b.fundAndDeposit(payer, usd(1000))

	v, sigA := a.sign(a.chain.Key(payer), pa, pe, usd(100)) // signed for chain A
	out, _ := b.claim(payee, []evm.Voucher{v}, [][]byte{sigA})
	b.wantSkipped(out, skipBadSignature)

	_, sigB := b.sign(b.chain.Key(payer), pa, pe, usd(100))
	out, _ = b.claim(payee, []evm.Voucher{v}, [][]byte{sigB})
	b.wantPaid(out, usd(100))
}

func TestForgedSignaturesPayNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	payer, payee := firstUser, firstUser+1
	pa, pe := e.chain.Address(payer), e.chain.Address(payee)
	e.fundAndDeposit(payer, usd(1000))

	v, good := e.sign(e.chain.Key(payer), pa, pe, usd(100))
	_, byStranger := e.sign(newKey(t), pa, pe, usd(100))
	flipped := append([]byte(nil), good...)
	flipped[10] ^= 0xff
	badV := append([]byte(nil), good...)
	badV[64] = 5
	cases := map[string][]byte{
		"signed by a stranger": byStranger,
		"corrupted r":          flipped,
		"bad v":                badV,
		"truncated":            good[:64],
		"empty":                {},
	}
	for name, sig := range cases {
		out, _ := e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
		if len(out) != 1 || !out[0].skipped || out[0].reason != skipBadSignature {
			t.Errorf("%s: got %+v, want skipped BadSignature", name, out)
		}
	}
	wantEq(t, "payer balance", e.escrowBalance(pa), usd(1000))
	wantEq(t, "claimed", e.claimed(pa, pe), new(big.Int))

	// Mismatched lengths are a caller bug and revert the whole call.
	_, err := e.k.Escrow.Claim(e.chain.Auth(payee), []evm.Voucher{v}, nil)
	e.reverts("LengthMismatch", nil, err)
}

func TestClaimAboveBalancePaysWhatIsThere(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	payer, payee := firstUser, firstUser+1
	pa, pe := e.chain.Address(payer), e.chain.Address(payee)
	e.fundAndDeposit(payer, usd(50))

	v, sig := e.sign(e.chain.Key(payer), pa, pe, usd(80))
	out, _ := e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantPaid(out, usd(50))
	wantEq(t, "claimed records only what was paid", e.claimed(pa, pe), usd(50))
	wantEq(t, "payer balance", e.escrowBalance(pa), new(big.Int))

	out, _ = e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantSkipped(out, skipNoBalance)

	// After a top-up the same voucher collects the rest, and no more.
	e.fundAndDeposit(payer, usd(100))
	out, _ = e.claim(payee, []evm.Voucher{v}, [][]byte{sig})
	e.wantPaid(out, usd(30))
	wantEq(t, "payer balance", e.escrowBalance(pa), usd(70))
}

func TestBatchClaimFromManyPayers(t *testing.T) {
	t.Parallel()
	const payers = 20
	e := newEnv(t, simchain.Options{Accounts: firstUser + payers + 1})
	payee := firstUser + payers
	pe := e.chain.Address(payee)
	var (
		vs    []evm.Voucher
		sigs  [][]byte
		total = new(big.Int)
	)
	for i := range payers {
		p := firstUser + i
		e.fundAndDeposit(p, usd(100))
		amount := usd(int64(i + 1))
		v, sig := e.sign(e.chain.Key(p), e.chain.Address(p), pe, amount)
		vs, sigs = append(vs, v), append(sigs, sig)
		total.Add(total, amount)
	}
	// One payer empties its balance first: its voucher is skipped, the rest are paid.
	lastPayer := firstUser + payers - 1
	e.mine(e.k.Escrow.RequestWithdrawal(e.chain.Auth(lastPayer), usd(100)))
	e.advance(testWithdrawDelay)
	e.mine(e.k.Escrow.Withdraw(e.chain.Auth(lastPayer)))
	total.Sub(total, usd(payers))

	out, receipt := e.claim(payee, vs, sigs)
	if len(out) != payers {
		t.Fatalf("got %d outcomes, want %d", len(out), payers)
	}
	gross, fees := new(big.Int), new(big.Int)
	for i, o := range out[:payers-1] {
		if o.skipped || o.payer != vs[i].Payer || o.paid.Cmp(vs[i].CumulativeAmount) != 0 {
			t.Fatalf("voucher %d: got %+v, want paid %s", i, o, vs[i].CumulativeAmount)
		}
		gross.Add(gross, o.paid)
		fees.Add(fees, o.fee)
	}
	if last := out[payers-1]; !last.skipped || last.reason != skipNoBalance {
		t.Fatalf("emptied payer: got %+v, want skipped NoBalance", last)
	}
	wantEq(t, "gross paid", gross, total)
	wantEq(t, "payee's tokens", e.tokenBalance(pe), new(big.Int).Sub(gross, fees))
	wantEq(t, "fee recipient's tokens", e.tokenBalance(e.chain.Address(feeRecipient)), fees)
	t.Logf("claim of %d vouchers used %d gas", payers, receipt.GasUsed)
}

func TestDeployValidatesParams(t *testing.T) {
	t.Parallel()
	p := evm.Params{FeeBps: 2000, WithdrawDelay: -1}
	err := p.Validate()
	if err == nil {
		t.Fatal("Validate accepted a bad fee, a negative delay and no arbiter")
	}
	for _, field := range []string{"feeBps", "feeRecipient", "withdrawDelay", "arbiter"} {
		if !containsField(err, field) {
			t.Errorf("error %q does not name field %s", err, field)
		}
	}
	good := evm.Params{FeeBps: 100, FeeRecipient: common.Address{1}, Arbiter: common.Address{2}}
	if err := good.Validate(); err != nil {
		t.Fatalf("Validate rejected good params: %v", err)
	}
}
