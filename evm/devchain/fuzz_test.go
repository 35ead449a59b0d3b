package devchain

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// funded.json is read back from disk, where a user or a crash may have
// mangled it: decoding must fail cleanly and never panic.
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
