package dashboard

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/market"
)

// Prefix is the path the dashboard is served under.
const Prefix = "/dashboard/"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Authenticator decides who sent a request, as httpapi.Authenticator does
// (httpapi.TokenOrSignature implements both).
type Authenticator interface {
	Authenticate(r *http.Request, body []byte) (bonfire.Address, error)
}

// Config is what the dashboard shows and acts through. Jobs and Providers
// are required; every other source may be nil and its part of the pages
// says so instead.
type Config struct {
	Jobs      bonfire.JobService
	Results   bonfire.ResultService
	Providers bonfire.ProviderDirectory
	// Charges gives the money charged so far (the market's store).
	Charges bonfire.ChargeReader
	// Blobs stores the module and inputs uploaded by the submit form.
	Blobs bonfire.BlobStore
	// Auth checks the API token submit, cancel and owner-only reads need.
	Auth Authenticator
	// Stats is the market's live counts (market.Market.Stats).
	Stats func() market.Stats
	// Money reads balances, earnings and claims; nil without payments.
	Money MoneySource
	// PublicReads serves the read-only pages to any address; by default
	// only loopback callers and callers with a credential may read.
	PublicReads bool
	// SampleEvery is how often the overview's charts get a point
	// (default 2s); Samples is how many points they keep (default 300).
	SampleEvery time.Duration
	Samples     int
	// StreamEvery is how often a live task grid is polled (default 400ms).
	StreamEvery time.Duration
	// MaxUploadBytes caps one submit form (default 256 MiB).
	MaxUploadBytes int64
	Log            *slog.Logger
}

// Dashboard is the dashboard's http.Handler. Close stops its sampler and
// ends its open event streams.
type Dashboard struct {
	cfg     Config
	mux     *http.ServeMux
	pages   map[string]*template.Template
	ring    *ring
	done    chan struct{}
	mu      sync.Mutex // guards closed against new streams
	closed  bool
	wg      sync.WaitGroup // the sampler and every open stream
	streams streamCount
}

// New builds the dashboard and starts its sampler.
func New(cfg Config) (*Dashboard, error) {
	if cfg.Jobs == nil || cfg.Providers == nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "the dashboard needs a job service and a provider directory")
	}
	if cfg.SampleEvery <= 0 {
		cfg.SampleEvery = 2 * time.Second
	}
	if cfg.Samples <= 0 {
		cfg.Samples = 300
	}
	if cfg.StreamEvery <= 0 {
		cfg.StreamEvery = 400 * time.Millisecond
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 256 << 20
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	d := &Dashboard{cfg: cfg, mux: http.NewServeMux(), pages: pages, ring: newRing(cfg.Samples), done: make(chan struct{})}
	d.routes()
	d.wg.Add(1)
	go d.sampleLoop()
	return d, nil
}

func (d *Dashboard) routes() {
	m := d.mux
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET "+Prefix+"static/", http.StripPrefix(Prefix+"static/", http.FileServerFS(static)))
	m.HandleFunc("GET "+Prefix+"{$}", d.reader(d.overview))
	m.HandleFunc("GET "+Prefix+"jobs", d.reader(d.jobList))
	m.HandleFunc("GET "+Prefix+"jobs/{id}", d.reader(d.jobPage))
	m.HandleFunc("GET "+Prefix+"jobs/{id}/events", d.reader(d.jobEvents))
	m.HandleFunc("GET "+Prefix+"jobs/{id}/ranking", d.reader(d.ranking))
	m.HandleFunc("POST "+Prefix+"jobs/{id}/cancel", d.cancelJob)
	m.HandleFunc("GET "+Prefix+"tasks/{id}", d.reader(d.taskPage))
	m.HandleFunc("GET "+Prefix+"providers", d.reader(d.providerPage))
	m.HandleFunc("GET "+Prefix+"money", d.reader(d.moneyPage))
	m.HandleFunc("GET "+Prefix+"submit", d.reader(d.submitForm))
	m.HandleFunc("POST "+Prefix+"submit", d.submit)
	m.HandleFunc("POST "+Prefix+"token", d.setToken)
}

// ServeHTTP serves the pages under Prefix.
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := d.mux.Handler(r); pattern == "" {
		d.fail(w, r, bonfire.Errorf(bonfire.ECodeNotFound, "no dashboard page %s %s", r.Method, r.URL.Path).
			WithHint("start from "+Prefix))
		return
	}
	d.mux.ServeHTTP(w, r)
}

// Close stops the sampler and ends every open event stream, then waits
// for them. It is safe to call more than once.
func (d *Dashboard) Close() {
	d.mu.Lock()
	if !d.closed {
		d.closed = true
		close(d.done)
	}
	d.mu.Unlock()
	d.wg.Wait()
}

// reader guards a read-only page: loopback callers, callers with a
// credential, or anyone when PublicReads is set.
func (d *Dashboard) reader(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !d.cfg.PublicReads && !isLoopback(r.RemoteAddr) {
			if _, err := d.caller(r, ""); err != nil {
				d.fail(w, r, bonfire.Errorf(bonfire.ECodeUnauthorized, "the dashboard is readable only from the market's machine").
					WithHint("open it on the market's machine (or through an SSH tunnel), or ask the operator to enable public reads"))
				return
			}
		}
		h(w, r)
	}
}

// ctx bounds one page's reads.
func pageCtx(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), 10*time.Second)
}
