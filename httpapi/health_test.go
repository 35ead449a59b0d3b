package httpapi

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestReadyzFollowsTheReadyCheck(t *testing.T) {
	t.Parallel()
	m := newFakeMarket()
	var failing atomic.Pointer[error]
	s := NewServer(ServerConfig{Jobs: m, Results: m, Providers: m, Ready: func(context.Context) error {
		if e := failing.Load(); e != nil {
			return *e
		}
		return nil
	}})
	if w := serveAPI(s, "GET", "/readyz", "127.0.0.1:1", nil, nil); w.Code != http.StatusOK || w.Body.String() != "ok\n" {
		t.Fatalf("ready: %d %q, want 200 ok", w.Code, w.Body)
	}

	// A dependency's own code (here not_found) is still "try again later".
	var down error = bonfire.Errorf(bonfire.ECodeNotFound, "the state store does not answer").WithField("store").WithHint("check the disk")
	failing.Store(&down)
	w := serveAPI(s, "GET", "/readyz", "127.0.0.1:1", nil, nil)
	eb := decodeErrorBody(t, w.Body.Bytes())
	if w.Code != http.StatusServiceUnavailable || eb.Error.Code != bonfire.ECodeUnavailable || eb.Error.Field != "store" || eb.Error.Hint != "check the disk" {
		t.Fatalf("store down: %d %s, want 503 unavailable naming the store", w.Code, w.Body)
	}

	var plain = errors.New("bus closed")
	failing.Store(&plain)
	w = serveAPI(s, "GET", "/readyz", "127.0.0.1:1", nil, nil)
	if eb := decodeErrorBody(t, w.Body.Bytes()); w.Code != http.StatusServiceUnavailable || eb.Error.Code != bonfire.ECodeUnavailable {
		t.Fatalf("plain error: %d %s, want 503 unavailable", w.Code, w.Body)
	}
	// Liveness does not depend on readiness.
	if w := serveAPI(s, "GET", "/healthz", "127.0.0.1:1", nil, nil); w.Code != http.StatusOK {
		t.Fatalf("healthz while not ready: %d, want 200", w.Code)
	}
}

func TestMetricsRoute(t *testing.T) {
	t.Parallel()
	m := newFakeMarket()
	none := NewServer(ServerConfig{Jobs: m, Results: m, Providers: m})
	if w := serveAPI(none, "GET", "/metrics", "127.0.0.1:1", nil, nil); w.Code != http.StatusNotFound ||
		decodeErrorBody(t, w.Body.Bytes()).Error.Code != bonfire.ECodeNotFound {
		t.Fatalf("no metrics handler: %d %s, want 404 not_found", w.Code, w.Body)
	}
	// Without a Ready check, ready means alive.
	if w := serveAPI(none, "GET", "/readyz", "127.0.0.1:1", nil, nil); w.Code != http.StatusOK {
		t.Fatalf("readyz without a check: %d, want 200", w.Code)
	}
	s := NewServer(ServerConfig{Jobs: m, Results: m, Providers: m, Metrics: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("bonfire_up 1\n"))
	})})
	if w := serveAPI(s, "GET", "/metrics", "127.0.0.1:1", nil, nil); w.Code != http.StatusOK || w.Body.String() != "bonfire_up 1\n" {
		t.Fatalf("metrics: %d %q", w.Code, w.Body)
	}
}
