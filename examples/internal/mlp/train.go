package mlp

import (
	"fmt"
	"math/rand/v2"
)

// TrainConfig is one training run's hyperparameters.
type TrainConfig struct {
	LR        float64 // SGD step size
	Epochs    int
	BatchSize int
	Seed      uint64 // orders the samples of each epoch
}

// EpochStats reports one finished epoch: mean training loss and accuracy as
// seen during the epoch (each sample scored before its batch's update).
type EpochStats struct {
	Epoch         int // 1-based
	Loss          float64
	TrainAccuracy float64
}

// Train runs mini-batch SGD on m over d, calling onEpoch (if not nil) after
// each epoch. The result depends only on m's starting weights, d, and cfg.
func Train(m *Model, d *Dataset, cfg TrainConfig, onEpoch func(EpochStats)) error {
	switch {
	case d.Features != m.Inputs:
		return fmt.Errorf("data has %d features per row, the model takes %d", d.Features, m.Inputs)
	case !(cfg.LR > 0):
		return fmt.Errorf("lr %v: want a learning rate above 0, e.g. 0.1", cfg.LR)
	case cfg.Epochs < 1:
		return fmt.Errorf("epochs %d: want at least 1", cfg.Epochs)
	case cfg.BatchSize < 1:
		return fmt.Errorf("batch size %d: want at least 1", cfg.BatchSize)
	case d.Len() == 0:
		return fmt.Errorf("no training samples")
	}
	for _, y := range d.Y {
		if y >= m.Outputs {
			return fmt.Errorf("class %d but the model has %d outputs", y, m.Outputs)
		}
	}
	g := &Model{
		W1: make([]float64, len(m.W1)), B1: make([]float64, len(m.B1)),
		W2: make([]float64, len(m.W2)), B2: make([]float64, len(m.B2)),
	}
	a := m.newActivations()
	dz := make([]float64, m.Outputs)
	dh := make([]float64, m.Hidden)
	order := make([]int, d.Len())
	for i := range order {
		order[i] = i
	}
	src := rand.NewPCG(cfg.Seed, epochStream)
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		shuffle(order, src)
		var lossSum float64
		correct := 0
		for start := 0; start < len(order); start += cfg.BatchSize {
			batch := order[start:min(start+cfg.BatchSize, len(order))]
			g.zero()
			for _, i := range batch {
				x, y := d.Row(i), d.Y[i]
				m.forward(x, a)
				if argmax(a.probs) == y {
					correct++
				}
				lossSum += crossEntropy(a.probs, y)
				m.backward(x, y, a, g, dz, dh)
			}
			m.step(g, cfg.LR/float64(len(batch)))
		}
		if onEpoch != nil {
			n := float64(len(order))
			onEpoch(EpochStats{Epoch: epoch, Loss: lossSum / n, TrainAccuracy: float64(correct) / n})
		}
	}
	return nil
}

// backward adds the gradient of sample (x, y)'s cross-entropy to g, given
// the activations a of its forward pass; dz and dh are scratch.
func (m *Model) backward(x []float64, y int, a *activations, g *Model, dz, dh []float64) {
	for k, p := range a.probs {
		dz[k] = p
	}
	dz[y]--
	clear(dh)
	for k, dzk := range dz {
		g.B2[k] += dzk
		w := m.W2[k*m.Hidden : (k+1)*m.Hidden]
		gw := g.W2[k*m.Hidden : (k+1)*m.Hidden]
		for j, h := range a.hidden {
			gw[j] += float64(dzk * h)
			dh[j] += float64(w[j] * dzk)
		}
	}
	for j := range dh {
		var dpre float64
		if m.Activation == Tanh {
			h := a.hidden[j]
			dpre = float64(dh[j] * float64(1-float64(h*h)))
		} else if a.pre[j] > 0 {
			dpre = dh[j]
		}
		if dpre == 0 {
			continue
		}
		g.B1[j] += dpre
		gw := g.W1[j*m.Inputs : (j+1)*m.Inputs]
		for i, xi := range x {
			if xi != 0 {
				gw[i] += float64(dpre * xi)
			}
		}
	}
}

// step applies w -= scale*g to every parameter.
func (m *Model) step(g *Model, scale float64) {
	for _, p := range [][2][]float64{{m.W1, g.W1}, {m.B1, g.B1}, {m.W2, g.W2}, {m.B2, g.B2}} {
		w, gw := p[0], p[1]
		for i := range w {
			w[i] -= float64(scale * gw[i])
		}
	}
}

func (m *Model) zero() {
	clear(m.W1)
	clear(m.B1)
	clear(m.W2)
	clear(m.B2)
}
