package localnet

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
)

// Home is the layout of a Bonfire home directory.
//
//	config.yaml            optional settings (see cmd/bonfire)
//	wallet/key.json        the consumer's key (owner of submitted jobs)
//	market/key.json        the market's key (signs messages to providers)
//	market/state.db        SQLite state
//	market/blobs/          content-addressed blobs
//	market/api-token       the loopback API token
//	market/endpoints.json  where the running market listens
//	providers/<n>/         each local provider's key and blob cache
//	chain/                 the embedded dev chain: data, dev key, deployments.json
//	wazero-cache/          compiled modules shared by local providers
type Home string

func (h Home) path(parts ...string) string {
	return filepath.Join(append([]string{string(h)}, parts...)...)
}

// WalletKey is the consumer key's path.
func (h Home) WalletKey() string { return h.path("wallet", "key.json") }

// MarketDir holds the market's state.
func (h Home) MarketDir() string { return h.path("market") }

// ProviderDir holds local provider n's key and cache.
func (h Home) ProviderDir(n int) string { return h.path("providers", itoa(n)) }

// ChainDir holds the embedded dev chain.
func (h Home) ChainDir() string { return h.path("chain") }

// Endpoints is the file a running market writes so that CLI commands find it.
func (h Home) Endpoints() string { return h.path("market", "endpoints.json") }

// TokenFile is where the loopback API token is kept.
func (h Home) TokenFile() string { return h.path("market", "api-token") }

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// EndpointsInfo says where a running market listens.
type EndpointsInfo struct {
	API      string `json:"api"`
	NATS     string `json:"nats"`
	ChainRPC string `json:"chainRpc,omitempty"`
	PID      int    `json:"pid"`
}

// ReadEndpoints reads the endpoints file of a running market.
func (h Home) ReadEndpoints() (*EndpointsInfo, error) {
	b, err := os.ReadFile(h.Endpoints())
	if errors.Is(err, os.ErrNotExist) {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "no market is running with home %s", h).
			WithHint("start one with `bonfire up`, or pass --market URL")
	}
	if err != nil {
		return nil, err
	}
	var e EndpointsInfo
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%s is corrupt: %v", h.Endpoints(), err).WithHint("restart `bonfire up`")
	}
	return &e, nil
}

// Token returns the API token, creating it on first use.
func (h Home) Token() (string, error) {
	b, err := os.ReadFile(h.TokenFile())
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	var raw [24]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	tok := hex.EncodeToString(raw[:])
	if err := os.MkdirAll(filepath.Dir(h.TokenFile()), 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(h.TokenFile(), []byte(tok+"\n"), 0o600); err != nil {
		return "", err
	}
	return tok, nil
}

// Key loads or creates a keystore file. Local keys use light scrypt: they
// guard test money on a laptop, and standard scrypt costs a second each.
func Key(path string) (*identity.Key, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	k, _, err := identity.LoadOrCreate(path, identity.Passphrase(), true)
	return k, err
}
