package hostinfo

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/bonfirenet/bonfire"
)

// CommandRunner runs an external program and returns its standard output.
// When the program is not installed, the error wraps exec.ErrNotFound;
// when it exits non-zero, the output read so far is returned together with
// an *exec.ExitError.
type CommandRunner interface {
	Output(ctx context.Context, name string, args ...string) ([]byte, error)
}

// ExecRunner runs real programs. SearchPath is a PATH-style list of
// directories to look in; empty means the process's $PATH. It is a field
// rather than an environment change so that tests can point one detector at
// a fake nvidia-smi while other tests run in parallel.
type ExecRunner struct {
	SearchPath string
}

// nvidiaSMITimeout bounds one nvidia-smi call: with a wedged driver it can
// hang for minutes, and provider start-up must not hang with it.
const nvidiaSMITimeout = 20 * time.Second

// Output implements CommandRunner.
func (r ExecRunner) Output(ctx context.Context, name string, args ...string) ([]byte, error) {
	path, err := r.lookPath(name)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, path, args...)
	// A program killed by ctx may leave grandchildren holding stdout open;
	// do not wait for them forever.
	cmd.WaitDelay = time.Second
	return cmd.Output()
}

func (r ExecRunner) lookPath(name string) (string, error) {
	if r.SearchPath == "" {
		return exec.LookPath(name)
	}
	for _, dir := range filepath.SplitList(r.SearchPath) {
		if dir == "" {
			continue
		}
		// A name with a separator is checked directly (with PATHEXT on
		// windows), which is exactly the per-directory test we need.
		// Not filepath.Join: it turns "." + name into a bare name, which
		// LookPath would search for in $PATH instead.
		if path, err := exec.LookPath(dir + string(filepath.Separator) + name); err == nil {
			return path, nil
		}
	}
	return "", &exec.Error{Name: name, Err: exec.ErrNotFound}
}

// Detector finds out what the machine has. The zero value uses the real
// system; Runner is replaceable so the GPU path can be tested.
type Detector struct {
	Runner CommandRunner // nil means ExecRunner{}
}

// Detect reports this machine's hardware with the real system.
func Detect(ctx context.Context) (bonfire.Hardware, error) {
	return Detector{}.Detect(ctx)
}

// Detect reports this machine's hardware. GPUs are listed only when
// nvidia-smi is installed; its absence is not an error. When nvidia-smi is
// installed but fails or prints something unreadable, Detect returns
// everything else it found together with the error, so a caller may choose
// to carry on without GPUs.
func (d Detector) Detect(ctx context.Context) (bonfire.Hardware, error) {
	hw := bonfire.Hardware{
		OS:       runtime.GOOS,
		Arch:     runtime.GOARCH,
		CPUCores: runtime.NumCPU(),
	}
	mem, err := totalMemory()
	if err != nil {
		return hw, err
	}
	hw.MemoryBytes = mem
	hw.GPUs, err = d.gpus(ctx)
	return hw, err
}

func (d Detector) runner() CommandRunner {
	if d.Runner == nil {
		return ExecRunner{}
	}
	return d.Runner
}

func (d Detector) gpus(ctx context.Context) ([]bonfire.GPU, error) {
	ctx, cancel := context.WithTimeout(ctx, nvidiaSMITimeout)
	defer cancel()
	out, err := d.runner().Output(ctx, "nvidia-smi", nvidiaQueryArgs...)
	if errors.Is(err, exec.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		if noDevices(out, err) {
			return nil, nil
		}
		return nil, nvidiaFailure(ctx, err)
	}
	gpus, err := ParseNvidiaSMI(out)
	if err != nil || len(gpus) == 0 {
		return nil, err
	}
	// The CUDA version only appears in the human-readable banner. It is
	// optional information, so a failure here leaves it empty.
	if banner, err := d.runner().Output(ctx, "nvidia-smi"); err == nil {
		if cuda := ParseCUDAVersion(banner); cuda != "" {
			for i := range gpus {
				gpus[i].CUDA = cuda
			}
		}
	}
	return gpus, nil
}

// noDevices recognises nvidia-smi's way of saying the driver is installed
// but there is no card: it exits non-zero with this message.
func noDevices(stdout []byte, err error) bool {
	msg := "No devices were found"
	if bytes.Contains(stdout, []byte(msg)) {
		return true
	}
	var exitErr *exec.ExitError
	return errors.As(err, &exitErr) && bytes.Contains(exitErr.Stderr, []byte(msg))
}

func nvidiaFailure(ctx context.Context, err error) *bonfire.Error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return bonfire.Errorf(bonfire.ECodeTimeout, "nvidia-smi did not answer in time").
			WithField("gpus").
			WithHint("check that the NVIDIA driver is loaded (nvidia-smi should answer within seconds)")
	case ctx.Err() != nil:
		return bonfire.Errorf(bonfire.ECodeCancelled, "GPU detection was cancelled").WithField("gpus")
	}
	detail := err.Error()
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if stderr := bytes.TrimSpace(exitErr.Stderr); len(stderr) > 0 {
			detail += ": " + string(stderr)
		}
	}
	return bonfire.Errorf(bonfire.ECodeUnavailable, "nvidia-smi failed: %s", detail).
		WithField("gpus").
		WithHint("run nvidia-smi yourself to see the problem; a driver/library version mismatch is fixed by rebooting or reinstalling the driver")
}
