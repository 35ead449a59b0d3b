package identity

import (
	"encoding/hex"
	"math/big"
	"strings"

	"github.com/bonfirenet/bonfire"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// SignatureLen is the length of a signature: R (32) || S (32) || V (1).
const SignatureLen = 65

// Keccak256 hashes the concatenation of data, as Ethereum does.
func Keccak256(data ...[]byte) []byte { return crypto.Keccak256(data...) }

// SignatureHex writes sig as 0x-prefixed lower-case hex, the form carried in
// JSON and headers.
func SignatureHex(sig []byte) string { return "0x" + hex.EncodeToString(sig) }

// ParseSignature reads a 0x-prefixed hex signature of 65 bytes. It only
// checks the form; Recover checks the values.
func ParseSignature(s string) ([]byte, error) {
	const hint = "a signature is 0x followed by 130 hex digits (65 bytes: R, S, V)"
	if !strings.HasPrefix(s, "0x") {
		return nil, bonfire.Errorf(bonfire.ECodeUnauthorized, "signature %q does not start with 0x", clip(s)).WithHint(hint)
	}
	h := s[2:]
	if len(h) != 2*SignatureLen {
		return nil, bonfire.Errorf(bonfire.ECodeUnauthorized, "signature has %d hex digits, want %d", len(h), 2*SignatureLen).WithHint(hint)
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeUnauthorized, "signature %q is not hex", clip(s)).WithHint(hint)
	}
	return b, nil
}

// Recover returns the address whose key made sig over hash. V may be 0/1 or
// 27/28 (the wallet convention). High-S signatures are refused: each has a
// low-S twin that signs the same hash, and accepting both would give every
// message two valid spellings.
func Recover(hash, sig []byte) (bonfire.Address, error) {
	if len(hash) != 32 {
		return "", bonfire.Errorf(bonfire.ECodeInternal, "cannot recover a signer from a %d-byte hash, want 32", len(hash))
	}
	if len(sig) != SignatureLen {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "signature is %d bytes, want %d", len(sig), SignatureLen).
			WithHint("a signature is 65 bytes: R, S, V")
	}
	norm := make([]byte, SignatureLen)
	copy(norm, sig)
	if norm[64] >= 27 {
		norm[64] -= 27
	}
	r := new(big.Int).SetBytes(norm[:32])
	s := new(big.Int).SetBytes(norm[32:64])
	if !crypto.ValidateSignatureValues(norm[64], r, s, true) {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "signature values are out of range (R, S zero or too large, S not in the lower half, or V not 0, 1, 27 or 28)").
			WithHint("sign with a standard secp256k1 signer such as go-ethereum's crypto.Sign")
	}
	pub, err := crypto.SigToPub(hash, norm)
	if err != nil {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "no public key recovers from the signature: %v", err).
			WithHint("the signature is corrupt; sign the message again")
	}
	return bonfire.Address(crypto.PubkeyToAddress(*pub).Hex()), nil
}

// ParseAddress checks that s is 0x and 40 hex digits and returns it EIP-55
// checksummed. Mixed-case input must carry a correct checksum: a wrong one
// means a typo, and silently accepting it would send work or money to an
// address nobody meant.
func ParseAddress(s string) (bonfire.Address, error) {
	const hint = "write addresses as 0x followed by 40 hex digits, all lower case or EIP-55 checksummed"
	if !strings.HasPrefix(s, "0x") {
		return "", bonfire.Errorf(bonfire.ECodeInvalid, "address %q does not start with 0x", clip(s)).WithHint(hint)
	}
	h := s[2:]
	if len(h) != 40 {
		return "", bonfire.Errorf(bonfire.ECodeInvalid, "address %q has %d hex digits, want 40", clip(s), len(h)).WithHint(hint)
	}
	if _, err := hex.DecodeString(h); err != nil {
		return "", bonfire.Errorf(bonfire.ECodeInvalid, "address %q is not hex", clip(s)).WithHint(hint)
	}
	canon := common.HexToAddress(s).Hex()
	if h != strings.ToLower(h) && h != strings.ToUpper(h) && s != canon {
		return "", bonfire.Errorf(bonfire.ECodeInvalid, "address %q has a wrong EIP-55 checksum (expected %s)", s, canon).
			WithHint("copy the address again; a mixed-case address whose checksum fails usually has a typo")
	}
	return bonfire.Address(canon), nil
}

// SameAddress reports whether a and b spell the same address.
func SameAddress(a, b bonfire.Address) bool { return a.Normal() == b.Normal() }

// clip keeps hostile input from flooding error messages.
func clip(s string) string {
	if len(s) <= 140 {
		return s
	}
	return s[:140] + "…"
}
