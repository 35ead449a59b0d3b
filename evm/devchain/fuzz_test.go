package devchain

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// deployments.json and funded.json are read back from disk, where a user or
// a crash may have mangled them: decoding must fail cleanly, never panic,
// and never accept a deployment missing an address.
func FuzzDecodeDeployment(f *testing.F) {
	f.Add([]byte(`{"chainId":1337,"token":"0x0000000000000000000000000000000000000001","testToken":true,"escrow":"0x0000000000000000000000000000000000000002","stake":"0x0000000000000000000000000000000000000003","feeBps":0,"feeRecipient":"0x0000000000000000000000000000000000000000","withdrawDelay":"10m0s","unstakeDelay":"10m0s","arbiter":"0x0000000000000000000000000000000000000004","block":3}`))
	f.Add([]byte(`{"chainId":1337,"token":"0x0000000000000000000000000000000000000001"}`))
	f.Add([]byte(`{"withdrawDelay":"forever"}`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := decodeDeployment(data)
		if err != nil {
			return
		}
		var zero common.Address
		if d.ChainID == 0 || d.Token == zero || d.Escrow == zero || d.Stake == zero {
			t.Fatalf("accepted an incomplete deployment %+v", d)
		}
	})
}

func FuzzDecodeFunded(f *testing.F) {
	token := common.HexToAddress("0x0000000000000000000000000000000000000001")
	f.Add([]byte(`{"token":"0x0000000000000000000000000000000000000001","accounts":["0x00000000000000000000000000000000000000aa"]}`))
	f.Add([]byte(`{"token":"0x0000000000000000000000000000000000000009","accounts":["0x00000000000000000000000000000000000000aa"]}`))
	f.Add([]byte(`{"accounts":"nope"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		funded, err := decodeFunded(data, token)
		if err != nil {
			return
		}
		if funded == nil {
			t.Fatal("nil set without an error")
		}
	})
}

func TestFundedRecordIsPerToken(t *testing.T) {
	t.Parallel()
	l := Layout(t.TempDir())
	a := common.HexToAddress("0xaa")
	token := common.HexToAddress("0x01")
	if err := saveFunded(l, token, []common.Address{a}); err != nil {
		t.Fatal(err)
	}
	same, err := loadFunded(l, token)
	if err != nil || !same[a] {
		t.Fatalf("loadFunded(same token) = %v, %v; want %s funded", same, err, a)
	}
	other, err := loadFunded(l, common.HexToAddress("0x02"))
	if err != nil || len(other) != 0 {
		t.Fatalf("loadFunded(new token) = %v, %v; want nobody funded after a redeployment", other, err)
	}
}
