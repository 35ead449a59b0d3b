package wasmexec

import (
	"hash/fnv"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	experimentalsys "github.com/tetratelabs/wazero/experimental/sys"
	"github.com/tetratelabs/wazero/sys"
)

// guestFS is what the guest sees of one mount. It wraps wazero's directory
// file system to
//   - sort directory listings (host order depends on the file system),
//   - normalise metadata when the run is deterministic (host timestamps,
//     inode and device numbers, link counts and directory sizes differ
//     between hosts and runs),
//   - charge writes to the run's output quota before they happen, and
//   - refuse links in the writable mount, which could otherwise point the
//     provider's output collection at host files.
type guestFS struct {
	inner     experimentalsys.FS
	dev       uint64       // reported device number when normalising
	normalize bool         // deterministic metadata
	quota     *outputQuota // nil for read-only mounts
}

func (g *guestFS) OpenFile(p string, flag experimentalsys.Oflag, perm fs.FileMode) (experimentalsys.File, experimentalsys.Errno) {
	f, errno := g.inner.OpenFile(p, flag, perm)
	if errno != 0 {
		return nil, errno
	}
	return &guestFile[int64]{File: f, fs: g, path: cleanGuestPath(p)}, 0
}

func (g *guestFS) Lstat(p string) (sys.Stat_t, experimentalsys.Errno) {
	st, errno := g.inner.Lstat(p)
	return g.fixStat(cleanGuestPath(p), st), errno
}

func (g *guestFS) Stat(p string) (sys.Stat_t, experimentalsys.Errno) {
	st, errno := g.inner.Stat(p)
	return g.fixStat(cleanGuestPath(p), st), errno
}

func (g *guestFS) Mkdir(p string, perm fs.FileMode) experimentalsys.Errno {
	return g.inner.Mkdir(p, perm)
}

func (g *guestFS) Chmod(p string, perm fs.FileMode) experimentalsys.Errno {
	return g.inner.Chmod(p, perm)
}

func (g *guestFS) Rename(from, to string) experimentalsys.Errno { return g.inner.Rename(from, to) }
func (g *guestFS) Rmdir(p string) experimentalsys.Errno         { return g.inner.Rmdir(p) }
func (g *guestFS) Unlink(p string) experimentalsys.Errno        { return g.inner.Unlink(p) }

func (g *guestFS) Link(oldPath, newPath string) experimentalsys.Errno {
	if g.quota != nil {
		return experimentalsys.EPERM
	}
	return g.inner.Link(oldPath, newPath)
}

func (g *guestFS) Symlink(oldPath, linkName string) experimentalsys.Errno {
	if g.quota != nil {
		return experimentalsys.EPERM
	}
	return g.inner.Symlink(oldPath, linkName)
}

func (g *guestFS) Readlink(p string) (string, experimentalsys.Errno) { return g.inner.Readlink(p) }

func (g *guestFS) Utimens(p string, atim, mtim int64) experimentalsys.Errno {
	return g.inner.Utimens(p, atim, mtim)
}

func (g *guestFS) fixStat(guestPath string, st sys.Stat_t) sys.Stat_t {
	if !g.normalize {
		return st
	}
	st.Dev = g.dev
	st.Ino = g.inode(guestPath)
	st.Nlink = 1
	st.Atim, st.Mtim, st.Ctim = 0, 0, 0
	if st.Mode.IsDir() {
		st.Size = 0
	}
	return st
}

// inode derives a stable, non-zero inode number from a path within the mount.
func (g *guestFS) inode(guestPath string) sys.Inode {
	h := fnv.New64a()
	var dev [8]byte
	for i := range dev {
		dev[i] = byte(g.dev >> (8 * i))
	}
	h.Write(dev[:])
	h.Write([]byte(guestPath))
	if ino := h.Sum64(); ino != 0 {
		return ino
	}
	return 1
}

// cleanGuestPath turns a path relative to the mount ("a/b", ".", "a/") into
// one canonical form ("/a/b", "/") for inode derivation.
func cleanGuestPath(p string) string {
	return path.Clean("/" + strings.TrimPrefix(p, "/"))
}

// guestFile wraps one open file or directory of a guestFS. It is generic
// only for go vet: its Seek must match wazero's sys.File (returning an
// Errno), which vet's stdmethods check flags as a malformed io.Seeker
// unless the offset's type is a type parameter. Offset is always int64.
type guestFile[Offset ~int64] struct {
	experimentalsys.File
	fs   *guestFS
	path string

	// listing holds the rest of a sorted directory listing once read.
	listing       []experimentalsys.Dirent
	listingLoaded bool
}

func (f *guestFile[Offset]) Dev() (uint64, experimentalsys.Errno) {
	if f.fs.normalize {
		return f.fs.dev, 0
	}
	return f.File.Dev()
}

func (f *guestFile[Offset]) Ino() (sys.Inode, experimentalsys.Errno) {
	if f.fs.normalize {
		return f.fs.inode(f.path), 0
	}
	return f.File.Ino()
}

func (f *guestFile[Offset]) Stat() (sys.Stat_t, experimentalsys.Errno) {
	st, errno := f.File.Stat()
	return f.fs.fixStat(f.path, st), errno
}

// Readdir reads the whole directory on first use so it can be returned in
// name order; wazero reads listings in chunks and rewinds with Seek(0).
func (f *guestFile[Offset]) Readdir(n int) ([]experimentalsys.Dirent, experimentalsys.Errno) {
	if !f.listingLoaded {
		all, errno := f.File.Readdir(-1)
		if errno != 0 {
			return nil, errno
		}
		slices.SortFunc(all, func(a, b experimentalsys.Dirent) int { return strings.Compare(a.Name, b.Name) })
		if f.fs.normalize {
			for i := range all {
				all[i].Ino = f.fs.inode(path.Join(f.path, all[i].Name))
			}
		}
		f.listing, f.listingLoaded = all, true
	}
	if n <= 0 || n > len(f.listing) {
		n = len(f.listing)
	}
	// The capacity is cut so that a caller appending to the result cannot
	// overwrite entries not yet returned.
	out := f.listing[:n:n]
	f.listing = f.listing[n:]
	return out, 0
}

// Seek notices rewinds, after which a directory is listed afresh.
func (f *guestFile[Offset]) Seek(offset Offset, whence int) (Offset, experimentalsys.Errno) {
	if offset == 0 && whence == io.SeekStart {
		f.listing, f.listingLoaded = nil, false
	}
	n, errno := f.File.Seek(int64(offset), whence)
	return Offset(n), errno
}

func (f *guestFile[Offset]) Write(buf []byte) (int, experimentalsys.Errno) {
	if f.fs.quota == nil {
		return f.File.Write(buf)
	}
	at := int64(-1) // unknown: an append, or a file that cannot seek
	if !f.File.IsAppend() {
		if off, errno := f.File.Seek(0, io.SeekCurrent); errno == 0 {
			at = off
		}
	}
	charged := f.holeBefore(at) + int64(len(buf))
	f.fs.quota.charge(charged)
	n, errno := f.File.Write(buf)
	f.fs.quota.refund(int64(len(buf) - n))
	return n, errno
}

func (f *guestFile[Offset]) Pwrite(buf []byte, off int64) (int, experimentalsys.Errno) {
	if f.fs.quota == nil {
		return f.File.Pwrite(buf, off)
	}
	f.fs.quota.charge(f.holeBefore(off) + int64(len(buf)))
	n, errno := f.File.Pwrite(buf, off)
	f.fs.quota.refund(int64(len(buf) - n))
	return n, errno
}

func (f *guestFile[Offset]) Truncate(size int64) experimentalsys.Errno {
	if f.fs.quota != nil {
		// Growing a file writes zeros as far as anyone reading it can tell.
		f.fs.quota.charge(f.holeBefore(size))
	}
	return f.File.Truncate(size)
}

// holeBefore is how many bytes past the current end of the file offset is:
// writing there leaves a hole that reads back as zeros, and the provider
// would upload those zeros like any other output bytes.
func (f *guestFile[Offset]) holeBefore(offset int64) int64 {
	if offset < 0 {
		return 0
	}
	st, errno := f.File.Stat()
	if errno != 0 || offset <= st.Size {
		return 0
	}
	return offset - st.Size
}

var (
	_ experimentalsys.FS   = (*guestFS)(nil)
	_ experimentalsys.File = (*guestFile[int64])(nil)
)
