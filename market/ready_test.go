package market

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/nats-io/nats.go"
)

// With the NATS server gone the market is alive but not ready: /readyz
// answers 503 naming the bus, and /healthz still 200.
func TestReadyzFailsWhileNATSIsDisconnected(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	api := httptest.NewServer(httpapi.NewServer(httpapi.ServerConfig{Jobs: tm.m, Results: tm.m, Providers: tm.m, Ready: tm.m.Ready}))
	defer api.Close()
	get := func(path string) (int, *bonfire.Error) {
		t.Helper()
		resp, err := http.Get(api.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body httpapi.ErrorBody
		if resp.StatusCode != http.StatusOK {
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("%s: %d with no JSON error: %v", path, resp.StatusCode, err)
			}
		}
		return resp.StatusCode, body.Error
	}
	if code, e := get("/readyz"); code != http.StatusOK {
		t.Fatalf("connected: /readyz %d %+v, want 200", code, e)
	}

	lost := tm.conn.StatusChanged(nats.RECONNECTING, nats.CLOSED)
	tm.nats.Shutdown()
	select {
	case <-lost:
	case <-time.After(10 * time.Second):
		t.Fatal("the market's connection did not notice the server going")
	}
	code, e := get("/readyz")
	if code != http.StatusServiceUnavailable || e == nil || e.Code != bonfire.ECodeUnavailable || e.Field != "nats" || e.Hint == "" {
		t.Fatalf("disconnected: /readyz %d %+v, want 503 unavailable with field nats and a hint", code, e)
	}
	if err := tm.m.Ready(context.Background()); bonfire.Code(err) != bonfire.ECodeUnavailable {
		t.Fatalf("Ready while disconnected: %v", err)
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz while disconnected: %d, want 200", code)
	}
	// The bus is gone for good: close the connection so that the market's
	// Close does not wait out its drain timeout.
	tm.conn.Close()
}
