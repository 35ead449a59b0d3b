package hostinfo

import "os"

func totalMemory() (int64, error) {
	const path = "/proc/meminfo"
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, procReadError(path, err)
	}
	return parseMemInfo(b)
}
