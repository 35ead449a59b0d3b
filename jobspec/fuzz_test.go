package jobspec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// FuzzParse checks that Parse never panics, that every failure is a list of
// well-formed problems, and that whatever parses expands without panicking.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*.yaml")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"", "~", "[]", "a: b", "name: &a [*a]", "x: &a {y: *a}",
		"apiVersion: bonfire/v1\nkind: Job\nname: a\nmodule: m\nmatrix: {a: [1, 2], b: [x]}\nargs: ['{{.a}}{{.b}}{{.seed}}']",
		"apiVersion: bonfire/v1\nkind: Job\nname: a\nmodule: m\ncount: 2\nargs: ['{{printf \"%v\" .}}']",
		"apiVersion: bonfire/v1\nkind: Job\nname: a\nmodule: m\nargs: ['{{with .index}}{{.}}{{end}}', '{{index . \"seed\"}}']",
		"apiVersion: bonfire/v1\nkind: Job\nname: a\nmodule: m\nresources: {cpu: 1.5, memory: 1.5Gi, gpu: {count: 2}}",
		"apiVersion: bonfire/v1\nkind: Job\nname: a\nmodule: m\nmatrix:\n  a: [1, x]\n  a: []\ncount: -1\n",
		"apiVersion: bonfire/v1\nkind: Job\nname: a\nexecutor: docker\nimage: x:1\nnetwork: true\nmaxGpuPrice: 3\nresources: {gpu: {count: 1, model: '*T4*'}}",
		"apiVersion: bonfire/v1\nkind: Job\nname: a\nexecutor: docker\nimage: ./a.tar\ndeterminism: {deterministic: false}\nverify: {replicate: 2, homogeneous: true, numeric: {file: m.json, metrics: [a.b, c], relTol: 0.01, absTol: 1e-9}}",
		"apiVersion: bonfire/v1\nkind: Job\nname: a\nexecutor: docker\nimage: x\nprivileged: true\nverify: {numeric: {metrics: x}}",
		"? [a]\n: b\n", "<<: {a: 1}\n", "a: !!binary aGVsbG8=\n", "'': 1\n",
		"apiVersion: bonfire/v1\nkind: Job\nname: a\nmodule: m\nverify: {replicate: 3, minReputation: 0.5}",
		"apiVersion: bonfire/v1\nkind: Job\nname: a\nmodule: m\nverify: 'replicate: x'\ndeterminism: {deterministic: false}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, err := Parse(data)
		if err != nil {
			var errs bonfire.Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error is %T %v, want non-empty bonfire.Errors", err, err)
			}
			for _, e := range errs {
				if e == nil || (e.Field == "" && e.Message == "") {
					t.Fatalf("empty problem in %#v", errs)
				}
			}
			if spec != nil {
				t.Fatal("spec returned with an error")
			}
			return
		}
		if err := CheckResolved(spec); err != nil {
			var errs bonfire.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("CheckResolved error is %T", err)
			}
		}
		if _, err := Expand(spec, "fuzz"); err != nil {
			var errs bonfire.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Expand error is %T: %v", err, err)
			}
		}
	})
}
