package evm_test

import (
	"context"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/simchain"
	"github.com/ethereum/go-ethereum/ethclient"
)

var _ evm.ChainHead = (*ethclient.Client)(nil)

func TestWaitConfirmed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, simchain.Options{})
	r := e.mine(e.k.Token.Faucet(e.chain.Auth(firstUser), e.chain.Address(firstUser), usd(1)))

	if err := evm.WaitConfirmed(e.ctx, e.client, r, 1); err != nil {
		t.Fatalf("one confirmation is the mined block itself: %v", err)
	}

	// Three confirmations need two more blocks: none come, so it times out.
	short, cancel := context.WithTimeout(e.ctx, 50*time.Millisecond)
	defer cancel()
	err := evm.WaitConfirmed(short, e.client, r, 3)
	if bonfire.Code(err) != bonfire.ECodeTimeout {
		t.Fatalf("WaitConfirmed(3) with no new blocks = %v, want a timeout", err)
	}

	done := make(chan error, 1)
	go func() { done <- evm.WaitConfirmed(e.ctx, e.client, r, 3) }()
	for range 2 {
		if err := e.chain.AdvanceTime(time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Fatalf("WaitConfirmed(3) after two more blocks: %v", err)
	}
}
