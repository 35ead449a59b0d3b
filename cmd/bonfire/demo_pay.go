package main

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/chainwallet"
	"github.com/bonfirenet/bonfire/localnet"
	"github.com/ethereum/go-ethereum/common"
)

// demoPrice is what the demo's providers ask per cpu-second: 0.001 tUSD,
// under the digits sweep's maxPrice.
const demoPrice = 1_000

// demoSettlement is how the demo's job was paid for.
type demoSettlement struct {
	ChainID        uint64             `json:"chainId"`
	Escrow         string             `json:"escrow"`
	Charged        string             `json:"charged"` // what the job cost, in token units
	Providers      []demoProviderPaid `json:"providers"`
	Consumer       string             `json:"consumer"`
	ConsumerEscrow string             `json:"consumerEscrow"` // what is left of the deposit
}

type demoProviderPaid struct {
	Provider string   `json:"provider"`
	Earned   string   `json:"earned"`
	Claimed  string   `json:"claimed"`
	ClaimTxs []string `json:"claimTxs"`
}

// settleDemo has every provider claim what the job earned it and reads the
// consumer's remaining deposit back from the chain.
func settleDemo(ctx context.Context, n *localnet.Net, job *bonfire.Job) (*demoSettlement, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	earnings, err := n.Settle(ctx, job.Charged)
	if err != nil {
		return nil, err
	}
	w, err := chainwallet.Connect(ctx, n.ChainURL, n.Deployment)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	consumer := common.HexToAddress(string(n.Wallet.Address()))
	left, err := w.EscrowBalance(ctx, consumer)
	if err != nil {
		return nil, err
	}
	s := &demoSettlement{ChainID: n.Deployment.ChainID, Escrow: n.Deployment.Escrow.Hex(),
		Charged: w.Format(new(big.Int).SetUint64(job.Charged)), Consumer: consumer.Hex(), ConsumerEscrow: w.Format(left)}
	for _, e := range earnings {
		p := demoProviderPaid{Provider: string(e.Provider), Earned: w.Format(e.Earned), Claimed: w.Format(e.Claimed), ClaimTxs: []string{}}
		for _, c := range e.Claims {
			p.ClaimTxs = append(p.ClaimTxs, c.Tx.Hex())
		}
		s.Providers = append(s.Providers, p)
	}
	return s, nil
}

func (s *demoSettlement) print(w io.Writer) {
	fmt.Fprintf(w, "\npaid on chain %d (escrow %s): the sweep cost %s\n", s.ChainID, s.Escrow, s.Charged)
	tw := table("PROVIDER", "EARNED", "CLAIMED", "CLAIM TRANSACTION")
	for _, p := range s.Providers {
		tx := "-"
		if len(p.ClaimTxs) > 0 {
			tx = p.ClaimTxs[0]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Provider, p.Earned, p.Claimed, tx)
		for _, more := range p.ClaimTxs[min(1, len(p.ClaimTxs)):] {
			fmt.Fprintf(tw, "\t\t\t%s\n", more)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "consumer %s has %s left in the escrow\n", s.Consumer, s.ConsumerEscrow)
}
