package metrics

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// Series are scraped samples by their series name as the text format
// writes it, labels included: `bonfire_market_tasks{state="succeeded"}`,
// `bonfire_market_dispatch_wait_seconds_count`. Tests and tools read
// metrics with it without a Prometheus server.
type Series map[string]float64

// Scrape reads h's samples (a /metrics handler) in the text format.
func Scrape(h http.Handler) (Series, error) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "metrics handler answered %d: %s", rec.Code, rec.Body.String())
	}
	return parseText(rec.Body)
}

// ScrapeURL reads the samples served at url (…/metrics).
func ScrapeURL(ctx context.Context, url string) (Series, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "metrics URL %q: %v", url, err).WithField("url")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "scraping %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "%s answered %s: %s", url, resp.Status, b)
	}
	return parseText(resp.Body)
}

// parseText reads the Prometheus text format: comment lines, then one
// `series value` per line (the handler writes no timestamps).
func parseText(r io.Reader) (Series, error) {
	out := Series{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			return nil, bonfire.Errorf(bonfire.ECodeInvalid, "unreadable metrics line %q", line)
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return nil, bonfire.Errorf(bonfire.ECodeInvalid, "unreadable value in metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out, sc.Err()
}
