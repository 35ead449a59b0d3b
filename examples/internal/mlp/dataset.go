package mlp

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
)

// PixelMax is the largest pixel value in the digits data; features are
// divided by it so the network sees values in [0, 1]. Dividing by a power of
// two is exact, so scaling adds no rounding.
const PixelMax = 16

// Classes is the number of digit classes.
const Classes = 10

// SplitSeed fixes the train/held-out split. It is deliberately not a task's
// seed: every configuration of a sweep must be scored on the same held-out
// rows, or accuracies would not be comparable.
const SplitSeed uint64 = 0xB0F1_2E5E_ED00_0001

// HeldOutFraction is the share of rows kept out of training.
const HeldOutFraction = 0.2

// Dataset is a set of labelled samples. X is row-major, Features values per
// row, already scaled to [0, 1].
type Dataset struct {
	Features int
	X        []float64
	Y        []int
}

// Len is the number of samples.
func (d *Dataset) Len() int { return len(d.Y) }

// Row returns sample i's features (a view, not a copy).
func (d *Dataset) Row(i int) []float64 { return d.X[i*d.Features : (i+1)*d.Features] }

// LoadFile reads a digits CSV file, gzipped or not.
func LoadFile(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w (mount the digits CSV there, or pass -data)", err)
	}
	defer f.Close()
	d, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("data %s: %w", path, err)
	}
	return d, nil
}

// Parse reads digits CSV from r: per line the pixel values 0..PixelMax and
// then the class 0..Classes-1, no header. Gzipped input is detected by its
// magic bytes. Every line must have as many fields as the first.
func Parse(r io.Reader) (*Dataset, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	d := &Dataset{}
	sc := bufio.NewScanner(br)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		fields := strings.Split(text, ",")
		if d.Features == 0 {
			if len(fields) < 2 {
				return nil, fmt.Errorf("line %d: %d fields, want pixels then a class", line, len(fields))
			}
			d.Features = len(fields) - 1
		}
		if len(fields) != d.Features+1 {
			return nil, fmt.Errorf("line %d: %d fields, want %d like the first line", line, len(fields), d.Features+1)
		}
		for i, f := range fields[:d.Features] {
			v, err := strconv.Atoi(f)
			if err != nil || v < 0 || v > PixelMax {
				return nil, fmt.Errorf("line %d field %d: %q is not a pixel value 0..%d", line, i+1, f, PixelMax)
			}
			d.X = append(d.X, float64(v)/PixelMax)
		}
		y, err := strconv.Atoi(fields[d.Features])
		if err != nil || y < 0 || y >= Classes {
			return nil, fmt.Errorf("line %d: class %q is not 0..%d", line, fields[d.Features], Classes-1)
		}
		d.Y = append(d.Y, y)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if d.Len() == 0 {
		return nil, fmt.Errorf("no samples")
	}
	return d, nil
}

// Subset returns the samples at idx, in that order, as a new Dataset.
func (d *Dataset) Subset(idx []int) *Dataset {
	s := &Dataset{Features: d.Features, X: make([]float64, 0, len(idx)*d.Features), Y: make([]int, 0, len(idx))}
	for _, i := range idx {
		s.X = append(s.X, d.Row(i)...)
		s.Y = append(s.Y, d.Y[i])
	}
	return s
}

// Split shuffles the row indices with seed and returns the first
// 1-heldOut share as train and the rest as held out.
func (d *Dataset) Split(heldOut float64, seed uint64) (train, test *Dataset) {
	idx := make([]int, d.Len())
	for i := range idx {
		idx[i] = i
	}
	shuffle(idx, rand.NewPCG(seed, splitStream))
	nTest := int(float64(d.Len()) * heldOut)
	return d.Subset(idx[nTest:]), d.Subset(idx[:nTest])
}

// StandardSplit is Split(HeldOutFraction, SplitSeed): the split every
// example uses.
func (d *Dataset) StandardSplit() (train, test *Dataset) {
	return d.Split(HeldOutFraction, SplitSeed)
}

// ShardRange returns the half-open row range [lo, hi) of shard index out of
// count: contiguous, sizes differing by at most one, covering every row once.
func ShardRange(n, index, count int) (lo, hi int) {
	return n * index / count, n * (index + 1) / count
}

// PCG stream constants keep the split, the init and the epoch shuffles
// independent even when they are given the same seed.
const (
	splitStream = 0x5b1e_0000_0000_0001
	initStream  = 0x1417_0000_0000_0002
	epochStream = 0xe90c_0000_0000_0003
)

// shuffle is Fisher-Yates drawing straight from PCG. Only PCG's output
// sequence is a fixed algorithm; rand.Rand's helpers (Shuffle, IntN,
// Float64) could change how they consume it in a future Go, and with them
// every committed model. The modulo bias is below 1e-15 for these sizes.
func shuffle(idx []int, src *rand.PCG) {
	for i := len(idx) - 1; i > 0; i-- {
		j := int(src.Uint64() % uint64(i+1))
		idx[i], idx[j] = idx[j], idx[i]
	}
}

// uniform returns a float in [0, 1) from the top 53 bits of src's next value.
func uniform(src *rand.PCG) float64 {
	return float64(src.Uint64()>>11) * 0x1p-53
}
