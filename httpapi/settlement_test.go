package httpapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestSettlementInfo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	unpaid := newAPIHarness(t, ServerConfig{})
	_, err := unpaid.client(t).Settlement(ctx)
	if bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Fatalf("a market without payments: %v, want %s", err, bonfire.ECodeNotFound)
	}

	want := bonfire.SettlementInfo{ChainID: 1337, Escrow: "0xe5", Token: "0x70", Symbol: "tUSD", Decimals: 6, SessionKey: "0x5e"}
	paid := newAPIHarness(t, ServerConfig{Settlement: func() *bonfire.SettlementInfo { return &want }})
	got, err := paid.client(t).Settlement(ctx)
	if err != nil || *got != want {
		t.Fatalf("Settlement = %+v, %v; want %+v", got, err, want)
	}
	resp, err := http.Get(paid.http.URL + "/v1/settlement?x=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("an unknown query parameter: status %d, want 400", resp.StatusCode)
	}
}

func TestPaymentRequiredIs402(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	WriteError(rec, bonfire.Errorf(bonfire.ECodePaymentRequired, "2 tUSD short").WithField("escrow"))
	if rec.Code != http.StatusPaymentRequired {
		t.Fatalf("payment_required maps to %d, want 402", rec.Code)
	}
}
