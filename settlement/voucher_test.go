package settlement_test

import (
	"bytes"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/bonfirenet/bonfire/settlement"
	"github.com/ethereum/go-ethereum/common"
)

func TestSignedVoucherJSONUsesDecimalStrings(t *testing.T) {
	t.Parallel()
	huge, _ := new(big.Int).SetString("115792089237316195423570985008687907853269984665640564039457584007913129639935", 10) // 2^256-1
	in := settlement.SignedVoucher{
		ChainID:   big.NewInt(8453),
		Escrow:    common.HexToAddress("0xE5c0"),
		Voucher:   evm.Voucher{Payer: common.HexToAddress("0x01"), Payee: common.HexToAddress("0x02"), CumulativeAmount: huge},
		Signature: []byte{0xde, 0xad},
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"chainId":"8453"`, `"cumulativeAmount":"` + huge.String() + `"`, `"signature":"0xdead"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("JSON %s lacks %s", data, want)
		}
	}
	var out settlement.SignedVoucher
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if out.ChainID.Cmp(in.ChainID) != 0 || out.Escrow != in.Escrow || out.Voucher.Payer != in.Voucher.Payer ||
		out.Voucher.Payee != in.Voucher.Payee || out.Voucher.CumulativeAmount.Cmp(huge) != 0 || !bytes.Equal(out.Signature, in.Signature) {
		t.Fatalf("round trip: got %+v, want %+v", out, in)
	}
}

func TestSignedVoucherJSONRejectsBadAmounts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ json, field string }{
		{`{"chainId":"1","cumulativeAmount":"-1"}`, "voucher.cumulativeAmount"},
		{`{"chainId":"1","cumulativeAmount":"1e6"}`, "voucher.cumulativeAmount"},
		{`{"chainId":"1","cumulativeAmount":"115792089237316195423570985008687907853269984665640564039457584007913129639936"}`, "voucher.cumulativeAmount"},
		{`{"chainId":"x","cumulativeAmount":"1"}`, "voucher.chainId"},
		{`{"chainId":1}`, "voucher"},
	} {
		var v settlement.SignedVoucher
		err := json.Unmarshal([]byte(c.json), &v)
		var be *bonfire.Error
		if !asError(err, &be) || be.Code != bonfire.ECodeInvalid || be.Field != c.field {
			t.Errorf("Unmarshal(%s) = %v, want invalid naming %s", c.json, err, c.field)
		}
	}
}

func FuzzSignedVoucherJSON(f *testing.F) {
	f.Add([]byte(`{"chainId":"1337","escrow":"0x0000000000000000000000000000000000000001","payer":"0x0000000000000000000000000000000000000002","payee":"0x0000000000000000000000000000000000000003","cumulativeAmount":"42","signature":"0x00"}`))
	f.Add([]byte(`{"chainId":"-1","cumulativeAmount":"99999999999999999999999999999999999999999999999999999999999999999999999999999999"}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"signature":"0xzz"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v settlement.SignedVoucher
		if err := json.Unmarshal(data, &v); err != nil {
			return
		}
		// Whatever decodes is a well-formed voucher that re-encodes to
		// itself.
		if v.ChainID == nil || v.ChainID.Sign() < 0 || v.Voucher.CumulativeAmount.Sign() < 0 || v.Voucher.CumulativeAmount.BitLen() > 256 {
			t.Fatalf("decoded out-of-range amounts: %+v", v)
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var w settlement.SignedVoucher
		if err := json.Unmarshal(again, &w); err != nil {
			t.Fatalf("re-decoding %s: %v", again, err)
		}
		if w.ChainID.Cmp(v.ChainID) != 0 || w.Voucher.CumulativeAmount.Cmp(v.Voucher.CumulativeAmount) != 0 || !bytes.Equal(w.Signature, v.Signature) {
			t.Fatalf("round trip changed %+v into %+v", v, w)
		}
	})
}
