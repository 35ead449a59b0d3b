package provider

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWorkDirsAreReusedOnlyWhenClean(t *testing.T) {
	t.Parallel()
	root := filepath.Join(t.TempDir(), "work")
	if err := os.MkdirAll(filepath.Join(root, "stale-from-a-crash"), 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := newWorkDirs(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "stale-from-a-crash")); !os.IsNotExist(err) {
		t.Fatalf("leftovers of an earlier run were not removed: %v", err)
	}
	a, err := w.get()
	if err != nil {
		t.Fatal(err)
	}
	b, err := w.get()
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("two tasks at once must not share a directory")
	}
	// A task leaves outputs and inputs behind; the next task must see neither.
	if err := os.WriteFile(filepath.Join(a, "out", "model.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(a, "in", "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	w.put(a)
	c, err := w.get()
	if err != nil {
		t.Fatal(err)
	}
	if c != a {
		t.Fatalf("got %s, want the returned directory %s back", c, a)
	}
	if !isEmptyDir(filepath.Join(c, "out")) {
		t.Fatal("reused output directory is not empty")
	}
	if _, err := os.Stat(filepath.Join(c, "in")); !os.IsNotExist(err) {
		t.Fatalf("reused directory still has inputs: %v", err)
	}
}

func TestTopLevelMountsKeepOutputsOutsideInputs(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, d := range []string{"data/a", "model"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	mounts, err := topLevelMounts(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(mounts) != 2 || mounts[0].GuestPath != "/data" || mounts[1].GuestPath != "/model" || !mounts[0].ReadOnly {
		t.Fatalf("mounts = %+v", mounts)
	}
	// A file at the guest root can only be reached by mounting the root.
	if err := os.WriteFile(filepath.Join(root, "top.csv"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	mounts, err = topLevelMounts(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(mounts) != 1 || mounts[0].GuestPath != "/" {
		t.Fatalf("mounts with a root file = %+v", mounts)
	}
}
