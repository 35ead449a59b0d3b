package jobspec

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestCheckResolvedAcceptsValid(t *testing.T) {
	t.Parallel()
	if err := CheckResolved(validResolved()); err != nil {
		t.Fatal(err)
	}
}

// TestCheckResolvedRules runs the struct form of the rules, as a JSON
// submission meets them: nothing is defaulted.
func TestCheckResolvedRules(t *testing.T) {
	t.Parallel()
	dig := bonfire.DigestOf([]byte("x"))
	cases := []struct {
		name, field, msg string
		edit             func(s *bonfire.JobSpec)
	}{
		{"module is a path", "module", "local path, not a digest", func(s *bonfire.JobSpec) { s.Module = "./m.wasm" }},
		{"module bad digest", "module", "64", func(s *bonfire.JobSpec) { s.Module = "sha256:00" }},
		{"executor empty", "executor", "executor is required", func(s *bonfire.JobSpec) { s.Executor = "" }},
		{"docker archive unresolved", "image", "local archive", func(s *bonfire.JobSpec) { s.Executor = "docker"; s.Module = "./app.tar" }},
		{"docker bad pin", "image", "64", func(s *bonfire.JobSpec) { s.Executor = "docker"; s.Module = "python@sha256:12" }},
		{"input unresolved", "inputs[0].files", "not resolved", func(s *bonfire.JobSpec) { s.Inputs[0].Files = nil }},
		{"file bad digest", "inputs[0].files[0].digest", "does not start", func(s *bonfire.JobSpec) { s.Inputs[0].Files[0].Digest = "md5:1" }},
		{"file negative size", "inputs[0].files[0].size", "negative", func(s *bonfire.JobSpec) { s.Inputs[0].Files[0].Size = -1 }},
		{"file name escapes", "inputs[0].files[1].name", "not a relative file path", func(s *bonfire.JobSpec) {
			s.Inputs[0].Files = append(s.Inputs[0].Files, bonfire.FileRef{Name: "../x", Digest: dig})
		}},
		{"file name twice", "inputs[0].files[1].name", "listed twice", func(s *bonfire.JobSpec) {
			s.Inputs[0].Files = append(s.Inputs[0].Files, s.Inputs[0].Files[0])
		}},
		{"file under a file", "inputs[0].files", "is a file but", func(s *bonfire.JobSpec) {
			s.Inputs[0].Files = append(s.Inputs[0].Files, bonfire.FileRef{Name: "a.csv/b", Digest: dig})
		}},
		{"empty name among many", "inputs[0].files[1].name", "not a relative file path", func(s *bonfire.JobSpec) {
			s.Inputs[0].Files = append(s.Inputs[0].Files, bonfire.FileRef{Digest: dig})
		}},
		{"digest source mismatch", "inputs[0].files", "do not match source", func(s *bonfire.JobSpec) { s.Inputs[0].Source = string(dig) }},
		{"too many files", "inputs", "more than 10000", func(s *bonfire.JobSpec) {
			s.Inputs[0].Files = make([]bonfire.FileRef, MaxInputFiles+1)
			for i := range s.Inputs[0].Files {
				s.Inputs[0].Files[i] = bonfire.FileRef{Name: "f" + strconv.Itoa(i), Digest: dig}
			}
		}},
		{"matrix duplicate name", "matrix.lr", "given twice", func(s *bonfire.JobSpec) { s.Matrix = append(s.Matrix, s.Matrix[0]) }},
		{"matrix and count", "count", "cannot both be set", func(s *bonfire.JobSpec) { s.Count = 3 }},
		{"no count no matrix", "count", "at least 1", func(s *bonfire.JobSpec) { s.Matrix = nil; s.Args = nil }},
		{"cpu zero", "resources.cpu", "more than 0", func(s *bonfire.JobSpec) { s.Resources.CPUMilli = 0 }},
		{"timeout zero", "timeout", "less than 1s", func(s *bonfire.JobSpec) { s.Timeout = 0 }},
		{"order empty", "summary.order", "not an order", func(s *bonfire.JobSpec) { s.Summary.Order = "" }},
		{"env NUL", "env.A", "NUL", func(s *bonfire.JobSpec) { s.Env["A"] = "a\x00b" }},
		{"arg too long", "args[0]", "more than", func(s *bonfire.JobSpec) { s.Args[0] = strings.Repeat("x", MaxArgBytes+1) }},
		{"too many args", "args", "more than", func(s *bonfire.JobSpec) { s.Args = make([]string, MaxArgs+1) }},
		{"rendered arg too long", "args[0]", "renders to more than", func(s *bonfire.JobSpec) {
			s.Matrix[0].Values = []string{strings.Repeat("9", 1000)}
			s.Args[0] = strings.Repeat("{{.lr}}", 20)
		}},
		{"value too long", "matrix.lr[0]", "more than 1024", func(s *bonfire.JobSpec) { s.Matrix[0].Values[0] = strings.Repeat("1", 1025) }},
		{"too many axes", "matrix", "more than 32", func(s *bonfire.JobSpec) {
			for i := range 33 {
				s.Matrix = append(s.Matrix, bonfire.MatrixParam{Name: "p" + strconv.Itoa(i), Values: []string{"1"}})
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := validResolved()
			tc.edit(s)
			errs := problems(t, CheckResolved(s))
			e := findField(errs, tc.field)
			if e == nil {
				t.Fatalf("no problem at %q; got %v", tc.field, errs)
			}
			if !strings.Contains(e.Message, tc.msg) || e.Hint == "" {
				t.Errorf("problem %+v, want message containing %q and a hint", e, tc.msg)
			}
		})
	}
}

// TestCheckResolvedSameRulesAsParse checks that a parsed spec which survives
// a JSON round trip meets the struct rules, and that a struct breaking a
// YAML rule is refused with the same field.
func TestCheckResolvedSameRulesAsParse(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "module: "+string(bonfire.DigestOf([]byte("m")))+"\nmatrix:\n  lr: [0.1, 0.01]\n  opt: [sgd, adam]\nargs: ['{{.lr}}']\nsummary: {file: m.json, metric: acc}")
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back bonfire.JobSpec
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if err := CheckResolved(&back); err != nil {
		t.Fatalf("round-tripped parsed spec refused: %v", err)
	}
	back.Matrix[0].Values = append(back.Matrix[0].Values, "abc")
	e := findField(problems(t, CheckResolved(&back)), "matrix.lr[2]")
	if e == nil || e.Message != `"abc" is not a number` {
		t.Fatalf("matrix.lr[2] = %+v", e)
	}
}

func TestCheckResolvedNil(t *testing.T) {
	t.Parallel()
	problems(t, CheckResolved(nil))
}
