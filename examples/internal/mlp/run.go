package mlp

// Config is one digits training run as the sweep example exposes it.
type Config struct {
	LR         float64
	Hidden     int
	Epochs     int
	BatchSize  int
	Activation Activation
	Seed       uint64 // weight init and sample order
}

// DefaultBatchSize is the mini-batch size the examples use.
const DefaultBatchSize = 32

// Progress is reported after each epoch of Fit.
type Progress struct {
	EpochStats
	HeldOutAccuracy float64
}

// Result scores a trained model on the held-out rows.
type Result struct {
	Accuracy  float64 // held-out accuracy
	Loss      float64 // held-out mean cross-entropy
	TrainLoss float64 // mean training loss of the last epoch
}

// Fit trains a digits model on the standard split of d with c and scores it
// on the held-out part. The sweep task, the model generator and the tests
// all train through here, so a committed model is what a task would make.
func Fit(d *Dataset, c Config, onEpoch func(Progress)) (*Model, Result, error) {
	train, test := d.StandardSplit()
	m, err := New(d.Features, c.Hidden, Classes, c.Activation, c.Seed)
	if err != nil {
		return nil, Result{}, err
	}
	var last EpochStats
	err = Train(m, train, TrainConfig{LR: c.LR, Epochs: c.Epochs, BatchSize: c.BatchSize, Seed: c.Seed}, func(s EpochStats) {
		last = s
		if onEpoch != nil {
			acc, _ := m.Evaluate(test)
			onEpoch(Progress{EpochStats: s, HeldOutAccuracy: acc})
		}
	})
	if err != nil {
		return nil, Result{}, err
	}
	acc, loss := m.Evaluate(test)
	return m, Result{Accuracy: acc, Loss: loss, TrainLoss: last.Loss}, nil
}

// Info returns the provenance record for a model made by Fit(c) scoring r.
func (c Config) Info(r Result) *TrainingInfo {
	return &TrainingInfo{LR: c.LR, Epochs: c.Epochs, BatchSize: c.BatchSize, Seed: c.Seed, HeldOutAccuracy: r.Accuracy}
}

// ShippedConfig made examples/batch-inference/model.json; the examples
// package's tests retrain with it and compare bytes, so change both together
// (examples/build.sh regenerates the file).
var ShippedConfig = Config{LR: 0.2, Hidden: 64, Epochs: 40, BatchSize: DefaultBatchSize, Activation: ReLU, Seed: 1}

// FitFile is Fit followed by Marshal: the model file a run with c writes.
func FitFile(d *Dataset, c Config, onEpoch func(Progress)) ([]byte, Result, error) {
	m, r, err := Fit(d, c, onEpoch)
	if err != nil {
		return nil, Result{}, err
	}
	b, err := Marshal(m, c.Info(r))
	return b, r, err
}
