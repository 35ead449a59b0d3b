//go:build !linux

package dockerexec

import "errors"

func mountTmpfs(string, int64) error { return errors.New("tmpfs needs Linux") }

func unmount(string) error { return nil }

func tmpfsFull(string) bool { return false }
