package blobfs

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

// market serves blobs by digest the way the market's blob endpoint does
// (http.ServeContent, so ranges work) and records the requests it gets.
type market struct {
	blobs    map[bonfire.Digest][]byte
	gets     atomic.Int32
	mu       sync.Mutex
	ranges   []string
	entered  chan struct{} // if set, receives on every request
	release  chan struct{} // if set, requests wait for it
	override func(w http.ResponseWriter, r *http.Request) bool
}

func (m *market) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.gets.Add(1)
	m.mu.Lock()
	m.ranges = append(m.ranges, r.Header.Get("Range"))
	m.mu.Unlock()
	if m.entered != nil {
		m.entered <- struct{}{}
	}
	if m.release != nil {
		<-m.release
	}
	if m.override != nil && m.override(w, r) {
		return
	}
	content, ok := m.blobs[bonfire.Digest(strings.TrimPrefix(r.URL.Path, "/v1/blobs/"))]
	if !ok {
		http.NotFound(w, r)
		return
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(content))
}

func newMarket(t *testing.T, blobs ...[]byte) (*market, string) {
	m := &market{blobs: map[bonfire.Digest][]byte{}}
	for _, b := range blobs {
		m.blobs[bonfire.DigestOf(b)] = b
	}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return m, srv.URL + "/v1/blobs"
}

func TestFetchDownloadsOnceThenServesFromCache(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("weights"), 50000)
	m, url := newMarket(t, content)
	s := openTemp(t)
	f := NewFetcher(s, url+"/", nil) // a trailing slash must not matter
	d := bonfire.DigestOf(content)
	for i := 0; i < 3; i++ {
		p, err := f.Fetch(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, content) {
			t.Fatalf("fetched file differs (%v)", err)
		}
	}
	if n := m.gets.Load(); n != 1 {
		t.Errorf("the market got %d requests, want 1", n)
	}
	if entries, _ := os.ReadDir(s.partialDir); len(entries) != 0 {
		t.Errorf("a completed download left %d partial files", len(entries))
	}
}

func TestFetchNotFound(t *testing.T) {
	t.Parallel()
	_, url := newMarket(t)
	f := NewFetcher(openTemp(t), url, nil)
	d := bonfire.DigestOf([]byte("absent"))
	_, err := f.Fetch(context.Background(), d)
	if bonfire.Code(err) != bonfire.ECodeNotFound || !strings.Contains(err.Error(), "blob "+string(d)+" not found at the market") {
		t.Fatalf("Fetch(absent) = %v", err)
	}
}

func TestFetchRejectsWrongContent(t *testing.T) {
	t.Parallel()
	m, url := newMarket(t)
	want := bonfire.DigestOf([]byte("the real thing"))
	m.blobs[want] = []byte("an impostor")
	s := openTemp(t)
	_, err := NewFetcher(s, url, nil).Fetch(context.Background(), want)
	if bonfire.Code(err) != bonfire.ECodeInvalid || !strings.Contains(err.Error(), string(bonfire.DigestOf([]byte("an impostor")))) {
		t.Fatalf("Fetch of mismatching content = %v, want invalid naming what it hashed to", err)
	}
	if _, err := s.Stat(context.Background(), want); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("mismatching content was stored: %v", err)
	}
	if _, err := os.Stat(filepath.Join(s.partialDir, want.Hex())); !os.IsNotExist(err) {
		t.Errorf("a bad partial download was kept to be resumed: %v", err)
	}
}

func TestFetchResumesPartialFromEarlierRun(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("0123456789"), 10000)
	m, url := newMarket(t, content)
	s := openTemp(t)
	d := bonfire.DigestOf(content)
	// A previous process got 40000 bytes before it died.
	if err := os.WriteFile(filepath.Join(s.partialDir, d.Hex()), content[:40000], 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := NewFetcher(s, url, nil).Fetch(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, content) {
		t.Fatal("resumed download differs from the content")
	}
	if len(m.ranges) != 1 || m.ranges[0] != "bytes=40000-" {
		t.Errorf("requests' Range headers = %q, want one asking for bytes=40000-", m.ranges)
	}
}

func TestFetchCompletePartialNeedsNoBytes(t *testing.T) {
	t.Parallel()
	content := []byte("already all here")
	_, url := newMarket(t, content)
	s := openTemp(t)
	d := bonfire.DigestOf(content)
	os.WriteFile(filepath.Join(s.partialDir, d.Hex()), content, 0o644)
	p, err := NewFetcher(s, url, nil).Fetch(context.Background(), d)
	if err != nil {
		t.Fatalf("Fetch with a complete partial (server answers 416) = %v", err)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, content) {
		t.Fatal("content differs")
	}
}

func TestFetchServerIgnoringRangeStartsOver(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("abc"), 1000)
	m, url := newMarket(t, content)
	m.override = func(w http.ResponseWriter, r *http.Request) bool {
		w.Write(content) // 200 with everything, Range or not
		return true
	}
	s := openTemp(t)
	d := bonfire.DigestOf(content)
	os.WriteFile(filepath.Join(s.partialDir, d.Hex()), content[:100], 0o644)
	p, err := NewFetcher(s, url, nil).Fetch(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); !bytes.Equal(got, content) {
		t.Fatalf("got %d bytes, want the %d of the content once", len(got), len(content))
	}
}

func TestFetchSharesOneDownload(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("x"), 1<<20)
	m, url := newMarket(t, content)
	m.entered = make(chan struct{}, 100)
	m.release = make(chan struct{})
	f := NewFetcher(openTemp(t), url, nil)
	const callers = 20
	joined := make(chan struct{}, callers)
	f.joined = func() { joined <- struct{}{} }
	d := bonfire.DigestOf(content)

	var wg sync.WaitGroup
	paths := make(chan string, callers)
	errs := make(chan error, callers)
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := f.Fetch(context.Background(), d)
			paths <- p
			errs <- err
		}()
	}
	<-m.entered // one download is in flight and holds the others back
	for i := 0; i < callers-1; i++ {
		<-joined
	}
	close(m.release)
	wg.Wait()
	close(paths)
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	first := ""
	for p := range paths {
		if first == "" {
			first = p
		}
		if p != first {
			t.Errorf("callers got different paths: %s and %s", first, p)
		}
	}
	if n := m.gets.Load(); n != 1 {
		t.Errorf("%d concurrent Fetches made %d downloads, want 1", callers, n)
	}
}

func TestFetchWaiterSurvivesLeaderCancellation(t *testing.T) {
	t.Parallel()
	content := []byte("shared")
	m, url := newMarket(t, content)
	m.entered = make(chan struct{}, 10)
	block := make(chan struct{})
	var calls atomic.Int32
	m.override = func(w http.ResponseWriter, r *http.Request) bool {
		if calls.Add(1) == 1 {
			<-block // the first request hangs until its caller gives up
			return true
		}
		return false
	}
	f := NewFetcher(openTemp(t), url, nil)
	joined := make(chan struct{}, 1)
	f.joined = func() { joined <- struct{}{} }
	d := bonfire.DigestOf(content)

	leaderCtx, cancelLeader := context.WithCancel(context.Background())
	leaderErr := make(chan error, 1)
	go func() {
		_, err := f.Fetch(leaderCtx, d)
		leaderErr <- err
	}()
	<-m.entered
	waiterDone := make(chan error, 1)
	go func() {
		_, err := f.Fetch(context.Background(), d)
		waiterDone <- err
	}()
	<-joined // the waiter now depends on the leader's download
	cancelLeader()
	if err := <-leaderErr; bonfire.Code(err) != bonfire.ECodeCancelled {
		t.Errorf("cancelled leader got %v, want cancelled", err)
	}
	close(block)
	if err := <-waiterDone; err != nil {
		t.Errorf("a waiter whose own context is live failed with its leader: %v", err)
	}
}

func TestFetchDownloadLimit(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("y"), 5000)
	_, url := newMarket(t, content)
	f := NewFetcher(openTemp(t), url, nil)
	f.MaxBytes = 4096
	_, err := f.Fetch(context.Background(), bonfire.DigestOf(content))
	if bonfire.Code(err) != bonfire.ECodeTooLarge || !strings.Contains(err.Error(), "4096") {
		t.Fatalf("Fetch over the limit = %v, want too_large naming 4096", err)
	}
}

func TestFetchMalformedDigest(t *testing.T) {
	t.Parallel()
	m, url := newMarket(t)
	_, err := NewFetcher(openTemp(t), url, nil).Fetch(context.Background(), "sha256:nothex")
	if bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Fatalf("Fetch(malformed) = %v, want invalid", err)
	}
	if m.gets.Load() != 0 {
		t.Error("a malformed digest was sent to the market")
	}
}

// FuzzContentRangeStart checks the Content-Range parser a resumed download
// trusts to decide whether it may append.
func FuzzContentRangeStart(f *testing.F) {
	for _, s := range []string{"bytes 0-9/10", "bytes 40000-99999/100000", "bytes */100", "bytes -5-9/10", "items 0-1/2", "", "bytes 99999999999999999999-1/2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n, ok := contentRangeStart(v)
		if !ok {
			return
		}
		if n < 0 || !strings.HasPrefix(v, "bytes ") {
			t.Fatalf("contentRangeStart(%q) = %d, true", v, n)
		}
	})
}
