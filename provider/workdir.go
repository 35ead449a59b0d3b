package provider

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// workDirs hands out task directories and reuses them: creating and
// removing two directories per task costs more than running a small task.
// Each directory holds an empty "out" and no "in" when handed out.
type workDirs struct {
	root string
	mu   sync.Mutex
	free []string
	made int
}

// newWorkDirs starts from an empty root: whatever a crashed run left
// behind is removed.
func newWorkDirs(root string) (*workDirs, error) {
	if err := os.RemoveAll(root); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	return &workDirs{root: root}, nil
}

func (w *workDirs) get() (string, error) {
	w.mu.Lock()
	if n := len(w.free); n > 0 {
		dir := w.free[n-1]
		w.free = w.free[:n-1]
		w.mu.Unlock()
		return dir, nil
	}
	w.made++
	dir := filepath.Join(w.root, fmt.Sprintf("slot-%d", w.made))
	w.mu.Unlock()
	if err := os.MkdirAll(filepath.Join(dir, "out"), 0o755); err != nil {
		return "", err
	}
	return dir, nil
}

// put cleans dir and keeps it for the next task; a directory that cannot
// be cleaned is dropped.
func (w *workDirs) put(dir string) {
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	clean := true
	if _, err := os.Lstat(in); err == nil {
		clean = os.RemoveAll(in) == nil
	}
	if !isEmptyDir(out) {
		clean = clean && os.RemoveAll(out) == nil && os.Mkdir(out, 0o755) == nil
	}
	if !clean {
		_ = os.RemoveAll(dir)
		return
	}
	w.mu.Lock()
	w.free = append(w.free, dir)
	w.mu.Unlock()
}

func isEmptyDir(dir string) bool {
	f, err := os.Open(dir)
	if err != nil {
		return false
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	return err == io.EOF
}
