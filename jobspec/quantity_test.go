package jobspec

import (
	"math"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestParseBytes(t *testing.T) {
	t.Parallel()
	good := map[string]int64{
		"0": 0, "1": 1, "268435456": 256 * MiB, "256Mi": 256 * MiB, "256MiB": 256 * MiB, "1Gi": GiB,
		"4Gi": 4 * GiB, "512M": 512e6, "512MB": 512e6, "1k": 1000, "1K": 1000, "2Ki": 2048,
		"1.5Gi": 3 * GiB / 2, "0.5Ki": 512, " 64Mi ": 64 * MiB, "100B": 100, "1Ti": TiB, "2T": 2e12,
		"+1Mi": MiB, ".5Ki": 512,
	}
	for in, want := range good {
		got, err := ParseBytes(in)
		if err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	bad := []string{"", "abc", "Mi", "1Zi", "1e9", "-1", "-1Mi", "0.1", "0.1Ki", "1..5Mi", "1/2Gi",
		"9999999999999999Ti", "1 Gi", "1gi", "."}
	for _, in := range bad {
		if got, err := ParseBytes(in); err == nil {
			t.Errorf("ParseBytes(%q) = %d, want an error", in, got)
		} else if bonfire.Code(err) != bonfire.ECodeInvalid {
			t.Errorf("ParseBytes(%q): code %s, want invalid", in, bonfire.Code(err))
		}
	}
}

func TestParseQuantityCPU(t *testing.T) {
	t.Parallel()
	good := map[string]int64{"1": 1000, "0.5": 500, "2": 2000, "500m": 500, "1m": 1, "1.25": 1250, "0": 0, ".5": 500}
	for in, want := range good {
		got, err := ParseQuantityCPU(in)
		if err != nil || got != want {
			t.Errorf("ParseQuantityCPU(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "one", "0.0005", "1.5m", "-1", "2cores", "1e3", "99999999999999999999"} {
		if got, err := ParseQuantityCPU(in); err == nil {
			t.Errorf("ParseQuantityCPU(%q) = %d, want an error", in, got)
		}
	}
}

func TestFormatBytesRoundTrips(t *testing.T) {
	t.Parallel()
	cases := map[int64]string{0: "0", 256 * MiB: "256Mi", 4 * GiB: "4Gi", 512e6: "512M", 1000001: "1000001", 1536: "1536", 3072: "3Ki", 3000: "3k", 2 * GiB: "2Gi", 2e9: "2G"}
	for n, want := range cases {
		if got := FormatBytes(n); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", n, got, want)
		}
		if back, err := ParseBytes(FormatBytes(n)); err != nil || back != n {
			t.Errorf("ParseBytes(FormatBytes(%d)) = %d, %v", n, back, err)
		}
	}
}

func TestFormatCPU(t *testing.T) {
	t.Parallel()
	for milli, want := range map[int64]string{1000: "1", 500: "500m", 2500: "2500m", 0: "0"} {
		if got := FormatCPU(milli); got != want {
			t.Errorf("FormatCPU(%d) = %q, want %q", milli, got, want)
		}
		if back, err := ParseQuantityCPU(want); err != nil || back != milli {
			t.Errorf("ParseQuantityCPU(%q) = %d, %v", want, back, err)
		}
	}
}

func FuzzFormatBytes(f *testing.F) {
	for _, n := range []int64{0, 1, 1023, 1024, 1000, 256 * MiB, 512e6, math.MaxInt64} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		if n < 0 {
			return
		}
		back, err := ParseBytes(FormatBytes(n))
		if err != nil || back != n {
			t.Fatalf("ParseBytes(FormatBytes(%d)=%q) = %d, %v", n, FormatBytes(n), back, err)
		}
	})
}
