package settlement_test

import (
	"context"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire/settlement"
	"github.com/bonfirenet/bonfire/sqlite"
	"github.com/ethereum/go-ethereum/common"
)

// Both ledgers log each increase of a payee's best voucher, so "earned
// since" adds up the increases, not the totals.
func TestIncomeLogAddsUpIncreases(t *testing.T) {
	t.Parallel()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "wallet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	for name, l := range map[string]settlement.ClaimLedger{"memory": settlement.NewMemoryLedger(), "sqlite": store} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			payee, a, b := common.HexToAddress("0x01"), common.HexToAddress("0xa"), common.HexToAddress("0xb")
			start := time.Now().Add(-time.Second)
			save := func(payer common.Address, total int64) {
				t.Helper()
				if err := l.SaveReceived(ctx, payee, settlement.ReceivedVoucher{Payer: payer, Cumulative: big.NewInt(total), Signature: []byte{1}}); err != nil {
					t.Fatal(err)
				}
			}
			save(a, 10)
			save(a, 25) // +15
			save(a, 25) // a re-delivery earns nothing
			save(b, 7)
			got, err := l.EarnedSince(ctx, payee, start)
			if err != nil || got.Int64() != 32 {
				t.Fatalf("EarnedSince(start) = %v, %v; want 32", got, err)
			}
			later, err := l.EarnedSince(ctx, payee, time.Now().Add(time.Hour))
			if err != nil || later.Sign() != 0 {
				t.Fatalf("EarnedSince(an hour ahead) = %v, %v; want 0", later, err)
			}
			other, err := l.EarnedSince(ctx, common.HexToAddress("0x02"), start)
			if err != nil || other.Sign() != 0 {
				t.Fatalf("another payee earned %v, %v; want 0", other, err)
			}
		})
	}
}
