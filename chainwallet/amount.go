package chainwallet

import (
	"math/big"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// maxUint256 bounds parsed amounts: the contracts take uint256, and a larger
// number would be truncated by the ABI encoder rather than rejected.
var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// maxAmountLen bounds the input ParseAmount looks at: 78 digits hold any
// uint256, and decimals add at most 255 more plus a point.
const maxAmountLen = 78 + 1 + 255

// FormatAmount writes base units as a decimal number of tokens with no
// trailing zeros, followed by symbol when it is not empty: 12_500_000 with 6
// decimals and "tUSD" is "12.5 tUSD". Nil is zero.
func FormatAmount(amount *big.Int, decimals uint8, symbol string) string {
	if amount == nil {
		amount = new(big.Int)
	}
	digits := new(big.Int).Abs(amount).String()
	d := int(decimals)
	if len(digits) <= d {
		digits = strings.Repeat("0", d-len(digits)+1) + digits
	}
	whole, frac := digits[:len(digits)-d], strings.TrimRight(digits[len(digits)-d:], "0")
	s := whole
	if frac != "" {
		s += "." + frac
	}
	if amount.Sign() < 0 {
		s = "-" + s
	}
	if symbol != "" {
		s += " " + symbol
	}
	return s
}

// ParseAmount reads a decimal number of tokens ("12.5", "0.000001", "3")
// and returns it in base units for a token with the given decimals. It
// rejects negative numbers, more decimal places than the token has, and
// anything that is not plain decimal digits with at most one point (no
// exponents, signs, separators or symbols), so that what a user typed is
// exactly what is sent.
func ParseAmount(s string, decimals uint8) (*big.Int, error) {
	s = strings.TrimSpace(s)
	const hint = `write the amount in tokens as decimal digits, like "12.5"`
	if s == "" {
		return nil, amountError("no amount given", hint)
	}
	if len(s) > maxAmountLen {
		return nil, amountError("the amount has too many digits", hint)
	}
	if s[0] == '-' {
		return nil, amountError("the amount "+s+" is negative", "give 0 or more tokens")
	}
	whole, frac, _ := strings.Cut(s, ".")
	if !allDigits(whole) || !allDigits(frac) || (whole == "" && frac == "") {
		return nil, amountError(quote(s)+" is not a number", hint)
	}
	if trimmed := strings.TrimRight(frac, "0"); len(trimmed) > int(decimals) {
		return nil, amountError(quote(s)+" has "+itoa(len(trimmed))+" decimal places but the token has only "+itoa(int(decimals)),
			"round the amount to at most "+itoa(int(decimals))+" decimal places")
	} else {
		frac = trimmed
	}
	digits := whole + frac + strings.Repeat("0", int(decimals)-len(frac))
	v, ok := new(big.Int).SetString(digits, 10)
	if !ok { // unreachable: digits holds only decimal digits and at least one
		return nil, amountError(quote(s)+" is not a number", hint)
	}
	if v.Cmp(maxUint256) > 0 {
		return nil, amountError(quote(s)+" is larger than any token amount", "give a smaller amount")
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// quote shows user input in a message, shortened so a pasted wall of text
// does not become a wall of error.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		s = s[:max] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

func amountError(msg, hint string) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeInvalid, "%s", msg).WithField("amount").WithHint(hint)
}
