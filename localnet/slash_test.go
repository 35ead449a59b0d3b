package localnet

import (
	"context"
	"math/big"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/settlement"
)

// TestMarketArbiterSlashesOnTheEmbeddedChain checks the wiring that lets
// the market carry out its slash orders: the arbiter key has gas and
// ARBITER_ROLE on the embedded chain, and a slash moves a staked
// provider's tokens to the consumer.
func TestMarketArbiterSlashesOnTheEmbeddedChain(t *testing.T) {
	t.Parallel()
	cfg := Config{Home: Home(t.TempDir()), Providers: 1, HTTPAddr: "127.0.0.1:0", NATSPort: -1, Chain: true, ChainAddr: "127.0.0.1:0"}
	ctx := context.Background()
	n, err := Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if n.Arbiter == nil {
		t.Fatal("a network with a chain has no arbiter: faults would never be slashed")
	}
	key, err := n.providerKey(0)
	if err != nil {
		t.Fatal(err)
	}
	staker, err := settlement.NewStaker(key.PrivateKey(), n.Deployment, n.client)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := staker.Stake(ctx, big.NewInt(5_000_000)); err != nil {
		t.Fatal(err)
	}
	took, err := n.Arbiter.Slash(ctx, key.Address(), n.Wallet.Address(), 2_000_000, bonfire.DigestOf([]byte("evidence")))
	if err != nil || took != 2_000_000 {
		t.Fatalf("slash: took %d, %v", took, err)
	}
	st, err := staker.State(ctx)
	if err != nil || st.Staked.Cmp(big.NewInt(3_000_000)) != 0 {
		t.Fatalf("stake after the slash: %+v, %v; want 3 tUSD left", st, err)
	}
}
