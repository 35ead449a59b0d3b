package localnet

import (
	"context"
	"math/big"
	"testing"

	"github.com/bonfirenet/bonfire/evm/bindings"
	"github.com/bonfirenet/bonfire/evm/devchain"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
)

// TestChainIsFundedAndSurvivesRestart starts a network with the embedded
// chain, checks the wallet and every provider got gas and test stablecoin,
// and that a second start on the same home reuses the deployment without
// funding anyone twice.
func TestChainIsFundedAndSurvivesRestart(t *testing.T) {
	t.Parallel()
	home := Home(t.TempDir())
	cfg := Config{Home: home, Providers: 2, HTTPAddr: "127.0.0.1:0", NATSPort: -1, Chain: true, ChainAddr: "127.0.0.1:0"}
	ctx := context.Background()

	n, err := Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	first := *n.Chain.Deployment()
	accounts := []common.Address{common.HexToAddress(string(n.Wallet.Address()))}
	for _, p := range n.Providers {
		accounts = append(accounts, common.HexToAddress(string(p.ID())))
	}
	before := map[common.Address]string{}
	for _, a := range accounts {
		eth, tokens := chainBalances(t, n, a)
		if eth.Sign() <= 0 || tokens.Cmp(devchain.DefaultFundTokens) != 0 {
			t.Fatalf("%s has %s wei and %s tUSD units (wallet and escrow), want gas and %s", a, eth, tokens, devchain.DefaultFundTokens)
		}
		before[a] = tokens.String()
	}
	// The wallet deposited and authorised the market's session key, so
	// priced jobs can be paid for at once.
	wallet := accounts[0]
	if got := escrowBalance(t, n, wallet); got.Cmp(consumerDeposit) != 0 {
		t.Fatalf("the wallet's escrow deposit is %s, want %s", got, consumerDeposit)
	}
	info := n.Paymaster.Info()
	key := sessionKey(t, n, wallet, common.HexToAddress(string(info.SessionKey)))
	if key.Cap.Cmp(consumerDeposit) != 0 || key.Revoked {
		t.Fatalf("the market's session key for the wallet: %+v, want a cap of %s", key, consumerDeposit)
	}
	ep, err := home.ReadEndpoints()
	if err != nil || ep.ChainRPC != n.Chain.RPCURL() {
		t.Fatalf("endpoints file: %+v, %v; want chain RPC %s", ep, err, n.Chain.RPCURL())
	}
	n.Close()

	n2, err := Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer n2.Close()
	if got := *n2.Chain.Deployment(); got.Escrow != first.Escrow || got.Token != first.Token {
		t.Fatalf("restart deployed again: %+v, first %+v", got, first)
	}
	for _, a := range accounts {
		if _, tokens := chainBalances(t, n2, a); tokens.String() != before[a] {
			t.Fatalf("%s has %s after restart, had %s: funded twice or lost", a, tokens, before[a])
		}
	}
	if got := escrowBalance(t, n2, wallet); got.Cmp(consumerDeposit) != 0 {
		t.Fatalf("after restart the wallet's escrow deposit is %s, want %s (deposited once)", got, consumerDeposit)
	}
}

func chainBalances(t *testing.T, n *Net, a common.Address) (eth, tokens *big.Int) {
	t.Helper()
	ctx := context.Background()
	eth, err := n.Chain.Client().BalanceAt(ctx, a, nil)
	if err != nil {
		t.Fatal(err)
	}
	contracts, err := n.Chain.Deployment().Bind(n.Chain.Client())
	if err != nil {
		t.Fatal(err)
	}
	tokens, err = contracts.Token.BalanceOf(&bind.CallOpts{Context: ctx}, a)
	if err != nil {
		t.Fatal(err)
	}
	return eth, tokens.Add(tokens, escrowBalance(t, n, a))
}

func escrowBalance(t *testing.T, n *Net, a common.Address) *big.Int {
	t.Helper()
	contracts, err := n.Chain.Deployment().Bind(n.Chain.Client())
	if err != nil {
		t.Fatal(err)
	}
	b, err := contracts.Escrow.BalanceOf(&bind.CallOpts{Context: context.Background()}, a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sessionKey(t *testing.T, n *Net, payer, key common.Address) bindings.BonfireEscrowSessionKey {
	t.Helper()
	contracts, err := n.Chain.Deployment().Bind(n.Chain.Client())
	if err != nil {
		t.Fatal(err)
	}
	k, err := contracts.Escrow.SessionKey(&bind.CallOpts{Context: context.Background()}, payer, key)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
