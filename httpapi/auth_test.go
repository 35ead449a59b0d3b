package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
)

func TestTokenFromLoopbackIsAccepted(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	job, err := h.client(t, WithToken(testToken)).SubmitJob(context.Background(), sampleSpec())
	if err != nil {
		t.Fatalf("token over loopback: %v", err)
	}
	if job.Owner != tokenOwner || h.market.seen().lastCaller != tokenOwner {
		t.Fatalf("job owned by %s (service saw %s), want the token owner %s", job.Owner, h.market.seen().lastCaller, tokenOwner)
	}
}

func TestTokenFromElsewhereIsRejected(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	for _, remote := range []string{"203.0.113.7:5555", "[2001:db8::1]:443", "192.168.1.10:80"} {
		w := serveAPI(h.server, "POST", "/v1/jobs", remote, specJSON(t), http.Header{"Authorization": {"Bearer " + testToken}})
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("token from %s: status %d, want 401: %s", remote, w.Code, w.Body)
		}
		eb := decodeErrorBody(t, w.Body.Bytes())
		if !strings.Contains(eb.Error.Hint, "sign with your wallet") {
			t.Fatalf("token from %s: hint %q does not point to signing", remote, eb.Error.Hint)
		}
	}
	if h.market.seen().nextID != 0 {
		t.Fatal("a remote token submitted a job")
	}
}

func TestBadOrMissingCredentialsAre401WithHint(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	cases := map[string]http.Header{
		"missing":     nil,
		"wrong token": {"Authorization": {"Bearer nope"}},
		"not bearer":  {"Authorization": {"Basic dXNlcjpwYXNz"}},
		"half signed": {identity.HeaderAddress: {string(tokenOwner)}},
	}
	for name, hdr := range cases {
		t.Run(name, func(t *testing.T) {
			for _, target := range []string{"/v1/jobs/job-1/cancel", "/v1/jobs"} {
				w := serveAPI(h.server, "POST", target, "127.0.0.1:9", nil, hdr)
				if w.Code != http.StatusUnauthorized {
					t.Fatalf("%s: status %d, want 401: %s", target, w.Code, w.Body)
				}
				eb := decodeErrorBody(t, w.Body.Bytes())
				if eb.Error.Code != bonfire.ECodeUnauthorized || eb.Error.Hint == "" {
					t.Fatalf("%s: %+v, want unauthorized with a hint", target, eb.Error)
				}
			}
		})
	}
	w := serveAPI(h.server, "GET", "/v1/jobs/job-1/results", "127.0.0.1:9", nil, nil)
	if eb := decodeErrorBody(t, w.Body.Bytes()); w.Code != 401 || eb.Error.Hint != credentialsHint {
		t.Fatalf("missing credentials: %d %+v, want 401 with hint %q", w.Code, eb.Error, credentialsHint)
	}
}

func TestSignedRequestsActAsTheSigner(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	alice, bob := newTestKey(t), newTestKey(t)
	ctx := context.Background()
	ac := h.client(t, WithKey(alice))

	job, err := ac.SubmitJob(ctx, sampleSpec())
	if err != nil {
		t.Fatalf("signed submit: %v", err)
	}
	if job.Owner != alice.Address() {
		t.Fatalf("job owned by %s, want the signer %s", job.Owner, alice.Address())
	}
	if _, err := ac.JobResults(ctx, job.ID); err != nil {
		t.Fatalf("owner reading results: %v", err)
	}
	if _, err := ac.TaskLogs(ctx, job.ID+".0", 0); err != nil {
		t.Fatalf("owner reading logs: %v", err)
	}

	// Another wallet is authenticated but not allowed; the service's 403 and
	// its hint reach the client intact.
	_, err = h.client(t, WithKey(bob)).CancelJob(ctx, job.ID)
	var be *bonfire.Error
	if !asError(err, &be) || be.Code != bonfire.ECodeForbidden || be.Hint != "sign with the key that submitted the job" {
		t.Fatalf("bob cancelling alice's job: %v, want forbidden with the service's hint", err)
	}
	if _, err := ac.CancelJob(ctx, job.ID); err != nil {
		t.Fatalf("alice cancelling her job: %v", err)
	}
}

func TestTamperedSignatureIsRejected(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	k := newTestKey(t)
	body := specJSON(t)

	signed := func(t *testing.T) *http.Request {
		r := httptest.NewRequest("POST", "/v1/jobs", bytes.NewReader(body))
		r.RemoteAddr = "198.51.100.4:1234"
		if err := identity.SignRequest(r, body, k, time.Now()); err != nil {
			t.Fatal(err)
		}
		return r
	}
	tamper := map[string]func(r *http.Request) *http.Request{
		"body changed": func(r *http.Request) *http.Request {
			other := bytes.Replace(body, []byte(`"sweep"`), []byte(`"swept"`), 1)
			r2 := httptest.NewRequest("POST", "/v1/jobs", bytes.NewReader(other))
			r2.Header, r2.RemoteAddr = r.Header, r.RemoteAddr
			return r2
		},
		"signature flipped": func(r *http.Request) *http.Request {
			sig := []byte(r.Header.Get(identity.HeaderSignature))
			if sig[10] == 'a' {
				sig[10] = 'b'
			} else {
				sig[10] = 'a'
			}
			r.Header.Set(identity.HeaderSignature, string(sig))
			return r
		},
		"address swapped": func(r *http.Request) *http.Request {
			r.Header.Set(identity.HeaderAddress, string(tokenOwner))
			return r
		},
		"path changed": func(r *http.Request) *http.Request {
			r2 := httptest.NewRequest("POST", "/v1/jobs?x=1", bytes.NewReader(body))
			r2.Header, r2.RemoteAddr = r.Header, r.RemoteAddr
			return r2
		},
	}
	for name, change := range tamper {
		t.Run(name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.server.ServeHTTP(w, change(signed(t)))
			if w.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", w.Code, w.Body)
			}
			if eb := decodeErrorBody(t, w.Body.Bytes()); eb.Error.Hint == "" {
				t.Fatalf("no hint in %+v", eb.Error)
			}
		})
	}

	// The untampered request from the same remote address passes, then
	// fails when replayed.
	r := signed(t)
	w := httptest.NewRecorder()
	h.server.ServeHTTP(w, r)
	if w.Code != http.StatusCreated {
		t.Fatalf("untampered signed request: %d %s", w.Code, w.Body)
	}
	replay := httptest.NewRequest("POST", "/v1/jobs", bytes.NewReader(body))
	replay.Header = r.Header
	w = httptest.NewRecorder()
	h.server.ServeHTTP(w, replay)
	if w.Code != http.StatusUnauthorized {
		t.Fatalf("replayed request: %d, want 401", w.Code)
	}
}

func TestSignedUploadsAreAuthorized(t *testing.T) {
	t.Parallel()
	h := newAPIHarness(t, ServerConfig{})
	ctx := context.Background()
	d, _, err := h.client(t, WithKey(newTestKey(t))).UploadReader(ctx, strings.NewReader("signed upload"))
	if err != nil || d != bonfire.DigestOf([]byte("signed upload")) {
		t.Fatalf("signed upload: %s, %v", d, err)
	}
	// Upload signs a query that names the digest, so the signature binds the
	// content even though it covers no body.
	path := filepath.Join(t.TempDir(), "in.txt")
	if err := os.WriteFile(path, []byte("signed file"), 0o600); err != nil {
		t.Fatal(err)
	}
	if d, _, err := h.client(t, WithKey(newTestKey(t))).Upload(ctx, path); err != nil || string(h.blobs.get(d)) != "signed file" {
		t.Fatalf("signed file upload: %s, %v", d, err)
	}
	_, _, err = h.client(t).UploadReader(ctx, strings.NewReader("anonymous upload"))
	if bonfire.Code(err) != bonfire.ECodeUnauthorized {
		t.Fatalf("anonymous upload: %v, want unauthorized", err)
	}
}

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{
		"127.0.0.1:80":         true,
		"127.9.9.9:1":          true,
		"[::1]:8080":           true,
		"[::ffff:127.0.0.1]:1": true,
		"10.0.0.1:80":          false,
		"[2001:db8::1]:1":      false,
		"localhost:80":         false, // names are not resolved: RemoteAddr is always numeric
		"":                     false,
		"garbage":              false,
	}
	for in, want := range cases {
		if got := IsLoopback(in); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestAuthenticationWithoutAuthenticatorIsRefused(t *testing.T) {
	t.Parallel()
	m := newFakeMarket()
	s := NewServer(ServerConfig{Jobs: m, Results: m, Providers: m})
	w := serveAPI(s, "POST", "/v1/jobs", "127.0.0.1:1", specJSON(t), http.Header{"Authorization": {"Bearer x"}})
	if w.Code != http.StatusUnauthorized || decodeErrorBody(t, w.Body.Bytes()).Error.Hint == "" {
		t.Fatalf("no authenticator: %d %s, want 401 with a hint", w.Code, w.Body)
	}
}
