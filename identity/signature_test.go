package identity

import (
	"math/big"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestParseAddress(t *testing.T) {
	t.Parallel()
	lower := strings.ToLower(vectorAddress)
	good := []string{vectorAddress, lower, "0x" + strings.ToUpper(lower[2:])}
	for _, s := range good {
		got, err := ParseAddress(s)
		if err != nil || got != vectorAddress {
			t.Errorf("ParseAddress(%q) = %s, %v; want %s", s, got, err, vectorAddress)
		}
	}
	badChecksum := strings.Replace(vectorAddress, "E", "e", 1)
	bad := map[string]string{
		"no prefix":    lower[2:],
		"short":        lower[:40],
		"long":         lower + "0",
		"not hex":      "0x" + strings.Repeat("g", 40),
		"bad checksum": badChecksum,
		"empty":        "",
	}
	for name, s := range bad {
		if _, err := ParseAddress(s); bonfire.Code(err) != bonfire.ECodeInvalid {
			t.Errorf("%s: ParseAddress(%q) = %v, want ECodeInvalid", name, s, err)
		}
	}
	if _, err := ParseAddress(badChecksum); err == nil || !strings.Contains(err.Error(), vectorAddress) {
		t.Errorf("bad checksum error %v should show the correct spelling %s", err, vectorAddress)
	}
}

func TestParseSignature(t *testing.T) {
	t.Parallel()
	sig, err := mustKey(t).Sign(Keccak256([]byte("x")))
	if err != nil {
		t.Fatal(err)
	}
	text := SignatureHex(sig)
	got, err := ParseSignature(text)
	if err != nil || string(got) != string(sig) {
		t.Fatalf("ParseSignature(SignatureHex(sig)) = %x, %v", got, err)
	}
	for name, s := range map[string]string{
		"no prefix": text[2:],
		"truncated": text[:len(text)-2],
		"long":      text + "00",
		"not hex":   "0x" + strings.Repeat("q", 130),
		"empty":     "",
	} {
		if _, err := ParseSignature(s); bonfire.Code(err) != bonfire.ECodeUnauthorized {
			t.Errorf("%s: ParseSignature = %v, want ECodeUnauthorized", name, err)
		}
	}
}

func TestRecoverAcceptsWalletV(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	hash := Keccak256([]byte("wallet"))
	sig, _ := k.Sign(hash)
	sig[64] += 27
	if got, err := Recover(hash, sig); err != nil || got != k.Address() {
		t.Fatalf("Recover with V=%d = %s, %v; want %s", sig[64], got, err, k.Address())
	}
	if sig[64] < 27 {
		t.Fatalf("Recover modified its input")
	}
}

func TestRecoverRejectsMalleableAndMalformed(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	hash := Keccak256([]byte("malleable"))
	sig, _ := k.Sign(hash)

	// The high-S twin: S' = N - S with V flipped signs the same hash.
	n := crypto.S256().Params().N
	twin := append([]byte(nil), sig...)
	s := new(big.Int).SetBytes(sig[32:64])
	new(big.Int).Sub(n, s).FillBytes(twin[32:64])
	twin[64] ^= 1
	if pub, err := crypto.SigToPub(hash, twin); err != nil || crypto.PubkeyToAddress(*pub).Hex() != string(k.Address()) {
		t.Fatalf("test setup: the high-S twin should recover to the signer, got %v", err)
	}

	badV := append([]byte(nil), sig...)
	badV[64] = 5
	zeroR := append([]byte(nil), sig...)
	clear(zeroR[:32])
	cases := map[string][]byte{
		"high S":    twin,
		"bad V":     badV,
		"zero R":    zeroR,
		"truncated": sig[:64],
		"empty":     nil,
	}
	for name, sg := range cases {
		if got, err := Recover(hash, sg); bonfire.Code(err) != bonfire.ECodeUnauthorized {
			t.Errorf("%s: Recover = %s, %v; want ECodeUnauthorized", name, got, err)
		}
	}
}

func TestSameAddress(t *testing.T) {
	t.Parallel()
	if !SameAddress(vectorAddress, bonfire.Address(strings.ToLower(vectorAddress))) {
		t.Error("checksummed and lower-case spellings should be the same address")
	}
	if SameAddress(vectorAddress, mustKey(t).Address()) {
		t.Error("different addresses compare equal")
	}
}
