package mlp

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Activation names the hidden layer's nonlinearity.
type Activation string

// Supported activations.
const (
	ReLU Activation = "relu"
	Tanh Activation = "tanh"
)

// Model is a fully connected network inputs → hidden → outputs. W1 is
// hidden×inputs and W2 outputs×hidden, both row-major.
type Model struct {
	Inputs     int
	Hidden     int
	Outputs    int
	Activation Activation
	W1, B1     []float64
	W2, B2     []float64
}

// New returns a model with weights drawn uniformly from ±sqrt(6/fan_in)
// (He-uniform for ReLU) or ±sqrt(6/(fan_in+fan_out)) (Glorot for tanh),
// from a PCG generator seeded with seed, and zero biases.
func New(inputs, hidden, outputs int, act Activation, seed uint64) (*Model, error) {
	if inputs < 1 || hidden < 1 || outputs < 2 {
		return nil, fmt.Errorf("layer sizes %d-%d-%d: want at least 1 input, 1 hidden unit and 2 outputs", inputs, hidden, outputs)
	}
	if act != ReLU && act != Tanh {
		return nil, fmt.Errorf("activation %q: use %q or %q", act, ReLU, Tanh)
	}
	m := &Model{
		Inputs: inputs, Hidden: hidden, Outputs: outputs, Activation: act,
		W1: make([]float64, hidden*inputs), B1: make([]float64, hidden),
		W2: make([]float64, outputs*hidden), B2: make([]float64, outputs),
	}
	src := rand.NewPCG(seed, initStream)
	fill := func(w []float64, fanIn, fanOut int) {
		limit := math.Sqrt(6 / float64(fanIn))
		if act == Tanh {
			limit = math.Sqrt(6 / float64(fanIn+fanOut))
		}
		for i := range w {
			w[i] = float64((2*uniform(src) - 1) * limit)
		}
	}
	fill(m.W1, inputs, hidden)
	fill(m.W2, hidden, outputs)
	return m, nil
}

// activations holds one sample's intermediate values, reused across samples
// so training allocates nothing per step.
type activations struct {
	pre, hidden, probs []float64
}

func (m *Model) newActivations() *activations {
	return &activations{
		pre:    make([]float64, m.Hidden),
		hidden: make([]float64, m.Hidden),
		probs:  make([]float64, m.Outputs),
	}
}

// forward fills a for input x. Zero inputs are skipped: most digit pixels
// are 0, and adding w*0 never changes a sum, so skipping is exact.
func (m *Model) forward(x []float64, a *activations) {
	for j := 0; j < m.Hidden; j++ {
		w := m.W1[j*m.Inputs : (j+1)*m.Inputs]
		s := m.B1[j]
		for i, xi := range x {
			if xi != 0 {
				s += float64(w[i] * xi)
			}
		}
		a.pre[j] = s
		if m.Activation == Tanh {
			a.hidden[j] = tanhDet(s)
		} else {
			a.hidden[j] = max(s, 0)
		}
	}
	maxZ := math.Inf(-1)
	for k := 0; k < m.Outputs; k++ {
		w := m.W2[k*m.Hidden : (k+1)*m.Hidden]
		s := m.B2[k]
		for j, h := range a.hidden {
			s += float64(w[j] * h)
		}
		a.probs[k] = s
		maxZ = max(maxZ, s)
	}
	var sum float64
	for k, z := range a.probs {
		e := expDet(z - maxZ)
		a.probs[k] = e
		sum += e
	}
	for k := range a.probs {
		a.probs[k] /= sum
	}
}

// Predict returns the most probable class for x and the class probabilities.
// x must have m.Inputs values.
func (m *Model) Predict(x []float64) (class int, probs []float64) {
	a := m.newActivations()
	m.forward(x, a)
	return argmax(a.probs), a.probs
}

// Evaluate returns the accuracy and mean cross-entropy of m on d.
func (m *Model) Evaluate(d *Dataset) (accuracy, loss float64) {
	if d.Len() == 0 {
		return 0, 0
	}
	a := m.newActivations()
	correct := 0
	for i := 0; i < d.Len(); i++ {
		m.forward(d.Row(i), a)
		if argmax(a.probs) == d.Y[i] {
			correct++
		}
		loss += crossEntropy(a.probs, d.Y[i])
	}
	return float64(correct) / float64(d.Len()), loss / float64(d.Len())
}

func crossEntropy(probs []float64, label int) float64 {
	return -logDet(max(probs[label], 1e-300))
}

// argmax returns the first index of the largest value, so ties resolve the
// same way everywhere.
func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}
