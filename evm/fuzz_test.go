package evm_test

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/simchain"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// FuzzMoneyConserved drives the escrow with a random sequence of deposits,
// vouchers, claims, withdrawals and session-key changes, replays each step on
// a plain Go model of the contract, and after every step checks that the
// chain agrees with the model and that no token is created or lost:
// deposits = paid to payees + fees + withdrawn + still held.
func FuzzMoneyConserved(f *testing.F) {
	for _, seed := range fzHandSeeds {
		f.Add(seed)
	}
	for seed := range uint64(8) {
		r := rand.New(rand.NewPCG(seed, 0xb0f1e))
		data := make([]byte, 300)
		for i := range data {
			data[i] = byte(r.UintN(256))
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		runMoneyModel(t, data, nil)
	})
}

// TestMoneyModelSeedsReachEveryRule guards the fuzz seeds against drifting
// into sequences that never pay, skip or revert in some way.
func TestMoneyModelSeedsReachEveryRule(t *testing.T) {
	t.Parallel()
	seen := fzSeen{}
	for _, seed := range fzHandSeeds {
		runMoneyModel(t, seed, seen)
	}
	want := []string{"paid", "paid partly", "WrongPayee", "NothingDue", "NoBalance", "BadSignature",
		"KeyRevoked", "KeyExpired", "KeyOverCap", "withdrawn", "withdrawn partly", "ZeroAmount",
		"InsufficientBalance", "NoPendingWithdrawal", "WithdrawalNotReady", "ExpiryInPast", "UnknownSessionKey"}
	for _, w := range want {
		if seen[w] == 0 {
			t.Errorf("no hand-written seed reaches %q (seen: %v)", w, seen)
		}
	}
}

// fzSeen counts which rules a run exercised, by name.
type fzSeen map[string]int

func (s fzSeen) add(name string) {
	if s != nil {
		s[name]++
	}
}

var skipNames = map[uint8]string{
	skipNothingDue: "NothingDue", skipNoBalance: "NoBalance", skipWrongPayee: "WrongPayee",
	skipBadSignature: "BadSignature", skipKeyRevoked: "KeyRevoked", skipKeyExpired: "KeyExpired", skipKeyOverCap: "KeyOverCap",
}

// fzHandSeeds reach every rule of the escrow between them;
// TestMoneyModelSeedsReachEveryRule checks that they still do.
var fzHandSeeds = [][]byte{
	{
		opDeposit, 0, 10, opSign, 0, 0, 0, 3, opClaim, 0, 0x01, // paid
		opRequestWithdrawal, 0, 254, opSign, 0, 0, 0, 4, opClaim, 0, 0x01, // a claim during the delay
		opWithdraw, 0, opAdvance, opAdvance, opWithdraw, 0, opWithdraw, 0, // not ready, withdrawn partly, none pending
		opDeposit, 0, 0, opSign, 0, 0, 0, 200, opClaim, 0, 0x03, // paid partly, then an old voucher: nothing due
		opClaim, 0, 0x01, opRequestWithdrawal, 0, 0, // no balance; zero amount
	},
	{
		opDeposit, 1, 255, opAuthorize, 1, 0, 3, 1, opSign, 1, 1, 2, 5, opClaim, 1, 0x01, // session key within cap
		opSign, 1, 1, 2, 10, opClaim, 1, 0x01, // over cap
		opRevoke, 1, 0, opSign, 1, 1, 2, 1, opClaim, 1, 0x01, // revoked
		opAuthorize, 1, 1, 50, 1, opAdvance, opSign, 1, 0, 3, 1, opClaim, 0, 0x01, // expired
		opRevoke, 2, 3, opAuthorize, 0, 0, 1, 0, // unknown key; expiry in the past
	},
	{
		opDeposit, 2, 1, opSign, 2, 0, 5, 9, opSign, 2, 1, 19, 4, opSign, 2, 0, 0, 0, // stranger's key, misdelivered, payer's
		opClaim, 0, 0x06, opClaim, 0, 0x01, // wrong payee, bad signature; then paid
		opDeposit, 2, 100, opRequestWithdrawal, 2, 255, opCancelWithdrawal, 2, // more than the balance; nothing to cancel
		opRequestWithdrawal, 2, 40, opCancelWithdrawal, 2, opAdvance, opAdvance, opWithdraw, 2, // cancelled: nothing to withdraw
		opRequestWithdrawal, 2, 254, opAdvance, opAdvance, opWithdraw, 2, // withdrawn in full
	},
}

// Fuzz opcodes: the first byte of each step, modulo opCount.
const (
	opDeposit           = iota // payer, amount
	opSign                     // payer, payee, signer|delivery, increment
	opClaim                    // payee, mask of recent vouchers
	opRequestWithdrawal        // payer, fraction of balance
	opWithdraw                 // payer
	opAuthorize                // payer, key, cap, expiry choice
	opRevoke                   // payer, key
	opAdvance                  // (none)
	opCancelWithdrawal         // payer
	opCount
)

const (
	fzPayers    = 3
	fzPayees    = 2
	fzKeys      = 4 // session keys 0..2 may be authorised; key 3 never is
	fzMaxOps    = 120
	fzMint      = 1_000_000_000_000 // each payer's starting tUSD, in base units
	fzAdvance   = 2000              // seconds per opAdvance: two pass the withdrawal delay
	fzFeeBps    = testFeeBps
	fzDelaySecs = uint64(testWithdrawDelay / time.Second)
)

type fzKey struct {
	cap, spent, expiry uint64
	revoked            bool
}

type fzPending struct{ amount, at uint64 }

type fzVoucher struct {
	payer int
	v     evm.Voucher
	sig   []byte
}

// fzOutcome is what the model expects claim to do with one voucher.
type fzOutcome struct {
	payer   int
	skipped bool
	reason  uint8
	paid    uint64
	fee     uint64
	partial bool // capped at the payer's balance
}

// moneyModel is the escrow's rules written plainly in Go.
type moneyModel struct {
	now        uint64 // latest block time
	held       [fzPayers]uint64
	deposited  [fzPayers]uint64
	withdrawn  [fzPayers]uint64
	pending    [fzPayers]fzPending
	claimed    [fzPayers][fzPayees]uint64
	received   [fzPayees]uint64 // net of fees
	fees       uint64
	keys       [fzPayers][fzKeys]fzKey
	lastSigned [fzPayers][fzPayees]uint64
	pool       [fzPayees][]fzVoucher // vouchers each payee holds, oldest first
}

type byteReader struct {
	b []byte
	i int
}

func (r *byteReader) next() (byte, bool) {
	if r.i >= len(r.b) {
		return 0, false
	}
	r.i++
	return r.b[r.i-1], true
}

func runMoneyModel(t *testing.T, data []byte, seen fzSeen) {
	e := newEnv(t, simchain.Options{Accounts: firstUser + fzPayers + fzPayees})
	payerAcct := func(p int) int { return firstUser + p }
	payeeAcct := func(q int) int { return firstUser + fzPayers + q }
	var keys [fzKeys]*ecdsa.PrivateKey
	for i := range keys {
		k, err := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("fuzz session key %d", i))))
		if err != nil {
			t.Fatal(err)
		}
		keys[i] = k
	}
	maxApproval := new(big.Int).Lsh(big.NewInt(1), 255)
	for p := range fzPayers {
		a := payerAcct(p)
		e.mine(e.k.Token.Faucet(e.chain.Auth(a), e.chain.Address(a), new(big.Int).SetUint64(fzMint)))
		e.mine(e.k.Token.Approve(e.chain.Auth(a), e.dep.Escrow, maxApproval))
	}
	m := &moneyModel{now: e.now()}
	checkModel(t, e, m, payerAcct, payeeAcct, keys)

	r := &byteReader{b: data}
	arg := func(n int) int {
		b, _ := r.next()
		return int(b) % n
	}
	// expect runs a transaction the model says succeeds (wantErr "") or
	// reverts with wantErr; a success mines one block.
	expect := func(wantErr string, send func() (*types.Transaction, error)) {
		t.Helper()
		tx, err := send()
		if wantErr == "" {
			if err != nil {
				t.Fatalf("step %d: model expects success, chain says %v", r.i, revertText(err))
			}
			e.mine(tx, nil)
			m.now++
			return
		}
		e.reverts(wantErr, tx, err)
		seen.add(wantErr)
	}

	for op := 0; op < fzMaxOps; op++ {
		code, ok := r.next()
		if !ok {
			break
		}
		switch code % opCount {
		case opDeposit:
			p := arg(fzPayers)
			amount := uint64(arg(256)+1) * 10_007 // odd sizes so fees round
			expect("", func() (*types.Transaction, error) {
				return e.k.Escrow.Deposit(e.chain.Auth(payerAcct(p)), new(big.Int).SetUint64(amount))
			})
			m.held[p] += amount
			m.deposited[p] += amount

		case opSign:
			p, q, how := arg(fzPayers), arg(fzPayees), arg(256)
			b := uint64(arg(256))
			inc := b*4_999 + b%7
			cum := m.lastSigned[p][q] + inc
			m.lastSigned[p][q] = cum
			signer := e.chain.Key(payerAcct(p))
			if s := how % 6; s >= 2 {
				signer = keys[s-2] // session keys 0..2, or 3, which no payer authorises
			}
			holder := q
			if (how/6)%4 == 3 {
				holder = 1 - q // delivered to the wrong payee
			}
			v, sig := e.sign(signer, e.chain.Address(payerAcct(p)), e.chain.Address(payeeAcct(q)), new(big.Int).SetUint64(cum))
			m.pool[holder] = append(m.pool[holder], fzVoucher{payer: p, v: v, sig: sig})

		case opClaim:
			q, mask := arg(fzPayees), arg(256)
			var batch []fzVoucher
			pool := m.pool[q]
			for i := 0; i < 8 && i < len(pool); i++ {
				if mask&(1<<i) != 0 {
					batch = append(batch, pool[len(pool)-1-i])
				}
			}
			want := m.claim(e, q, batch, keys, payeeAcct)
			vs, sigs := make([]evm.Voucher, len(batch)), make([][]byte, len(batch))
			for i, b := range batch {
				vs[i], sigs[i] = b.v, b.sig
			}
			got, _ := e.claim(payeeAcct(q), vs, sigs)
			m.now++
			compareOutcomes(t, e, r.i, want, got, payerAcct)
			for _, o := range want {
				switch {
				case o.skipped:
					seen.add(skipNames[o.reason])
				case o.partial:
					seen.add("paid partly")
				default:
					seen.add("paid")
				}
			}

		case opRequestWithdrawal:
			p, frac := arg(fzPayers), uint64(arg(256))
			amount := m.held[p] * frac / 254
			want := ""
			switch {
			case amount == 0:
				want = "ZeroAmount"
			case amount > m.held[p]:
				want = "InsufficientBalance"
			}
			expect(want, func() (*types.Transaction, error) {
				return e.k.Escrow.RequestWithdrawal(e.chain.Auth(payerAcct(p)), new(big.Int).SetUint64(amount))
			})
			if want == "" {
				m.pending[p] = fzPending{amount: amount, at: m.now + fzDelaySecs}
			}

		case opWithdraw:
			p := arg(fzPayers)
			w := m.pending[p]
			want := ""
			switch {
			case w.at == 0:
				want = "NoPendingWithdrawal"
			case m.now+1 < w.at:
				want = "WithdrawalNotReady"
			}
			expect(want, func() (*types.Transaction, error) {
				return e.k.Escrow.Withdraw(e.chain.Auth(payerAcct(p)))
			})
			if want == "" {
				paid := min(w.amount, m.held[p])
				if paid < w.amount {
					seen.add("withdrawn partly")
				} else {
					seen.add("withdrawn")
				}
				m.held[p] -= paid
				m.withdrawn[p] += paid
				m.pending[p] = fzPending{}
			}

		case opCancelWithdrawal:
			p := arg(fzPayers)
			want := ""
			if m.pending[p].at == 0 {
				want = "NoPendingWithdrawal"
			}
			expect(want, func() (*types.Transaction, error) {
				return e.k.Escrow.CancelWithdrawal(e.chain.Auth(payerAcct(p)))
			})
			m.pending[p] = fzPending{}

		case opAuthorize:
			p, k := arg(fzPayers), arg(fzKeys-1)
			limit := uint64(arg(256)) * 10_000
			choice := uint64(arg(4))
			// Expiries fall mid-way between fzAdvance jumps, never near a
			// block the sequence can reach without one.
			expiry := m.now // choice 0: already past at execution
			if choice > 0 {
				expiry = m.now + 1 + 1000 + fzAdvance*(choice-1)
			}
			want := ""
			if choice == 0 {
				want = "ExpiryInPast"
			}
			expect(want, func() (*types.Transaction, error) {
				return e.k.Escrow.AuthorizeSessionKey(e.chain.Auth(payerAcct(p)), addr(keys[k]), new(big.Int).SetUint64(limit), expiry)
			})
			if want == "" {
				key := &m.keys[p][k]
				key.cap, key.expiry, key.revoked = limit, expiry, false
			}

		case opRevoke:
			p, k := arg(fzPayers), arg(fzKeys)
			want := ""
			if m.keys[p][k].expiry == 0 {
				want = "UnknownSessionKey"
			}
			expect(want, func() (*types.Transaction, error) {
				return e.k.Escrow.RevokeSessionKey(e.chain.Auth(payerAcct(p)), addr(keys[k]))
			})
			if want == "" {
				m.keys[p][k].revoked = true
			}

		case opAdvance:
			e.advance(fzAdvance * time.Second)
			m.now += fzAdvance
		}
		checkModel(t, e, m, payerAcct, payeeAcct, keys)
	}
}

// claim applies BonfireEscrow._claimOne to each voucher in order, as payee q
// in a block stamped m.now+1, and returns what the contract should emit.
func (m *moneyModel) claim(e *env, q int, batch []fzVoucher, keys [fzKeys]*ecdsa.PrivateKey, payeeAcct func(int) int) []fzOutcome {
	at := m.now + 1
	var out []fzOutcome
	skip := func(p int, reason uint8) { out = append(out, fzOutcome{payer: p, skipped: true, reason: reason}) }
	for _, b := range batch {
		p := b.payer
		cum := b.v.CumulativeAmount.Uint64()
		if b.v.Payee != e.chain.Address(payeeAcct(q)) {
			skip(p, skipWrongPayee)
			continue
		}
		if cum <= m.claimed[p][q] {
			skip(p, skipNothingDue)
			continue
		}
		if m.held[p] == 0 {
			skip(p, skipNoBalance)
			continue
		}
		due := cum - m.claimed[p][q]
		amount := min(due, m.held[p])
		signer, err := evm.RecoverVoucherSigner(e.chain.ChainID(), e.dep.Escrow, b.v, b.sig)
		if err != nil {
			panic("fuzz signed an unrecoverable voucher: " + err.Error())
		}
		if signer != b.v.Payer {
			k := -1
			for i := range keys {
				if addr(keys[i]) == signer && m.keys[p][i].expiry != 0 {
					k = i
				}
			}
			if k < 0 {
				skip(p, skipBadSignature)
				continue
			}
			key := &m.keys[p][k]
			switch {
			case key.revoked:
				skip(p, skipKeyRevoked)
				continue
			case at >= key.expiry:
				skip(p, skipKeyExpired)
				continue
			case key.spent+amount > key.cap:
				skip(p, skipKeyOverCap)
				continue
			}
			key.spent += amount
		}
		fee := amount * fzFeeBps / 10_000
		m.held[p] -= amount
		m.claimed[p][q] += amount
		m.received[q] += amount - fee
		m.fees += fee
		out = append(out, fzOutcome{payer: p, paid: amount, fee: fee, partial: amount < due})
	}
	return out
}

func compareOutcomes(t *testing.T, e *env, step int, want []fzOutcome, got []outcome, payerAcct func(int) int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("step %d: claim emitted %d outcomes, model expects %d: got %+v want %+v", step, len(got), len(want), got, want)
	}
	for i, w := range want {
		g := got[i]
		ok := g.payer == e.chain.Address(payerAcct(w.payer)) && g.skipped == w.skipped
		if ok && w.skipped {
			ok = g.reason == w.reason
		}
		if ok && !w.skipped {
			ok = g.paid.Uint64() == w.paid && g.fee.Uint64() == w.fee
		}
		if !ok {
			t.Fatalf("step %d, voucher %d: chain %+v, model %+v", step, i, g, w)
		}
	}
}

// checkModel compares every piece of escrow state with the model, then
// checks conservation using token balances read from the chain.
func checkModel(t *testing.T, e *env, m *moneyModel, payerAcct, payeeAcct func(int) int, keys [fzKeys]*ecdsa.PrivateKey) {
	t.Helper()
	u := func(x uint64) *big.Int { return new(big.Int).SetUint64(x) }
	if now := e.now(); now != m.now {
		t.Fatalf("chain time %d, model %d", now, m.now)
	}
	sumHeld, sumDeposited, sumWithdrawn := new(big.Int), new(big.Int), new(big.Int)
	for p := range fzPayers {
		pa := e.chain.Address(payerAcct(p))
		wantEq(t, fmt.Sprintf("payer %d escrow balance", p), e.escrowBalance(pa), u(m.held[p]))
		wantEq(t, fmt.Sprintf("payer %d tokens", p), e.tokenBalance(pa), u(fzMint-m.deposited[p]+m.withdrawn[p]))
		w, err := e.k.Escrow.PendingWithdrawal(e.call(), pa)
		if err != nil {
			t.Fatal(err)
		}
		if w.Amount.Uint64() != m.pending[p].amount || w.AvailableAt != m.pending[p].at {
			t.Fatalf("payer %d pending withdrawal %+v, model %+v", p, w, m.pending[p])
		}
		for q := range fzPayees {
			wantEq(t, fmt.Sprintf("claimed[%d][%d]", p, q), e.claimed(pa, e.chain.Address(payeeAcct(q))), u(m.claimed[p][q]))
		}
		for k := range fzKeys {
			sk, err := e.k.Escrow.SessionKey(e.call(), pa, addr(keys[k]))
			if err != nil {
				t.Fatal(err)
			}
			mk := m.keys[p][k]
			if sk.Cap.Uint64() != mk.cap || sk.Spent.Uint64() != mk.spent || sk.Expiry != mk.expiry || sk.Revoked != mk.revoked {
				t.Fatalf("payer %d key %d: chain %+v, model %+v", p, k, sk, mk)
			}
		}
		sumHeld.Add(sumHeld, u(m.held[p]))
		sumDeposited.Add(sumDeposited, u(m.deposited[p]))
		sumWithdrawn.Add(sumWithdrawn, u(m.withdrawn[p]))
	}
	escrowTokens := e.tokenBalance(e.dep.Escrow)
	wantEq(t, "escrow's tokens vs sum of balances", escrowTokens, sumHeld)
	feeTokens := e.tokenBalance(e.chain.Address(feeRecipient))
	wantEq(t, "fee recipient's tokens", feeTokens, u(m.fees))
	paidOut := new(big.Int)
	for q := range fzPayees {
		got := e.tokenBalance(e.chain.Address(payeeAcct(q)))
		wantEq(t, fmt.Sprintf("payee %d tokens", q), got, u(m.received[q]))
		paidOut.Add(paidOut, got)
	}
	accounted := new(big.Int).Add(paidOut, feeTokens)
	accounted.Add(accounted, sumWithdrawn)
	accounted.Add(accounted, escrowTokens)
	wantEq(t, "paid + fees + withdrawn + held (deposits)", accounted, sumDeposited)
}

func revertText(err error) string {
	if r, ok := evm.DecodeRevert(err); ok {
		return r.Error()
	}
	return err.Error()
}
