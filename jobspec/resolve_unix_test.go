//go:build unix

package jobspec

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestResolveRejectsSpecialFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"m.wasm": "module", "data/a": "a"})
	if err := syscall.Mkfifo(filepath.Join(dir, "data", "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "lonepipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := specWithInputs(bonfire.Input{Source: "data", Path: "/data"}, bonfire.Input{Source: "lonepipe", Path: "/p"})
	up := &fakeUploader{}
	errs := problems(t, Resolve(context.Background(), s, dir, up))
	if e := findField(errs, "inputs[0].source"); e == nil || !strings.Contains(e.Message, "pipe is a named pipe") {
		t.Errorf("inputs[0] = %+v", e)
	}
	if e := findField(errs, "inputs[1].source"); e == nil || !strings.Contains(e.Message, "lonepipe is a named pipe") {
		t.Errorf("inputs[1] = %+v", e)
	}
	if len(up.calls) != 0 {
		t.Errorf("uploaded %q", up.calls)
	}
}
