package devchain

import (
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/google/uuid"
)

// DevKeyPassphrase encrypts the dev key's keystore file. The key guards
// nothing of value, and an empty passphrase lets any wallet import it.
const DevKeyPassphrase = ""

// Layout is the layout of a data directory.
//
//	keystore/devkey.json  the dev key (keystore v3, light scrypt, empty passphrase)
//	genesis.json          the chain's genesis, written before the chain is created
//	deployments.json      the contracts' addresses and chain id (an evm.Deployment)
//	funded.json           accounts already funded for the current deployment
//	geth/                 go-ethereum's node: chain database, lock
type Layout string

func (l Layout) path(parts ...string) string {
	return filepath.Join(append([]string{string(l)}, parts...)...)
}

// DevKey is the dev key's keystore file.
func (l Layout) DevKey() string { return l.path("keystore", "devkey.json") }

// Genesis is the chain's genesis file.
func (l Layout) Genesis() string { return l.path("genesis.json") }

// Deployments is the deployment file other programs read to find the contracts.
func (l Layout) Deployments() string { return l.path("deployments.json") }

// Funded records which accounts have been funded.
func (l Layout) Funded() string { return l.path("funded.json") }

// ChainData is go-ethereum's chain database.
func (l Layout) ChainData() string { return l.path(nodeName, "chaindata") }

// loadOrCreateDevKey reads the dev key, or creates and saves one when the
// data directory holds no chain yet. A chain without its key is refused:
// genesis funded that key and nothing else.
func loadOrCreateDevKey(l Layout) (*ecdsa.PrivateKey, bool, error) {
	data, err := os.ReadFile(l.DevKey())
	if err == nil {
		k, err := keystore.DecryptKey(data, DevKeyPassphrase)
		if err != nil {
			return nil, false, corrupt(l.DevKey(), err)
		}
		return k.PrivateKey, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, ioError("read the dev key", err)
	}
	for _, p := range []string{l.Genesis(), l.ChainData()} {
		if _, err := os.Stat(p); err == nil {
			return nil, false, bonfire.Errorf(bonfire.ECodeConflict, "%s holds a chain but its dev key %s is missing", string(l), l.DevKey()).
				WithField("dataDir").WithHint("restore the key file, or delete the data directory to start a new chain")
		}
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		return nil, false, bonfire.Errorf(bonfire.ECodeInternal, "generate the dev key: %v", err)
	}
	id, err := uuid.NewRandom()
	if err != nil {
		return nil, false, bonfire.Errorf(bonfire.ECodeInternal, "generate a key id: %v", err)
	}
	data, err = keystore.EncryptKey(&keystore.Key{Id: id, Address: crypto.PubkeyToAddress(key.PublicKey), PrivateKey: key},
		DevKeyPassphrase, keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		return nil, false, bonfire.Errorf(bonfire.ECodeInternal, "encrypt the dev key: %v", err)
	}
	if err := writeFileAtomic(l.DevKey(), data); err != nil {
		return nil, false, ioError("save the dev key", err)
	}
	return key, true, nil
}

// loadGenesis reads the saved genesis; nil when there is none yet.
func loadGenesis(l Layout) (*core.Genesis, error) {
	data, err := os.ReadFile(l.Genesis())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, ioError("read the genesis", err)
	}
	g := new(core.Genesis)
	if err := json.Unmarshal(data, g); err != nil {
		return nil, corrupt(l.Genesis(), err)
	}
	if g.Config == nil || g.Config.ChainID == nil {
		return nil, corrupt(l.Genesis(), errors.New("no chain id"))
	}
	return g, nil
}

func saveGenesis(l Layout, g *core.Genesis) error {
	data, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "encode the genesis: %v", err)
	}
	if err := writeFileAtomic(l.Genesis(), data); err != nil {
		return ioError("save the genesis", err)
	}
	return nil
}

// ReadDeployment reads the deployment a dev chain wrote into dataDir, for
// programs that talk to a running dev chain over RPCURL.
func ReadDeployment(dataDir string) (*evm.Deployment, error) {
	d, err := loadDeployment(Layout(dataDir))
	if err == nil && d == nil {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "%s holds no deployment", dataDir).
			WithField("dataDir").WithHint("start the dev chain (bonfire up) once to deploy the contracts")
	}
	return d, err
}

// loadDeployment reads the saved deployment; nil when there is none yet.
func loadDeployment(l Layout) (*evm.Deployment, error) {
	data, err := os.ReadFile(l.Deployments())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, ioError("read the deployment", err)
	}
	d, err := evm.ParseDeployment(data)
	if err != nil {
		return nil, corrupt(l.Deployments(), err)
	}
	return d, nil
}

func saveDeployment(l Layout, d *evm.Deployment) error {
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "encode the deployment: %v", err)
	}
	if err := writeFileAtomic(l.Deployments(), append(data, '\n')); err != nil {
		return ioError("save the deployment", err)
	}
	return nil
}

// fundedRecord lists the accounts funded with one deployment's token, so a
// redeployment (new token) funds everyone again.
type fundedRecord struct {
	Token    common.Address   `json:"token"`
	Accounts []common.Address `json:"accounts"`
}

// loadFunded returns the accounts funded with token.
func loadFunded(l Layout, token common.Address) (map[common.Address]bool, error) {
	data, err := os.ReadFile(l.Funded())
	if errors.Is(err, fs.ErrNotExist) {
		return map[common.Address]bool{}, nil
	}
	if err != nil {
		return nil, ioError("read the funded accounts", err)
	}
	funded, err := decodeFunded(data, token)
	if err != nil {
		return nil, corrupt(l.Funded(), err)
	}
	return funded, nil
}

func decodeFunded(data []byte, token common.Address) (map[common.Address]bool, error) {
	var r fundedRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	funded := map[common.Address]bool{}
	if r.Token != token {
		return funded, nil
	}
	for _, a := range r.Accounts {
		funded[a] = true
	}
	return funded, nil
}

func saveFunded(l Layout, token common.Address, accounts []common.Address) error {
	data, err := json.MarshalIndent(fundedRecord{Token: token, Accounts: accounts}, "", "  ")
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "encode the funded accounts: %v", err)
	}
	if err := writeFileAtomic(l.Funded(), data); err != nil {
		return ioError("save the funded accounts", err)
	}
	return nil
}

// writeFileAtomic replaces path with data so that a crash leaves either the
// old file or the new one, never a torn one: readers of deployments.json
// run while the chain does.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly after the rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: makes the rename itself durable where supported
		d.Close()
	}
	return nil
}

func corrupt(path string, err error) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeInternal, "%s is unreadable: %v", path, err).
		WithHint("restore the file, or delete the data directory to start a new chain")
}

func ioError(what string, err error) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeInternal, "cannot %s: %v", what, err).
		WithHint("check that the data directory exists and is writable")
}
