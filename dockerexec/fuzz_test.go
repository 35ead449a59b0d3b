package dockerexec

import (
	"bytes"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// FuzzParseImage: any image field parses into a consistent reference or a
// well-formed invalid error, never a panic.
func FuzzParseImage(f *testing.F) {
	for _, s := range []string{"python:3.12", "a@sha256:" + strings.Repeat("a", 64), "sha256:" + strings.Repeat("0", 64),
		"@", "x@", "127.0.0.1:5000/p:v@sha256:1", " ", "a@b@sha256:" + strings.Repeat("f", 64)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, bad := parseImage(s)
		if bad != nil {
			if bad.Code != bonfire.ECodeInvalid || bad.Hint == "" {
				t.Fatalf("%q: %+v", s, bad)
			}
			return
		}
		switch {
		case r.archive != "":
			if string(r.archive) != s || r.name != "" {
				t.Fatalf("%q: %+v", s, r)
			}
		case r.pin != "":
			if r.name+"@"+r.pin != s || r.name == "" || bonfire.Digest(r.pin).Validate() != nil {
				t.Fatalf("%q: %+v", s, r)
			}
		default:
			if r.name != s || strings.Contains(s, "@") {
				t.Fatalf("%q: %+v", s, r)
			}
		}
	})
}

// FuzzReadLoadStream: whatever the engine answers to a load, the reader
// returns an image or an error, never a panic.
func FuzzReadLoadStream(f *testing.F) {
	for _, s := range []string{`{"stream":"Loaded image ID: sha256:abc\n"}`, `{"stream":"Loaded image: a:b\n"}` + "\n" + `{"error":"bad"}`,
		`{"errorDetail":{"message":"x"},"error":"x"}`, "not json", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := readLoadStream(bytes.NewReader(data))
		if (err == nil) == (got == "") {
			t.Fatalf("image %q with error %v", got, err)
		}
	})
}
