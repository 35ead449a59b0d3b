package identity

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// The web3.js documentation's example account: a published key and address.
const (
	vectorKey     = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
	vectorAddress = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"
)

func mustKey(t testing.TB) *Key {
	t.Helper()
	k, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestFromHexKnownVector(t *testing.T) {
	t.Parallel()
	for _, in := range []string{vectorKey, strings.TrimPrefix(vectorKey, "0x"), "  " + vectorKey + "\n", "0X" + vectorKey[2:]} {
		k, err := FromHex(in)
		if err != nil {
			t.Fatalf("FromHex(%q): %v", in, err)
		}
		if got := k.Address(); got != vectorAddress {
			t.Errorf("FromHex(%q).Address() = %s, want %s", in, got, vectorAddress)
		}
	}
}

func TestFromHexRejectsBadKeysWithoutEchoingThem(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"short":      vectorKey[:40],
		"long":       vectorKey + "00",
		"not hex":    "0x" + strings.Repeat("zz", 32),
		"zero":       "0x" + strings.Repeat("00", 32),
		"over order": "0x" + strings.Repeat("ff", 32),
		"empty":      "",
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := FromHex(in)
			if bonfire.Code(err) != bonfire.ECodeInvalid {
				t.Fatalf("FromHex = %v, want ECodeInvalid", err)
			}
			if len(in) > 8 && strings.Contains(err.Error(), strings.TrimPrefix(in, "0x")[4:]) {
				t.Errorf("error %q repeats the secret input", err)
			}
		})
	}
}

func TestGenerateGivesDistinctChecksummedAddresses(t *testing.T) {
	t.Parallel()
	a, b := mustKey(t), mustKey(t)
	if a.Address() == b.Address() {
		t.Fatalf("two generated keys share address %s", a.Address())
	}
	for _, k := range []*Key{a, b} {
		got, err := ParseAddress(string(k.Address()))
		if err != nil || got != k.Address() {
			t.Errorf("Address %s is not EIP-55 canonical: ParseAddress = %s, %v", k.Address(), got, err)
		}
		if k.PrivateKey() == nil || k.PrivateKey().D.Sign() == 0 {
			t.Errorf("PrivateKey() is empty")
		}
	}
}

func TestSignRecoversToAddress(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	hash := Keccak256([]byte("hello"))
	sig, err := k.Sign(hash)
	if err != nil {
		t.Fatal(err)
	}
	if len(sig) != SignatureLen || sig[64] > 1 {
		t.Fatalf("signature is %d bytes with V=%d, want 65 bytes with V in {0,1}", len(sig), sig[64])
	}
	got, err := Recover(hash, sig)
	if err != nil || got != k.Address() {
		t.Fatalf("Recover = %s, %v; want %s", got, err, k.Address())
	}
	other, err := Recover(Keccak256([]byte("hellp")), sig)
	if err == nil && other == k.Address() {
		t.Fatalf("signature over one hash recovers to the signer for another hash")
	}
}

func TestSignRefusesNonHash(t *testing.T) {
	t.Parallel()
	if _, err := mustKey(t).Sign([]byte("not a hash")); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Fatalf("Sign(10 bytes) = %v, want ECodeInvalid", err)
	}
}

func TestKeyNeverPrintsSecret(t *testing.T) {
	t.Parallel()
	k, err := FromHex(vectorKey)
	if err != nil {
		t.Fatal(err)
	}
	secret := vectorKey[2:]
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(format, k)
		if strings.Contains(out, secret) || strings.Contains(out, k.PrivateKey().D.String()) {
			t.Errorf("Sprintf(%q, key) = %q leaks the private key", format, out)
		}
		if !strings.Contains(out, vectorAddress) {
			t.Errorf("Sprintf(%q, key) = %q, want it to show the address", format, out)
		}
	}
	if bytes.Contains([]byte(k.String()), []byte(secret)) {
		t.Errorf("String leaks the key")
	}
}
