package identity

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

var reqNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

// signedRequest returns a server-side request as httptest builds it, signed
// by k at at.
func signedRequest(t *testing.T, k *Key, method, target string, body []byte, at time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	if err := SignRequest(r, body, k, at); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRequestSignVerify(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	body := []byte(`{"name":"sweep"}`)
	r := signedRequest(t, k, http.MethodPost, "/v1/jobs?dry=1", body, reqNow)
	if got := r.Header.Get(HeaderTimestamp); got != "1777636800000" {
		t.Errorf("%s = %q, want unix milliseconds 1777636800000", HeaderTimestamp, got)
	}
	v := NewRequestVerifier(2 * time.Minute)
	who, err := v.Verify(r, body, reqNow.Add(time.Second))
	if err != nil || who != k.Address() {
		t.Fatalf("Verify = %s, %v; want %s", who, err, k.Address())
	}
}

func TestRequestTamperingRejected(t *testing.T) {
	t.Parallel()
	k, other := mustKey(t), mustKey(t)
	body := []byte(`{"name":"sweep"}`)
	cases := map[string]func(r *http.Request) (*http.Request, []byte){
		"body": func(r *http.Request) (*http.Request, []byte) { return r, []byte(`{"name":"sweeq"}`) },
		"method": func(r *http.Request) (*http.Request, []byte) {
			r.Method = http.MethodDelete
			return r, body
		},
		"path": func(r *http.Request) (*http.Request, []byte) {
			c := httptest.NewRequest(r.Method, "/v1/jobs/other?dry=1", nil)
			c.Header = r.Header
			return c, body
		},
		"query": func(r *http.Request) (*http.Request, []byte) {
			c := httptest.NewRequest(r.Method, "/v1/jobs?dry=0", nil)
			c.Header = r.Header
			return c, body
		},
		"timestamp": func(r *http.Request) (*http.Request, []byte) {
			r.Header.Set(HeaderTimestamp, "1777636800001")
			return r, body
		},
		"address": func(r *http.Request) (*http.Request, []byte) {
			r.Header.Set(HeaderAddress, string(other.Address()))
			return r, body
		},
		"signature by another key": func(r *http.Request) (*http.Request, []byte) {
			s := signedRequest(t, other, r.Method, "/v1/jobs?dry=1", body, reqNow)
			r.Header.Set(HeaderSignature, s.Header.Get(HeaderSignature))
			return r, body
		},
		"truncated signature": func(r *http.Request) (*http.Request, []byte) {
			s := r.Header.Get(HeaderSignature)
			r.Header.Set(HeaderSignature, s[:len(s)-2])
			return r, body
		},
	}
	for name, tamper := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, b := tamper(signedRequest(t, k, http.MethodPost, "/v1/jobs?dry=1", body, reqNow))
			who, err := NewRequestVerifier(2*time.Minute).Verify(r, b, reqNow)
			if bonfire.Code(err) != bonfire.ECodeUnauthorized {
				t.Fatalf("Verify(tampered %s) = %s, %v; want ECodeUnauthorized", name, who, err)
			}
			if !strings.Contains(err.Error(), "Bonfire-") {
				t.Errorf("error %q does not name the header at fault", err)
			}
		})
	}
}

func TestRequestMissingHeadersNamed(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	for _, h := range []string{HeaderAddress, HeaderTimestamp, HeaderSignature} {
		r := signedRequest(t, k, http.MethodGet, "/v1/jobs", nil, reqNow)
		r.Header.Del(h)
		_, err := NewRequestVerifier(time.Minute).Verify(r, nil, reqNow)
		e, ok := err.(*bonfire.Error)
		if !ok || e.Code != bonfire.ECodeUnauthorized || e.Field != h || !strings.Contains(e.Message, h) {
			t.Errorf("without %s: Verify = %v, want ECodeUnauthorized naming it", h, err)
		}
	}
	r := signedRequest(t, k, http.MethodGet, "/v1/jobs", nil, reqNow)
	r.Header.Set(HeaderTimestamp, "yesterday")
	if _, err := NewRequestVerifier(time.Minute).Verify(r, nil, reqNow); bonfire.Code(err) != bonfire.ECodeUnauthorized || !strings.Contains(err.Error(), HeaderTimestamp) {
		t.Errorf("non-numeric timestamp: Verify = %v", err)
	}
}

func TestRequestSkew(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	v := NewRequestVerifier(2 * time.Minute)
	for _, offset := range []time.Duration{-3 * time.Minute, 3 * time.Minute} {
		r := signedRequest(t, k, http.MethodGet, "/v1/jobs", nil, reqNow.Add(offset))
		_, err := v.Verify(r, nil, reqNow)
		e, ok := err.(*bonfire.Error)
		if !ok || e.Code != bonfire.ECodeUnauthorized || e.Field != HeaderTimestamp ||
			!strings.Contains(e.Message, "clocks must agree within 2m") || !strings.Contains(e.Hint, "NTP") {
			t.Errorf("signed %v from now: Verify = %v, want a clock error on %s", offset, err, HeaderTimestamp)
		}
	}
	r := signedRequest(t, k, http.MethodGet, "/v1/jobs", nil, reqNow.Add(-119*time.Second))
	if _, err := v.Verify(r, nil, reqNow); err != nil {
		t.Errorf("signed 119s ago with 2m allowed: %v", err)
	}
}

func TestRequestReplayRejected(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	v := NewRequestVerifier(2 * time.Minute)
	body := []byte(`{"job":"j1"}`)
	r := signedRequest(t, k, http.MethodPost, "/v1/jobs/j1/cancel", body, reqNow)
	if _, err := v.Verify(r, body, reqNow); err != nil {
		t.Fatal(err)
	}
	_, err := v.Verify(r, body, reqNow.Add(time.Minute))
	if bonfire.Code(err) != bonfire.ECodeUnauthorized || !strings.Contains(err.Error(), "already accepted") {
		t.Fatalf("replay: Verify = %v, want ECodeUnauthorized replay error", err)
	}
	// Long after, the skew check refuses it even once the memory is swept.
	if _, err := v.Verify(r, body, reqNow.Add(10*time.Minute)); bonfire.Code(err) != bonfire.ECodeUnauthorized {
		t.Fatalf("late replay: Verify = %v, want refused", err)
	}
	// The same request signed again a millisecond later is new.
	r2 := signedRequest(t, k, http.MethodPost, "/v1/jobs/j1/cancel", body, reqNow.Add(time.Millisecond))
	if _, err := v.Verify(r2, body, reqNow); err != nil {
		t.Fatalf("re-signed request: %v", err)
	}
}

func TestRequestReplayMemoryIsSwept(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	v := NewRequestVerifier(time.Minute)
	for i := range 50 {
		at := reqNow.Add(time.Duration(i) * time.Second)
		if _, err := v.Verify(signedRequest(t, k, http.MethodGet, "/v1/jobs", nil, at), nil, at); err != nil {
			t.Fatal(err)
		}
	}
	later := reqNow.Add(time.Hour)
	if _, err := v.Verify(signedRequest(t, k, http.MethodGet, "/v1/jobs", nil, later), nil, later); err != nil {
		t.Fatal(err)
	}
	v.mu.Lock()
	n := len(v.seen)
	v.mu.Unlock()
	if n != 1 {
		t.Fatalf("replay memory holds %d entries an hour later, want only the newest", n)
	}
}

func TestRequestReplayConcurrent(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	v := NewRequestVerifier(time.Minute)
	r := signedRequest(t, k, http.MethodPost, "/v1/jobs", []byte("x"), reqNow)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		accepted int
	)
	for range 16 {
		wg.Go(func() {
			if _, err := v.Verify(r, []byte("x"), reqNow); err == nil {
				mu.Lock()
				accepted++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if accepted != 1 {
		t.Fatalf("%d concurrent verifications of one request succeeded, want exactly 1", accepted)
	}
}

// Over a real connection, with an escaped query and a handler mounted under
// a stripped prefix, what the client signs is what the server checks.
func TestRequestOverHTTP(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	v := NewRequestVerifier(time.Minute)
	type outcome struct {
		who bonfire.Address
		err error
	}
	got := make(chan outcome, 1)
	mux := http.NewServeMux()
	mux.Handle("/api/", http.StripPrefix("/api", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		who, err := v.Verify(r, body, reqNow)
		got <- outcome{who, err}
	})))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	body := []byte(`{"spec":"<&>"}`)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/jobs?name=a%20b&tag=%C3%A9", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := SignRequest(req, body, k, reqNow); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	o := <-got
	if o.err != nil || o.who != k.Address() {
		t.Fatalf("server Verify = %s, %v; want %s", o.who, o.err, k.Address())
	}
}

// Two identical requests signed in the same millisecond (two tasks
// uploading the same output) are distinct requests, not a replay; changing
// the nonce after signing breaks the signature.
func TestIdenticalRequestsInOneMillisecondAreNotReplays(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	v := NewRequestVerifier(2 * time.Minute)
	a := signedRequest(t, k, http.MethodPost, "/v1/blobs?digest=x", nil, reqNow)
	b := signedRequest(t, k, http.MethodPost, "/v1/blobs?digest=x", nil, reqNow)
	if a.Header.Get(HeaderNonce) == b.Header.Get(HeaderNonce) || a.Header.Get(HeaderNonce) == "" {
		t.Fatalf("nonces %q and %q must differ", a.Header.Get(HeaderNonce), b.Header.Get(HeaderNonce))
	}
	for i, r := range []*http.Request{a, b} {
		if _, err := v.Verify(r, nil, reqNow); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	c := signedRequest(t, k, http.MethodPost, "/v1/blobs?digest=x", nil, reqNow)
	c.Header.Set(HeaderNonce, "00")
	if _, err := v.Verify(c, nil, reqNow); bonfire.Code(err) != bonfire.ECodeUnauthorized {
		t.Fatalf("tampered nonce: Verify = %v, want unauthorized", err)
	}
}
