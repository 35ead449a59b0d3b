package mlp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
)

// FormatV1 identifies the model file format written by Marshal:
//
//	{
//	  "format": "bonfire-mlp/v1",
//	  "inputs": 64, "hidden": 32, "outputs": 10,
//	  "activation": "relu",             // or "tanh"
//	  "inputScale": 0.0625,             // multiply raw pixels by this first
//	  "training": {...},                // optional provenance, see TrainingInfo
//	  "w1": [hidden*inputs numbers, row-major, row j = hidden unit j],
//	  "b1": [hidden], "w2": [outputs*hidden, row-major], "b2": [outputs]
//	}
//
// Numbers are written in the shortest form that reads back to the same
// float64, so a save/load round trip is exact and the bytes are a stable
// function of the weights.
const FormatV1 = "bonfire-mlp/v1"

// TrainingInfo records how a model was made, for people reading the file.
type TrainingInfo struct {
	LR              float64 `json:"lr"`
	Epochs          int     `json:"epochs"`
	BatchSize       int     `json:"batchSize"`
	Seed            uint64  `json:"seed"`
	HeldOutAccuracy float64 `json:"heldOutAccuracy"`
}

type fileV1 struct {
	Format     string        `json:"format"`
	Inputs     int           `json:"inputs"`
	Hidden     int           `json:"hidden"`
	Outputs    int           `json:"outputs"`
	Activation Activation    `json:"activation"`
	InputScale float64       `json:"inputScale"`
	Training   *TrainingInfo `json:"training,omitempty"`
	W1         []float64     `json:"w1"`
	B1         []float64     `json:"b1"`
	W2         []float64     `json:"w2"`
	B2         []float64     `json:"b2"`
}

// Marshal encodes m (and info, which may be nil) in FormatV1: one header
// field per line and each weight array on one line, so diffs stay readable.
func Marshal(m *Model, info *TrainingInfo) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n")
	header := []struct {
		key string
		val any
	}{
		{"format", FormatV1}, {"inputs", m.Inputs}, {"hidden", m.Hidden}, {"outputs", m.Outputs},
		{"activation", m.Activation}, {"inputScale", 1.0 / PixelMax},
	}
	if info != nil {
		header = append(header, struct {
			key string
			val any
		}{"training", info})
	}
	for _, h := range header {
		v, err := json.Marshal(h.val)
		if err != nil {
			return nil, fmt.Errorf("model %s: %w", h.key, err)
		}
		fmt.Fprintf(&b, "  %q: %s,\n", h.key, v)
	}
	arrays := []struct {
		key string
		val []float64
	}{{"w1", m.W1}, {"b1", m.B1}, {"w2", m.W2}, {"b2", m.B2}}
	for n, a := range arrays {
		fmt.Fprintf(&b, "  %q: [", a.key)
		for i, v := range a.val {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("model %s[%d] is %v: training diverged, lower the learning rate", a.key, i, v)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(strconv.AppendFloat(nil, v, 'g', -1, 64))
		}
		b.WriteString("]")
		if n < len(arrays)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// Unmarshal decodes a FormatV1 model and checks that its shapes agree.
func Unmarshal(data []byte) (*Model, *TrainingInfo, error) {
	var f fileV1
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, nil, fmt.Errorf("model: %w", err)
	}
	if f.Format != FormatV1 {
		return nil, nil, fmt.Errorf("model format %q: want %q", f.Format, FormatV1)
	}
	if f.InputScale != 1.0/PixelMax {
		return nil, nil, fmt.Errorf("model inputScale %v: this code scales pixels by %v", f.InputScale, 1.0/PixelMax)
	}
	if f.Inputs < 1 || f.Hidden < 1 || f.Outputs < 2 || f.Inputs > 1<<20 || f.Hidden > 1<<20 || f.Outputs > 1<<20 {
		return nil, nil, fmt.Errorf("model sizes %d-%d-%d are out of range", f.Inputs, f.Hidden, f.Outputs)
	}
	if f.Activation != ReLU && f.Activation != Tanh {
		return nil, nil, fmt.Errorf("model activation %q: want %q or %q", f.Activation, ReLU, Tanh)
	}
	for _, c := range []struct {
		key       string
		got, want int
	}{
		{"w1", len(f.W1), f.Hidden * f.Inputs}, {"b1", len(f.B1), f.Hidden},
		{"w2", len(f.W2), f.Outputs * f.Hidden}, {"b2", len(f.B2), f.Outputs},
	} {
		if c.got != c.want {
			return nil, nil, fmt.Errorf("model %s has %d values, want %d for sizes %d-%d-%d", c.key, c.got, c.want, f.Inputs, f.Hidden, f.Outputs)
		}
	}
	m := &Model{Inputs: f.Inputs, Hidden: f.Hidden, Outputs: f.Outputs, Activation: f.Activation,
		W1: f.W1, B1: f.B1, W2: f.W2, B2: f.B2}
	return m, f.Training, nil
}

// ReadFile loads a model file written by Marshal.
func ReadFile(path string) (*Model, *TrainingInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("model: %w (mount a model.json there, or pass -model)", err)
	}
	return Unmarshal(data)
}
