package trust

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestPure keeps the package a decision library: the standard library and
// the core package only, and nothing that does I/O, runs goroutines or
// reads the clock on its own.
func TestPure(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	banned := map[string]bool{"os": true, "net": true, "net/http": true, "io/fs": true, "sync": true, "math/rand": true, "time/tzdata": true}
	checked := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.Contains(strings.SplitN(p, "/", 2)[0], ".") && p != "github.com/bonfirenet/bonfire" {
				t.Errorf("%s imports %s: trust may import only the standard library and the core package", name, p)
			}
			if banned[p] {
				t.Errorf("%s imports %s: trust does no I/O and keeps no shared state", name, p)
			}
		}
		for _, bad := range []string{"go func", "time.Now(", "time.Since(", "rand.Int", "rand.Float"} {
			if strings.Contains(string(src), bad) {
				t.Errorf("%s contains %q: times and randomness come in as arguments", name, bad)
			}
		}
	}
	if checked < 8 {
		t.Fatalf("checked only %d files", checked)
	}
}
