package jobspec

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// fakeUploader digests files as the blob store would and remembers what it
// was asked to upload.
type fakeUploader struct {
	mu    sync.Mutex
	calls []string
	fail  map[string]error // by base name
}

func (u *fakeUploader) Upload(ctx context.Context, path string) (bonfire.Digest, int64, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.calls = append(u.calls, path)
	if err := u.fail[filepath.Base(path)]; err != nil {
		return "", 0, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", 0, err
	}
	return bonfire.DigestOf(b), int64(len(b)), nil
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func ref(name, content string) bonfire.FileRef {
	return bonfire.FileRef{Name: name, Digest: bonfire.DigestOf([]byte(content)), Size: int64(len(content))}
}

func specWithInputs(inputs ...bonfire.Input) *bonfire.JobSpec {
	s := validResolved()
	s.Module = "m.wasm"
	s.Inputs = inputs
	return s
}

func TestResolve(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"m.wasm": "module", "single.txt": "one",
		"data/b.txt": "b", "data/a/b.txt": "ab", "data/a-c.txt": "ac", "data/sub/deep/x": "x",
	})
	dig := bonfire.DigestOf([]byte("remote"))
	s := specWithInputs(
		bonfire.Input{Source: "./data", Path: "/data"},
		bonfire.Input{Source: filepath.Join(dir, "single.txt"), Path: "/single.txt"},
		bonfire.Input{Source: string(dig), Path: "/remote"},
	)
	up := &fakeUploader{}
	if err := Resolve(context.Background(), s, dir, up); err != nil {
		t.Fatal(err)
	}
	if s.Module != string(bonfire.DigestOf([]byte("module"))) {
		t.Errorf("module = %q", s.Module)
	}
	wantDir := []bonfire.FileRef{ref("a-c.txt", "ac"), ref("a/b.txt", "ab"), ref("b.txt", "b"), ref("sub/deep/x", "x")}
	if !reflect.DeepEqual(s.Inputs[0].Files, wantDir) {
		t.Errorf("dir files = %+v\nwant %+v", s.Inputs[0].Files, wantDir)
	}
	if !reflect.DeepEqual(s.Inputs[1].Files, []bonfire.FileRef{ref("", "one")}) {
		t.Errorf("file input = %+v", s.Inputs[1].Files)
	}
	if !reflect.DeepEqual(s.Inputs[2].Files, []bonfire.FileRef{{Digest: dig}}) {
		t.Errorf("digest input = %+v", s.Inputs[2].Files)
	}
	if len(up.calls) != 6 {
		t.Errorf("%d uploads, want 6: %q", len(up.calls), up.calls)
	}
	if err := CheckResolved(s); err != nil {
		t.Errorf("resolved spec refused: %v", err)
	}
}

func TestResolveSymlinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"m.wasm": "module", "secret": "s", "data/real/f": "f", "data/g": "g"})
	data := filepath.Join(dir, "data")
	for link, target := range map[string]string{
		"inside":   filepath.Join(data, "g"),
		"outside":  filepath.Join(dir, "secret"),
		"dangling": filepath.Join(dir, "nope"),
		"dirlink":  filepath.Join(data, "real"),
	} {
		if err := os.Symlink(target, filepath.Join(data, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(data, filepath.Join(dir, "datalink")); err != nil {
		t.Fatal(err)
	}
	s := specWithInputs(bonfire.Input{Source: "datalink", Path: "/data"})
	if err := Resolve(context.Background(), s, dir, &fakeUploader{}); err != nil {
		t.Fatal(err)
	}
	want := []bonfire.FileRef{ref("g", "g"), ref("inside", "g"), ref("real/f", "f")}
	if !reflect.DeepEqual(s.Inputs[0].Files, want) {
		t.Errorf("files = %+v\nwant %+v", s.Inputs[0].Files, want)
	}
}

func TestResolveReportsEveryLocalProblemBeforeUploading(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"m.wasm": "module", "ok.txt": "ok"})
	if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := specWithInputs(
		bonfire.Input{Source: "ok.txt", Path: "/ok"},
		bonfire.Input{Source: "./data", Path: "/data"},
		bonfire.Input{Source: "empty", Path: "/empty"},
		bonfire.Input{Source: "sha256:bad", Path: "/bad"},
	)
	s.Module = "missing.wasm"
	before := *s
	up := &fakeUploader{}
	errs := problems(t, Resolve(context.Background(), s, dir, up))
	want := map[string]string{
		"module":           "missing.wasm: no such file or directory",
		"inputs[1].source": "./data: no such file or directory",
		"inputs[2].source": "empty has no files",
	}
	for field, msg := range want {
		if e := findField(errs, field); e == nil || e.Message != msg || e.Hint == "" {
			t.Errorf("%s = %+v, want message %q with a hint", field, e, msg)
		}
	}
	if findField(errs, "inputs[3].source") == nil {
		t.Errorf("bad digest source not reported: %v", errs)
	}
	if len(up.calls) != 0 {
		t.Errorf("uploaded %q despite problems", up.calls)
	}
	if !reflect.DeepEqual(*s, before) {
		t.Errorf("spec changed on failure")
	}
}

func TestResolveUploadFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"m.wasm": "module", "data/a": "a", "data/big": "big"})
	s := specWithInputs(bonfire.Input{Source: "data", Path: "/data"})
	up := &fakeUploader{fail: map[string]error{"big": bonfire.Errorf(bonfire.ECodeTooLarge, "blob is too large").WithHint("use a smaller file")}}
	err := Resolve(context.Background(), s, dir, up)
	var e *bonfire.Error
	if !errors.As(err, &e) || e.Code != bonfire.ECodeTooLarge || e.Field != "inputs[0].source" ||
		e.Message != "uploading "+filepath.Join("data", "big")+": blob is too large" || e.Hint != "use a smaller file" {
		t.Fatalf("err = %#v", err)
	}
	if s.Module != "m.wasm" || s.Inputs[0].Files != nil {
		t.Errorf("spec changed on failure: %+v", s)
	}
}

func TestResolveCancelled(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"m.wasm": "module"})
	up := &fakeUploader{fail: map[string]error{"m.wasm": context.Canceled}}
	err := Resolve(context.Background(), specWithInputs(), dir, up)
	if bonfire.Code(err) != bonfire.ECodeCancelled {
		t.Fatalf("err = %v (code %s)", err, bonfire.Code(err))
	}
}

func TestResolveUploadsEachPathOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"m.wasm": "module"})
	s := specWithInputs(bonfire.Input{Source: "m.wasm", Path: "/a"}, bonfire.Input{Source: "./m.wasm", Path: "/b"})
	up := &fakeUploader{}
	if err := Resolve(context.Background(), s, dir, up); err != nil {
		t.Fatal(err)
	}
	if len(up.calls) != 1 || s.Inputs[1].Files[0].Digest != bonfire.Digest(s.Module) {
		t.Errorf("calls %q, inputs %+v", up.calls, s.Inputs)
	}
}

func TestResolveModuleNotAFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := specWithInputs()
	s.Module = "."
	e := findField(problems(t, Resolve(context.Background(), s, dir, &fakeUploader{})), "module")
	if e == nil || e.Message != ". is not a regular file" {
		t.Fatalf("module = %+v", e)
	}
}

func TestResolveLeavesDigestsAndDocker(t *testing.T) {
	t.Parallel()
	s := validResolved()
	before := s.Module
	up := &fakeUploader{}
	if err := Resolve(context.Background(), s, t.TempDir(), up); err != nil {
		t.Fatal(err)
	}
	if s.Module != before || len(up.calls) != 0 {
		t.Errorf("resolved spec changed: module %q, uploads %q", s.Module, up.calls)
	}
	s.Executor, s.Module = bonfire.ExecutorDocker, "python:3.12"
	if err := Resolve(context.Background(), s, t.TempDir(), up); err != nil || s.Module != "python:3.12" {
		t.Errorf("docker image changed: %q, %v", s.Module, err)
	}
}
