package chainwallet

import (
	"encoding/json"
	"testing"
)

func FuzzParseDeployment(f *testing.F) {
	f.Add([]byte(`{"chainId":1337,"token":"0x0000000000000000000000000000000000000001","testToken":true,"escrow":"0x0000000000000000000000000000000000000002","stake":"0x0000000000000000000000000000000000000003","feeBps":0,"feeRecipient":"0x0000000000000000000000000000000000000000","withdrawDelay":"10m0s","unstakeDelay":"24h0m0s","arbiter":"0x0000000000000000000000000000000000000004","block":7}`))
	f.Add([]byte(`{"chainId":1,"token":"0x01","escrow":"0x02","stake":"0x03","withdrawDelay":"soon"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parseDeployment(data)
		if err != nil {
			return
		}
		// What is accepted survives the write and read the CLI does.
		again, _ := json.Marshal(d)
		back, err := parseDeployment(again)
		if err != nil || *back != *d {
			t.Fatalf("%s read back as %+v, %v; want %+v", again, back, err, d)
		}
	})
}
