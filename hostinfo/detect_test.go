package hostinfo

import (
	"context"
	"errors"
	"os/exec"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

// runnerFunc adapts a function to CommandRunner.
type runnerFunc func(ctx context.Context, name string, args ...string) ([]byte, error)

func (f runnerFunc) Output(ctx context.Context, name string, args ...string) ([]byte, error) {
	return f(ctx, name, args...)
}

func TestDetectReportsThisMachine(t *testing.T) {
	t.Parallel()
	notInstalled := runnerFunc(func(context.Context, string, ...string) ([]byte, error) {
		return nil, &exec.Error{Name: "nvidia-smi", Err: exec.ErrNotFound}
	})
	hw, err := Detector{Runner: notInstalled}.Detect(t.Context())
	if err != nil {
		t.Fatalf("Detect: %v", err)
	}
	if hw.OS != runtime.GOOS || hw.Arch != runtime.GOARCH || hw.CPUCores != runtime.NumCPU() {
		t.Errorf("Detect = %+v, want OS %s arch %s cores %d", hw, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	}
	if hw.MemoryBytes < 64<<20 {
		t.Errorf("MemoryBytes = %d, implausibly small", hw.MemoryBytes)
	}
	if len(hw.GPUs) != 0 {
		t.Errorf("GPUs = %+v without nvidia-smi, want none", hw.GPUs)
	}
}

func TestDetectPassesTheQueryAndAddsCUDA(t *testing.T) {
	t.Parallel()
	var calls [][]string
	fake := runnerFunc(func(_ context.Context, name string, args ...string) ([]byte, error) {
		calls = append(calls, append([]string{name}, args...))
		if len(args) == 0 {
			return []byte("| NVIDIA-SMI 550.54.14   Driver Version: 550.54.14   CUDA Version: 12.4 |\n"), nil
		}
		return []byte("NVIDIA L4, 23034, 550.54.14\n"), nil
	})
	hw, err := Detector{Runner: fake}.Detect(t.Context())
	if err != nil {
		t.Fatalf("Detect: %v", err)
	}
	want := bonfire.GPU{Vendor: "NVIDIA", Model: "NVIDIA L4", MemoryBytes: 23034 << 20, Driver: "550.54.14", CUDA: "12.4"}
	if len(hw.GPUs) != 1 || hw.GPUs[0] != want {
		t.Errorf("GPUs = %+v, want [%+v]", hw.GPUs, want)
	}
	wantQuery := []string{"nvidia-smi", "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader,nounits"}
	if len(calls) != 2 || !slices.Equal(calls[0], wantQuery) || !slices.Equal(calls[1], []string{"nvidia-smi"}) {
		t.Errorf("calls = %q, want the query then the plain banner", calls)
	}
}

func TestDetectWithoutCUDABannerStillListsGPUs(t *testing.T) {
	t.Parallel()
	fake := runnerFunc(func(_ context.Context, _ string, args ...string) ([]byte, error) {
		if len(args) == 0 {
			return nil, errors.New("banner broke")
		}
		return []byte("Tesla T4, 15360, 535.129.03\n"), nil
	})
	hw, err := Detector{Runner: fake}.Detect(t.Context())
	if err != nil {
		t.Fatalf("Detect: %v", err)
	}
	if len(hw.GPUs) != 1 || hw.GPUs[0].Model != "Tesla T4" || hw.GPUs[0].CUDA != "" {
		t.Errorf("GPUs = %+v, want one Tesla T4 without a CUDA version", hw.GPUs)
	}
}

func TestDetectStopsWaitingForAHungNvidiaSMI(t *testing.T) {
	t.Parallel()
	hung := runnerFunc(func(ctx context.Context, _ string, _ ...string) ([]byte, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	expired, cancelExpired := context.WithDeadline(t.Context(), time.Unix(0, 0))
	defer cancelExpired()
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	for _, tt := range []struct {
		name string
		ctx  context.Context
		want bonfire.ErrorCode
	}{
		{"deadline passed", expired, bonfire.ECodeTimeout},
		{"cancelled", cancelled, bonfire.ECodeCancelled},
	} {
		hw, err := Detector{Runner: hung}.Detect(tt.ctx)
		var e *bonfire.Error
		if !errors.As(err, &e) || e.Code != tt.want || e.Field != "gpus" {
			t.Errorf("%s: Detect error = %#v, want code %q for field gpus", tt.name, err, tt.want)
		}
		if hw.MemoryBytes <= 0 || hw.CPUCores <= 0 {
			t.Errorf("%s: Detect = %+v with the GPU error, want the rest still filled in", tt.name, hw)
		}
	}
}
