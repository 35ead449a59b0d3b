package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
)

// pageNames are the templates that are whole pages; each is parsed with
// layout.html.
var pageNames = []string{"overview", "jobs", "job", "ranking", "task", "providers", "money", "submit", "error"}

var funcs = template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.Local().Format("2006-01-02 15:04:05")
	},
	"ago": func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return time.Since(t).Round(time.Second).String() + " ago"
	},
	"cpu":   formatCPU,
	"bytes": formatBytes,
	"short": func(a bonfire.Address) string {
		s := string(a)
		if len(s) > 12 {
			return s[:8] + "…" + s[len(s)-4:]
		}
		return s
	},
	"stateClass": stateClass,
	"add":        func(a, b int) int { return a + b },
	"mulf":       func(a, b float64) float64 { return a * b },
}

func parsePages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("dashboard template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// page is what every template gets: its title and nav item, and Data.
type page struct {
	Title string
	Nav   string
	Data  any
}

// render writes a page with status 200, or an error page if it fails.
func (d *Dashboard) render(w http.ResponseWriter, r *http.Request, name, title string, data any) {
	d.renderStatus(w, r, http.StatusOK, name, title, data)
}

func (d *Dashboard) renderStatus(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	var buf bytes.Buffer
	nav, _, _ := strings.Cut(name, "/")
	if err := d.pages[name].Execute(&buf, page{Title: title, Nav: nav, Data: data}); err != nil {
		d.cfg.Log.Error("dashboard page failed", "page", name, "err", err)
		http.Error(w, "the dashboard could not render this page; see the market's log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// fail renders err as an error page with the status its code maps to.
func (d *Dashboard) fail(w http.ResponseWriter, r *http.Request, err error) {
	ps := d.problems(r, err)
	d.renderStatus(w, r, httpapi.Status(ps[0]), "error", "Error", ps)
}

// problems lists err's problems; an error that is not Bonfire's own is
// logged and shown as an internal one that leaks nothing.
func (d *Dashboard) problems(r *http.Request, err error) []*bonfire.Error {
	var list bonfire.Errors
	var one *bonfire.Error
	switch {
	case errors.As(err, &list) && len(list) > 0:
		return list
	case errors.As(err, &one):
		return []*bonfire.Error{one}
	}
	d.cfg.Log.Error("dashboard request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	return []*bonfire.Error{{Code: bonfire.ECodeInternal, Message: "internal error", Hint: "see the market's log"}}
}
