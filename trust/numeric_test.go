package trust

import (
	"errors"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
)

func TestCompareNumeric(t *testing.T) {
	t.Parallel()
	check := bonfire.NumericCheck{File: "metrics.json", Metrics: []string{"accuracy", "eval.loss", "curve.1"}, RelTol: 0.01, AbsTol: 1e-6}
	base := `{"accuracy": 0.9500, "eval": {"loss": 0.20}, "curve": [1.0, 0.5]}`
	for _, c := range []struct {
		name  string
		check bonfire.NumericCheck
		b     string
		code  bonfire.ErrorCode // "" = agree
		msg   string
	}{
		{name: "identical", b: base},
		{name: "within relative tolerance", b: `{"accuracy": 0.9550, "eval": {"loss": 0.2019}, "curve": [9, 0.504]}`},
		{name: "unlisted metrics may differ", b: `{"accuracy": 0.95, "eval": {"loss": 0.2, "other": 7}, "curve": [-5, 0.5]}`},
		{name: "accuracy beyond tolerance", b: `{"accuracy": 0.90, "eval": {"loss": 0.2}, "curve": [1, 0.5]}`,
			code: bonfire.ECodeConflict, msg: "metric accuracy differs: 0.95 vs 0.9 (difference 0.05"},
		{name: "nested metric beyond", b: `{"accuracy": 0.95, "eval": {"loss": 0.3}, "curve": [1, 0.5]}`,
			code: bonfire.ECodeConflict, msg: "metric eval.loss differs"},
		{name: "array element beyond", b: `{"accuracy": 0.95, "eval": {"loss": 0.2}, "curve": [1, 0.6]}`,
			code: bonfire.ECodeConflict, msg: "metric curve.1 differs"},
		{name: "absolute tolerance near zero", check: bonfire.NumericCheck{File: "m", Metrics: []string{"x"}, AbsTol: 0.01},
			b: `{"x": 0.005}`},
		{name: "missing metric", b: `{"accuracy": 0.95, "curve": [1, 0.5]}`, code: bonfire.ECodeInvalid, msg: "has no metric eval.loss"},
		{name: "not a number", b: `{"accuracy": "high", "eval": {"loss": 0.2}, "curve": [1, 0.5]}`, code: bonfire.ECodeInvalid, msg: "is not a number"},
		{name: "not JSON", b: `accuracy=0.95`, code: bonfire.ECodeInvalid, msg: "second replica's metrics file is not JSON"},
		{name: "overflowing number", b: `{"accuracy": 1e999, "eval": {"loss": 0.2}, "curve": [1, 0.5]}`, code: bonfire.ECodeInvalid, msg: "out of range"},
		{name: "no metrics", check: bonfire.NumericCheck{File: "m", RelTol: 1}, b: base, code: bonfire.ECodeInvalid, msg: "no metric"},
		{name: "too large", b: `{"x": "` + strings.Repeat("a", MaxNumericFileBytes) + `"}`, code: bonfire.ECodeTooLarge, msg: "more than"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			chk := check
			if c.check.File != "" {
				chk = c.check
			}
			a := base
			if c.check.File != "" && c.name == "absolute tolerance near zero" {
				a = `{"x": -0.004}`
			}
			err := CompareNumeric(chk, []byte(a), []byte(c.b))
			if c.code == "" {
				if err != nil {
					t.Fatalf("want agreement, got %v", err)
				}
				return
			}
			var e *bonfire.Error
			if !errors.As(err, &e) || e.Code != c.code || !strings.Contains(e.Message, c.msg) {
				t.Fatalf("error %v (%T), want %s containing %q", err, err, c.code, c.msg)
			}
		})
	}
}

func TestCompareNumericIsSymmetric(t *testing.T) {
	t.Parallel()
	check := bonfire.NumericCheck{File: "m", Metrics: []string{"x"}, RelTol: 0.1}
	a, b := []byte(`{"x": 100}`), []byte(`{"x": 90.5}`)
	if (CompareNumeric(check, a, b) == nil) != (CompareNumeric(check, b, a) == nil) {
		t.Fatal("the order of the replicas changes the verdict")
	}
}

func TestHomogeneityKey(t *testing.T) {
	t.Parallel()
	a100 := bonfire.GPU{Vendor: "NVIDIA", Model: "NVIDIA A100-SXM4-40GB", MemoryBytes: 40 << 30, Driver: "535.104.05", CUDA: "12.2"}
	hw := func(gpus ...bonfire.GPU) bonfire.Hardware {
		return bonfire.Hardware{OS: "linux", Arch: "amd64", CPUCores: 8, GPUs: gpus}
	}
	key := HomogeneityKey(hw(a100))
	same := a100
	same.Vendor, same.Model, same.MemoryBytes = "nvidia", "NVIDIA  A100-SXM4-40GB", 1
	if HomogeneityKey(hw(same, a100)) != key {
		t.Errorf("spelling, memory and count change the key: %q vs %q", HomogeneityKey(hw(same, a100)), key)
	}
	otherDriver := a100
	otherDriver.Driver = "550.54.14"
	t4 := bonfire.GPU{Vendor: "NVIDIA", Model: "Tesla T4", Driver: "535.104.05"}
	arm := hw(a100)
	arm.Arch = "arm64"
	for name, h := range map[string]bonfire.Hardware{"driver": hw(otherDriver), "model": hw(t4), "arch": arm, "no gpu": hw(), "mixed": hw(a100, t4)} {
		if HomogeneityKey(h) == key {
			t.Errorf("a different %s gives the same key %q", name, key)
		}
	}
	if got := HomogeneityKey(hw()); got != "linux/amd64;cpu" {
		t.Errorf("CPU-only key %q", got)
	}
}

// FuzzCompareNumeric checks that any pair of files gives nil or a
// well-formed *bonfire.Error, never a panic, and that a file always agrees
// with itself unless it is unusable.
func FuzzCompareNumeric(f *testing.F) {
	for _, s := range []string{`{"a": 1}`, `{"a": {"b": [1, 2.5e-3]}}`, `[]`, `{"a": "x"}`, `{"a": 1e400}`, `null`, `{"a": -0}`, "{"} {
		f.Add([]byte(s), []byte(`{"a": 1.0001}`), "a")
		f.Add([]byte(s), []byte(s), "a.b.1")
	}
	f.Fuzz(func(t *testing.T, a, b []byte, metric string) {
		check := bonfire.NumericCheck{File: "m.json", Metrics: []string{metric}, RelTol: 0.001, AbsTol: 1e-9}
		err := CompareNumeric(check, a, b)
		var e *bonfire.Error
		if err != nil && (!errors.As(err, &e) || e.Message == "" || e.Code == "") {
			t.Fatalf("malformed error %T %v", err, err)
		}
		if self := CompareNumeric(check, a, a); self != nil && errors.As(self, &e) && e.Code == bonfire.ECodeConflict {
			t.Fatalf("a file disagrees with itself: %v", self)
		}
	})
}
