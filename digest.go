package bonfire

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Digest names content by its SHA-256: "sha256:" followed by 64 lower-case
// hex digits. Blobs (modules, inputs, outputs) are stored and fetched by it.
type Digest string

const digestPrefix = "sha256:"

// DigestOf returns the digest of b.
func DigestOf(b []byte) Digest {
	sum := sha256.Sum256(b)
	return Digest(digestPrefix + hex.EncodeToString(sum[:]))
}

// DigestFromSum turns a raw SHA-256 sum into a Digest.
func DigestFromSum(sum []byte) Digest { return Digest(digestPrefix + hex.EncodeToString(sum)) }

// ParseDigest checks s and returns it as a Digest.
func ParseDigest(s string) (Digest, error) {
	d := Digest(s)
	if err := d.Validate(); err != nil {
		return "", err
	}
	return d, nil
}

// Validate reports whether d is well formed.
func (d Digest) Validate() error {
	s := string(d)
	if !strings.HasPrefix(s, digestPrefix) {
		return Errorf(ECodeInvalid, "digest %q does not start with %q", truncate(s, 80), digestPrefix).
			WithHint("write digests as sha256:<64 hex digits>")
	}
	h := s[len(digestPrefix):]
	if len(h) != 64 {
		return Errorf(ECodeInvalid, "digest %q has %d hex digits, want 64", truncate(s, 80), len(h)).
			WithHint("write digests as sha256:<64 hex digits>")
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return Errorf(ECodeInvalid, "digest %q has a character that is not lower-case hex", truncate(s, 80)).
				WithHint("write digests as sha256:<64 lower-case hex digits>")
		}
	}
	return nil
}

// Hex returns the 64 hex digits of d without the prefix.
func (d Digest) Hex() string { return strings.TrimPrefix(string(d), digestPrefix) }

// IsDigest reports whether s looks like a digest reference (has the prefix).
func IsDigest(s string) bool { return strings.HasPrefix(s, digestPrefix) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
