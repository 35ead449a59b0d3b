package blobfs

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPutOpenStatPath(t *testing.T) {
	t.Parallel()
	s := openTemp(t)
	ctx := context.Background()
	content := bytes.Repeat([]byte("bonfire "), 100000)
	want := bonfire.DigestOf(content)

	d, n, err := s.Put(ctx, bytes.NewReader(content), "", 0)
	if err != nil || d != want || n != int64(len(content)) {
		t.Fatalf("Put = %s, %d, %v; want %s, %d", d, n, err, want, len(content))
	}
	rc, size, err := s.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, content) || size != int64(len(content)) {
		t.Fatalf("Open read %d bytes (size %d), %v; want the content back", len(got), size, err)
	}
	if size, err := s.Stat(ctx, d); err != nil || size != int64(len(content)) {
		t.Errorf("Stat = %d, %v", size, err)
	}
	p, err := s.Path(d)
	if err != nil {
		t.Fatal(err)
	}
	if wantPath := filepath.Join(s.Dir(), "sha256", d.Hex()[:2], d.Hex()); p != wantPath {
		t.Errorf("Path = %s, want %s", p, wantPath)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm()&0o222 != 0 {
		t.Errorf("stored blob mode = %v (%v); want read-only so hard links cannot change it", fi.Mode(), err)
	}
	// The same content again (with the digest named) is accepted and stays one file.
	if d2, _, err := s.Put(ctx, bytes.NewReader(content), want, int64(len(content))); err != nil || d2 != want {
		t.Errorf("second Put = %s, %v", d2, err)
	}
	assertNoTemps(t, s)
}

func TestPutEmptyBlob(t *testing.T) {
	t.Parallel()
	s := openTemp(t)
	d, n, err := s.Put(context.Background(), strings.NewReader(""), "", 10)
	if err != nil || n != 0 || d != bonfire.DigestOf(nil) {
		t.Fatalf("Put(empty) = %s, %d, %v", d, n, err)
	}
}

func TestPutTooLarge(t *testing.T) {
	t.Parallel()
	s := openTemp(t)
	content := []byte("0123456789A")
	if _, _, err := s.Put(context.Background(), bytes.NewReader(content[:10]), "", 10); err != nil {
		t.Fatalf("exactly the limit must fit: %v", err)
	}
	_, _, err := s.Put(context.Background(), bytes.NewReader(content), "", 10)
	if bonfire.Code(err) != bonfire.ECodeTooLarge || !strings.Contains(err.Error(), "10 bytes") {
		t.Fatalf("Put over the limit = %v, want too_large naming 10 bytes", err)
	}
	if _, err := s.Stat(context.Background(), bonfire.DigestOf(content)); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("an oversize blob was stored: %v", err)
	}
	assertNoTemps(t, s)
}

func TestPutDigestMismatchStoresNothing(t *testing.T) {
	t.Parallel()
	s := openTemp(t)
	claimed := bonfire.DigestOf([]byte("something else"))
	_, _, err := s.Put(context.Background(), strings.NewReader("actual"), claimed, 0)
	var be *bonfire.Error
	if !errors.As(err, &be) || be.Code != bonfire.ECodeInvalid || be.Field != "digest" {
		t.Fatalf("Put with a wrong digest = %#v, want invalid on field digest", err)
	}
	for _, d := range []bonfire.Digest{claimed, bonfire.DigestOf([]byte("actual"))} {
		if _, err := s.Stat(context.Background(), d); bonfire.Code(err) != bonfire.ECodeNotFound {
			t.Errorf("after a mismatch %s exists: %v", d, err)
		}
	}
	assertNoTemps(t, s)

	_, _, err = s.Put(context.Background(), strings.NewReader("x"), "sha256:XYZ", 0)
	if !errors.As(err, &be) || be.Code != bonfire.ECodeInvalid || be.Field != "digest" {
		t.Errorf("Put with a malformed digest = %#v, want invalid on field digest", err)
	}
}

func TestConcurrentPutsOfSameContent(t *testing.T) {
	t.Parallel()
	s := openTemp(t)
	content := bytes.Repeat([]byte{7}, 1<<20)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, _, err := s.Put(context.Background(), bytes.NewReader(content), bonfire.DigestOf(content), 0)
			if err == nil && d != bonfire.DigestOf(content) {
				err = errors.New("wrong digest " + string(d))
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	p, _ := s.Path(bonfire.DigestOf(content))
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("stored content differs after concurrent puts (%v)", err)
	}
	assertNoTemps(t, s)
}

// failingReader yields some bytes and then an error, like a dropped upload.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), r.n)
	r.n -= n
	return n, nil
}

func TestPutBrokenReaderAndCancellation(t *testing.T) {
	t.Parallel()
	s := openTemp(t)
	_, _, err := s.Put(context.Background(), &failingReader{n: 1000}, "", 0)
	if bonfire.Code(err) != bonfire.ECodeInvalid || !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("Put from a broken reader = %v, want invalid naming the cause", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Put(ctx, strings.NewReader("x"), "", 0); bonfire.Code(err) != bonfire.ECodeCancelled {
		t.Errorf("Put with a cancelled context = %v, want cancelled", err)
	}
	assertNoTemps(t, s)
}

func TestMissingAndMalformedDigests(t *testing.T) {
	t.Parallel()
	s := openTemp(t)
	ctx := context.Background()
	missing := bonfire.DigestOf([]byte("never stored"))
	if _, _, err := s.Open(ctx, missing); bonfire.Code(err) != bonfire.ECodeNotFound || !strings.Contains(err.Error(), string(missing)) {
		t.Errorf("Open(missing) = %v, want not found naming the digest", err)
	}
	if _, err := s.Stat(ctx, missing); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("Stat(missing) = %v", err)
	}
	if _, err := s.Path(missing); bonfire.Code(err) != bonfire.ECodeNotFound {
		t.Errorf("Path(missing) = %v", err)
	}
	for _, bad := range []bonfire.Digest{"", "sha256:../../etc/passwd", "md5:abc"} {
		if _, _, err := s.Open(ctx, bad); bonfire.Code(err) != bonfire.ECodeInvalid {
			t.Errorf("Open(%q) = %v, want invalid", bad, err)
		}
	}
}

func TestOpenCleansStaleTempsAndRejectsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(s.tmpDir, "put-stale")
	fresh := filepath.Join(s.tmpDir, "put-fresh")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleTemp)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a stale temp file survived Open: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a recent temp file (maybe another process's upload) was removed: %v", err)
	}

	file := filepath.Join(dir, "plain")
	os.WriteFile(file, nil, 0o600)
	if _, err := Open(file); bonfire.Code(err) != bonfire.ECodeInternal || !strings.Contains(err.Error(), "directory") {
		t.Errorf("Open(a file) = %v, want an error saying it needs a directory", err)
	}
}

func assertNoTemps(t *testing.T, s *Store) {
	t.Helper()
	entries, err := os.ReadDir(s.tmpDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("%d temporary files left behind", len(entries))
	}
}
