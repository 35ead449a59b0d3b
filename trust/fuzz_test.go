package trust

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// FuzzParsePolicy: any text either parses to a valid policy that
// round-trips through its own text, or fails with a *bonfire.Error naming a
// verify field.
func FuzzParsePolicy(f *testing.F) {
	for _, s := range []string{"", "adaptive", "none", "replicate: 3", "replicate:2", "replicate: 1", "replicate: 99999999999999999999", "replicate: -0", "replicate: +3", "replicate: 3: 4", "\x00", " none\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePolicy(s)
		if err != nil {
			e, ok := err.(*bonfire.Error)
			if !ok || e.Code != bonfire.ECodeInvalid || !strings.HasPrefix(e.Field, "verify") || e.Hint == "" {
				t.Fatalf("ParsePolicy(%q): bad error %#v", s, err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("ParsePolicy(%q) = %+v, which is invalid: %v", s, p, err)
		}
		back, err := ParsePolicy(p.String())
		if err != nil || back != p {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, p, p.String(), back, err)
		}
	})
}

// FuzzParseHash: accepted text round-trips; rejected text gets a coded error.
func FuzzParseHash(f *testing.F) {
	for _, s := range []string{"", "0x", Hash{1}.String(), strings.TrimPrefix(Hash{2}.String(), "0x"), "0X" + strings.Repeat("ab", 32), strings.Repeat("g", 64)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHash(s)
		if err != nil {
			if bonfire.Code(err) != bonfire.ECodeInvalid {
				t.Fatalf("ParseHash(%q): %v", s, err)
			}
			return
		}
		if back, err := ParseHash(h.String()); err != nil || back != h {
			t.Fatalf("%q → %v → %v, %v", s, h, back, err)
		}
	})
}

// FuzzAnswer decodes an answer from the wire and verifies it: it must never
// panic, and nothing but the real answer may pass.
func FuzzAnswer(f *testing.F) {
	c := tiny(1)
	good, _ := json.Marshal(Solve(c))
	f.Add(good)
	f.Add([]byte(`{"nonce":"` + c.Nonce.String() + `","checkpoints":[[]]}`))
	f.Add([]byte(`{"nonce":"0x00","checkpoints":null}`))
	f.Add([]byte(`{}`))
	want := Solve(c)
	f.Fuzz(func(t *testing.T, b []byte) {
		var a Answer
		if err := json.Unmarshal(b, &a); err != nil {
			return
		}
		v := Verify(c, a, t0, rng(8))
		if v.Outcome == ChallengePassed {
			for i := range want.Checkpoints {
				if len(a.Checkpoints) <= i || len(a.Checkpoints[i]) != Checkpoints {
					t.Fatalf("a malformed answer passed: %s", b)
				}
			}
			return
		}
		if v.Reason == nil {
			t.Fatalf("verdict %s without a reason", v.Outcome)
		}
	})
}

// FuzzRound feeds arbitrary commitments and reveals to a round: errors are
// always coded, and a reveal is only kept if it opens its commitment.
func FuzzRound(f *testing.F) {
	f.Add("0xa", string(Commitment(dg("R"), "0xa", "j.1", 1, Hash{1})), string(dg("R")), byte(1))
	f.Add("0xb", "sha256:zz", "sha256:", byte(0))
	f.Fuzz(func(t *testing.T, provider, commitment, result string, salt byte) {
		r := NewRound("j.1", 1, []bonfire.Address{bonfire.Address(provider)}, t0)
		if err := r.Commit(bonfire.Address(provider), bonfire.Digest(commitment), t0); err != nil {
			if _, ok := err.(*bonfire.Error); !ok {
				t.Fatalf("uncoded error %v", err)
			}
			return
		}
		err := r.Reveal(bonfire.Address(provider), bonfire.Digest(result), Hash{salt})
		if err == nil && Commitment(bonfire.Digest(result), bonfire.Address(provider), "j.1", 1, Hash{salt}) != bonfire.Digest(commitment) {
			t.Fatal("a reveal that does not open its commitment was accepted")
		}
		if err != nil {
			if _, ok := err.(*bonfire.Error); !ok {
				t.Fatalf("uncoded error %v", err)
			}
		}
	})
}
