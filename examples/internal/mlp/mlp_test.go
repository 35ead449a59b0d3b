package mlp

import (
	"bytes"
	"math"
	"strings"
	"sync"
	"testing"
)

var digits = sync.OnceValues(func() (*Dataset, error) { return LoadFile("../../data/digits.csv.gz") })

func loadDigits(t testing.TB) *Dataset {
	t.Helper()
	d, err := digits()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLoadDigits(t *testing.T) {
	t.Parallel()
	d := loadDigits(t)
	if d.Len() != 1797 || d.Features != 64 || len(d.X) != 1797*64 {
		t.Fatalf("got %d rows of %d features (%d values), want 1797 of 64", d.Len(), d.Features, len(d.X))
	}
	seen := map[int]bool{}
	for _, y := range d.Y {
		seen[y] = true
	}
	if len(seen) != Classes {
		t.Fatalf("saw %d classes, want %d", len(seen), Classes)
	}
	for _, x := range d.X {
		if x < 0 || x > 1 {
			t.Fatalf("feature %v outside [0,1]", x)
		}
	}
}

func TestStandardSplitIsFixedAndDisjoint(t *testing.T) {
	t.Parallel()
	d := loadDigits(t)
	train, test := d.StandardSplit()
	if train.Len()+test.Len() != d.Len() || test.Len() != int(float64(d.Len())*HeldOutFraction) {
		t.Fatalf("split %d+%d of %d", train.Len(), test.Len(), d.Len())
	}
	train2, test2 := d.StandardSplit()
	if !equalFloats(test.X, test2.X) || !equalFloats(train.X, train2.X) {
		t.Fatal("two standard splits differ")
	}
	_, other := d.Split(HeldOutFraction, SplitSeed+1)
	if equalFloats(test.X, other.X) {
		t.Fatal("a different split seed gave the same held-out rows")
	}
}

func TestShardRangeCoversEveryRowOnce(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 7, 1797} {
		for count := 1; count <= 9; count++ {
			next := 0
			for i := 0; i < count; i++ {
				lo, hi := ShardRange(n, i, count)
				if lo != next || hi < lo || hi-lo > n/count+1 {
					t.Fatalf("n=%d count=%d shard %d = [%d,%d), want to start at %d", n, count, i, lo, hi, next)
				}
				next = hi
			}
			if next != n {
				t.Fatalf("n=%d count=%d: shards end at %d", n, count, next)
			}
		}
	}
}

// TestSweepReachesNinetyPercent is the claim the digits-sweep example makes:
// the best of a small lr×hidden sweep scores at least 0.90 held out.
func TestSweepReachesNinetyPercent(t *testing.T) {
	t.Parallel()
	d := loadDigits(t)
	best := 0.0
	for _, lr := range []float64{0.01, 0.1} {
		for _, hidden := range []int{16, 32} {
			_, r, err := Fit(d, Config{LR: lr, Hidden: hidden, Epochs: 15, BatchSize: DefaultBatchSize, Activation: ReLU, Seed: 7}, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("lr=%v hidden=%d accuracy=%.4f loss=%.4f", lr, hidden, r.Accuracy, r.Loss)
			best = max(best, r.Accuracy)
		}
	}
	if best < 0.90 {
		t.Fatalf("best held-out accuracy %.4f, want >= 0.90", best)
	}
}

func TestTanhLearns(t *testing.T) {
	t.Parallel()
	_, r, err := Fit(loadDigits(t), Config{LR: 0.1, Hidden: 16, Epochs: 10, BatchSize: DefaultBatchSize, Activation: Tanh, Seed: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Accuracy < 0.85 {
		t.Fatalf("tanh held-out accuracy %.4f, want >= 0.85", r.Accuracy)
	}
}

func TestSameSeedSameWeightBytes(t *testing.T) {
	t.Parallel()
	d := loadDigits(t)
	train := func(seed uint64) []byte {
		c := Config{LR: 0.1, Hidden: 16, Epochs: 3, BatchSize: DefaultBatchSize, Activation: ReLU, Seed: seed}
		m, r, err := Fit(d, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Marshal(m, c.Info(r))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, other := train(42), train(42), train(43)
	if !bytes.Equal(a, b) {
		t.Fatal("the same seed gave different model bytes")
	}
	if bytes.Equal(a, other) {
		t.Fatal("different seeds gave the same model bytes")
	}
}

func TestSaveLoadRoundTripPredictsTheSame(t *testing.T) {
	t.Parallel()
	d := loadDigits(t)
	c := Config{LR: 0.1, Hidden: 8, Epochs: 2, BatchSize: DefaultBatchSize, Activation: Tanh, Seed: 5}
	m, r, err := Fit(d, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := Marshal(m, c.Info(r))
	if err != nil {
		t.Fatal(err)
	}
	back, info, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if *info != *c.Info(r) {
		t.Fatalf("training info %+v, want %+v", *info, *c.Info(r))
	}
	for i := 0; i < d.Len(); i++ {
		c1, p1 := m.Predict(d.Row(i))
		c2, p2 := back.Predict(d.Row(i))
		if c1 != c2 || !equalFloats(p1, p2) {
			t.Fatalf("row %d: class %d %v before save, %d %v after", i, c1, p1, c2, p2)
		}
	}
	again, err := Marshal(back, info)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatal("re-marshalling a loaded model changed its bytes")
	}
}

func TestUnmarshalRejectsBadModels(t *testing.T) {
	t.Parallel()
	m, err := New(2, 2, 2, ReLU, 1)
	if err != nil {
		t.Fatal(err)
	}
	good, err := Marshal(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string][2]string{
		"format":     {`"bonfire-mlp/v1"`, `"bonfire-mlp/v9"`},
		"activation": {`"relu"`, `"sigmoid"`},
		"shape":      {`"hidden": 2`, `"hidden": 3`},
		"scale":      {`"inputScale": 0.0625`, `"inputScale": 1`},
	} {
		bad := strings.Replace(string(good), edit[0], edit[1], 1)
		if bad == string(good) {
			t.Fatalf("%s: edit %q did not apply to %s", name, edit[0], good)
		}
		if _, _, err := Unmarshal([]byte(bad)); err == nil {
			t.Errorf("%s: Unmarshal accepted %s", name, bad)
		}
	}
	m.W1[0] = math.NaN()
	if _, err := Marshal(m, nil); err == nil {
		t.Error("Marshal accepted a NaN weight")
	}
}

func TestParseRejectsBadRows(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "1", "1,2,3\n1,2", "17,0,1", "1,2,10", "a,1,1", "-1,0,1"} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("Parse(%q) succeeded", in)
		}
	}
	d, err := Parse(strings.NewReader("0,16,3\n\n8,0,9\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 2 || d.Features != 2 || !equalFloats(d.X, []float64{0, 1, 0.5, 0}) || d.Y[1] != 9 {
		t.Fatalf("parsed %+v", d)
	}
}

func TestTrainRejectsBadConfig(t *testing.T) {
	t.Parallel()
	d := &Dataset{Features: 2, X: []float64{0, 1}, Y: []int{1}}
	m, err := New(2, 2, 2, ReLU, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []TrainConfig{{LR: 0, Epochs: 1, BatchSize: 1}, {LR: math.NaN(), Epochs: 1, BatchSize: 1}, {LR: 0.1, Epochs: 0, BatchSize: 1}, {LR: 0.1, Epochs: 1, BatchSize: 0}} {
		if err := Train(m, d, c, nil); err == nil {
			t.Errorf("Train accepted %+v", c)
		}
	}
	if _, err := New(2, 0, 2, ReLU, 1); err == nil {
		t.Error("New accepted 0 hidden units")
	}
	if _, err := New(2, 2, 2, "sigmoid", 1); err == nil {
		t.Error("New accepted an unknown activation")
	}
}

func TestDetMathMatchesPackageMath(t *testing.T) {
	t.Parallel()
	for x := -40.0; x <= 40; x += 0.0137 {
		if got, want := expDet(x), math.Exp(x); math.Abs(got-want) > 4e-16*want {
			t.Fatalf("expDet(%v) = %v, math.Exp = %v", x, got, want)
		}
		if got, want := tanhDet(x), math.Tanh(x); math.Abs(got-want) > 1e-15 {
			t.Fatalf("tanhDet(%v) = %v, math.Tanh = %v", x, got, want)
		}
		if x > 0 {
			for _, v := range []float64{x, x * 1e-100, x * 1e100} {
				if got, want := logDet(v), math.Log(v); math.Abs(got-want) > 4e-16*math.Max(1, math.Abs(want)) {
					t.Fatalf("logDet(%v) = %v, math.Log = %v", v, got, want)
				}
			}
		}
	}
	if expDet(1000) != math.Inf(1) || expDet(-1000) != 0 || logDet(0) != math.Inf(-1) || !math.IsNaN(logDet(-1)) {
		t.Fatal("edge cases of expDet/logDet are wrong")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("0,16,3\n8,0,9\n"))
	f.Add([]byte("1,2\n1,2,3\n"))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		if d.Len() == 0 || len(d.X) != d.Len()*d.Features {
			t.Fatalf("Parse returned %d rows, %d features, %d values", d.Len(), d.Features, len(d.X))
		}
		for _, y := range d.Y {
			if y < 0 || y >= Classes {
				t.Fatalf("class %d out of range", y)
			}
		}
	})
}

func FuzzUnmarshal(f *testing.F) {
	m, err := New(3, 2, 2, Tanh, 9)
	if err != nil {
		f.Fatal(err)
	}
	good, err := Marshal(m, &TrainingInfo{LR: 0.1, Epochs: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"format":"bonfire-mlp/v1","inputs":1,"hidden":1,"outputs":2}`))
	f.Add([]byte(`{"format":"bonfire-mlp/v1","inputs":1e9,"hidden":1e9,"outputs":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _, err := Unmarshal(data)
		if err != nil {
			return
		}
		// Any accepted model must be usable without panicking.
		m.Predict(make([]float64, m.Inputs))
	})
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}
