package jobspec

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func TestParseFillsDefaults(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "")
	want := &bonfire.JobSpec{
		APIVersion: bonfire.APIVersion, Kind: bonfire.KindJob, Name: "test-job",
		Executor: bonfire.ExecutorWASM, Module: "./m.wasm", Outputs: "/out",
		Resources: bonfire.Resources{CPUMilli: 1000, MemoryBytes: 256 * MiB},
		Count:     1, Timeout: bonfire.Duration(10 * time.Minute), Retries: 2,
		Determinism: bonfire.Determinism{Deterministic: true},
	}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got  %+v\nwant %+v", s, want)
	}
}

func TestParseNullMeansDefault(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "timeout:\nretries: ~\noutputs:\nresources:\n  cpu:\n")
	if s.Timeout.D() != DefaultTimeout || s.Retries != DefaultRetries || s.Outputs != DefaultOutputs || s.Resources.CPUMilli != DefaultCPUMilli {
		t.Fatalf("defaults not filled: %+v", s)
	}
}

func TestParseSweepExample(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/sweep.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	wantMatrix := []bonfire.MatrixParam{{Name: "lr", Values: []string{"0.1", "0.01", "0.001"}}, {Name: "batch", Values: []string{"32", "64"}}}
	if !reflect.DeepEqual(s.Matrix, wantMatrix) {
		t.Errorf("matrix = %+v", s.Matrix)
	}
	if s.Count != 0 || TaskCount(s) != 6 {
		t.Errorf("count = %d, tasks = %d", s.Count, TaskCount(s))
	}
	if s.Resources.CPUMilli != 500 || s.Resources.MemoryBytes != 512*MiB {
		t.Errorf("resources = %+v", s.Resources)
	}
	if s.Timeout.D() != 30*time.Minute || s.Retries != 1 || s.MaxPrice != 20 || s.Determinism.Seed != 42 || !s.Determinism.Deterministic {
		t.Errorf("timing/price/determinism = %v %d %d %+v", s.Timeout.D(), s.Retries, s.MaxPrice, s.Determinism)
	}
	if s.Summary == nil || *s.Summary != (bonfire.Summary{File: "metrics.json", Metric: "accuracy", Order: "desc"}) {
		t.Errorf("summary = %+v", s.Summary)
	}
	if !reflect.DeepEqual(s.Inputs, []bonfire.Input{{Source: "./data", Path: "/data"}}) {
		t.Errorf("inputs = %+v", s.Inputs)
	}
}

func TestParseInvalidExampleListsEveryProblem(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/invalid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(data)
	errs := problems(t, err)
	want := []string{"name", "args[1]", "inputs[0].path", "matrix.lr[2]", "count", "resources.memroy", "timeout", "retries"}
	if got := fields(errs); !reflect.DeepEqual(got, want) {
		t.Fatalf("fields = %q\nwant     %q\n%v", got, want, err)
	}
	lr := findField(errs, "matrix.lr[2]")
	if lr.Message != `line 10: "abc" is not a number` || lr.Code != bonfire.ECodeInvalid || lr.Hint == "" {
		t.Errorf("matrix.lr[2] = %#v", lr)
	}
	if h := findField(errs, "resources.memroy").Hint; h != "did you mean memory?" {
		t.Errorf("memroy hint = %q", h)
	}
}

func TestParseRules(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 64)
	wide := func(n int) string {
		v := make([]string, n)
		for i := range v {
			v[i] = fmt.Sprint(i)
		}
		return "[" + strings.Join(v, ", ") + "]"
	}
	cases := []struct {
		name, yaml, field, msg string
	}{
		{"name required", "-name", "name", "name is required"},
		{"name upper case", "name: My_Job", "name", `"My_Job" is not a valid name`},
		{"name too long", "name: " + long, "name", "64 characters"},
		{"name trailing dash", "name: job-", "name", "not a valid name"},
		{"apiVersion wrong", "apiVersion: bonfire/v2", "apiVersion", "not a supported apiVersion"},
		{"apiVersion required", "-apiVersion", "apiVersion", "required"},
		{"kind wrong", "kind: Task", "kind", "not a supported kind"},
		{"executor unknown", "executor: wams", "executor", `"wams" is not an executor`},
		{"module required", "-module", "module", "module is required"},
		{"module bad digest", "module: sha256:abc", "module", "64"},
		{"image with wasm", "image: python:3", "image", "only for executor: docker"},
		{"docker with module", "executor: docker", "module", "runs an image"},
		{"docker needs image", "executor: docker\n-module", "image", "image is required"},
		{"args not a list", `args: "--lr"`, "args", "must be a list"},
		{"args element not text", "args:\n  - [a]", "args[0]", "must be text"},
		{"args null element", "args:\n  - x\n  -\n", "args[1]", "no value"},
		{"args unknown reference", `args: ["x", "{{.lrr}}"]`, "args[1]", `refers to "lrr"`},
		{"args unknown root variable", `args: ["{{$.nope}}"]`, "args[0]", `refers to "nope"`},
		{"args bad template", `args: ["{{.index"]`, "args[0]", "template"},
		{"args range", `args: ["{{range .count}}x{{end}}"]`, "args[0]", "range"},
		{"args define", `args: ['{{define "x"}}y{{end}}']`, "args[0]", "defines templates"},
		{"args printf width", `args: ['{{printf "%999999d" 1}}']`, "args[0]", "below 1000"},
		{"args printf star", `args: ['{{printf "%*d" 5 1}}']`, "args[0]", "'*'"},
		{"args execution error", `args: ["{{slice .lr 5}}"]` + "\nmatrix:\n  lr: [ab]", "args[0]", "task 0"},
		{"env bad name", "env:\n  1X: a", "env.1X", "not a valid variable name"},
		{"env reserved", "env:\n  BONFIRE_SEED: '1'", "env.BONFIRE_SEED", "reserved"},
		{"env shadows param", "env:\n  LR: x\nmatrix:\n  lr: [1, 2]", "env.LR", "matrix parameter lr"},
		{"env value list", "env:\n  A: [1]", "env.A", "must be text"},
		{"env not mapping", "env: [A]", "env", "must be a mapping"},
		{"input path relative", "inputs:\n  - {source: ./d, path: data}", "inputs[0].path", "not an absolute path"},
		{"input path dotdot", "inputs:\n  - {source: ./d, path: /data/../etc}", "inputs[0].path", "contains .."},
		{"input path unclean", "inputs:\n  - {source: ./d, path: /data/}", "inputs[0].path", "not a clean path"},
		{"input path root", "inputs:\n  - {source: ./d, path: /}", "inputs[0].path", "whole guest filesystem"},
		{"input path required", "inputs:\n  - {source: ./d}", "inputs[0].path", "path is required"},
		{"input path duplicate", "inputs:\n  - {source: ./d, path: /data}\n  - {source: ./e, path: /data}", "inputs[1].path", "also inputs[0].path"},
		{"input inside outputs", "inputs:\n  - {source: ./d, path: /out/x}", "inputs[0].path", "overlaps outputs"},
		{"input equals outputs", "outputs: /data\ninputs:\n  - {source: ./d, path: /data}", "inputs[0].path", "overlaps outputs"},
		{"input holds outputs", "outputs: /data/out\ninputs:\n  - {source: ./d, path: /data}", "inputs[0].path", "overlaps outputs"},
		{"input source required", "inputs:\n  - {path: /data}", "inputs[0].source", "source is required"},
		{"input source bad digest", "inputs:\n  - {source: 'sha256:12', path: /data}", "inputs[0].source", "64"},
		{"input unknown field", "inputs:\n  - {sorce: ./d, path: /data}", "inputs[0].sorce", `unknown field "sorce"`},
		{"input not mapping", "inputs:\n  - ./d", "inputs[0]", "must be a mapping"},
		{"outputs relative", "outputs: out", "outputs", "not an absolute path"},
		{"outputs root", "outputs: /", "outputs", "whole guest filesystem"},
		{"cpu unparsable", "resources:\n  cpu: lots", "resources.cpu", `"lots" is not a cpu quantity`},
		{"cpu zero", "resources:\n  cpu: 0", "resources.cpu", "must be more than 0"},
		{"cpu too fine", "resources:\n  cpu: 0.0001", "resources.cpu", "finer than one millicore"},
		{"cpu too many", "resources:\n  cpu: 2000", "resources.cpu", "more than 1024"},
		{"memory unparsable", "resources:\n  memory: abc", "resources.memory", `"abc" is not a byte quantity`},
		{"memory over wasm limit", "resources:\n  memory: 8Gi", "resources.memory", "wasm limit of 4Gi"},
		{"memory below a page", "resources:\n  memory: 1Ki", "resources.memory", "less than one wasm page"},
		{"memory zero", "resources:\n  memory: 0", "resources.memory", "must be more than 0"},
		{"resources unknown", "resources:\n  memroy: 1Gi", "resources.memroy", "unknown field"},
		{"resources not mapping", "resources: 2", "resources", "must be a mapping"},
		{"gpu with wasm", "resources:\n  gpu: {count: 1}", "resources.gpu", "cannot use GPUs"},
		{"gpu count zero", "executor: docker\nimage: x\n-module\nresources:\n  gpu: {count: 0}", "resources.gpu.count", "must be 1 to 64"},
		{"gpu bad model", "executor: docker\nimage: x\n-module\nresources:\n  gpu: {model: '[A100'}", "resources.gpu.model", "not a valid pattern"},
		{"gpu bad memory", "executor: docker\nimage: x\n-module\nresources:\n  gpu: {memory: lots}", "resources.gpu.memory", "byte quantity"},
		{"count zero", "count: 0", "count", "at least 1"},
		{"count too large", "count: 100001", "count", "more than 100000"},
		{"count huge", "count: 99999999999999999999", "count", "not a whole number"},
		{"count fraction", "count: 2.5", "count", `"2.5" is not a whole number`},
		{"count quoted", `count: "3"`, "count", `"3" is not a whole number`},
		{"count and matrix", "count: 2\nmatrix:\n  lr: [1]", "count", "cannot both be set"},
		{"matrix empty axis", "matrix:\n  lr: []", "matrix.lr", "no values"},
		{"matrix null axis", "matrix:\n  lr:", "matrix.lr", "no values"},
		{"matrix axis not list", "matrix:\n  lr: 0.1", "matrix.lr", "must be a list"},
		{"matrix not a number", "matrix:\n  lr: [0.1, 0.01, abc]", "matrix.lr[2]", `"abc" is not a number`},
		{"matrix stray number", "matrix:\n  model: [small, large, 3]", "matrix.model[2]", "3 is a number"},
		{"matrix bad name", "matrix:\n  learning-rate: [1]", "matrix.learning-rate", "not a valid parameter name"},
		{"matrix reserved name", "matrix:\n  index: [1]", "matrix.index", "reserved"},
		{"matrix bonfire name", "matrix:\n  bonfire_x: [1]", "matrix.bonfire_x", "reserved"},
		{"matrix env collision", "matrix:\n  lr: [1]\n  LR: [2]", "matrix.LR", "both become $LR"},
		{"matrix duplicate key", "matrix:\n  lr: [1]\n  lr: [2]", "matrix.lr", "given twice"},
		{"matrix nested value", "matrix:\n  lr: [[1]]", "matrix.lr[0]", "single value"},
		{"matrix null value", "matrix:\n  lr: [1, ~]", "matrix.lr[1]", "missing"},
		{"matrix duplicate value", "matrix:\n  lr: [1, 2, 1]", "matrix.lr[2]", "also matrix.lr[0]"},
		{"matrix no params", "matrix: {}", "matrix", "no parameters"},
		{"matrix too many tasks", "matrix:\n  a: " + wide(400) + "\n  b: " + wide(300), "matrix", "120000 tasks"},
		{"matrix not mapping", "matrix: [1, 2]", "matrix", "must be a mapping"},
		{"timeout unparsable", "timeout: soon", "timeout", `"soon" is not a duration`},
		{"timeout unitless", "timeout: 30", "timeout", `"30" is not a duration`},
		{"timeout too long", "timeout: 25h", "timeout", "more than 24h"},
		{"timeout zero", "timeout: 0s", "timeout", "less than 1s"},
		{"retries too many", "retries: 11", "retries", "must be 0 to 10"},
		{"retries negative", "retries: -1", "retries", "must be 0 to 10"},
		{"maxPrice negative", "maxPrice: -1", "maxPrice", "negative"},
		{"maxPrice fraction", "maxPrice: 1.5", "maxPrice", "not a whole number"},
		{"seed negative", "determinism:\n  seed: -1", "determinism.seed", "negative"},
		{"deterministic not bool", "determinism:\n  deterministic: maybe", "determinism.deterministic", "not true or false"},
		{"determinism unknown", "determinism:\n  clok: true", "determinism.clok", "unknown field"},
		{"summary metric required", "summary:\n  file: m.json", "summary.metric", "metric is required"},
		{"summary file required", "summary:\n  metric: acc", "summary.file", "file is required"},
		{"summary file absolute", "summary:\n  file: /out/m.json\n  metric: acc", "summary.file", "not a relative path"},
		{"summary file escapes", "summary:\n  file: ../m.json\n  metric: acc", "summary.file", "not a relative path"},
		{"summary order", "summary:\n  file: m.json\n  metric: acc\n  order: up", "summary.order", `"up" is not an order`},
		{"unknown top-level typo", "timout: 1m", "timout", `unknown field "timout"`},
		{"misplaced field", "memory: 1Gi", "memory", `unknown field "memory"`},
		{"duplicate field", "name: a\nname: b", "name", "given twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(yamlSpec(tc.yaml))
			errs := problems(t, err)
			e := findField(errs, tc.field)
			if e == nil {
				t.Fatalf("no problem at %q; got %q:\n%v", tc.field, fields(errs), err)
			}
			if !strings.Contains(e.Message, tc.msg) {
				t.Errorf("message %q does not contain %q", e.Message, tc.msg)
			}
			if e.Code != bonfire.ECodeInvalid || e.Hint == "" {
				t.Errorf("code %q hint %q; want invalid with a hint", e.Code, e.Hint)
			}
			top, _, _ := strings.Cut(tc.field, ".")
			top, _, _ = strings.Cut(top, "[")
			written := strings.Contains(tc.yaml, top+":")
			if written && !strings.HasPrefix(e.Message, "line ") {
				t.Errorf("message %q does not start with its line", e.Message)
			}
		})
	}
}

func TestParseHints(t *testing.T) {
	t.Parallel()
	cases := []struct{ yaml, field, hint string }{
		{"memory: 1Gi", "memory", "did you mean resources.memory?"},
		{"timout: 1m", "timout", "did you mean timeout?"},
		{"executor: wams", "executor", "did you mean wasm?"},
		{"inputs:\n  - {sorce: ./d, path: /data}", "inputs[0].sorce", "did you mean source?"},
		{`args: ["{{.lrr}}"]` + "\nmatrix:\n  lr: [1]", "args[0]", "did you mean lr?"},
		{"inputs:\n  - {source: ./d, path: /data/}", "inputs[0].path", "write it as /data"},
		{`count: "3"`, "count", "write the number without quotes"},
		{"timeout: 30", "timeout", "add a unit, e.g. 30s or 30m"},
	}
	for _, tc := range cases {
		_, err := Parse(yamlSpec(tc.yaml))
		e := findField(problems(t, err), tc.field)
		if e == nil || e.Hint != tc.hint {
			t.Errorf("%q: problem %+v, want hint %q", tc.yaml, e, tc.hint)
		}
	}
}

func TestParseLineNumbers(t *testing.T) {
	t.Parallel()
	spec := "apiVersion: bonfire/v1\nkind: Job\nname: x\nmodule: m.wasm\nmatrix:\n  lr:\n    - 0.1\n    - 0.2\n    - abc\nretries: 99\n"
	errs := problems(t, func() error { _, err := Parse([]byte(spec)); return err }())
	if e := findField(errs, "matrix.lr[2]"); e == nil || !strings.HasPrefix(e.Message, "line 9: ") {
		t.Errorf("matrix.lr[2] = %+v, want line 9", e)
	}
	if e := findField(errs, "retries"); e == nil || !strings.HasPrefix(e.Message, "line 10: ") {
		t.Errorf("retries = %+v, want line 10", e)
	}
	if errs[0].Field != "matrix.lr[2]" {
		t.Errorf("problems not in line order: %q", fields(errs))
	}
}

func TestParseDoesNotRepeatADecodeProblem(t *testing.T) {
	t.Parallel()
	_, err := Parse(yamlSpec("name: [a]\nresources:\n  memory: lots\nmatrix:\n  lr: [1, [2], x]"))
	errs := problems(t, err)
	want := []string{"name", "resources.memory", "matrix.lr[1]"}
	if got := fields(errs); !reflect.DeepEqual(got, want) {
		t.Fatalf("fields = %q, want %q\n%v", got, want, err)
	}
}

func TestParseMatrixKeepsOrderAndText(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "matrix:\n  zeta: [0.10, 1e-3, '2']\n  alpha: [b, a, 'yes', true]\n  mid: [x]")
	want := []bonfire.MatrixParam{
		{Name: "zeta", Values: []string{"0.10", "1e-3", "2"}},
		{Name: "alpha", Values: []string{"b", "a", "yes", "true"}},
		{Name: "mid", Values: []string{"x"}},
	}
	if !reflect.DeepEqual(s.Matrix, want) {
		t.Fatalf("matrix = %+v", s.Matrix)
	}
}

func TestParseAliasesResolve(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "env:\n  A: &v hello\n  B: *v\nmatrix:\n  lr: &axis [1, 2]\n  mom: *axis")
	if s.Env["B"] != "hello" || len(s.Matrix) != 2 || !reflect.DeepEqual(s.Matrix[1].Values, []string{"1", "2"}) {
		t.Fatalf("aliases not followed: %+v %+v", s.Env, s.Matrix)
	}
}

func TestParseDocker(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "executor: docker\n-module\nimage: python:3.12\nresources:\n  memory: 16Gi\n  gpu: {model: '*A100*'}")
	if s.Module != "python:3.12" || s.Resources.MemoryBytes != 16*GiB || s.Resources.GPU == nil || *s.Resources.GPU != (bonfire.GPURequest{Count: 1, Model: "*A100*"}) {
		t.Fatalf("docker spec = %+v gpu %+v", s, s.Resources.GPU)
	}
}

func TestParseDeterminismAndSummary(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "determinism:\n  deterministic: false\n  clock: true\n  random: true\n  seed: 18446744073709551615\nsummary:\n  file: out/m.json\n  metric: loss\n  order: asc")
	if s.Determinism != (bonfire.Determinism{Deterministic: false, Clock: true, Random: true, Seed: 1<<64 - 1}) {
		t.Errorf("determinism = %+v", s.Determinism)
	}
	if *s.Summary != (bonfire.Summary{File: "out/m.json", Metric: "loss", Order: "asc"}) {
		t.Errorf("summary = %+v", s.Summary)
	}
	s = mustParse(t, "determinism:\n  seed: 7")
	if !s.Determinism.Deterministic || s.Determinism.Seed != 7 {
		t.Errorf("partial determinism = %+v, want deterministic kept true", s.Determinism)
	}
}

func TestParseDocumentProblems(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		data string
		code bonfire.ErrorCode
		msg  string
	}{
		"empty":       {"", bonfire.ECodeInvalid, "empty"},
		"comments":    {"# nothing\n", bonfire.ECodeInvalid, "empty"},
		"null":        {"---\n~\n", bonfire.ECodeInvalid, "empty"},
		"syntax":      {"name: [unclosed\n", bonfire.ECodeInvalid, "not valid YAML"},
		"tabs":        {"name: x\n\tkind: Job\n", bonfire.ECodeInvalid, "not valid YAML"},
		"two docs":    {"name: a\n---\nname: b\n", bonfire.ECodeInvalid, "line 2: a second YAML document"},
		"not mapping": {"- a\n- b\n", bonfire.ECodeInvalid, "must be a mapping"},
		"scalar":      {"hello\n", bonfire.ECodeInvalid, "must be a mapping"},
		"too large":   {strings.Repeat("#", MaxSpecBytes+1), bonfire.ECodeTooLarge, "more than"},
	}
	for name, tc := range cases {
		_, err := Parse([]byte(tc.data))
		errs := problems(t, err)
		if errs[0].Code != tc.code || !strings.Contains(errs[0].Message, tc.msg) || errs[0].Hint == "" {
			t.Errorf("%s: %+v, want code %s and message containing %q", name, errs[0], tc.code, tc.msg)
		}
	}
}

func TestParseErrorIsAList(t *testing.T) {
	t.Parallel()
	_, err := Parse(yamlSpec("retries: 11"))
	var list bonfire.Errors
	if !errors.As(err, &list) || len(list) != 1 || list[0].Field != "retries" {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), "retries: line ") {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestParseVerify(t *testing.T) {
	t.Parallel()
	cases := []struct {
		yaml   string
		policy string // effective, as trust writes it
		minRep float64
	}{
		{"", "adaptive", 0},
		{"verify: none", "none", 0},
		{"verify: adaptive", "adaptive", 0},
		{"verify: {replicate: 3}", "replicate: 3", 0},
		{"verify:\n  replicate: 2\n  minReputation: 0.8", "replicate: 2", 0.8},
		{"verify:\n  policy: none\n  minReputation: 1", "none", 1},
		{"determinism:\n  deterministic: false", "none", 0},
	}
	for _, c := range cases {
		s := mustParse(t, c.yaml)
		if got := Policy(s).String(); got != c.policy || s.Verify.MinReputation != c.minRep {
			t.Errorf("%q: policy %q minReputation %v, want %q %v", c.yaml, got, s.Verify.MinReputation, c.policy, c.minRep)
		}
	}
}

func TestParseVerifyRejects(t *testing.T) {
	t.Parallel()
	cases := []struct{ yaml, field, msg string }{
		{"verify: sometimes", "verify", "not a verification policy"},
		{"verify: {replicate: 1}", "verify.replicate", "below 2"},
		{"verify: {replicate: 99}", "verify.replicate", "above 16"},
		{"verify: {replicate: lots}", "verify.replicate", "not a whole number"},
		{"verify: {minReputation: 2}", "verify.minReputation", "not between 0 and 1"},
		{"verify: {minReputation: high}", "verify.minReputation", "not a number"},
		{"verify: {often: yes}", "verify.often", "unknown field"},
		{"replicate: 3", "replicate", "did you mean verify.replicate"},
		{"verify: adaptive\ndeterminism:\n  deterministic: false", "verify", "determinism is off"},
	}
	for _, c := range cases {
		_, err := Parse(yamlSpec(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.field+":") || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q: error %v, want field %s and %q", c.yaml, err, c.field, c.msg)
		}
	}
}
