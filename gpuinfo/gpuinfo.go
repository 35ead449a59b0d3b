package gpuinfo

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
)

// QueryArgs are the nvidia-smi arguments whose output ParseCSV reads.
var QueryArgs = []string{"--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits"}

// MaxGPUs bounds how many lines ParseCSV accepts.
const MaxGPUs = 256

// Runner runs a command and returns its standard output.
type Runner func(ctx context.Context, name string, args ...string) ([]byte, error)

// ExecRunner runs the command on this machine.
func ExecRunner(ctx context.Context, name string, args ...string) ([]byte, error) {
	return exec.CommandContext(ctx, name, args...).Output()
}

// Discover lists this machine's NVIDIA GPUs, or none when nvidia-smi is
// not installed. An nvidia-smi that fails or prints nonsense is an error.
func Discover(ctx context.Context) ([]bonfire.GPU, error) {
	if _, err := exec.LookPath("nvidia-smi"); err != nil {
		return nil, nil
	}
	return DiscoverWith(ctx, ExecRunner)
}

// DiscoverWith is Discover with the command runner given.
func DiscoverWith(ctx context.Context, run Runner) ([]bonfire.GPU, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := run(ctx, "nvidia-smi", QueryArgs...)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "nvidia-smi failed: %v", err).
			WithHint("check the NVIDIA driver (nvidia-smi should list the GPUs), or run the provider without GPUs")
	}
	gpus, err := ParseCSV(out)
	if err != nil {
		return nil, err
	}
	if banner, err := run(ctx, "nvidia-smi"); err == nil {
		cuda := ParseCUDAVersion(banner)
		for i := range gpus {
			gpus[i].CUDA = cuda
		}
	}
	return gpus, nil
}

// ParseCSV reads nvidia-smi's --query-gpu=name,memory.total,driver_version
// --format=csv,noheader,nounits output: one GPU per line, memory in MiB.
func ParseCSV(out []byte) ([]bonfire.GPU, error) {
	var gpus []bonfire.GPU
	for n, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" {
			continue
		}
		if len(gpus) == MaxGPUs {
			return nil, bad(n, "more than %d GPUs", MaxGPUs)
		}
		fields := strings.Split(line, ",")
		if len(fields) != 3 {
			return nil, bad(n, "%d fields, want name, memory.total, driver_version", len(fields))
		}
		name := strings.TrimSpace(fields[0])
		memText := strings.TrimSpace(fields[1])
		driver := strings.TrimSpace(fields[2])
		if name == "" || !printable(name) || len(name) > 128 {
			return nil, bad(n, "the GPU name %q is not usable", clip(name))
		}
		mib, err := strconv.ParseInt(memText, 10, 64)
		if err != nil || mib < 0 || mib > 1<<30 {
			return nil, bad(n, "memory %q is not a number of MiB", clip(memText))
		}
		if !printable(driver) || len(driver) > 64 {
			return nil, bad(n, "the driver version %q is not usable", clip(driver))
		}
		if driver == "[N/A]" || driver == "N/A" {
			driver = ""
		}
		gpus = append(gpus, bonfire.GPU{Vendor: "NVIDIA", Model: name, MemoryBytes: mib << 20, Driver: driver})
	}
	return gpus, nil
}

var cudaRE = regexp.MustCompile(`CUDA Version:\s*([0-9]+(?:\.[0-9]+)*)`)

// ParseCUDAVersion finds "CUDA Version: 12.2" in nvidia-smi's banner; ""
// when it is not there.
func ParseCUDAVersion(banner []byte) string {
	if m := cudaRE.FindSubmatch(banner); m != nil && len(m[1]) <= 16 {
		return string(m[1])
	}
	return ""
}

func bad(line int, format string, args ...any) error {
	return bonfire.Errorf(bonfire.ECodeInvalid, "nvidia-smi output line %d: %s", line+1, fmt.Sprintf(format, args...)).
		WithHint("run nvidia-smi " + strings.Join(QueryArgs, " ") + " by hand; a driver that prints something else is not supported")
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\uFFFD' {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
