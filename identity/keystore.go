package identity

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bonfirenet/bonfire"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/google/uuid"
)

// EnvPassphrase is the environment variable Passphrase reads.
const EnvPassphrase = "BONFIRE_PASSPHRASE"

// Passphrase returns the keystore passphrase from BONFIRE_PASSPHRASE. Unset
// means empty, which is allowed so that local development needs no setup;
// an empty passphrase protects nothing, so set one wherever the key matters.
func Passphrase() string { return os.Getenv(EnvPassphrase) }

// maxKeyFile bounds what Load reads: a keystore v3 file is under 1 KiB, so
// anything much larger is not one.
const maxKeyFile = 64 << 10

// Save writes k to path as an Ethereum keystore v3 file (scrypt, AES-128-CTR)
// readable by geth, clef and other Ethereum tools. light selects go-ethereum's
// light scrypt parameters (4 MiB, fast) for tests and local development, the
// standard ones (256 MiB, about a second) otherwise. The file is created with
// mode 0600 and Save refuses to replace an existing file, since that would
// destroy an identity and whatever it is owed.
func (k *Key) Save(path, passphrase string, light bool) error {
	n, p := keystore.StandardScryptN, keystore.StandardScryptP
	if light {
		n, p = keystore.LightScryptN, keystore.LightScryptP
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "cannot make a key id: %v", err)
	}
	blob, err := keystore.EncryptKey(&keystore.Key{Id: id, Address: k.addr, PrivateKey: k.priv}, passphrase, n, p)
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "cannot encrypt the key for %s: %v", path, err)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return bonfire.Errorf(bonfire.ECodeInvalid, "cannot create the key directory %s: %v", dir, err).
				WithHint("choose a key path in a directory you can write")
		}
	}
	// O_EXCL makes the existence check and the creation one step, so two
	// processes starting at once cannot both write a key.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return bonfire.Errorf(bonfire.ECodeConflict, "key file %s already exists; refusing to overwrite it", path).
			WithHint("load the existing key, or move it away first if you really mean to replace that identity")
	}
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInvalid, "cannot create key file %s: %v", path, err).
			WithHint("choose a key path in a directory you can write")
	}
	_, werr := f.Write(blob)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		_ = os.Remove(path) // a half-written key file would fail every later Load
		return bonfire.Errorf(bonfire.ECodeInternal, "cannot write key file %s: %v", path, werr).
			WithHint("check free disk space and permissions")
	}
	return nil
}

// Load reads and decrypts the keystore file at path. A wrong passphrase is
// ECodeUnauthorized; a missing file ECodeNotFound; a file that is not a
// keystore, or whose stated address does not match its key, ECodeInvalid.
func Load(path, passphrase string) (*Key, error) {
	blob, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	header, err := checkKeystoreJSON(blob)
	if err != nil {
		return nil, corrupt(path, err.Error())
	}
	ks, err := decrypt(blob, passphrase)
	if errors.Is(err, keystore.ErrDecrypt) {
		return nil, bonfire.Errorf(bonfire.ECodeUnauthorized, "wrong passphrase for key file %s", path).
			WithHint("set " + EnvPassphrase + " to the passphrase the key was saved with")
	}
	if err != nil {
		return nil, corrupt(path, err.Error())
	}
	if header.Address != "" {
		stated := strings.TrimPrefix(strings.ToLower(header.Address), "0x")
		if !common.IsHexAddress(stated) || common.HexToAddress(stated) != ks.Address {
			return nil, corrupt(path, "its address field does not match the key it holds")
		}
	}
	return newKey(ks.PrivateKey), nil
}

// LoadOrCreate loads the key at path, or generates and saves a new one when
// there is no file there; created tells which happened. Any other problem
// with an existing file is returned, never papered over with a new key.
func LoadOrCreate(path, passphrase string, light bool) (*Key, bool, error) {
	k, err := Load(path, passphrase)
	if err == nil {
		return k, false, nil
	}
	if bonfire.Code(err) != bonfire.ECodeNotFound {
		return nil, false, err
	}
	if k, err = Generate(); err != nil {
		return nil, false, err
	}
	if err := k.Save(path, passphrase, light); err != nil {
		if bonfire.Code(err) == bonfire.ECodeConflict {
			// Another process created it between our Load and Save: use theirs.
			k, err := Load(path, passphrase)
			return k, false, err
		}
		return nil, false, err
	}
	return k, true, nil
}

func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "key file %s does not exist", path).
			WithHint("check the key path, or create a key there first")
	}
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot read key file %s: %v", path, err).
			WithHint("check the key path and its permissions")
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot read key file %s: %v", path, err).
			WithHint("check the key path and its permissions")
	}
	if st.IsDir() {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "key file %s is a directory", path).
			WithHint("give the path of the key file itself")
	}
	blob, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot read key file %s: %v", path, err).
			WithHint("check the key path and its permissions")
	}
	if len(blob) > maxKeyFile {
		return nil, corrupt(path, "it is far too large for a keystore file")
	}
	return blob, nil
}

func corrupt(path, why string) error {
	return bonfire.Errorf(bonfire.ECodeInvalid, "key file %s is not a valid Ethereum keystore v3 file: %s", path, why).
		WithHint("restore the file from a backup, or point to the right key file")
}
