package hostinfo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// writeFakeNvidiaSMI puts an executable nvidia-smi script in a fresh
// directory and returns the directory, to be used as the search path.
func writeFakeNvidiaSMI(t *testing.T, script string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "nvidia-smi"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestDetectWithFakeNvidiaSMI runs real executables. Its subtests are not
// parallel: writing an executable while another goroutine forks can leave
// the file open in the child and make exec fail with "text file busy".
func TestDetectWithFakeNvidiaSMI(t *testing.T) {
	t.Run("GPUs listed with CUDA", func(t *testing.T) {
		dir := writeFakeNvidiaSMI(t, `
if [ "$1" = "--query-gpu=name,memory.total,driver_version" ] && [ "$2" = "--format=csv,noheader,nounits" ] && [ $# -eq 2 ]; then
	printf 'NVIDIA A100-SXM4-80GB, 81920, 535.129.03\nTesla T4, 15360, 535.129.03\n'
	exit 0
fi
if [ $# -eq 0 ]; then
	printf '| NVIDIA-SMI 535.129.03   Driver Version: 535.129.03   CUDA Version: 12.2 |\n'
	exit 0
fi
echo "unexpected arguments: $*" >&2
exit 2
`)
		hw, err := Detector{Runner: ExecRunner{SearchPath: dir}}.Detect(t.Context())
		if err != nil {
			t.Fatalf("Detect: %v", err)
		}
		want := []bonfire.GPU{
			{Vendor: "NVIDIA", Model: "NVIDIA A100-SXM4-80GB", MemoryBytes: 81920 << 20, Driver: "535.129.03", CUDA: "12.2"},
			{Vendor: "NVIDIA", Model: "Tesla T4", MemoryBytes: 15360 << 20, Driver: "535.129.03", CUDA: "12.2"},
		}
		if len(hw.GPUs) != len(want) || hw.GPUs[0] != want[0] || hw.GPUs[1] != want[1] {
			t.Errorf("GPUs = %+v, want %+v", hw.GPUs, want)
		}
	})
	t.Run("not installed", func(t *testing.T) {
		empty := t.TempDir()
		hw, err := Detector{Runner: ExecRunner{SearchPath: empty}}.Detect(t.Context())
		if err != nil || len(hw.GPUs) != 0 {
			t.Errorf("Detect = %+v, %v; want no GPUs and no error", hw.GPUs, err)
		}
	})
	t.Run("not executable is not installed", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "nvidia-smi"), []byte("#!/bin/sh\nexit 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		hw, err := Detector{Runner: ExecRunner{SearchPath: dir}}.Detect(t.Context())
		if err != nil || len(hw.GPUs) != 0 {
			t.Errorf("Detect = %+v, %v; want no GPUs and no error", hw.GPUs, err)
		}
	})
	t.Run("no devices", func(t *testing.T) {
		dir := writeFakeNvidiaSMI(t, "echo 'No devices were found'\nexit 6\n")
		hw, err := Detector{Runner: ExecRunner{SearchPath: dir}}.Detect(t.Context())
		if err != nil || len(hw.GPUs) != 0 {
			t.Errorf("Detect = %+v, %v; want no GPUs and no error", hw.GPUs, err)
		}
	})
	t.Run("driver broken", func(t *testing.T) {
		dir := writeFakeNvidiaSMI(t, "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\" >&2\nexit 9\n")
		hw, err := Detector{Runner: ExecRunner{SearchPath: dir}}.Detect(t.Context())
		if bonfire.Code(err) != bonfire.ECodeUnavailable {
			t.Fatalf("Detect error = %v, want code %q", err, bonfire.ECodeUnavailable)
		}
		if !strings.Contains(err.Error(), "couldn't communicate with the NVIDIA driver") {
			t.Errorf("error %q does not carry nvidia-smi's stderr", err)
		}
		if hw.MemoryBytes <= 0 || len(hw.GPUs) != 0 {
			t.Errorf("Detect = %+v, want memory filled in and no GPUs", hw)
		}
	})
	t.Run("garbage output", func(t *testing.T) {
		dir := writeFakeNvidiaSMI(t, "echo 'Tesla T4, sixteen gigs, 535'\n")
		_, err := Detector{Runner: ExecRunner{SearchPath: dir}}.Detect(t.Context())
		var e *bonfire.Error
		if err == nil || !strings.Contains(err.Error(), `"sixteen gigs"`) {
			t.Fatalf("Detect error = %v, want one quoting the bad memory value", err)
		}
		if !errors.As(err, &e) || e.Field != "nvidia-smi line 1" {
			t.Errorf("error %#v should be a *bonfire.Error for nvidia-smi line 1", err)
		}
	})
}

// TestDetectMemoryMatchesSysinfo checks /proc/meminfo parsing against the
// kernel's other report of the same number.
func TestDetectMemoryMatchesSysinfo(t *testing.T) {
	t.Parallel()
	mem, err := totalMemory()
	if err != nil {
		t.Fatalf("totalMemory: %v", err)
	}
	var info syscall.Sysinfo_t
	if err := syscall.Sysinfo(&info); err != nil {
		t.Fatal(err)
	}
	if want := int64(info.Totalram) * int64(info.Unit); mem != want {
		t.Errorf("totalMemory = %d, sysinfo says %d", mem, want)
	}
}
