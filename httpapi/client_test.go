package httpapi

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

// uploader is package jobspec's view of a blob uploader; the client must
// satisfy it.
type uploader interface {
	Upload(ctx context.Context, path string) (bonfire.Digest, int64, error)
}

var _ uploader = (*Client)(nil)

func TestErrorsRoundTripThroughTheClient(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err    *bonfire.Error
		status int
	}{
		{bonfire.Errorf(bonfire.ECodeInvalid, "matrix has no values").WithField("matrix.lr").WithHint("give lr at least one value"), 400},
		{bonfire.Errorf(bonfire.ECodeNotFound, "job x does not exist").WithHint("list jobs"), 404},
		{bonfire.Errorf(bonfire.ECodeConflict, "job already finished").WithHint("nothing to cancel"), 409},
		{bonfire.Errorf(bonfire.ECodeForbidden, "not yours").WithHint("sign with the owner's key"), 403},
		{bonfire.Errorf(bonfire.ECodeTooLarge, "too many tasks").WithField("count").WithHint("split the job"), 413},
		{bonfire.Errorf(bonfire.ECodeUnavailable, "no provider runs wasm").WithHint("wait for providers"), 503},
		{bonfire.Errorf(bonfire.ECodeTimeout, "store timed out"), 504},
		{bonfire.Errorf(bonfire.ECodeQuota, "workload outcome"), 422},
		{bonfire.Errorf("made_up", "unmapped code"), 500},
	}
	for _, tc := range cases {
		t.Run(string(tc.err.Code), func(t *testing.T) {
			t.Parallel()
			h := newAPIHarness(t, ServerConfig{})
			h.market.setFail(tc.err)
			w := serveAPI(h.server, "GET", "/v1/jobs/x", "127.0.0.1:1", nil, nil)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d", w.Code, tc.status)
			}
			_, err := h.client(t, WithToken(testToken)).SubmitJob(context.Background(), sampleSpec())
			var be *bonfire.Error
			if !errors.As(err, &be) || !reflect.DeepEqual(be, tc.err) {
				t.Fatalf("client got %#v, want %#v", err, tc.err)
			}
		})
	}
}

func TestErrorListRoundTripsAsErrors(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	want := bonfire.Errors{
		bonfire.Errorf(bonfire.ECodeInvalid, "name is empty").WithField("name").WithHint("name the job"),
		bonfire.Errorf(bonfire.ECodeInvalid, "cpuMilli is 0").WithField("resources.cpuMilli").WithHint("ask for at least 1"),
	}
	h.market.setFail(want)
	_, err := h.client(t, WithToken(testToken)).SubmitJob(context.Background(), sampleSpec())
	var got bonfire.Errors
	if !errors.As(err, &got) || !reflect.DeepEqual(got, want) {
		t.Fatalf("client got %#v, want %#v", err, want)
	}
}

func TestNonAPIErrorsKeepTheirMeaning(t *testing.T) {
	t.Parallel()
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "upstream down", http.StatusServiceUnavailable)
	}))
	t.Cleanup(proxy.Close)
	c, err := NewClient(proxy.URL)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Providers(context.Background())
	var be *bonfire.Error
	if !errors.As(err, &be) || be.Code != bonfire.ECodeUnavailable || !strings.Contains(be.Message, "upstream down") {
		t.Fatalf("plain-text 503: %#v, want unavailable quoting the body", err)
	}
}

func TestUnreachableMarketIsUnavailable(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c, err := NewClient("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Job(context.Background(), "j")
	var be *bonfire.Error
	if !errors.As(err, &be) || be.Code != bonfire.ECodeUnavailable || be.Hint == "" {
		t.Fatalf("closed port: %#v, want unavailable with a hint", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Job(ctx, "j"); bonfire.Code(err) != bonfire.ECodeCancelled {
		t.Fatalf("cancelled context: %v, want cancelled", err)
	}
}

func TestNewClientRejectsBadURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "localhost:8080", "ftp://x", "http://"} {
		if _, err := NewClient(u); bonfire.Code(err) != bonfire.ECodeInvalid {
			t.Errorf("NewClient(%q) = %v, want invalid", u, err)
		}
	}
	c, err := NewClient("http://127.0.0.1:1/prefix/")
	if err != nil {
		t.Fatal(err)
	}
	req, err := c.newRequest(context.Background(), "GET", "/v1/jobs/"+pathID("a/b"), nil, nil)
	if err != nil || req.URL.String() != "http://127.0.0.1:1/prefix/v1/jobs/a%2Fb" {
		t.Fatalf("URL %v, %v; want the prefix kept and the ID escaped", req.URL, err)
	}
}

func TestClientRefusesEmptyIDs(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	c := h.client(t)
	ctx := context.Background()
	if _, err := c.Job(ctx, ""); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Errorf("Job(\"\") = %v", err)
	}
	if _, err := c.Tasks(ctx, bonfire.TaskFilter{}); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Errorf("Tasks without job = %v", err)
	}
	if _, err := c.TaskLogs(ctx, " ", 0); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Errorf("TaskLogs(\" \") = %v", err)
	}
}

func TestUploadSkipsBlobsTheMarketHas(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	c := h.client(t, WithToken(testToken))
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "model.wasm")
	content := bytes.Repeat([]byte("wasm"), 10000)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}

	d, n, err := c.Upload(ctx, path)
	if err != nil || d != bonfire.DigestOf(content) || n != int64(len(content)) {
		t.Fatalf("Upload = %s %d %v", d, n, err)
	}
	if !bytes.Equal(h.blobs.get(d), content) || h.blobs.putCount() != 1 {
		t.Fatalf("market holds %d bytes after %d posts, want the file after 1", len(h.blobs.get(d)), h.blobs.putCount())
	}
	d2, n2, err := c.Upload(ctx, path)
	if err != nil || d2 != d || n2 != n {
		t.Fatalf("second Upload = %s %d %v", d2, n2, err)
	}
	if h.blobs.putCount() != 1 {
		t.Fatalf("second upload of the same file posted again (%d posts)", h.blobs.putCount())
	}

	var buf bytes.Buffer
	if err := c.DownloadBlob(ctx, d, &buf); err != nil || !bytes.Equal(buf.Bytes(), content) {
		t.Fatalf("DownloadBlob: %d bytes, %v", buf.Len(), err)
	}
}

func TestUploadErrorsNameThePath(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	c := h.client(t, WithToken(testToken))
	dir := t.TempDir()
	for _, p := range []string{filepath.Join(dir, "missing"), dir} {
		_, _, err := c.Upload(context.Background(), p)
		var be *bonfire.Error
		if !errors.As(err, &be) || be.Code != bonfire.ECodeInvalid || be.Field != p || be.Hint == "" {
			t.Errorf("Upload(%s) = %#v, want invalid naming the path with a hint", p, err)
		}
	}
}

func TestUploadReaderAndEmptyBlob(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	c := h.client(t, WithToken(testToken))
	for _, content := range []string{"", "some bytes"} {
		d, n, err := c.UploadReader(context.Background(), strings.NewReader(content))
		if err != nil || d != bonfire.DigestOf([]byte(content)) || n != int64(len(content)) {
			t.Fatalf("UploadReader(%q) = %s %d %v", content, d, n, err)
		}
	}
}

func TestDownloadDetectsCorruptionAndMissingBlobs(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	c := h.client(t)
	ctx := context.Background()
	d := bonfire.DigestOf([]byte("payload"))

	var buf bytes.Buffer
	if err := c.DownloadBlob(ctx, d, &buf); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Fatalf("missing blob: %v, want not_found", err)
	}
	h.blobs.put(d, []byte("payload"))
	h.blobs.setCorrupt()
	err := c.DownloadBlob(ctx, d, &buf)
	var be *bonfire.Error
	if !errors.As(err, &be) || be.Code != bonfire.ECodeInternal || !strings.Contains(be.Message, string(d)) {
		t.Fatalf("corrupt blob: %#v, want internal naming the digest", err)
	}
	if err := c.DownloadBlob(ctx, "sha256:nope", &buf); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Fatalf("malformed digest: %v, want invalid", err)
	}
}

type countingTransport struct {
	mu sync.Mutex
	n  int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func TestWithHTTPClientIsUsed(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	tr := &countingTransport{}
	c := h.client(t, WithHTTPClient(&http.Client{Transport: tr}))
	if _, err := c.Providers(context.Background()); err != nil {
		t.Fatal(err)
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.n != 1 {
		t.Fatalf("custom transport saw %d requests, want 1", tr.n)
	}
}

func TestExpiredContextIsTimeout(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := h.client(t).Providers(ctx); bonfire.Code(err) != bonfire.ECodeTimeout {
		t.Fatalf("expired deadline: %v, want timeout", err)
	}
}
