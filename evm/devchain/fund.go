package devchain

import (
	"context"
	"math/big"
	"slices"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// maxFaucet is TestStablecoin.MAX_FAUCET: the most one faucet call mints.
var maxFaucet = big.NewInt(1_000_000 * tokenUnit)

// Fund gives each account that has not been funded for the current
// deployment the configured ether and tUSD, and records it in funded.json.
// An account is recorded as soon as its own funding is mined, so a crash
// half-way funds only the rest next time.
func (c *Chain) Fund(ctx context.Context, accounts ...common.Address) error {
	if len(accounts) == 0 {
		return nil
	}
	c.fundMu.Lock()
	defer c.fundMu.Unlock()
	token := c.deployment.Token
	funded, err := loadFunded(c.layout, token)
	if err != nil {
		return err
	}
	contracts, err := c.deployment.Bind(c.backend)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if funded[a] {
			continue
		}
		if err := c.fundOne(ctx, contracts, a); err != nil {
			return err
		}
		funded[a] = true
		list := make([]common.Address, 0, len(funded))
		for f := range funded {
			list = append(list, f)
		}
		slices.SortFunc(list, func(x, y common.Address) int { return x.Cmp(y) })
		if err := saveFunded(c.layout, token, list); err != nil {
			return err
		}
		c.cfg.Log.Info("devchain: funded", "account", a, "wei", c.cfg.FundETH, "tUSDBaseUnits", c.cfg.FundTokens)
	}
	return nil
}

func (c *Chain) fundOne(ctx context.Context, contracts *evm.Contracts, to common.Address) error {
	if c.cfg.FundETH.Sign() > 0 {
		if _, err := c.Transfer(ctx, to, c.cfg.FundETH); err != nil {
			return err
		}
	}
	for left := new(big.Int).Set(c.cfg.FundTokens); left.Sign() > 0; {
		amount := bigMin(left, maxFaucet)
		tx, err := contracts.Token.Faucet(c.sendOpts(ctx), to, amount)
		if _, err := c.mine(ctx, "mint tUSD for "+to.Hex(), tx, err); err != nil {
			return err
		}
		left.Sub(left, amount)
	}
	return nil
}

// Transfer sends wei from the dev key to to and returns the receipt once
// the transfer is mined and on disk.
func (c *Chain) Transfer(ctx context.Context, to common.Address, wei *big.Int) (*types.Receipt, error) {
	tx, err := c.transferTx(ctx, to, wei)
	return c.mine(ctx, "send ether to "+to.Hex(), tx, err)
}

func (c *Chain) transferTx(ctx context.Context, to common.Address, wei *big.Int) (*types.Transaction, error) {
	from := c.DevAddress()
	nonce, err := c.client.PendingNonceAt(ctx, from)
	if err != nil {
		return nil, err
	}
	tip, err := c.client.SuggestGasTipCap(ctx)
	if err != nil {
		return nil, err
	}
	head, err := c.client.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, err
	}
	// Estimated rather than 21000: the recipient may be a contract.
	gas, err := c.client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &to, Value: wei})
	if err != nil {
		return nil, err
	}
	return types.SignNewTx(c.key, types.LatestSignerForChainID(c.chainID), &types.DynamicFeeTx{
		ChainID:   c.chainID,
		Nonce:     nonce,
		GasTipCap: tip,
		// Twice the base fee survives several full blocks' increases.
		GasFeeCap: new(big.Int).Add(tip, new(big.Int).Mul(head.BaseFee, big.NewInt(2))),
		Gas:       gas,
		To:        &to,
		Value:     wei,
	})
}

// sendOpts signs as the dev key but leaves sending to mine, which needs the
// receipt.
func (c *Chain) sendOpts(ctx context.Context) *bind.TransactOpts {
	opts := c.Auth()
	opts.Context = ctx
	opts.NoSend = true
	return opts
}

// mine sends a signed tx and checks that it succeeded. err is the error
// from building tx, passed through so call sites stay flat.
func (c *Chain) mine(ctx context.Context, what string, tx *types.Transaction, err error) (*types.Receipt, error) {
	var r *types.Receipt
	if err == nil {
		r, err = c.backend.send(ctx, tx)
		switch {
		case err == nil && r == nil:
			err = bonfire.Errorf(bonfire.ECodeTimeout, "transaction %s was not mined", tx.Hash().Hex())
		case err == nil && r.Status != types.ReceiptStatusSuccessful:
			err = bonfire.Errorf(bonfire.ECodeInternal, "transaction %s reverted", tx.Hash().Hex())
		}
	}
	if err == nil {
		return r, nil
	}
	msg := err.Error()
	if r, ok := evm.DecodeRevert(err); ok {
		msg = r.Error()
	}
	return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "cannot %s: %s", what, msg).
		WithHint("check that the dev key has ether and the chain is running")
}

func bigMin(a, b *big.Int) *big.Int {
	if a.Cmp(b) < 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}
