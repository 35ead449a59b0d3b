//go:build !linux && !darwin && !windows

package hostinfo

import (
	"runtime"

	"github.com/bonfirenet/bonfire"
)

func totalMemory() (int64, error) {
	return 0, bonfire.Errorf(bonfire.ECodeInvalid, "detecting memory is not supported on %s", runtime.GOOS).
		WithField("memoryBytes").WithHint("run the provider on linux, darwin or windows")
}
