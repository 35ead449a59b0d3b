package sqlite

import (
	"bytes"
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/ethereum/go-ethereum/common"
)

func TestVoucherLedgerRoundTripAndReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, path := openTemp(t)
	payer, payee := common.HexToAddress("0xAAaa"), common.HexToAddress("0xbbBB")
	// Above 2^64 and 2^63: amounts must not pass through SQLite integers.
	huge, _ := new(big.Int).SetString("123456789012345678901234567890", 10)

	if got, err := s.Issued(ctx, payer, payee); err != nil || got.Sign() != 0 {
		t.Fatalf("Issued before any payment = %v, %v; want 0", got, err)
	}
	if err := s.SaveIssued(ctx, payer, payee, big.NewInt(5), []byte{1}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIssued(ctx, payer, payee, huge, []byte{2}); err != nil {
		t.Fatal(err)
	}
	// Payers sort by byte value (0x0C… < 0xa0…), which checksummed hex
	// text order would not give.
	low, high := common.HexToAddress("0x0c00000000000000000000000000000000000001"), common.HexToAddress("0xa000000000000000000000000000000000000001")
	for _, p := range []common.Address{high, low} {
		if err := s.SaveReceived(ctx, payee, settlement.ReceivedVoucher{Payer: p, Cumulative: huge, Signature: []byte{3, 4}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveClaimed(ctx, payee, high, big.NewInt(7)); err != nil {
		t.Fatal(err)
	}
	// A newer voucher keeps the claimed amount.
	higher := new(big.Int).Add(huge, big.NewInt(1))
	if err := s.SaveReceived(ctx, payee, settlement.ReceivedVoucher{Payer: high, Cumulative: higher, Signature: []byte{5}, Claimed: big.NewInt(999)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, err := s2.Issued(ctx, payer, payee); err != nil || got.Cmp(huge) != 0 {
		t.Fatalf("Issued after reopen = %v, %v; want %s", got, err, huge)
	}
	rs, err := s2.Received(ctx, payee)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Payer != low || rs[1].Payer != high {
		t.Fatalf("Received = %+v, want payers %s then %s", rs, low, high)
	}
	if rs[1].Cumulative.Cmp(higher) != 0 || rs[1].Claimed.Cmp(big.NewInt(7)) != 0 || !bytes.Equal(rs[1].Signature, []byte{5}) {
		t.Errorf("high payer's row = %+v, want cumulative %s, claimed 7, signature 05", rs[1], higher)
	}
	if rs[0].Claimed.Sign() != 0 {
		t.Errorf("low payer's claimed = %s, want 0", rs[0].Claimed)
	}
	if other, err := s2.Received(ctx, payer); err != nil || len(other) != 0 {
		t.Errorf("Received for another payee = %+v, %v; want none", other, err)
	}
}

func TestVoucherLedgerDamagedAmount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTemp(t)
	payer, payee := common.HexToAddress("0x01"), common.HexToAddress("0x02")
	if err := s.SaveIssued(ctx, payer, payee, big.NewInt(1), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.writer.Exec(`UPDATE vouchers_issued SET cumulative = 'lots'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Issued(ctx, payer, payee); bonfire.Code(err) != bonfire.ECodeInternal {
		t.Fatalf("Issued of a damaged row = %v, want internal", err)
	}
}

func TestClaimLogNewestFirstAndReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, path := openTemp(t)
	payee, other := common.HexToAddress("0xbbBB"), common.HexToAddress("0xcc")
	huge, _ := new(big.Int).SetString("123456789012345678901234567890", 10)
	base := time.Unix(1_700_000_000, 0)
	for i, c := range []settlement.ClaimRecord{
		{Tx: common.HexToHash("0x01"), Paid: big.NewInt(5), At: base},
		{Tx: common.HexToHash("0x02"), Paid: huge, At: base.Add(time.Minute)},
		{Tx: common.HexToHash("0x03"), Paid: nil, At: base.Add(2 * time.Minute)},
	} {
		if err := s.SaveClaim(ctx, payee, c); err != nil {
			t.Fatalf("claim %d: %v", i, err)
		}
	}
	if err := s.SaveClaim(ctx, other, settlement.ClaimRecord{Tx: common.HexToHash("0x09"), Paid: big.NewInt(1), At: base}); err != nil {
		t.Fatal(err)
	}
	// Saving a transaction again replaces it rather than listing it twice.
	if err := s.SaveClaim(ctx, payee, settlement.ClaimRecord{Tx: common.HexToHash("0x01"), Paid: big.NewInt(6), At: base}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	all, err := s2.Claims(ctx, payee, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].Tx != common.HexToHash("0x03") || all[1].Tx != common.HexToHash("0x02") || all[2].Tx != common.HexToHash("0x01") {
		t.Fatalf("Claims = %+v, want 0x03, 0x02, 0x01", all)
	}
	if all[0].Paid.Sign() != 0 || all[1].Paid.Cmp(huge) != 0 || all[2].Paid.Cmp(big.NewInt(6)) != 0 || !all[1].At.Equal(base.Add(time.Minute)) {
		t.Fatalf("Claims amounts or times = %+v", all)
	}
	if two, err := s2.Claims(ctx, payee, 2); err != nil || len(two) != 2 || two[0].Tx != common.HexToHash("0x03") {
		t.Fatalf("Claims limited to 2 = %+v, %v", two, err)
	}
	if none, err := s2.Claims(ctx, common.HexToAddress("0xdd"), 0); err != nil || len(none) != 0 {
		t.Fatalf("Claims of a payee with none = %+v, %v", none, err)
	}
}
