package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/blobfs"
)

const blobTestMaxUpload = 1 << 20

// blobServer runs BlobHandler over a blobfs store on a loopback port.
// Uploads need the header "X-Test-Auth: yes".
func blobServer(t *testing.T, wrap func(http.Handler) http.Handler) (*blobfs.Store, string) {
	t.Helper()
	store, err := blobfs.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	authorize := func(r *http.Request) error {
		switch r.Header.Get("X-Test-Auth") {
		case "yes":
			return nil
		case "plain":
			return errors.New("bad password")
		}
		return bonfire.Errorf(bonfire.ECodeUnauthorized, "no credentials").WithHint(credentialsHint)
	}
	var h http.Handler = BlobHandler(store, blobTestMaxUpload, authorize)
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return store, srv.URL
}

func blobUpload(t *testing.T, base string, body io.Reader, query string, auth string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/v1/blobs"+query, body)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("X-Test-Auth", auth)
	}
	return blobDo(t, req)
}

func blobDo(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func blobGet(t *testing.T, method, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return blobDo(t, req)
}

// wantBlobError checks an error response's status, code and field.
func wantBlobError(t *testing.T, what string, resp *http.Response, body []byte, status int, code bonfire.ErrorCode, field string) {
	t.Helper()
	var eb ErrorBody
	if err := json.Unmarshal(body, &eb); err != nil || eb.Error == nil {
		t.Errorf("%s: body %q is not an error body (%v)", what, body, err)
		return
	}
	if resp.StatusCode != status || eb.Error.Code != code || eb.Error.Field != field || eb.Error.Hint == "" {
		t.Errorf("%s: %d %+v; want %d, code %s, field %q and a hint", what, resp.StatusCode, eb.Error, status, code, field)
	}
}

func TestBlobUploadAndDownload(t *testing.T) {
	t.Parallel()
	_, base := blobServer(t, nil)
	content := bytes.Repeat([]byte("0123456789"), 5000)
	d := bonfire.DigestOf(content)

	resp, body := blobUpload(t, base, bytes.NewReader(content), "?digest="+url.QueryEscape(string(d)), "yes")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %s", resp.StatusCode, body)
	}
	var ref BlobRef
	if err := json.Unmarshal(body, &ref); err != nil || ref.Digest != d || ref.Size != int64(len(content)) {
		t.Fatalf("upload answered %s (%v), want digest %s size %d", body, err, d, len(content))
	}
	if loc := resp.Header.Get("Location"); loc != "/v1/blobs/"+string(d) {
		t.Errorf("Location = %q", loc)
	}

	resp, body = blobGet(t, http.MethodGet, base+"/v1/blobs/"+string(d))
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, content) {
		t.Fatalf("download: %d, %d bytes; want 200 and the content", resp.StatusCode, len(body))
	}
	for k, want := range map[string]string{
		"ETag":          `"` + string(d) + `"`,
		"Cache-Control": "public, max-age=31536000, immutable",
		"Content-Type":  "application/octet-stream",
		"Accept-Ranges": "bytes",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}

	resp, body = blobGet(t, http.MethodHead, base+"/v1/blobs/"+string(d))
	if resp.StatusCode != http.StatusOK || len(body) != 0 || resp.ContentLength != int64(len(content)) {
		t.Errorf("HEAD: %d, body %d bytes, length %d; want 200, empty, %d", resp.StatusCode, len(body), resp.ContentLength, len(content))
	}

	resp, body = blobGet(t, http.MethodGet, base+"/v1/blobs/"+string(d), "Range", "bytes=10-19")
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, content[10:20]) ||
		resp.Header.Get("Content-Range") != fmt.Sprintf("bytes 10-19/%d", len(content)) {
		t.Errorf("range: %d %q (%s); want 206 %q", resp.StatusCode, body, resp.Header.Get("Content-Range"), content[10:20])
	}

	resp, _ = blobGet(t, http.MethodGet, base+"/v1/blobs/"+string(d), "If-None-Match", `"`+string(d)+`"`)
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET with the ETag: %d, want 304", resp.StatusCode)
	}

	// Uploading again (chunked, no digest) is accepted and names the same blob.
	resp, body = blobUpload(t, base, io.MultiReader(bytes.NewReader(content)), "", "yes")
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(body), string(d)) {
		t.Errorf("second upload: %d %s", resp.StatusCode, body)
	}
}

func TestBlobErrors(t *testing.T) {
	t.Parallel()
	store, base := blobServer(t, nil)
	missing := bonfire.DigestOf([]byte("missing"))

	resp, body := blobGet(t, http.MethodGet, base+"/v1/blobs/"+string(missing))
	wantBlobError(t, "missing blob", resp, body, http.StatusNotFound, bonfire.ECodeNotFound, "digest")

	resp, body = blobGet(t, http.MethodGet, base+"/v1/blobs/sha256:XYZ")
	wantBlobError(t, "bad path digest", resp, body, http.StatusBadRequest, bonfire.ECodeInvalid, "digest")

	resp, body = blobUpload(t, base, strings.NewReader("x"), "?digest=md5:00", "yes")
	wantBlobError(t, "bad query digest", resp, body, http.StatusBadRequest, bonfire.ECodeInvalid, "digest")

	resp, body = blobUpload(t, base, strings.NewReader("actual"), "?digest="+string(missing), "yes")
	wantBlobError(t, "mismatched digest", resp, body, http.StatusBadRequest, bonfire.ECodeInvalid, "digest")
	if _, err := store.Stat(context.Background(), bonfire.DigestOf([]byte("actual"))); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("content of a mismatched upload was stored: %v", err)
	}

	big := bytes.Repeat([]byte{1}, blobTestMaxUpload+1)
	resp, body = blobUpload(t, base, bytes.NewReader(big), "", "yes")
	wantBlobError(t, "oversize with length", resp, body, http.StatusRequestEntityTooLarge, bonfire.ECodeTooLarge, "")
	if !strings.Contains(string(body), fmt.Sprint(blobTestMaxUpload)) {
		t.Errorf("oversize error %s does not name the limit", body)
	}
	resp, body = blobUpload(t, base, io.MultiReader(bytes.NewReader(big)), "", "yes") // chunked: no length up front
	wantBlobError(t, "oversize chunked", resp, body, http.StatusRequestEntityTooLarge, bonfire.ECodeTooLarge, "")
	if _, err := store.Stat(context.Background(), bonfire.DigestOf(big)); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("an oversize upload was stored: %v", err)
	}

	resp, body = blobUpload(t, base, strings.NewReader("x"), "", "")
	wantBlobError(t, "no credentials", resp, body, http.StatusUnauthorized, bonfire.ECodeUnauthorized, "")
	resp, body = blobUpload(t, base, strings.NewReader("x"), "", "plain")
	wantBlobError(t, "authorizer's plain error", resp, body, http.StatusUnauthorized, bonfire.ECodeUnauthorized, "")
	if _, err := store.Stat(context.Background(), bonfire.DigestOf([]byte("x"))); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("an unauthorised upload was stored: %v", err)
	}

	resp, body = blobGet(t, http.MethodDelete, base+"/v1/blobs/"+string(missing))
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" || !json.Valid(body) {
		t.Errorf("DELETE: %d Allow=%q %s; want 405 with Allow and a JSON body", resp.StatusCode, resp.Header.Get("Allow"), body)
	}
}

func TestBlobUploadWithoutAuthorizer(t *testing.T) {
	t.Parallel()
	store, err := blobfs.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(BlobHandler(store, 0, nil))
	defer srv.Close()
	resp, body := blobUpload(t, srv.URL, strings.NewReader("open"), "", "")
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload with no authorizer and no limit: %d %s", resp.StatusCode, body)
	}
}

// cutFirstResponse serves the first request's body only up to `after` bytes
// and then drops the connection, like a network failure mid-download.
type cutFirstResponse struct {
	next   http.Handler
	after  int
	cut    atomic.Bool
	gets   atomic.Int32
	mu     sync.Mutex
	ranges []string
}

func (c *cutFirstResponse) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.gets.Add(1)
	c.mu.Lock()
	c.ranges = append(c.ranges, r.Header.Get("Range"))
	c.mu.Unlock()
	if c.after > 0 && c.cut.CompareAndSwap(false, true) {
		c.next.ServeHTTP(&cuttingWriter{ResponseWriter: w, left: c.after}, r)
		return
	}
	c.next.ServeHTTP(w, r)
}

type cuttingWriter struct {
	http.ResponseWriter
	left int
}

func (w *cuttingWriter) Write(p []byte) (int, error) {
	if len(p) <= w.left {
		w.left -= len(p)
		return w.ResponseWriter.Write(p)
	}
	w.ResponseWriter.Write(p[:w.left])
	w.ResponseWriter.(http.Flusher).Flush()
	panic(http.ErrAbortHandler) // the server closes the connection mid-body
}

func TestFetcherResumesTruncatedDownload(t *testing.T) {
	t.Parallel()
	cut := &cutFirstResponse{after: 300000}
	market, base := blobServer(t, func(h http.Handler) http.Handler { cut.next = h; return cut })
	content := bytes.Repeat([]byte("model weights "), 70000) // ~1 MB, under the upload limit
	d, _, err := market.Put(context.Background(), bytes.NewReader(content), "", 0)
	if err != nil {
		t.Fatal(err)
	}

	cache, err := blobfs.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p, err := blobfs.NewFetcher(cache, base+"/v1/blobs", nil).Fetch(context.Background(), d)
	if err != nil {
		t.Fatalf("Fetch after a cut response: %v", err)
	}
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("fetched content differs (%d of %d bytes, %v)", len(got), len(content), err)
	}
	cut.mu.Lock()
	defer cut.mu.Unlock()
	if len(cut.ranges) != 2 || cut.ranges[0] != "" || cut.ranges[1] != "bytes=300000-" {
		t.Errorf("requests' Range headers = %q, want a plain GET then bytes=300000-", cut.ranges)
	}
}

func TestFetcherConcurrentFetchesDownloadOnce(t *testing.T) {
	t.Parallel()
	counter := &cutFirstResponse{}
	market, base := blobServer(t, func(h http.Handler) http.Handler { counter.next = h; return counter })
	content := bytes.Repeat([]byte("z"), 512<<10)
	d, _, err := market.Put(context.Background(), bytes.NewReader(content), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := blobfs.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := blobfs.NewFetcher(cache, base+"/v1/blobs", nil)
	const callers = 32
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := f.Fetch(context.Background(), d)
			if err == nil {
				var got []byte
				got, err = os.ReadFile(p)
				if err == nil && !bytes.Equal(got, content) {
					err = errors.New("fetched content differs")
				}
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := counter.gets.Load(); n != 1 {
		t.Errorf("%d concurrent Fetches made %d requests, want 1", callers, n)
	}
}

func TestFetcherNotFoundAtMarket(t *testing.T) {
	t.Parallel()
	_, base := blobServer(t, nil)
	cache, err := blobfs.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	d := bonfire.DigestOf([]byte("never uploaded"))
	_, err = blobfs.NewFetcher(cache, base+"/v1/blobs", nil).Fetch(context.Background(), d)
	if bonfire.Code(err) != bonfire.ECodeNotFound || !strings.Contains(err.Error(), "blob "+string(d)+" not found at the market") {
		t.Errorf("Fetch of a missing blob = %v", err)
	}
}

// FuzzBlobDigestPath feeds arbitrary path segments to the download route:
// every answer must be a 200, 404 or a 400 that names the digest field,
// never a 500 and never a file outside the store.
func FuzzBlobDigestPath(f *testing.F) {
	for _, s := range []string{
		string(bonfire.DigestOf([]byte("stored"))), string(bonfire.DigestOf([]byte("absent"))),
		"sha256:", "sha256:../../../etc/passwd", "SHA256:" + strings.Repeat("a", 64), "sha256:" + strings.Repeat("A", 64),
		"sha256:" + strings.Repeat("a", 65), "", "%00", "sha256:%2e%2e", "md5:d41d8cd98f00b204e9800998ecf8427e",
	} {
		f.Add(s)
	}
	store, err := blobfs.Open(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	if _, _, err := store.Put(context.Background(), strings.NewReader("stored"), "", 0); err != nil {
		f.Fatal(err)
	}
	h := BlobHandler(store, blobTestMaxUpload, nil)
	f.Fuzz(func(t *testing.T, segment string) {
		d, perr := parseBlobDigest(segment)
		if perr == nil && (d.Validate() != nil || string(d) != segment) {
			t.Fatalf("parseBlobDigest(%q) accepted %q", segment, d)
		}
		var be *bonfire.Error
		if perr != nil && (!errors.As(perr, &be) || be.Code != bonfire.ECodeInvalid || be.Field != "digest") {
			t.Fatalf("parseBlobDigest(%q) = %#v, want invalid on field digest", segment, perr)
		}

		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = "/v1/blobs/" + segment
		req.URL.RawPath = "/v1/blobs/" + url.PathEscape(segment)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			if perr != nil || rec.Body.String() != "stored" {
				t.Fatalf("%q served %q", segment, rec.Body.String())
			}
		case http.StatusNotFound, http.StatusBadRequest, http.StatusMethodNotAllowed,
			http.StatusMovedPermanently, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
			// ServeMux redirects paths it cleans (".", "a/../b") before any
			// handler runs, and 404s or 405s segments with a slash.
			if rec.Code == http.StatusBadRequest && !strings.Contains(rec.Body.String(), `"field": "digest"`) {
				t.Fatalf("%q: 400 without the digest field: %s", segment, rec.Body.String())
			}
			if perr == nil && rec.Code != http.StatusNotFound {
				t.Fatalf("valid digest %q answered %d", segment, rec.Code)
			}
		default:
			t.Fatalf("%q answered %d: %s", segment, rec.Code, rec.Body.String())
		}
	})
}
