package identity

import (
	"crypto/ecdsa"
	"encoding/hex"
	"strings"

	"github.com/bonfirenet/bonfire"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Key is a secp256k1 private key and the Ethereum address derived from it.
// It never prints its secret: String shows only the address.
type Key struct {
	priv *ecdsa.PrivateKey
	addr common.Address
}

func newKey(priv *ecdsa.PrivateKey) *Key {
	return &Key{priv: priv, addr: crypto.PubkeyToAddress(priv.PublicKey)}
}

// Generate makes a new random key.
func Generate() (*Key, error) {
	priv, err := crypto.GenerateKey()
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "cannot generate a key: %v", err).
			WithHint("the system random source failed; check the machine")
	}
	return newKey(priv), nil
}

// FromHex imports a raw private key written as 64 hex digits, with or without
// 0x, as exported by most wallets. Errors never repeat the input, which is a
// secret.
func FromHex(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	const hint = "give the private key as 64 hex digits, optionally prefixed with 0x"
	if len(s) != 64 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "private key has %d hex digits, want 64", len(s)).WithHint(hint)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "private key is not hex").WithHint(hint)
	}
	priv, err := crypto.ToECDSA(b)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "private key is not a valid secp256k1 key (zero or not below the curve order)").
			WithHint(hint)
	}
	return newKey(priv), nil
}

// Address returns the key's Ethereum address, EIP-55 checksummed.
func (k *Key) Address() bonfire.Address { return bonfire.Address(k.addr.Hex()) }

// PrivateKey returns the secret key, for the chain client that signs
// transactions with it.
func (k *Key) PrivateKey() *ecdsa.PrivateKey { return k.priv }

// Sign signs a 32-byte hash and returns the 65-byte signature [R || S || V]
// with V in {0, 1} and S in the lower half of the curve order.
func (k *Key) Sign(hash []byte) ([]byte, error) {
	if len(hash) != 32 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot sign a %d-byte hash, want 32 bytes", len(hash)).
			WithHint("sign the Keccak-256 of the message, not the message itself")
	}
	sig, err := crypto.Sign(hash, k.priv)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "cannot sign: %v", err)
	}
	return sig, nil
}

// String shows the address only, so that logging a key never leaks it.
func (k *Key) String() string { return "identity.Key(" + k.addr.Hex() + ")" }

// GoString keeps %#v from printing the secret too.
func (k *Key) GoString() string { return k.String() }
