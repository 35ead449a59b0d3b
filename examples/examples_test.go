package examples

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/examples/internal/mlp"
)

// specShape is the part of a job spec this package promises: the files it
// names must exist in the tree relative to the spec.
type specShape struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Name       string `yaml:"name"`
	Executor   string `yaml:"executor"`
	Module     string `yaml:"module"`
	Inputs     []struct {
		Source string `yaml:"source"`
		Path   string `yaml:"path"`
	} `yaml:"inputs"`
	Outputs string `yaml:"outputs"`
}

func TestWriteToProducesRunnableTree(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	// Every embedded file is written with the same bytes.
	n := 0
	err := fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		want, _ := fs.ReadFile(FS(), p)
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: written copy differs or is missing (%v)", p, err)
		}
		return nil
	})
	if err != nil || n < 10 {
		t.Fatalf("walked %d files, err %v", n, err)
	}
	for _, job := range Jobs {
		raw, err := os.ReadFile(filepath.Join(dir, job, SpecFile))
		if err != nil {
			t.Fatal(err)
		}
		var s specShape
		if err := yaml.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s: %v", job, err)
		}
		if s.APIVersion != bonfire.APIVersion || s.Kind != bonfire.KindJob || s.Name != job || s.Executor != bonfire.ExecutorWASM || s.Outputs != "/out" {
			t.Errorf("%s: header %+v", job, s)
		}
		refs := []string{s.Module}
		for _, in := range s.Inputs {
			refs = append(refs, in.Source)
		}
		for _, ref := range refs {
			if _, err := os.Stat(filepath.Join(dir, job, filepath.FromSlash(ref))); err != nil {
				t.Errorf("%s refers to %q, which WriteTo did not write: %v", job, ref, err)
			}
		}
		if spec, err := Spec(job); err != nil || !bytes.Equal(spec, raw) {
			t.Errorf("Spec(%q) = %d bytes, %v; want the written file", job, len(spec), err)
		}
	}
}

func TestWriteToReportsUnwritableDir(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteTo(file)
	if bonfire.Code(err) != bonfire.ECodeInternal {
		t.Fatalf("WriteTo onto a file = %v, want an internal *bonfire.Error", err)
	}
}

func TestModuleLookup(t *testing.T) {
	t.Parallel()
	for _, name := range Modules {
		a, err := Module(name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Module(name + ".wasm")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(a, []byte("\x00asm")) || !bytes.Equal(a, b) {
			t.Errorf("Module(%q) is not the same WASM module as Module(%q)", name, name+".wasm")
		}
	}
	if _, err := Module("nope"); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("Module(nope) = %v, want not_found", err)
	}
	if _, err := Spec("nope"); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("Spec(nope) = %v, want not_found", err)
	}
}

// wasmBuildEnv and wasmBuildArgs must match build.sh: they make the module
// bytes a function of the sources and the Go version only.
var wasmBuildEnv = []string{"CGO_ENABLED=0", "GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=", "GOWASM="}

func wasmBuildArgs(out, pkg string) []string {
	return []string{"build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid=", "-o", out, pkg}
}

func goTool(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("no go command on PATH or in GOROOT (%v); this test rebuilds the examples", err)
	}
	return p
}

func TestCommittedModulesAreFresh(t *testing.T) {
	t.Parallel()
	gocmd := goTool(t)
	tmp := t.TempDir()
	for _, name := range Modules {
		out := filepath.Join(tmp, name+".wasm")
		cmd := exec.Command(gocmd, wasmBuildArgs(out, "./wasm/"+name)...)
		cmd.Env = append(os.Environ(), wasmBuildEnv...)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", name, err, msg)
		}
		built, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		committed, err := Module(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(built, committed) {
			t.Errorf("examples/bin/%s.wasm is stale (%d bytes committed, %d built from source with %s): run examples/build.sh",
				name, len(committed), len(built), runtime.Version())
		}
	}
}

func TestCommittedModelIsFresh(t *testing.T) {
	t.Parallel()
	committed, err := fs.ReadFile(FS(), path.Join("batch-inference", "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	d := loadDigits(t)
	m, info, err := mlp.Unmarshal(committed)
	if err != nil {
		t.Fatal(err)
	}
	_, test := d.StandardSplit()
	if acc, _ := m.Evaluate(test); acc < 0.90 || info == nil || info.HeldOutAccuracy != acc {
		t.Fatalf("committed model scores %.4f held out (recorded %+v), want >= 0.90 and recorded", acc, info)
	}
	fresh, _, err := mlp.FitFile(d, mlp.ShippedConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Fatal("examples/batch-inference/model.json differs from what mlp.ShippedConfig trains: run examples/build.sh")
	}
}

func loadDigits(t testing.TB) *mlp.Dataset {
	t.Helper()
	raw, err := fs.ReadFile(FS(), "data/digits.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	d, err := mlp.Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return d
}
