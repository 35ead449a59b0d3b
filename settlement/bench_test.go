package settlement_test

import (
	"context"
	"math/big"
	"path/filepath"
	"testing"

	"github.com/bonfirenet/bonfire/settlement"
	"github.com/bonfirenet/bonfire/sqlite"
	"github.com/ethereum/go-ethereum/common"
)

// BenchmarkPayAccept is the off-chain cost of paying one task: sign, verify
// and store on both sides in SQLite.
func BenchmarkPayAccept(b *testing.B) {
	ctx := context.Background()
	ledger, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer ledger.Close()
	key := newKey(b)
	chainID, escrow := big.NewInt(1337), common.HexToAddress("0xE5c0")
	p := settlement.NewPayer(key, addr(key), chainID, escrow, ledger)
	w := settlement.NewWallet(addr(newKey(b)), chainID, escrow, ledger)
	amount := big.NewInt(1_000)
	for b.Loop() {
		v, err := p.Pay(ctx, w.Payee(), amount)
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Accept(ctx, *v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "vouchers/s")
}

// BenchmarkSessionVoucherAccept is the provider's cost of one session-signed
// voucher in SQLite, with the session key already known (the ledger read of
// the claimed amount is the extra work over a payer-signed one).
func BenchmarkSessionVoucherAccept(b *testing.B) {
	ctx := context.Background()
	ledger, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer ledger.Close()
	payerKey, sessionKey := newKey(b), newKey(b)
	chainID, escrow := big.NewInt(1337), common.HexToAddress("0xE5c0")
	keys := &fakeKeys{states: map[[2]common.Address]settlement.SessionKeyState{
		{addr(payerKey), addr(sessionKey)}: {Cap: new(big.Int).Lsh(big.NewInt(1), 100), Spent: new(big.Int), Expiry: 1 << 40},
	}}
	p := settlement.NewPayer(sessionKey, addr(payerKey), chainID, escrow, settlement.NewMemoryLedger())
	w := settlement.NewWallet(addr(newKey(b)), chainID, escrow, ledger, settlement.WithSessionKeys(keys))
	amount := big.NewInt(1_000)
	for b.Loop() {
		v, err := p.Pay(ctx, w.Payee(), amount)
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Accept(ctx, *v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "vouchers/s")
}
