package trust

import (
	"math/rand/v2"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// rng returns a deterministic source; tests never use global randomness.
func rng(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// dg is a well-formed digest named by s, so tables read "A", "B".
func dg(s string) bonfire.Digest { return bonfire.DigestOf([]byte(s)) }

// repWithCV is a provider that has earned cv consecutive agreements.
func repWithCV(cv int) Reputation {
	var r Reputation
	for range cv {
		r.RecordAgreement()
	}
	return r
}

// wantErr fails unless err is a *bonfire.Error with code and field.
func wantErr(t *testing.T, err error, code bonfire.ErrorCode, field string) *bonfire.Error {
	t.Helper()
	e, ok := err.(*bonfire.Error)
	if !ok {
		t.Fatalf("error %v (%T) is not a *bonfire.Error", err, err)
	}
	if e.Code != code || e.Field != field {
		t.Fatalf("error %q: code %s field %q, want %s %q", e.Error(), e.Code, e.Field, code, field)
	}
	if e.Hint == "" {
		t.Fatalf("error %q has no hint", e.Error())
	}
	return e
}
