package gpuinfo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bonfirenet/bonfire"
)

const twoGPUs = "NVIDIA A100-SXM4-40GB, 40960, 535.104.05\r\nTesla T4, 15360, 535.104.05\n\n"

func TestParseCSV(t *testing.T) {
	t.Parallel()
	gpus, err := ParseCSV([]byte(twoGPUs))
	if err != nil {
		t.Fatal(err)
	}
	want := []bonfire.GPU{
		{Vendor: "NVIDIA", Model: "NVIDIA A100-SXM4-40GB", MemoryBytes: 40960 << 20, Driver: "535.104.05"},
		{Vendor: "NVIDIA", Model: "Tesla T4", MemoryBytes: 15360 << 20, Driver: "535.104.05"},
	}
	if len(gpus) != 2 || gpus[0] != want[0] || gpus[1] != want[1] {
		t.Fatalf("got %+v", gpus)
	}
	if none, err := ParseCSV(nil); err != nil || len(none) != 0 {
		t.Fatalf("empty output: %v %v", none, err)
	}
	na, err := ParseCSV([]byte("GPU X, 1024, [N/A]"))
	if err != nil || na[0].Driver != "" {
		t.Fatalf("N/A driver: %+v %v", na, err)
	}
}

func TestParseCSVRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"A100, 40960",                    // too few fields
		"A100, 40960, 535, extra",        // too many
		", 40960, 535",                   // no name
		"A100, lots, 535",                // memory not a number
		"A100, -1, 535",                  // negative
		"A100, 40960 MiB, 535",           // units left on
		"A\x00100, 1, 535",               // control character
		strings.Repeat("G, 1, 1\n", 257), // too many GPUs
	} {
		_, err := ParseCSV([]byte(in))
		var e *bonfire.Error
		if !errors.As(err, &e) || e.Code != bonfire.ECodeInvalid || !strings.Contains(e.Message, "line") || e.Hint == "" {
			t.Errorf("%q: error %v", in, err)
		}
	}
}

func TestParseCUDAVersion(t *testing.T) {
	t.Parallel()
	banner := "| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2     |"
	if got := ParseCUDAVersion([]byte(banner)); got != "12.2" {
		t.Fatalf("got %q", got)
	}
	if got := ParseCUDAVersion([]byte("no cuda here")); got != "" {
		t.Fatalf("got %q", got)
	}
}

func TestDiscoverWith(t *testing.T) {
	t.Parallel()
	run := func(_ context.Context, name string, args ...string) ([]byte, error) {
		if len(args) == 0 {
			return []byte("Driver Version: 535.104.05   CUDA Version: 12.2"), nil
		}
		return []byte(twoGPUs), nil
	}
	gpus, err := DiscoverWith(context.Background(), run)
	if err != nil || len(gpus) != 2 || gpus[1].CUDA != "12.2" {
		t.Fatalf("%+v %v", gpus, err)
	}
	failing := func(context.Context, string, ...string) ([]byte, error) { return nil, errors.New("driver gone") }
	if _, err := DiscoverWith(context.Background(), failing); bonfire.Code(err) != bonfire.ECodeUnavailable {
		t.Fatalf("failing nvidia-smi: %v", err)
	}
	// This machine: no nvidia-smi means no GPUs and no error.
	if gpus, err := Discover(context.Background()); err != nil {
		t.Logf("nvidia-smi present but failing here: %v", err)
	} else {
		t.Logf("this machine has %d GPUs", len(gpus))
	}
}

func FuzzParseCSV(f *testing.F) {
	for _, s := range []string{twoGPUs, "", "a,b,c", "A, 1, 2\nB, 3", "X, 99999999999999999999, 1", "\xff, 1, 1", ",,", "A100, 0, [N/A]\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		gpus, err := ParseCSV(data)
		if err != nil {
			var e *bonfire.Error
			if !errors.As(err, &e) || e.Message == "" {
				t.Fatalf("malformed error %T %v", err, err)
			}
			return
		}
		for _, g := range gpus {
			if g.Model == "" || g.MemoryBytes < 0 || g.Vendor != "NVIDIA" || !utf8.ValidString(g.Model) && strings.ContainsRune(g.Model, 0) {
				t.Fatalf("bad GPU %+v", g)
			}
		}
		if len(gpus) > MaxGPUs {
			t.Fatalf("%d GPUs", len(gpus))
		}
	})
}
