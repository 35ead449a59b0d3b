package protocol

import (
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
)

// FuzzOpen checks that the decoder never panics, refuses with a Bonfire
// error, and never accepts a message whose signature does not recover to
// its sender or that breaks one of Open's promises.
func FuzzOpen(f *testing.F) {
	k, err := identity.FromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")
	if err != nil {
		f.Fatal(err)
	}
	for i, body := range []any{sampleHeartbeat(), Pull{Max: 3}, Cancel{Tasks: []TaskRef{{TaskID: "j.0", Attempt: 1}}}, Report{},
		Report{Commits: []Commit{{TaskRef: TaskRef{TaskID: "j.1", Attempt: 1}, Commitment: bonfire.DigestOf([]byte("r"))}},
			Reveals: []Reveal{{TaskRef: TaskRef{TaskID: "j.1", Attempt: 1}}}}, Notice{Reveal: []TaskRef{{TaskID: "j.1", Attempt: 1}}}} {
		typ := []string{TypeHeartbeat, TypePull, TypeCancel, TypeReport, TypeReport, TypeNotice}[i]
		data := seal(f, k, typ, uint64(i+1), body)
		f.Add(data)
		s := string(data)
		f.Add([]byte(strings.Replace(s, `"seq":`, `"seq":1`, 1)))
		f.Add([]byte(s[:len(s)-3]))
		f.Add([]byte(strings.Replace(s, `"body":{`, `"body":{"x":1,`, 1)))
	}
	for _, s := range []string{"", "{}", "null", "[]", `{"type":"pull"}`, `{"body":{}}`, "\x00\xff", `{"sig":"0x"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := Open(data)
		if err != nil {
			var be *bonfire.Error
			if e, ok := err.(*bonfire.Error); ok {
				be = e
			}
			if be == nil || be.Code == bonfire.ECodeInternal || be.Message == "" {
				t.Fatalf("Open refused with %T %v, want a Bonfire error with a message and a non-internal code", err, err)
			}
			return
		}
		if !knownTypes[env.Type] || env.Seq == 0 || env.Time <= 0 || len(env.Body) == 0 || env.Body[0] != '{' {
			t.Fatalf("Open accepted an envelope breaking its rules: %+v", env)
		}
		sig, err := identity.ParseSignature(env.Sig)
		if err != nil {
			t.Fatalf("Open accepted an unparsable signature %q", env.Sig)
		}
		signer, err := identity.Recover(envelopeHash(env.Type, env.From, env.Seq, env.Time, env.Body), sig)
		if err != nil || !identity.SameAddress(signer, env.From) {
			t.Fatalf("Open accepted a message from %s whose signature recovers to %s (%v)", env.From, signer, err)
		}
	})
}
