package identity

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/keystore"
)

// keystoreHeader is the part of a keystore v3 file checked before go-ethereum
// sees it. go-ethereum trusts the file: missing or mistyped KDF parameters
// make it panic, and a huge scrypt N makes it allocate without limit.
type keystoreHeader struct {
	Address string `json:"address"`
	Version int    `json:"version"`
	Crypto  struct {
		KDF       string         `json:"kdf"`
		KDFParams map[string]any `json:"kdfparams"`
	} `json:"crypto"`
}

// maxScryptMemory bounds the memory a key file can make scrypt use
// (128·N·r·p bytes). The standard parameters need 256 MiB.
const maxScryptMemory = 1 << 30

func checkKeystoreJSON(blob []byte) (*keystoreHeader, error) {
	var h keystoreHeader
	if err := json.Unmarshal(blob, &h); err != nil {
		return nil, errors.New("it is not keystore JSON")
	}
	if h.Version != 3 {
		return nil, fmt.Errorf("its version is %d, want 3", h.Version)
	}
	params := h.Crypto.KDFParams
	if _, ok := params["salt"].(string); !ok {
		return nil, errors.New("crypto.kdfparams.salt is missing")
	}
	if dk, ok := whole(params["dklen"]); !ok || dk != 32 {
		return nil, errors.New("crypto.kdfparams.dklen is not 32")
	}
	switch h.Crypto.KDF {
	case "scrypt":
		n, okN := whole(params["n"])
		r, okR := whole(params["r"])
		p, okP := whole(params["p"])
		if !okN || !okR || !okP || n < 2 || r < 1 || p < 1 {
			return nil, errors.New("crypto.kdfparams n, r and p must be positive whole numbers")
		}
		if n > maxScryptMemory/128 || r*p > maxScryptMemory/128/n {
			return nil, fmt.Errorf("its scrypt parameters (n=%d, r=%d, p=%d) need more than 1 GiB", n, r, p)
		}
	case "pbkdf2":
		if c, ok := whole(params["c"]); !ok || c < 1 || c > 1<<24 {
			return nil, errors.New("crypto.kdfparams.c is not a sensible iteration count")
		}
		if prf, _ := params["prf"].(string); prf == "" {
			return nil, errors.New("crypto.kdfparams.prf is missing")
		}
	default:
		return nil, fmt.Errorf("its kdf %q is neither scrypt nor pbkdf2", h.Crypto.KDF)
	}
	return &h, nil
}

// whole reads a JSON number that must be a whole number.
func whole(v any) (int, bool) {
	f, ok := v.(float64)
	if !ok || f != float64(int64(f)) || f < 0 || f > 1<<40 {
		return 0, false
	}
	return int(f), true
}

// decrypt calls go-ethereum, turning any panic the checks above missed into
// an error: a bad key file must never crash the process that loads it.
func decrypt(blob []byte, passphrase string) (k *keystore.Key, err error) {
	defer func() {
		if r := recover(); r != nil {
			k, err = nil, fmt.Errorf("go-ethereum could not parse it: %v", r)
		}
	}()
	return keystore.DecryptKey(blob, passphrase)
}
