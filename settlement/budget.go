package settlement

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/chainwallet"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
)

// CheckBudget implements bonfire.Payments. What the market can still spend
// for owner is the smaller of owner's escrow balance and what the session key
// may still authorise; vouchers already signed but not yet claimed come out
// of both, since claiming them will. Reads are not cached: a consumer who
// just deposited or authorised is believed at once.
func (p *Paymaster) CheckBudget(ctx context.Context, owner bonfire.Address, need uint64, owed map[bonfire.Address]uint64) error {
	if need == 0 && !anyOwed(owed) {
		return nil
	}
	payer, err := parseAddress("owner", owner)
	if err != nil {
		return err
	}
	opts := &bind.CallOpts{Context: ctx}
	balance, err := p.reader.BalanceOf(opts, payer)
	if err != nil {
		return chainError("read the escrow balance of "+payer.Hex(), err)
	}
	k, err := p.reader.SessionKey(opts, payer, p.keyAddr)
	if err != nil {
		return chainError("read session key "+p.keyAddr.Hex()+" of "+payer.Hex(), err)
	}
	key := SessionKeyState{Cap: k.Cap, Spent: k.Spent, Expiry: k.Expiry, Revoked: k.Revoked}
	unclaimed := new(big.Int)
	for a, total := range owed {
		if total == 0 {
			continue
		}
		payee, err := parseAddress("owed", a)
		if err != nil {
			return err
		}
		claimed, err := p.reader.Claimed(opts, payer, payee)
		if err != nil {
			return chainError("read what "+payee.Hex()+" claimed from "+payer.Hex(), err)
		}
		if due := new(big.Int).Sub(new(big.Int).SetUint64(total), claimed); due.Sign() > 0 {
			unclaimed.Add(unclaimed, due)
		}
	}

	keyRoom := new(big.Int)
	if key.Usable(p.now()) {
		keyRoom = key.Remaining()
	}
	want := new(big.Int).Add(new(big.Int).SetUint64(need), unclaimed)
	if want.Cmp(balance) <= 0 && want.Cmp(keyRoom) <= 0 {
		return nil
	}
	return p.shortfall(payer, need, unclaimed, want, balance, key, keyRoom)
}

func anyOwed(owed map[bonfire.Address]uint64) bool {
	for _, v := range owed {
		if v > 0 {
			return true
		}
	}
	return false
}

// shortfall explains which of the two limits is short and by how much, and
// names the command that lifts each.
func (p *Paymaster) shortfall(payer common.Address, need uint64, unclaimed, want, balance *big.Int, key SessionKeyState, keyRoom *big.Int) *bonfire.Error {
	f := func(x *big.Int) string { return chainwallet.FormatAmount(x, p.info.Decimals, p.info.Symbol) }
	bare := func(x *big.Int) string { return chainwallet.FormatAmount(x, p.info.Decimals, "") }

	what := "this job needs up to " + f(new(big.Int).SetUint64(need))
	if unclaimed.Sign() > 0 {
		what += " on top of " + f(unclaimed) + " owed to providers and not yet claimed"
	}
	var missing, fixes []string
	field := "sessionKey"
	if balance.Cmp(want) < 0 {
		field = "escrow"
		short := new(big.Int).Sub(want, balance)
		missing = append(missing, fmt.Sprintf("the escrow holds only %s of %s, %s short", f(balance), payer.Hex(), f(short)))
		fixes = append(fixes, "deposit more with `bonfire wallet deposit "+bare(short)+"`")
	}
	if keyRoom.Cmp(want) < 0 {
		// The cap covers the key's whole life, so the new cap must include
		// what it already spent.
		newCap := new(big.Int).Add(orZero(key.Spent), want)
		switch {
		case !key.Known():
			missing = append(missing, "the market's session key "+p.keyAddr.Hex()+" is not authorised to pay for "+payer.Hex())
		case key.Revoked:
			missing = append(missing, "the market's session key "+p.keyAddr.Hex()+" was revoked")
		case !key.Usable(p.now()):
			missing = append(missing, "the market's session key "+p.keyAddr.Hex()+" has expired")
		default:
			missing = append(missing, fmt.Sprintf("the market's session key %s may spend only %s more (cap %s, spent %s)",
				p.keyAddr.Hex(), f(keyRoom), f(key.Cap), f(key.Spent)))
		}
		fixes = append(fixes, "authorise the key with `bonfire wallet authorize "+p.keyAddr.Hex()+" --cap "+bare(newCap)+"`")
	}
	return bonfire.Errorf(bonfire.ECodePaymentRequired, "%s, but %s", what, strings.Join(missing, " and ")).
		WithField(field).WithHint(strings.Join(fixes, ", and "))
}
