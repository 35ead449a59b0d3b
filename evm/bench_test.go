package evm_test

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/evm/simchain"
	"github.com/ethereum/go-ethereum/common"
)

// BenchmarkVoucherSignVerify measures what a consumer pays to sign a voucher
// and a provider to check it, off chain.
func BenchmarkVoucherSignVerify(b *testing.B) {
	key := newKey(b)
	chainID, contract := big.NewInt(8453), common.Address{0xee}
	v := evm.Voucher{Payer: addr(key), Payee: common.Address{0xaa}, CumulativeAmount: usd(1)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		v.CumulativeAmount = big.NewInt(int64(i + 1))
		sig, err := evm.SignVoucher(key, chainID, contract, v)
		if err != nil {
			b.Fatal(err)
		}
		if err := evm.VerifyVoucher(chainID, contract, v, sig, v.Payer); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkClaimGas reports the gas of one claim transaction redeeming n
// vouchers from n payers: firstgas/claim when every (payer, payee) pair is
// claimed for the first time (fresh storage), gas/claim for later claims.
// ns/op is the simulated chain's time to run and mine it, not a real chain's.
func BenchmarkClaimGas(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		e := newEnv(b, simchain.Options{Accounts: firstUser + n + 1})
		payee := firstUser + n
		pe := e.chain.Address(payee)
		for i := range n {
			e.fundAndDeposit(firstUser+i, usd(1_000_000))
		}
		round := int64(0)
		claimRound := func() uint64 {
			round++
			vs, sigs := make([]evm.Voucher, n), make([][]byte, n)
			for i := range n {
				p := firstUser + i
				vs[i], sigs[i] = e.sign(e.chain.Key(p), e.chain.Address(p), pe, usd(round))
			}
			out, receipt := e.claim(payee, vs, sigs)
			for _, o := range out {
				if o.skipped {
					b.Fatalf("voucher skipped: %v", o)
				}
			}
			return receipt.GasUsed
		}
		first := claimRound()
		b.Run(fmt.Sprintf("vouchers=%d", n), func(b *testing.B) {
			var gas uint64
			for range b.N {
				gas += claimRound()
			}
			b.ReportMetric(float64(first), "firstgas/claim")
			b.ReportMetric(float64(gas)/float64(b.N), "gas/claim")
			b.ReportMetric(float64(gas)/float64(b.N)/float64(n), "gas/voucher")
		})
	}
}
