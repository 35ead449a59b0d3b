package dockerexec

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// tmpfsSlack is room above the quota in the output tmpfs, so that writing
// past the quota is seen as bytes over it rather than only as a full disk.
const tmpfsSlack = 64 << 10

// pollEvery is how often the output directory is measured when no tmpfs can
// be mounted (not root, not Linux).
const pollEvery = 50 * time.Millisecond

// outputDir is the task's writable directory as the container sees it.
// With a quota it is a size-limited tmpfs the executor mounts (exact: the
// kernel refuses writes past it), its files copied into the request's
// OutputDir when the task ends; where mounting is not allowed it is the
// OutputDir itself, measured while the task runs and the container killed
// as soon as it passes the quota (a fast writer may overshoot by what it
// writes in pollEvery, but never keeps it: the task fails).
type outputDir struct {
	dst      string // req.OutputDir
	host     string // bound into the container
	limit    int64  // 0 = no quota
	tmpfs    bool
	exceeded chan struct{} // closed once polling saw the quota passed
	stopOnce sync.Once
	stop     chan struct{}
}

func newOutputDir(dst string, limit int64, poll bool, tempDir string) (*outputDir, error) {
	o := &outputDir{dst: dst, host: dst, limit: limit, exceeded: make(chan struct{}), stop: make(chan struct{})}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, err
	}
	if limit <= 0 {
		return o, os.Chmod(dst, 0o777) // whatever user the image runs as may write
	}
	if !poll {
		stage, err := os.MkdirTemp(tempDir, "bonfire-out-")
		if err != nil {
			return nil, err
		}
		if mountTmpfs(stage, limit+tmpfsSlack) == nil {
			o.host, o.tmpfs = stage, true
			return o, nil
		}
		_ = os.Remove(stage)
	}
	if err := os.Chmod(dst, 0o777); err != nil {
		return nil, err
	}
	go o.watch()
	return o, nil
}

func (o *outputDir) watch() {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		select {
		case <-o.stop:
			return
		case <-t.C:
			if dirSize(o.host) > o.limit {
				close(o.exceeded)
				return
			}
		}
	}
}

// over reports, once the task ended, whether it wrote past the quota.
func (o *outputDir) over() bool {
	if o.limit <= 0 {
		return false
	}
	select {
	case <-o.exceeded:
		return true
	default:
	}
	return dirSize(o.host) > o.limit || o.tmpfs && tmpfsFull(o.host)
}

// finish copies a tmpfs's files into the OutputDir.
func (o *outputDir) finish() error {
	if !o.tmpfs {
		return nil
	}
	return copyTree(o.host, o.dst)
}

// discard empties the OutputDir of what a failed task wrote there (only
// polling writes to it directly).
func (o *outputDir) discard() {
	if o.tmpfs {
		return
	}
	entries, _ := os.ReadDir(o.dst)
	for _, e := range entries {
		_ = os.RemoveAll(filepath.Join(o.dst, e.Name()))
	}
}

// close stops polling, and unmounts and removes the tmpfs.
func (o *outputDir) close() error {
	o.stopOnce.Do(func() { close(o.stop) })
	if !o.tmpfs {
		return nil
	}
	err := unmount(o.host)
	if rmErr := os.RemoveAll(o.host); err == nil {
		err = rmErr
	}
	return err
}

// dirSize sums the sizes of the regular files below dir.
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// copyTree copies the directories and regular files below src into dst;
// links and devices a workload made are left behind.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case d.Type().IsRegular():
			return copyFile(p, to)
		}
		return nil
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
