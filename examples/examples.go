package examples

import (
	"embed"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bonfirenet/bonfire"
)

//go:embed README.md bin/*.wasm data digits-sweep batch-inference text-tokens
var tree embed.FS

// Jobs are the example job directories; each holds a job.yaml.
var Jobs = []string{"digits-sweep", "batch-inference", "text-tokens"}

// SpecFile is the name of the job spec inside each job directory.
const SpecFile = "job.yaml"

// FS returns the examples tree: README.md, bin/, data/ and one directory per
// job. Specs refer to modules and inputs by paths relative to themselves, so
// the tree must be used whole.
func FS() fs.FS { return tree }

// Spec returns the job spec of the named example (one of Jobs).
func Spec(job string) ([]byte, error) {
	if !slices.Contains(Jobs, job) {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "there is no example job %q", job).
			WithField("job").WithHint("use one of " + strings.Join(Jobs, ", "))
	}
	return tree.ReadFile(path.Join(job, SpecFile))
}

// Modules are the names of the example WASI modules.
var Modules = []string{"sweep", "infer", "tokens"}

// Module returns the bytes of an example module, named with or without its
// .wasm suffix ("sweep" or "sweep.wasm").
func Module(name string) ([]byte, error) {
	base := strings.TrimSuffix(name, ".wasm")
	if !slices.Contains(Modules, base) {
		return nil, bonfire.Errorf(bonfire.ECodeNotFound, "there is no example module %q", name).
			WithField("module").WithHint("use one of " + strings.Join(Modules, ", "))
	}
	return tree.ReadFile("bin/" + base + ".wasm")
}

// WriteTo writes the whole examples tree under dir, creating it, and
// overwriting files of the same names. Afterwards dir/<job>/job.yaml can be
// run as it is, e.g. dir/digits-sweep/job.yaml.
func WriteTo(dir string) error {
	return fs.WalkDir(tree, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			if err := os.MkdirAll(dst, 0o755); err != nil {
				return writeError(dir, err)
			}
			return nil
		}
		data, err := tree.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return writeError(dir, err)
		}
		return nil
	})
}

func writeError(dir string, err error) error {
	return bonfire.Errorf(bonfire.ECodeInternal, "cannot write the examples: %v", err).
		WithHint("choose a directory you can write to instead of " + dir)
}
