package tokens

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
)

func TestTokenize(t *testing.T) {
	t.Parallel()
	got := Tokenize("Don't share GPUs; share 2 CPUs — idle ones’ cycles! 'quoted'")
	want := []string{"don't", "share", "gpus", "share", "2", "cpus", "idle", "ones", "cycles", "quoted"}
	if !slices.Equal(got, want) {
		t.Fatalf("Tokenize = %q, want %q", got, want)
	}
	if len(Tokenize(" \n\t.,;")) != 0 {
		t.Fatal("punctuation-only text produced tokens")
	}
}

func TestCountsOrderIsTotal(t *testing.T) {
	t.Parallel()
	got := Counts([]string{"b", "a", "c", "b", "a", "b"})
	want := []Count{{"b", 3}, {"a", 2}, {"c", 1}}
	if !slices.Equal(got, want) {
		t.Fatalf("Counts = %v, want %v", got, want)
	}
	var back map[string]int
	if err := json.Unmarshal(MarshalCounts(got), &back); err != nil {
		t.Fatal(err)
	}
	if len(back) != 3 || back["b"] != 3 || back["c"] != 1 {
		t.Fatalf("counts JSON decoded to %v", back)
	}
}

func TestEmbedIsUnitAndStable(t *testing.T) {
	t.Parallel()
	c := Counts(Tokenize("the market matches idle providers with waiting jobs, the end"))
	v := Embed(c, 256)
	var sq float64
	for _, x := range v {
		sq += x * x
	}
	if len(v) != 256 || math.Abs(sq-1) > 1e-12 {
		t.Fatalf("embedding has %d dims and squared norm %v, want 256 and 1", len(v), sq)
	}
	if !slices.Equal(v, Embed(c, 256)) {
		t.Fatal("the same counts embedded differently")
	}
	if zero := Embed(nil, 8); !slices.Equal(zero, make([]float64, 8)) {
		t.Fatalf("empty embedding = %v, want zeros", zero)
	}
}

func FuzzTokenize(f *testing.F) {
	f.Add("Hello, world! It's fine.")
	f.Add("’'a'’")
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Tokenize(s) {
			if tok == "" || tok[0] == '\'' || tok[len(tok)-1] == '\'' {
				t.Fatalf("bad token %q from %q", tok, s)
			}
		}
	})
}
