package jobspec

import (
	"errors"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// baseLines is a minimal valid spec; yamlSpec replaces any of its top-level
// keys that a case writes itself.
var baseLines = []string{
	"apiVersion: bonfire/v1",
	"kind: Job",
	"name: test-job",
	"module: ./m.wasm",
}

// yamlSpec builds a spec from baseLines and extra YAML text. Top-level keys
// in extra replace the base's; a key written as "-key" removes it.
func yamlSpec(extra string) []byte {
	var keep []string
	topKeys := map[string]bool{}
	var rest []string
	for _, line := range strings.Split(extra, "\n") {
		if strings.HasPrefix(line, "-") && !strings.HasPrefix(line, "- ") {
			topKeys[strings.TrimPrefix(line, "-")] = true
			continue
		}
		if k, _, ok := strings.Cut(line, ":"); ok && line != "" && line[0] != ' ' && line[0] != '#' {
			topKeys[k] = true
		}
		rest = append(rest, line)
	}
	for _, l := range baseLines {
		k, _, _ := strings.Cut(l, ":")
		if !topKeys[k] {
			keep = append(keep, l)
		}
	}
	return []byte(strings.Join(append(keep, rest...), "\n") + "\n")
}

func mustParse(t *testing.T, extra string) *bonfire.JobSpec {
	t.Helper()
	s, err := Parse(yamlSpec(extra))
	if err != nil {
		t.Fatalf("Parse:\n%s\nerror: %v", yamlSpec(extra), err)
	}
	return s
}

// problems unpacks the bonfire.Errors every failing call returns and checks
// the shape every entry must have.
func problems(t *testing.T, err error) bonfire.Errors {
	t.Helper()
	if err == nil {
		t.Fatal("want an error, got nil")
	}
	var errs bonfire.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error is %T, want bonfire.Errors: %v", err, err)
	}
	for _, e := range errs {
		if e == nil || e.Message == "" || e.Code == "" {
			t.Fatalf("malformed entry %#v in %v", e, err)
		}
	}
	return errs
}

func fields(errs bonfire.Errors) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field)
	}
	return out
}

func findField(errs bonfire.Errors, field string) *bonfire.Error {
	for _, e := range errs {
		if e.Field == field {
			return e
		}
	}
	return nil
}

// validResolved is a resolved spec the market accepts.
func validResolved() *bonfire.JobSpec {
	d := bonfire.DigestOf([]byte("module"))
	return &bonfire.JobSpec{
		APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "sweep",
		Executor: bonfire.ExecutorWASM, Module: string(d),
		Args:      []string{"--lr", "{{.lr}}"},
		Env:       map[string]string{"A": "1"},
		Inputs:    []bonfire.Input{{Path: "/data", Source: "./data", Files: []bonfire.FileRef{{Name: "a.csv", Digest: bonfire.DigestOf([]byte("a")), Size: 1}}}},
		Outputs:   "/out",
		Resources: bonfire.Resources{CPUMilli: 1000, MemoryBytes: 256 * MiB},
		Matrix:    []bonfire.MatrixParam{{Name: "lr", Values: []string{"0.1", "0.01"}}},
		Timeout:   bonfire.Duration(DefaultTimeout), Retries: 2,
		Determinism: bonfire.Determinism{Deterministic: true},
		Summary:     &bonfire.Summary{File: "metrics.json", Metric: "accuracy", Order: "desc"},
	}
}
