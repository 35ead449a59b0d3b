package jobspec

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestExpandMatrixOrderLastAxisFastest(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "matrix:\n  lr: [0.1, 0.01]\n  batch: [32, 64, 128]\nargs: ['--lr={{.lr}}', '{{.batch}}', '{{.index}}/{{.count}}']")
	tasks, err := Expand(s, "job7")
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]string{{"0.1", "32"}, {"0.1", "64"}, {"0.1", "128"}, {"0.01", "32"}, {"0.01", "64"}, {"0.01", "128"}}
	if len(tasks) != len(want) {
		t.Fatalf("%d tasks, want %d", len(tasks), len(want))
	}
	for i, task := range tasks {
		if task.ID != "job7."+strconv.Itoa(i) || task.JobID != "job7" || task.Index != i {
			t.Errorf("task %d identity = %q %q %d", i, task.ID, task.JobID, task.Index)
		}
		if task.State != bonfire.TaskQueued || task.Attempt != 0 || task.Retries != 0 {
			t.Errorf("task %d state = %s attempt %d", i, task.State, task.Attempt)
		}
		wantParams := map[string]string{"lr": want[i][0], "batch": want[i][1]}
		if !reflect.DeepEqual(task.Params, wantParams) {
			t.Errorf("task %d params = %v, want %v", i, task.Params, wantParams)
		}
		wantArgs := []string{"--lr=" + want[i][0], want[i][1], strconv.Itoa(i) + "/6"}
		if !reflect.DeepEqual(task.Args, wantArgs) {
			t.Errorf("task %d args = %q, want %q", i, task.Args, wantArgs)
		}
	}
}

func TestExpandEnv(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "env:\n  LOG: debug\nmatrix:\n  batch_size: [8]\n  lr: ['1e-3']\ndeterminism:\n  seed: 5")
	tasks, err := Expand(s, "j")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"LOG": "debug", "BONFIRE_TASK_INDEX": "0", "BONFIRE_TASK_COUNT": "1",
		"BONFIRE_SEED": strconv.FormatUint(TaskSeed(5, 0), 10),
		"BATCH_SIZE":   "8", "BONFIRE_PARAM_BATCH_SIZE": "8", "LR": "1e-3", "BONFIRE_PARAM_LR": "1e-3",
	}
	if !reflect.DeepEqual(tasks[0].Env, want) {
		t.Fatalf("env = %v\nwant  %v", tasks[0].Env, want)
	}
	if s.Env["BONFIRE_TASK_INDEX"] != "" || len(s.Env) != 1 {
		t.Errorf("Expand changed the spec's env: %v", s.Env)
	}
}

func TestExpandCount(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "count: 3\nargs: ['{{.index}}', '{{.seed}}']")
	tasks, err := Expand(s, "j")
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 3 {
		t.Fatalf("%d tasks", len(tasks))
	}
	for i, task := range tasks {
		if task.Params != nil || task.Args[0] != strconv.Itoa(i) || task.Args[1] != strconv.FormatUint(task.Seed, 10) {
			t.Errorf("task %d = params %v args %q seed %d", i, task.Params, task.Args, task.Seed)
		}
		if task.Env["BONFIRE_TASK_INDEX"] != strconv.Itoa(i) || task.Env["BONFIRE_TASK_COUNT"] != "3" {
			t.Errorf("task %d env = %v", i, task.Env)
		}
	}
}

// TestTaskSeedIsSplitMix64 pins the derivation: with base 0 the seeds are
// SplitMix64's published first outputs, so other implementations (a
// verifier in another language) can reproduce them.
func TestTaskSeedIsSplitMix64(t *testing.T) {
	t.Parallel()
	if got := TaskSeed(0, 0); got != 0xe220a8397b1dcdaf {
		t.Errorf("TaskSeed(0, 0) = %#x", got)
	}
	if got := TaskSeed(0, 1); got != 0x6e789e6aa1b965f4 {
		t.Errorf("TaskSeed(0, 1) = %#x", got)
	}
}

func TestSeedsStableAndDistinct(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "count: 5000\ndeterminism:\n  seed: 42")
	a, err := Expand(s, "j")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Expand(s, "j")
	seen := map[uint64]int{}
	for i := range a {
		if a[i].Seed != b[i].Seed {
			t.Fatalf("task %d seed differs between expansions", i)
		}
		if j, dup := seen[a[i].Seed]; dup {
			t.Fatalf("tasks %d and %d share seed %d", j, i, a[i].Seed)
		}
		seen[a[i].Seed] = i
	}
	s.Determinism.Seed = 43
	c, _ := Expand(s, "j")
	if c[0].Seed == a[0].Seed {
		t.Error("a different base seed gave the same task seed")
	}
}

func TestExpandRefusesInvalidSpec(t *testing.T) {
	t.Parallel()
	s := validResolved()
	s.Matrix[0].Values = nil
	errs := problems(t, func() error { _, err := Expand(s, "j"); return err }())
	if findField(errs, "matrix.lr") == nil {
		t.Fatalf("got %v", errs)
	}
	if _, err := Expand(validResolved(), ""); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Errorf("empty job ID: %v", err)
	}
}

// TestExpandReportsTemplateFailure covers a template that works for the
// tasks Parse samples (first and last) but fails for one in the middle.
func TestExpandReportsTemplateFailure(t *testing.T) {
	t.Parallel()
	s := mustParse(t, "matrix:\n  w: [abc, a, abcd]\nargs: ['{{slice .w 2}}']")
	_, err := Expand(s, "j")
	e := findField(problems(t, err), "args[0]")
	if e == nil || !strings.HasPrefix(e.Message, "task 1: ") {
		t.Fatalf("got %v", err)
	}
}

func TestExpandTemplateFeatures(t *testing.T) {
	t.Parallel()
	s := mustParse(t, `matrix:
  opt: [sgd, adam]
args:
  - '{{if eq .opt "adam"}}--beta=0.9{{else}}--momentum=0.9{{end}}'
  - '{{printf "%03d" .index}}'
  - '{{with .opt}}{{.}}{{end}}'
  - '{{$.opt}}'
  - 'literal'`)
	tasks, err := Expand(s, "j")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"--momentum=0.9", "000", "sgd", "sgd", "literal"}, {"--beta=0.9", "001", "adam", "adam", "literal"}}
	for i, task := range tasks {
		if !reflect.DeepEqual(task.Args, want[i]) {
			t.Errorf("task %d args = %q, want %q", i, task.Args, want[i])
		}
	}
}

func TestParams(t *testing.T) {
	t.Parallel()
	s := &bonfire.JobSpec{Matrix: []bonfire.MatrixParam{{Name: "a", Values: []string{"1", "2"}}, {Name: "b", Values: []string{"x", "y", "z"}}}}
	if n := TaskCount(s); n != 6 {
		t.Fatalf("TaskCount = %d", n)
	}
	if p := Params(s, 4); p["a"] != "2" || p["b"] != "y" {
		t.Errorf("Params(4) = %v", p)
	}
	big := make([]string, 1000)
	s.Matrix = []bonfire.MatrixParam{{Name: "a", Values: big}, {Name: "b", Values: big}}
	if n := TaskCount(s); n != -1 {
		t.Errorf("TaskCount of 10^6 = %d, want -1", n)
	}
}

func BenchmarkExpand(b *testing.B) {
	s, err := Parse(yamlSpec("matrix:\n  a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n  b: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n  c: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nargs: ['--a={{.a}}', '--b={{.b}}', '{{.seed}}']"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Expand(s, "j"); err != nil {
			b.Fatal(err)
		}
	}
}
