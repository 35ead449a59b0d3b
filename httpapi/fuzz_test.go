package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzSubmitBody throws arbitrary bodies at POST /v1/jobs. Whatever arrives,
// the server must answer 201 (a decodable spec; the fake service accepts
// anything) or a 4xx with an ErrorBody, never a 500 or a non-JSON error.
// Run with -fuzzminimizetime=200x or so: minimizing the large nesting
// seeds' descendants otherwise stalls the exec counter for a minute.
func FuzzSubmitBody(f *testing.F) {
	f.Add(specJSON(f))
	for _, seed := range []string{
		``, `{}`, `null`, `[]`, `"spec"`, `42`, `{`, `}`, `{"name":}`,
		`{"nmae":"typo"}`, `{"Name":"case"}`, `{"timeout":5}`, `{"timeout":"soon"}`, `{"timeout":"-5s"}`,
		`{"resources":{"cpuMilli":"a"}}`, `{"resources":{"gpu":{"count":1e400}}}`, `{"maxPrice":-1}`,
		`{"matrix":[{"name":"lr","values":[1]}]}`, `{"env":{"A":1}}`, `{"inputs":[{"files":[{"size":"x"}]}]}`,
		`{} trailing`, `{}{}`, "\xff\xfe{}", `{"name":"\ud800"}`,
		strings.Repeat("[", 10001) + strings.Repeat("]", 10001), // past encoding/json's depth limit,
		`{"spec":` + strings.Repeat(`{"a":`, 500) + `1` + strings.Repeat(`}`, 501),
	} {
		f.Add([]byte(seed))
	}
	h := newAPIHarness(f, ServerConfig{MaxBodyBytes: 1 << 16})
	auth := http.Header{"Authorization": {"Bearer " + testToken}}
	f.Fuzz(func(t *testing.T, body []byte) {
		w := serveAPI(h.server, "POST", "/v1/jobs", "127.0.0.1:1", body, auth)
		switch {
		case w.Code == http.StatusCreated:
		case w.Code >= 400 && w.Code < 500:
			eb := decodeErrorBody(t, w.Body.Bytes())
			if eb.Error.Hint == "" {
				t.Fatalf("error without a hint for body %q: %+v", body, eb.Error)
			}
		default:
			t.Fatalf("status %d for body %q: %s", w.Code, body, w.Body)
		}
	})
}
