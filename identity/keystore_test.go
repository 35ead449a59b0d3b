package identity

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/ethereum/go-ethereum/accounts/keystore"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	path := filepath.Join(t.TempDir(), "keys", "provider.json")
	if err := k.Save(path, "correct horse", true); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if got.Address() != k.Address() || got.PrivateKey().D.Cmp(k.PrivateKey().D) != 0 {
		t.Fatalf("loaded key %s differs from saved %s", got.Address(), k.Address())
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if mode := st.Mode().Perm(); mode != 0o600 {
			t.Errorf("key file mode = %v, want 0600", mode)
		}
	}
}

// Other Ethereum tools must read what Save writes, and Load must read what
// they write.
func TestKeystoreInteroperatesWithGoEthereum(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	dir := t.TempDir()
	ours := filepath.Join(dir, "ours.json")
	if err := k.Save(ours, "pw", true); err != nil {
		t.Fatal(err)
	}
	blob, err := os.ReadFile(ours)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := keystore.DecryptKey(blob, "pw")
	if err != nil {
		t.Fatalf("go-ethereum cannot read our key file: %v", err)
	}
	if theirs.Address.Hex() != string(k.Address()) {
		t.Fatalf("go-ethereum reads address %s, want %s", theirs.Address.Hex(), k.Address())
	}

	other := mustKey(t)
	gethBlob, err := keystore.EncryptKey(&keystore.Key{Id: theirs.Id, Address: other.addr, PrivateKey: other.PrivateKey()}, "pw2", keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	gethPath := filepath.Join(dir, "geth.json")
	if err := os.WriteFile(gethPath, gethBlob, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Load(gethPath, "pw2")
	if err != nil || got.Address() != other.Address() {
		t.Fatalf("Load(go-ethereum file) = %v, %v; want %s", got, err, other.Address())
	}
}

func TestSaveRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "key.json")
	first := mustKey(t)
	if err := first.Save(path, "", true); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	err := mustKey(t).Save(path, "", true)
	if bonfire.Code(err) != bonfire.ECodeConflict || !strings.Contains(err.Error(), path) {
		t.Fatalf("second Save = %v, want ECodeConflict naming %s", err, path)
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("refused Save still changed the file")
	}
	if k, err := Load(path, ""); err != nil || k.Address() != first.Address() {
		t.Fatalf("Load after refused overwrite = %v, %v; want %s", k, err, first.Address())
	}
}

func TestLoadWrongPassphrase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "key.json")
	if err := mustKey(t).Save(path, "right", true); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, "wrong")
	if bonfire.Code(err) != bonfire.ECodeUnauthorized {
		t.Fatalf("Load(wrong passphrase) = %v, want ECodeUnauthorized", err)
	}
	e := err.(*bonfire.Error)
	if !strings.Contains(e.Message, path) || !strings.Contains(e.Hint, EnvPassphrase) {
		t.Errorf("error %q should name %s and hint at %s", err, path, EnvPassphrase)
	}
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nope.json")
	if _, err := Load(path, ""); bonfire.Code(err) != bonfire.ECodeNotFound || !strings.Contains(err.Error(), path) {
		t.Fatalf("Load(missing) = %v, want ECodeNotFound naming the path", err)
	}
}

func TestLoadCorruptFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	k := mustKey(t)
	if err := k.Save(good, "", true); err != nil {
		t.Fatal(err)
	}
	blob, _ := os.ReadFile(good)
	text := string(blob)
	other := strings.TrimPrefix(strings.ToLower(string(mustKey(t).Address())), "0x")
	self := strings.TrimPrefix(strings.ToLower(string(k.Address())), "0x")
	cases := map[string]string{
		"empty":            "",
		"not json":         "hello",
		"truncated":        text[:len(text)/2],
		"version 1":        strings.Replace(text, `"version":3`, `"version":1`, 1),
		"no kdfparams":     strings.Replace(text, `"kdfparams"`, `"kdfparamz"`, 1),
		"dklen 8":          strings.Replace(text, `"dklen":32`, `"dklen":8`, 1),
		"dklen string":     strings.Replace(text, `"dklen":32`, `"dklen":"32"`, 1),
		"huge scrypt n":    strings.Replace(text, `"n":4096`, `"n":1073741824`, 1),
		"unknown kdf":      strings.Replace(text, `"kdf":"scrypt"`, `"kdf":"argon2"`, 1),
		"unknown cipher":   strings.Replace(text, `"aes-128-ctr"`, `"aes-256-gcm"`, 1),
		"bad salt":         strings.Replace(text, `"salt":"`, `"salt":"zz`, 1),
		"address mismatch": strings.Replace(text, self, other, 1),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if content == text {
				t.Fatalf("test setup: the corruption did not apply")
			}
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path, "")
			if bonfire.Code(err) != bonfire.ECodeInvalid || !strings.Contains(err.Error(), path) {
				t.Fatalf("Load(%s) = %v, want ECodeInvalid naming the path", name, err)
			}
		})
	}
	if _, err := Load(dir, ""); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Errorf("Load(directory) = %v, want ECodeInvalid", err)
	}
}

func TestLoadOrCreate(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "sub", "key.json")
	k1, created, err := LoadOrCreate(path, "pw", true)
	if err != nil || !created {
		t.Fatalf("first LoadOrCreate = created %v, %v; want a new key", created, err)
	}
	k2, created, err := LoadOrCreate(path, "pw", true)
	if err != nil || created || k2.Address() != k1.Address() {
		t.Fatalf("second LoadOrCreate = %v, created %v, %v; want the same key %s loaded", k2, created, err, k1.Address())
	}
	// A wrong passphrase must not be "fixed" by making a new identity.
	if _, created, err := LoadOrCreate(path, "other", true); bonfire.Code(err) != bonfire.ECodeUnauthorized || created {
		t.Fatalf("LoadOrCreate(wrong passphrase) = created %v, %v; want ECodeUnauthorized", created, err)
	}
	if k3, err := Load(path, "pw"); err != nil || k3.Address() != k1.Address() {
		t.Fatalf("key changed after a failed LoadOrCreate: %v, %v", k3, err)
	}
}

func TestPassphraseFromEnvironment(t *testing.T) {
	// t.Setenv forbids t.Parallel.
	t.Setenv(EnvPassphrase, "s3cret")
	if got := Passphrase(); got != "s3cret" {
		t.Fatalf("Passphrase() = %q, want s3cret", got)
	}
	t.Setenv(EnvPassphrase, "")
	if got := Passphrase(); got != "" {
		t.Fatalf("Passphrase() = %q, want empty", got)
	}
}
