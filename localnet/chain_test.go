package localnet

import (
	"context"
	"math/big"
	"testing"

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
			t.Fatalf("%s has %s wei and %s tUSD units, want gas and %s", a, eth, tokens, devchain.DefaultFundTokens)
		}
		before[a] = tokens.String()
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
	return eth, tokens
}
