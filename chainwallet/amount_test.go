package chainwallet

import (
	"math/big"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestFormatAmount(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		amount   *big.Int
		decimals uint8
		symbol   string
		want     string
	}{
		{big.NewInt(12_500_000), 6, "tUSD", "12.5 tUSD"},
		{big.NewInt(1), 6, "tUSD", "0.000001 tUSD"},
		{big.NewInt(0), 6, "tUSD", "0 tUSD"},
		{nil, 6, "tUSD", "0 tUSD"},
		{big.NewInt(10_000_000_000), 6, "", "10000"},
		{big.NewInt(-1_500_000), 6, "tUSD", "-1.5 tUSD"},
		{big.NewInt(42), 0, "X", "42 X"},
		{new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil), 18, "ETH", "1 ETH"},
		{big.NewInt(123_456_789), 18, "ETH", "0.000000000123456789 ETH"},
	} {
		if got := FormatAmount(c.amount, c.decimals, c.symbol); got != c.want {
			t.Errorf("FormatAmount(%v, %d, %q) = %q, want %q", c.amount, c.decimals, c.symbol, got, c.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in       string
		decimals uint8
		want     int64
	}{
		{"12.5", 6, 12_500_000},
		{" 3 ", 6, 3_000_000},
		{"0.000001", 6, 1},
		{".5", 6, 500_000},
		{"5.", 6, 5_000_000},
		{"1.500000000", 6, 1_500_000}, // zeros past the token's decimals change nothing
		{"007", 0, 7},
		{"0", 6, 0},
	} {
		got, err := ParseAmount(c.in, c.decimals)
		if err != nil {
			t.Errorf("ParseAmount(%q, %d): %v", c.in, c.decimals, err)
			continue
		}
		if got.Int64() != c.want {
			t.Errorf("ParseAmount(%q, %d) = %s, want %d", c.in, c.decimals, got, c.want)
		}
	}
}

func TestParseAmountRejects(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in      string
		message string // part of the message that tells the user what is wrong
	}{
		{"", "no amount"},
		{"-1", "negative"},
		{"-0.5", "negative"},
		{"abc", "not a number"},
		{"1e6", "not a number"},
		{"+1", "not a number"},
		{"1,000", "not a number"},
		{"1.2.3", "not a number"},
		{".", "not a number"},
		{"12 tUSD", "not a number"},
		{"0x10", "not a number"},
		{"1.0000001", "7 decimal places but the token has only 6"},
		{strings.Repeat("9", 79), "larger than any token amount"},
		{strings.Repeat("1", maxAmountLen+1), "too many digits"},
	} {
		_, err := ParseAmount(c.in, 6)
		var be *bonfire.Error
		if !asError(err, &be) {
			t.Errorf("ParseAmount(%q) = %v, want a *bonfire.Error", c.in, err)
			continue
		}
		if be.Code != bonfire.ECodeInvalid || be.Field != "amount" || be.Hint == "" {
			t.Errorf("ParseAmount(%q): code %q field %q hint %q, want invalid, amount and a hint", c.in, be.Code, be.Field, be.Hint)
		}
		if !strings.Contains(be.Message, c.message) {
			t.Errorf("ParseAmount(%q): message %q does not say %q", c.in, be.Message, c.message)
		}
	}
}

// FuzzParseAmount checks that every accepted input formats back to a string
// that parses to the same value, and that every rejection is a user error.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"12.5", "0", ".5", "5.", "-1", "1e6", "0.000001", "1.0000001", "", "\x00", "99999999999999999999999999999999999999999999999999999999999999999999999999999999"} {
		f.Add(s, uint8(6))
	}
	f.Add("1.5", uint8(0))
	f.Add("123456789.123456789123456789", uint8(18))
	f.Fuzz(func(t *testing.T, s string, decimals uint8) {
		v, err := ParseAmount(s, decimals)
		if err != nil {
			if bonfire.Code(err) != bonfire.ECodeInvalid {
				t.Fatalf("ParseAmount(%q, %d): error %v is not ECodeInvalid", s, decimals, err)
			}
			return
		}
		if v.Sign() < 0 || v.Cmp(maxUint256) > 0 {
			t.Fatalf("ParseAmount(%q, %d) = %s, outside uint256", s, decimals, v)
		}
		text := FormatAmount(v, decimals, "")
		back, err := ParseAmount(text, decimals)
		if err != nil {
			t.Fatalf("ParseAmount(%q) of FormatAmount output: %v", text, err)
		}
		if back.Cmp(v) != 0 {
			t.Fatalf("round trip %q -> %s -> %q -> %s", s, v, text, back)
		}
	})
}
