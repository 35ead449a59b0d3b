package chainwallet

import (
	"context"
	"math/big"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/bindings"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
)

// headPoll is how often a deployment's confirmations are looked for. Public
// chains make a block every few seconds; polling faster buys nothing.
const headPoll = time.Second

// Deploy deploys the settlement contracts (evm.Deploy: a TestStablecoin
// first when p.Token is zero, then BonfireEscrow and ProviderStake) on the
// chain at rpcURL from key's account, paying EIP-1559 fees as sends do, and
// returns once the last contract has the given number of confirmations and
// every contract still has code. Nonces come from the node's pending state.
// A deployment cut short leaves contracts nobody records; deploying again
// starts afresh at the next nonce.
func Deploy(ctx context.Context, rpcURL string, key *identity.Key, p evm.Params, confirmations uint64) (*evm.Deployment, error) {
	if key == nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "no key to deploy with").WithField("key").
			WithHint("give the keystore file of a funded account")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	client, _, err := dial(ctx, rpcURL)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	from := common.HexToAddress(string(key.Address()))
	eth, err := client.BalanceAt(ctx, from, nil)
	if err != nil {
		return nil, unavailable("read the ether balance of "+from.Hex(), err)
	}
	if eth.Sign() == 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "the deploying account %s has no ether for gas", from.Hex()).
			WithField("key").WithHint("send the account some of the chain's ether first, or deploy from a funded key")
	}
	if p.Token != (common.Address{}) {
		if err := checkToken(ctx, client, p.Token, rpcURL); err != nil {
			return nil, err
		}
	}
	chainID, err := client.ChainID(ctx)
	if err != nil {
		return nil, unavailable("read the chain id", err)
	}
	auth, err := bind.NewKeyedTransactorWithChainID(key.PrivateKey(), chainID)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "cannot sign for chain %s: %v", chainID, err)
	}
	if auth.GasTipCap, auth.GasFeeCap, err = suggestFees(ctx, client); err != nil {
		return nil, unavailable("read the chain's fees", err)
	}
	d, err := evm.Deploy(ctx, client, auth, p)
	if err != nil {
		return nil, err
	}
	if err := waitDeployment(ctx, client, d, confirmations); err != nil {
		return nil, err
	}
	return d, nil
}

// checkToken refuses a token address without an ERC-20 contract behind it:
// an escrow on it could never take a deposit.
func checkToken(ctx context.Context, client *ethclient.Client, token common.Address, rpcURL string) error {
	code, err := client.CodeAt(ctx, token, nil)
	if err != nil {
		return unavailable("read the token contract", err)
	}
	notToken := func(why string) error {
		return bonfire.Errorf(bonfire.ECodeInvalid, "%s on the chain at %s", why, rpcURL).
			WithField("token").WithHint("give the address of the ERC-20 token payments settle in, or --test-token to deploy a test one")
	}
	if len(code) == 0 {
		return notToken("there is no contract at the token address " + token.Hex())
	}
	t, err := bindings.NewTestStablecoin(token, client)
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "bind token: %v", err)
	}
	if _, err := t.Decimals(&bind.CallOpts{Context: ctx}); err != nil {
		return notToken("the contract at " + token.Hex() + " answers no ERC-20 decimals()")
	}
	return nil
}

// waitDeployment waits until d's last block has confirmations-1 blocks on
// top of it, then checks that a reorganisation did not take the contracts'
// code away.
func waitDeployment(ctx context.Context, client *ethclient.Client, d *evm.Deployment, confirmations uint64) error {
	if confirmations > 1 {
		want := new(big.Int).SetUint64(d.Block + confirmations - 1)
		tick := time.NewTicker(headPoll)
		defer tick.Stop()
		for {
			head, err := client.HeaderByNumber(ctx, nil)
			if err == nil && head.Number.Cmp(want) >= 0 {
				break
			}
			select {
			case <-ctx.Done():
				return bonfire.Errorf(bonfire.ECodeTimeout, "the deployment in block %d has fewer than %d confirmations: %v", d.Block, confirmations, ctx.Err()).
					WithField("confirmations").WithHint("the chain makes blocks slowly, or (a dev chain) only when something is sent; lower --confirmations or wait longer")
			case <-tick.C:
			}
		}
	}
	checks, err := checkCode(ctx, client, d)
	if err != nil {
		return err
	}
	for _, c := range checks {
		if c.CodeSize == 0 {
			return bonfire.Errorf(bonfire.ECodeConflict, "the %s contract at %s left the chain in a reorganisation", c.Name, c.Address.Hex()).
				WithHint("deploy again")
		}
	}
	return nil
}

// ContractCode is a deployment's contract and the size of the code found at
// its address; 0 means none (a stale deployment file, or another chain).
type ContractCode struct {
	Name     string         `json:"name"`
	Address  common.Address `json:"address"`
	CodeSize int            `json:"codeSize"`
}

// CheckDeployment dials rpcURL, checks that it serves d's chain id and
// reports the code at each of d's contracts: token, escrow, stake.
func CheckDeployment(ctx context.Context, rpcURL string, d *evm.Deployment) ([]ContractCode, error) {
	client, chainID, err := dial(ctx, rpcURL)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	if !chainID.IsUint64() || chainID.Uint64() != d.ChainID {
		return nil, wrongChain(rpcURL, chainID, d.ChainID)
	}
	return checkCode(ctx, client, d)
}

func checkCode(ctx context.Context, client *ethclient.Client, d *evm.Deployment) ([]ContractCode, error) {
	out := []ContractCode{{Name: "token", Address: d.Token}, {Name: "escrow", Address: d.Escrow}, {Name: "stake", Address: d.Stake}}
	for i := range out {
		code, err := client.CodeAt(ctx, out[i].Address, nil)
		if err != nil {
			return nil, unavailable("read the code of the "+out[i].Name+" contract", err)
		}
		out[i].CodeSize = len(code)
	}
	return out, nil
}

// dial connects to rpcURL and reads its chain id, so that a wrong URL fails
// here with a message naming it rather than at the first call.
func dial(ctx context.Context, rpcURL string) (*ethclient.Client, *big.Int, error) {
	client, err := ethclient.DialContext(ctx, rpcURL)
	if err != nil {
		return nil, nil, bonfire.Errorf(bonfire.ECodeInvalid, "cannot use chain endpoint %q: %v", rpcURL, err).
			WithField("chainRPC").WithHint(`give an http:// or ws:// URL like "http://127.0.0.1:8545"`)
	}
	chainID, err := client.ChainID(ctx)
	if err != nil {
		client.Close()
		return nil, nil, bonfire.Errorf(bonfire.ECodeUnavailable, "no chain answers at %s: %v", rpcURL, err).
			WithField("chainRPC").WithHint("start the chain with `bonfire up`, or pass --chain-rpc with the URL of a running one")
	}
	return client, chainID, nil
}

func wrongChain(rpcURL string, have *big.Int, want uint64) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeConflict, "the chain at %s has chain id %s but the deployment is for chain %d", rpcURL, have, want).
		WithField("deployment").WithHint("pass the deployments.json of the chain you are connecting to")
}
