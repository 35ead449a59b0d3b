package blobfs

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
)

// staleTemp is how old an abandoned temporary file must be before Open
// deletes it. Generous, so a slow upload of another process sharing the
// directory is never removed under it.
const staleTemp = 24 * time.Hour

// Store is a content-addressed blob store in one directory. It is safe for
// concurrent use, including concurrent Puts of the same content.
type Store struct {
	dir        string
	blobDir    string // dir/sha256
	tmpDir     string // uploads in progress; same filesystem, so rename is atomic
	partialDir string // interrupted downloads, by digest, kept to resume
}

var _ bonfire.BlobStore = (*Store)(nil)

// Open opens the store in dir, creating it if needed.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "the blob directory is empty").
			WithField("blobDir").WithHint("give a directory path such as ./blobs")
	}
	s := &Store{
		dir:        dir,
		blobDir:    filepath.Join(dir, "sha256"),
		tmpDir:     filepath.Join(dir, "tmp"),
		partialDir: filepath.Join(dir, "partial"),
	}
	for _, d := range []string{s.blobDir, s.tmpDir, s.partialDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, bonfire.Errorf(bonfire.ECodeInternal, "cannot create the blob directory %s: %v", d, err).
				WithField("blobDir").WithHint("check that the path is a directory writable by this user")
		}
	}
	removeStale(s.tmpDir, time.Now().Add(-staleTemp))
	return s, nil
}

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

// Put stores the content of r and returns its digest and size. maxBytes <= 0
// means no limit.
func (s *Store) Put(ctx context.Context, r io.Reader, want bonfire.Digest, maxBytes int64) (bonfire.Digest, int64, error) {
	if want != "" {
		if err := want.Validate(); err != nil {
			return "", 0, withField(err, "digest")
		}
	}
	tmp, err := os.CreateTemp(s.tmpDir, "put-*")
	if err != nil {
		return "", 0, diskError("create a temporary file", err)
	}
	installed := false
	defer func() {
		if !installed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	src := &recordingReader{ctx: ctx, r: r}
	var limited io.Reader = src
	if maxBytes > 0 {
		limited = io.LimitReader(src, maxBytes+1)
	}
	h := sha256.New()
	n, err := io.CopyBuffer(io.MultiWriter(tmp, h), limited, make([]byte, 256<<10))
	if err != nil {
		if src.err != nil {
			return "", 0, readError(ctx, src.err)
		}
		return "", 0, diskError("write the blob", err)
	}
	if maxBytes > 0 && n > maxBytes {
		return "", 0, bonfire.Errorf(bonfire.ECodeTooLarge, "the blob is larger than the limit of %d bytes", maxBytes).
			WithHint("split the content into smaller files, or raise the blob size limit of whoever stores it")
	}
	got := bonfire.DigestFromSum(h.Sum(nil))
	if want != "" && got != want {
		return "", 0, bonfire.Errorf(bonfire.ECodeInvalid, "the content hashes to %s, not %s", got, want).
			WithField("digest").WithHint("send the exact bytes the digest was computed from, or omit the digest")
	}
	if err := s.install(tmp, got); err != nil {
		return "", 0, err
	}
	installed = true
	return got, n, nil
}

// install makes the fully written file f the blob d: fsync, read-only,
// atomic rename, fsync of the directory. f is closed either way.
func (s *Store) install(f *os.File, d bonfire.Digest) error {
	if err := f.Chmod(0o444); err != nil {
		f.Close()
		return diskError("make the blob read-only", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return diskError("flush the blob to disk", err)
	}
	if err := f.Close(); err != nil {
		return diskError("close the blob", err)
	}
	final := s.path(d)
	if _, err := os.Lstat(final); err == nil {
		// Someone stored the same content first. Keep theirs: it may already
		// be hard-linked into a sandbox, and ours is byte-identical.
		os.Remove(f.Name())
		return nil
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		os.Remove(f.Name())
		return diskError("create the blob's directory", err)
	}
	if err := os.Rename(f.Name(), final); err != nil {
		os.Remove(f.Name())
		return diskError("move the blob into place", err)
	}
	// The rename is durable only once the directory entry is on disk.
	if err := syncDir(dir); err != nil {
		return diskError("flush the blob directory", err)
	}
	return nil
}

// Open returns a stored blob for reading, with its size.
func (s *Store) Open(ctx context.Context, d bonfire.Digest) (io.ReadSeekCloser, int64, error) {
	if err := d.Validate(); err != nil {
		return nil, 0, withField(err, "digest")
	}
	f, err := os.Open(s.path(d))
	if err != nil {
		return nil, 0, s.statError(d, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, diskError("stat the blob", err)
	}
	return f, fi.Size(), nil
}

// Stat returns the size of a stored blob.
func (s *Store) Stat(ctx context.Context, d bonfire.Digest) (int64, error) {
	if err := d.Validate(); err != nil {
		return 0, withField(err, "digest")
	}
	fi, err := os.Stat(s.path(d))
	if err != nil {
		return 0, s.statError(d, err)
	}
	return fi.Size(), nil
}

// Path returns the file holding blob d. The file is read-only and never
// changes, so callers may hard-link it; they must not write to it.
func (s *Store) Path(d bonfire.Digest) (string, error) {
	if err := d.Validate(); err != nil {
		return "", withField(err, "digest")
	}
	p := s.path(d)
	if _, err := os.Stat(p); err != nil {
		return "", s.statError(d, err)
	}
	return p, nil
}

func (s *Store) path(d bonfire.Digest) string {
	h := d.Hex()
	return filepath.Join(s.blobDir, h[:2], h)
}

func (s *Store) statError(d bonfire.Digest, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return bonfire.Errorf(bonfire.ECodeNotFound, "blob %s not found", d).
			WithField("digest").WithHint("upload the blob before referring to it")
	}
	return diskError("read the blob", err)
}

// recordingReader remembers the source's error so Put can tell a broken
// upload (the sender's problem) from a failing disk (ours), and stops at
// cancellation between reads.
type recordingReader struct {
	ctx context.Context
	r   io.Reader
	err error
}

func (r *recordingReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return 0, err
	}
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

func readError(ctx context.Context, err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return bonfire.Errorf(bonfire.ECodeTimeout, "the deadline passed while receiving the blob").
			WithHint("send it again with a longer deadline")
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return bonfire.Errorf(bonfire.ECodeCancelled, "receiving the blob was cancelled")
	}
	var be *bonfire.Error
	if errors.As(err, &be) {
		return be
	}
	return bonfire.Errorf(bonfire.ECodeInvalid, "the content could not be read to the end: %v", err).
		WithHint("the upload was cut short; send it again")
}

func diskError(what string, err error) error {
	return bonfire.Errorf(bonfire.ECodeInternal, "blob store: cannot %s: %v", what, err).
		WithHint("check free disk space and permissions of the blob directory")
}

// withField sets field on err when it is a *bonfire.Error without one.
func withField(err error, field string) error {
	var be *bonfire.Error
	if errors.As(err, &be) && be.Field == "" {
		c := *be
		return c.WithField(field)
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// removeStale deletes temporary files a crashed process left behind.
func removeStale(dir string, before time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "put-") {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(before) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
