package trust

import (
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func TestCommitmentBindsEveryField(t *testing.T) {
	t.Parallel()
	salt := Hash{1}
	base := Commitment(dg("A"), "0xAbC", "j.1", 1, salt)
	if base != Commitment(dg("A"), "0xabc", "j.1", 1, salt) {
		t.Fatal("the address must be compared in lower case")
	}
	if err := base.Validate(); err != nil {
		t.Fatal(err)
	}
	variants := map[string]bonfire.Digest{
		"result":   Commitment(dg("B"), "0xabc", "j.1", 1, salt),
		"provider": Commitment(dg("A"), "0xdef", "j.1", 1, salt),
		"task":     Commitment(dg("A"), "0xabc", "j.2", 1, salt),
		"attempt":  Commitment(dg("A"), "0xabc", "j.1", 2, salt),
		"salt":     Commitment(dg("A"), "0xabc", "j.1", 1, Hash{2}),
		// Length prefixes: moving a byte between fields changes the hash.
		"boundary": Commitment(dg("A"), "0xab", "cj.1", 1, salt),
	}
	for name, c := range variants {
		if c == base {
			t.Errorf("changing the %s does not change the commitment", name)
		}
	}
}

func TestRoundHappyPath(t *testing.T) {
	t.Parallel()
	r := NewRound("j.1", 1, []bonfire.Address{"0xA", "0xB", "0xa"}, t0.Add(time.Minute))
	if len(r.Replicas) != 2 {
		t.Fatalf("replicas %v: duplicates must collapse", r.Replicas)
	}
	sa, sb := Hash{0xa}, Hash{0xb}
	if err := r.Commit("0xA", Commitment(dg("R"), "0xa", "j.1", 1, sa), t0); err != nil {
		t.Fatal(err)
	}
	// Redelivery of the same commitment is harmless.
	if err := r.Commit("0xa", Commitment(dg("R"), "0xa", "j.1", 1, sa), t0); err != nil {
		t.Fatal(err)
	}
	if r.Open() || len(r.Missing()) != 1 || r.Missing()[0] != "0xb" {
		t.Fatalf("open %v, missing %v", r.Open(), r.Missing())
	}
	if err := r.Commit("0xB", Commitment(dg("R"), "0xb", "j.1", 1, sb), t0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if !r.Open() {
		t.Fatal("all committed but not open")
	}
	if err := r.Reveal("0xA", dg("R"), sa); err != nil {
		t.Fatal(err)
	}
	if err := r.Reveal("0xB", dg("R"), sb); err != nil {
		t.Fatal(err)
	}
	d := Decide(2, r.Results())
	if d.Outcome != Agreed || d.Result != dg("R") || len(d.Agree) != 2 {
		t.Fatalf("decision %+v", d)
	}
}

func TestRoundRejections(t *testing.T) {
	t.Parallel()
	salt := Hash{7}
	c := func(p bonfire.Address, res string) bonfire.Digest { return Commitment(dg(res), p, "j.1", 1, salt) }
	r := NewRound("j.1", 1, []bonfire.Address{"0xa", "0xb"}, t0)

	wantErr(t, r.Commit("0xc", c("0xc", "R"), t0), bonfire.ECodeForbidden, "provider")
	wantErr(t, r.Commit("0xa", "sha256:nothex", t0), bonfire.ECodeInvalid, "commitment")
	e := wantErr(t, r.Commit("0xb", c("0xb", "R"), t0.Add(time.Second)), bonfire.ECodeTimeout, "commitment")
	if e.Message != "late commitment: received 1s after the deadline 2026-03-01T12:00:00Z" {
		t.Fatalf("late message %q", e.Message)
	}
	if err := r.Commit("0xa", c("0xa", "R"), t0); err != nil {
		t.Fatal(err)
	}
	e = wantErr(t, r.Reveal("0xa", dg("R"), salt), bonfire.ECodeConflict, "reveal")
	if e.Message != "reveal before all commitments are in (1 of 2)" {
		t.Fatalf("early reveal message %q", e.Message)
	}
	wantErr(t, r.Reveal("0xb", dg("R"), salt), bonfire.ECodeConflict, "reveal")
	wantErr(t, r.Commit("0xa", c("0xa", "S"), t0), bonfire.ECodeConflict, "commitment")

	// 0xb copies 0xa's commitment: it opens to nothing 0xb can reveal.
	if err := r.Commit("0xb", c("0xa", "R"), t0); err != nil {
		t.Fatal(err)
	}
	e = wantErr(t, r.Reveal("0xb", dg("R"), salt), bonfire.ECodeInvalid, "reveal")
	if e.Message != "reveal does not match its commitment" {
		t.Fatalf("copy message %q", e.Message)
	}
	wantErr(t, r.Reveal("0xa", dg("S"), salt), bonfire.ECodeInvalid, "reveal")
	wantErr(t, r.Reveal("0xa", dg("R"), Hash{8}), bonfire.ECodeInvalid, "reveal")
	wantErr(t, r.Reveal("0xa", "sha256:0", salt), bonfire.ECodeInvalid, "reveal.result")
	if len(r.Results()) != 0 {
		t.Fatalf("rejected reveals were kept: %v", r.Results())
	}
}
