package metrics

import (
	"context"
	"io"
	"net/http"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
)

// Mux serves /metrics from metrics, /healthz (the process answers) and
// /readyz (ready answers nil; 503 with the JSON error body otherwise), for
// processes without an API server of their own, such as a provider.
func Mux(metrics http.Handler, ready func(ctx context.Context) error) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	mux.HandleFunc("GET /healthz", ok)
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if ready != nil {
			if err := ready(r.Context()); err != nil {
				httpapi.WriteError(w, httpapi.NotReady(err))
				return
			}
		}
		ok(w, r)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		httpapi.WriteError(w, bonfire.Errorf(bonfire.ECodeNotFound, "no route %s %s", r.Method, r.URL.Path).
			WithHint("this server answers GET /metrics, /healthz and /readyz"))
	})
	return mux
}

func ok(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "ok\n")
}
