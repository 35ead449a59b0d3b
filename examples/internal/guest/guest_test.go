package guest

import (
	"os"
	"path/filepath"
	"testing"
)

func envOf(m map[string]string) *Env {
	return &Env{Lookup: func(k string) (string, bool) { v, ok := m[k]; return v, ok }}
}

func TestEnvFallsBackAndParses(t *testing.T) {
	t.Parallel()
	e := envOf(map[string]string{"LR": "0.05", "HIDDEN": "64", "BONFIRE_SEED": "18446744073709551615", "EMPTY": ""})
	if lr, h, s, d := e.Float("LR", 1), e.Int("HIDDEN", 1), e.Uint64(EnvSeed, 1), e.Int("EMPTY", 7); lr != 0.05 || h != 64 || s != 1<<64-1 || d != 7 {
		t.Fatalf("got lr=%v hidden=%v seed=%v empty=%v", lr, h, s, d)
	}
	if e.String("MISSING", "x") != "x" || e.Err != nil {
		t.Fatalf("fallback failed or error set: %v", e.Err)
	}
}

func TestEnvKeepsFirstError(t *testing.T) {
	t.Parallel()
	e := envOf(map[string]string{"A": "one", "B": "-2"})
	if got := e.Int("A", 3); got != 3 {
		t.Fatalf("unparsable A gave %d, want the default 3", got)
	}
	e.Uint64("B", 0)
	if e.Err == nil || e.Err.Error() != `environment A="one" is not an integer` {
		t.Fatalf("Err = %v, want the first failure, about A", e.Err)
	}
}

func TestWriteJSONCreatesDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out", "nested")
	if err := WriteJSON(dir, "m.json", map[string]int{"n": 1}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "m.json"))
	if err != nil || string(got) != "{\n  \"n\": 1\n}\n" {
		t.Fatalf("wrote %q, %v", got, err)
	}
}
