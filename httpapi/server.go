package httpapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/bonfirenet/bonfire"
)

// APIVersion is the path prefix version every route lives under.
const APIVersion = "v1"

// DefaultMaxBodyBytes caps JSON request bodies when ServerConfig leaves
// MaxBodyBytes zero. A resolved spec lists every input file by digest, so a
// directory of ten thousand files must still fit.
const DefaultMaxBodyBytes = 4 << 20

// ServerConfig is what a Server serves. Jobs, Results and Providers are
// required; a nil Blobs or Auth makes the routes that need them answer with
// a JSON error instead of crashing.
type ServerConfig struct {
	Jobs      bonfire.JobService
	Results   bonfire.ResultService
	Providers bonfire.ProviderDirectory
	// Blobs serves /v1/blobs and /v1/blobs/{digest} (see BlobHandler).
	Blobs http.Handler
	Auth  Authenticator
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// MaxBodyBytes caps JSON request bodies; 0 means DefaultMaxBodyBytes.
	// Blob uploads have their own limit in the blob handler.
	MaxBodyBytes int64
	// Version is reported by GET /v1/version; empty means the module's
	// build version.
	Version string
	// Settlement, when set, serves GET /v1/settlement; a nil result means
	// the market runs without payments.
	Settlement func() *bonfire.SettlementInfo
	// Metrics, when set, serves GET /metrics (Prometheus text format; the
	// metrics package builds it). Without it /metrics answers not_found.
	Metrics http.Handler
	// Ready, when set, decides GET /readyz: nil means ready (200), an error
	// answers 503 with it as the JSON error body. Without it /readyz is
	// /healthz.
	Ready func(ctx context.Context) error
	// Dashboard, when set, serves the web dashboard under /dashboard/
	// (package dashboard builds it), and / redirects there.
	Dashboard http.Handler
}

// Server is the market's HTTP API. It is an http.Handler.
type Server struct {
	cfg ServerConfig
	mux *http.ServeMux
	log *slog.Logger
}

// NewServer builds the API over cfg.
func NewServer(cfg ServerConfig) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Version == "" {
		cfg.Version = buildVersion()
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), log: log}
	s.routes()
	return s
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /healthz", s.healthz)
	m.HandleFunc("GET /readyz", s.readyz)
	m.HandleFunc("GET /metrics", s.metrics)
	m.HandleFunc("GET /v1/version", s.version)

	m.HandleFunc("POST /v1/jobs", s.authenticated(s.submitJob))
	m.HandleFunc("GET /v1/jobs", s.listJobs)
	m.HandleFunc("GET /v1/jobs/{id}", s.getJob)
	m.HandleFunc("GET /v1/jobs/{id}/tasks", s.listTasks)
	m.HandleFunc("POST /v1/jobs/{id}/cancel", s.authenticated(s.cancelJob))
	m.HandleFunc("GET /v1/jobs/{id}/results", s.authenticated(s.jobResults))
	m.HandleFunc("GET /v1/tasks/{id}/logs", s.authenticated(s.taskLogs))
	m.HandleFunc("GET /v1/tasks/{id}/events", s.authenticated(s.taskHistory))
	m.HandleFunc("GET /v1/providers", s.listProviders)
	m.HandleFunc("GET /v1/settlement", s.settlementInfo)

	m.Handle("/v1/blobs", http.HandlerFunc(s.blobs))
	m.Handle("/v1/blobs/{digest}", http.HandlerFunc(s.blobs))

	if s.cfg.Dashboard != nil {
		m.Handle("/dashboard/", s.cfg.Dashboard)
		m.Handle("GET /dashboard", http.RedirectHandler("/dashboard/", http.StatusSeeOther))
		m.Handle("GET /{$}", http.RedirectHandler("/dashboard/", http.StatusSeeOther))
	}
}

// ServeHTTP logs the request, recovers a panicking handler into a 500, and
// answers unknown routes and wrong methods with the JSON error body rather
// than ServeMux's plain text.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recordingWriter{ResponseWriter: w}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				// The handler asked to abort the connection; honour that.
				panic(p)
			}
			s.log.Error("http handler panicked", "method", r.Method, "path", r.URL.Path,
				"panic", p, "stack", string(debug.Stack()))
			if !rec.wroteHeader {
				WriteError(rec, bonfire.Errorf(bonfire.ECodeInternal, "internal error").
					WithHint("the market hit a bug; see its log"))
			}
		}
		s.log.Info("http request", "method", r.Method, "path", r.URL.Path,
			"status", rec.statusOrOK(), "bytes", rec.bytes, "duration", time.Since(start),
			"remote", r.RemoteAddr)
	}()

	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.noRoute(rec, r)
		return
	}
	s.mux.ServeHTTP(rec, r)
}

// noRoute turns ServeMux's own 404 or 405 (with its Allow header) into a
// JSON error.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	h, _ := s.mux.Handler(r)
	probe := &statusProbe{header: http.Header{}}
	h.ServeHTTP(probe, r)
	switch probe.status {
	case http.StatusMethodNotAllowed:
		allow := probe.header.Get("Allow")
		w.Header().Set("Allow", allow)
		WriteJSON(w, http.StatusMethodNotAllowed, ErrorBody{Error: &bonfire.Error{
			Code:    bonfire.ECodeInvalid,
			Message: "method " + r.Method + " is not allowed on " + r.URL.Path,
			Hint:    "use one of: " + allow,
		}})
	case http.StatusNotFound, 0:
		WriteError(w, bonfire.Errorf(bonfire.ECodeNotFound, "no API route %s %s", r.Method, r.URL.Path).
			WithHint("see docs/api.md for the routes under /"+APIVersion))
	default:
		// A redirect (such as path cleaning) is not an error; replay it.
		for k, v := range probe.header {
			w.Header()[k] = v
		}
		w.WriteHeader(probe.status)
	}
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "ok\n")
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ready != nil {
		if err := s.cfg.Ready(r.Context()); err != nil {
			WriteError(w, NotReady(err))
			return
		}
	}
	s.healthz(w, r)
}

// NotReady turns a readiness failure into an ECodeUnavailable error (503),
// keeping the field and hint of a *bonfire.Error: a probe that failed is
// always "try again later", whatever code the dependency answered with.
func NotReady(err error) *bonfire.Error {
	var be *bonfire.Error
	if errors.As(err, &be) {
		out := *be
		out.Code = bonfire.ECodeUnavailable
		return &out
	}
	return bonfire.Errorf(bonfire.ECodeUnavailable, "not ready: %v", err)
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Metrics == nil {
		WriteError(w, bonfire.Errorf(bonfire.ECodeNotFound, "this server exports no metrics").
			WithHint("the market was started without metrics"))
		return
	}
	s.cfg.Metrics.ServeHTTP(w, r)
}

// VersionInfo is the body of GET /v1/version.
type VersionInfo struct {
	API     string `json:"api"`
	Version string `json:"version"`
}

func (s *Server) version(w http.ResponseWriter, _ *http.Request) {
	WriteJSON(w, http.StatusOK, VersionInfo{API: APIVersion, Version: s.cfg.Version})
}

func (s *Server) blobs(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Blobs == nil {
		WriteError(w, bonfire.Errorf(bonfire.ECodeUnavailable, "this market serves no blobs").
			WithHint("the market was started without a blob store; report this to its operator"))
		return
	}
	s.cfg.Blobs.ServeHTTP(w, r)
}

func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "dev"
}

// recordingWriter remembers the status and size of a response for the
// request log and so that panic recovery knows whether it may still write.
type recordingWriter struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (w *recordingWriter) WriteHeader(status int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// ReadFrom keeps the sendfile path open to blob downloads.
func (w *recordingWriter) ReadFrom(r io.Reader) (int64, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	n, err := io.Copy(w.ResponseWriter, r)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flush, deadlines).
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush forwards to the underlying writer when it can flush.
func (w *recordingWriter) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *recordingWriter) statusOrOK() int {
	if !w.wroteHeader {
		return http.StatusOK
	}
	return w.status
}

// statusProbe captures what ServeMux's fallback handler would answer.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header { return p.header }
func (p *statusProbe) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return len(b), nil
}
func (p *statusProbe) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}
