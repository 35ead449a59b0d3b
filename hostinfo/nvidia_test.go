package hostinfo

import (
	"errors"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

const mib = 1 << 20

func TestParseNvidiaSMI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []bonfire.GPU
	}{
		{
			name: "one GPU",
			in:   "NVIDIA GeForce RTX 4090, 24564, 550.54.14\n",
			want: []bonfire.GPU{{Vendor: "NVIDIA", Model: "NVIDIA GeForce RTX 4090", MemoryBytes: 24564 * mib, Driver: "550.54.14"}},
		},
		{
			name: "several GPUs",
			in: "NVIDIA A100-SXM4-80GB, 81920, 535.129.03\n" +
				"NVIDIA A100-SXM4-80GB, 81920, 535.129.03\n" +
				"Tesla T4, 15360, 535.129.03\n",
			want: []bonfire.GPU{
				{Vendor: "NVIDIA", Model: "NVIDIA A100-SXM4-80GB", MemoryBytes: 81920 * mib, Driver: "535.129.03"},
				{Vendor: "NVIDIA", Model: "NVIDIA A100-SXM4-80GB", MemoryBytes: 81920 * mib, Driver: "535.129.03"},
				{Vendor: "NVIDIA", Model: "Tesla T4", MemoryBytes: 15360 * mib, Driver: "535.129.03"},
			},
		},
		{
			name: "odd spacing, CRLF and blank lines",
			in:   "\r\n   Tesla V100-PCIE-16GB ,16160,   470.82.01   \r\n\n\t Quadro RTX 8000,   49152 ,470.82.01\r\n\n",
			want: []bonfire.GPU{
				{Vendor: "NVIDIA", Model: "Tesla V100-PCIE-16GB", MemoryBytes: 16160 * mib, Driver: "470.82.01"},
				{Vendor: "NVIDIA", Model: "Quadro RTX 8000", MemoryBytes: 49152 * mib, Driver: "470.82.01"},
			},
		},
		{
			name: "memory not reported",
			in:   "NVIDIA GB10, [N/A], 580.95.05\nOrin, [Not Supported], [N/A]\n",
			want: []bonfire.GPU{
				{Vendor: "NVIDIA", Model: "NVIDIA GB10", MemoryBytes: 0, Driver: "580.95.05"},
				{Vendor: "NVIDIA", Model: "Orin", MemoryBytes: 0, Driver: ""},
			},
		},
		{
			name: "comma in the model name",
			in:   "Weird, Inc. Card, 1024, 1.0\n",
			want: []bonfire.GPU{{Vendor: "NVIDIA", Model: "Weird, Inc. Card", MemoryBytes: 1024 * mib, Driver: "1.0"}},
		},
		{name: "no GPUs", in: "", want: nil},
		{name: "only whitespace", in: " \n\r\n\t\n", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseNvidiaSMI([]byte(tt.in))
			if err != nil {
				t.Fatalf("ParseNvidiaSMI: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d GPUs %+v, want %d %+v", len(got), got, len(tt.want), tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("GPU %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseNvidiaSMIRejectsGarbage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		wantField string
		wantInMsg string
	}{
		{"error banner", "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n", "nvidia-smi line 1", "3 comma-separated columns"},
		{"too few columns", "Tesla T4, 15360\n", "nvidia-smi line 1", "got 2"},
		{"memory with unit", "Tesla T4, 15360 MiB, 535.129.03\n", "nvidia-smi line 1", `"15360 MiB"`},
		{"negative memory", "Tesla T4, -1, 535\n", "nvidia-smi line 1", `"-1"`},
		{"fractional memory", "Tesla T4, 1.5, 535\n", "nvidia-smi line 1", `"1.5"`},
		{"absurd memory", "Tesla T4, 9223372036854775807, 535\n", "nvidia-smi line 1", "too large"},
		{"empty name", " , 1024, 535\n", "nvidia-smi line 1", "name is empty"},
		{"bad second line", "Tesla T4, 15360, 535\n\nTesla T4, lots, 535\n", "nvidia-smi line 3", `"lots"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			gpus, err := ParseNvidiaSMI([]byte(tt.in))
			if err == nil {
				t.Fatalf("ParseNvidiaSMI(%q) = %+v, want an error", tt.in, gpus)
			}
			var e *bonfire.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not a *bonfire.Error", err, err)
			}
			if e.Field != tt.wantField {
				t.Errorf("Field = %q, want %q", e.Field, tt.wantField)
			}
			if !strings.Contains(e.Message, tt.wantInMsg) {
				t.Errorf("Message %q does not mention %q", e.Message, tt.wantInMsg)
			}
			if !strings.Contains(e.Hint, "nvidia-smi --query-gpu") {
				t.Errorf("Hint %q does not tell how to reproduce", e.Hint)
			}
		})
	}
}

func FuzzParseNvidiaSMI(f *testing.F) {
	for _, seed := range []string{
		"NVIDIA GeForce RTX 4090, 24564, 550.54.14\n",
		"a, 1, b\nc, [N/A], d\r\n",
		"x,,y",
		",,,",
		"Tesla T4, 99999999999999999999, 1\n",
		"No devices were found",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		gpus, err := ParseNvidiaSMI(in)
		if err != nil {
			var e *bonfire.Error
			if !errors.As(err, &e) || e.Field == "" {
				t.Fatalf("error %v is not a *bonfire.Error naming the line", err)
			}
			return
		}
		if lines := strings.Count(string(in), "\n") + 1; len(gpus) > lines {
			t.Fatalf("%d GPUs from %d lines", len(gpus), lines)
		}
		for _, g := range gpus {
			if g.Vendor != "NVIDIA" || strings.TrimSpace(g.Model) == "" || g.MemoryBytes < 0 || g.MemoryBytes%mib != 0 {
				t.Fatalf("implausible GPU %+v from %q", g, in)
			}
		}
	})
}

func TestParseCUDAVersion(t *testing.T) {
	t.Parallel()
	banner := `Tue Mar  5 10:12:01 2024
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 550.54.14              Driver Version: 550.54.14      CUDA Version: 12.4     |
|-----------------------------------------+------------------------+----------------------+
`
	if got := ParseCUDAVersion([]byte(banner)); got != "12.4" {
		t.Errorf("ParseCUDAVersion = %q, want 12.4", got)
	}
	if got := ParseCUDAVersion([]byte("| NVIDIA-SMI 340.108     Driver Version: 340.108 |")); got != "" {
		t.Errorf("ParseCUDAVersion of a banner without CUDA = %q, want empty", got)
	}
}
