package trust

import (
	"encoding/hex"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// Hash is 32 raw bytes (a nonce, a salt, a chain checkpoint). It travels as
// 0x-prefixed hex so that it reads the same in JSON, logs and the CLI.
type Hash [32]byte

// String returns h as 0x-prefixed lower-case hex.
func (h Hash) String() string { return "0x" + hex.EncodeToString(h[:]) }

// MarshalText writes h as 0x-prefixed hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads 64 hex digits, with or without a 0x prefix.
func (h *Hash) UnmarshalText(b []byte) error {
	v, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// ParseHash reads 64 hex digits, with or without a 0x prefix.
func ParseHash(s string) (Hash, error) {
	var h Hash
	t := strings.TrimPrefix(strings.TrimPrefix(s, "0x"), "0X")
	if len(t) != 64 {
		return h, bonfire.Errorf(bonfire.ECodeInvalid, "%q has %d hex digits, want 64", clip(s), len(t)).
			WithHint("write 32 bytes as 0x followed by 64 hex digits")
	}
	if _, err := hex.Decode(h[:], []byte(t)); err != nil {
		return Hash{}, bonfire.Errorf(bonfire.ECodeInvalid, "%q is not hex", clip(s)).
			WithHint("write 32 bytes as 0x followed by 64 hex digits")
	}
	return h, nil
}

// clip keeps error messages short when someone sends a megabyte of junk.
func clip(s string) string {
	if len(s) <= 80 {
		return s
	}
	return s[:80] + "…"
}
