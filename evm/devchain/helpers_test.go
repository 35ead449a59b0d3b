package devchain

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// helperEnv, when set, makes the test binary run killedChild instead of the
// tests: TestSurvivesKill re-executes itself to have a process to kill.
const helperEnv = "DEVCHAIN_KILL_CHILD_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(helperEnv); dir != "" {
		killedChild(dir)
		return
	}
	os.Exit(m.Run())
}

func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// startTest starts a chain in dir on a free port and closes it after the test.
func startTest(t *testing.T, dir string, fund ...common.Address) *Chain {
	t.Helper()
	c, err := Start(testContext(t), Config{DataDir: dir, HTTPAddr: "127.0.0.1:0", Fund: fund})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// rpcCall makes a JSON-RPC call with a plain HTTP POST, as a wallet does.
func rpcCall(t *testing.T, url, method string, params ...any) json.RawMessage {
	t.Helper()
	if params == nil {
		params = []any{}
	}
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s %s: %v", url, method, err)
	}
	defer resp.Body.Close()
	var out struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: decode response (status %s): %v", method, resp.Status, err)
	}
	if out.Error != nil {
		t.Fatalf("%s: error %d: %s", method, out.Error.Code, out.Error.Message)
	}
	return out.Result
}

// rpcUint makes a call whose result is a hex quantity.
func rpcUint(t *testing.T, url, method string, params ...any) *big.Int {
	t.Helper()
	var q hexutil.Big
	if err := json.Unmarshal(rpcCall(t, url, method, params...), &q); err != nil {
		t.Fatalf("%s: result is not a quantity: %v", method, err)
	}
	return q.ToInt()
}

// balances reads a's ether and tUSD.
func balances(t *testing.T, ctx context.Context, c *Chain, a common.Address) (eth, tokens *big.Int) {
	t.Helper()
	eth, err := c.Client().BalanceAt(ctx, a, nil)
	if err != nil {
		t.Fatalf("BalanceAt: %v", err)
	}
	contracts, err := c.Deployment().Bind(c.Client())
	if err != nil {
		t.Fatalf("Bind: %v", err)
	}
	tokens, err = contracts.Token.BalanceOf(&bind.CallOpts{Context: ctx}, a)
	if err != nil {
		t.Fatalf("BalanceOf: %v", err)
	}
	return eth, tokens
}

// transfer sends wei from the dev key to a and returns the block it landed in.
func transfer(ctx context.Context, c *Chain, to common.Address, wei int64) (uint64, error) {
	r, err := c.Transfer(ctx, to, big.NewInt(wei))
	if err != nil {
		return 0, err
	}
	return r.BlockNumber.Uint64(), nil
}

// requireDeployed fails unless every contract of d has code on c.
func requireDeployed(t *testing.T, ctx context.Context, c *Chain, d *evm.Deployment) {
	t.Helper()
	for name, a := range map[string]common.Address{"token": d.Token, "escrow": d.Escrow, "stake": d.Stake} {
		code, err := c.Client().CodeAt(ctx, a, nil)
		if err != nil {
			t.Fatalf("CodeAt %s: %v", name, err)
		}
		if len(code) == 0 {
			t.Errorf("no code at the %s address %s", name, a)
		}
	}
}
