package httpapi

import (
	"io"
	"net/http"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestDashboardIsMountedUnderItsPrefix(t *testing.T) {
	t.Parallel()
	m := newFakeMarket()
	dash := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "dashboard "+r.URL.Path)
	})
	s := NewServer(ServerConfig{Jobs: m, Results: m, Providers: m, Dashboard: dash})
	if w := serveAPI(s, "GET", "/dashboard/jobs/x", "127.0.0.1:1", nil, nil); w.Code != http.StatusOK || w.Body.String() != "dashboard /dashboard/jobs/x" {
		t.Fatalf("dashboard page: %d %q", w.Code, w.Body)
	}
	for _, p := range []string{"/", "/dashboard"} {
		if w := serveAPI(s, "GET", p, "127.0.0.1:1", nil, nil); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/dashboard/" {
			t.Fatalf("GET %s: %d to %q, want a redirect to /dashboard/", p, w.Code, w.Header().Get("Location"))
		}
	}
	// The API keeps its own routes and JSON errors.
	if w := serveAPI(s, "GET", "/v1/nothing", "127.0.0.1:1", nil, nil); w.Code != http.StatusNotFound ||
		decodeErrorBody(t, w.Body.Bytes()).Error.Code != bonfire.ECodeNotFound {
		t.Fatalf("unknown API route: %d %s", w.Code, w.Body)
	}

	none := NewServer(ServerConfig{Jobs: m, Results: m, Providers: m})
	if w := serveAPI(none, "GET", "/dashboard/", "127.0.0.1:1", nil, nil); w.Code != http.StatusNotFound {
		t.Fatalf("no dashboard: %d, want 404", w.Code)
	}
}
