package dockerexec

import (
	"strconv"

	"golang.org/x/sys/unix"
)

func mountTmpfs(dir string, size int64) error {
	return unix.Mount("tmpfs", dir, "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "size="+strconv.FormatInt(size, 10)+",mode=0777")
}

func unmount(dir string) error { return unix.Unmount(dir, unix.MNT_DETACH) }

// tmpfsFull reports whether the filesystem at dir has no block left.
func tmpfsFull(dir string) bool {
	var st unix.Statfs_t
	return unix.Statfs(dir, &st) == nil && st.Bfree == 0
}
