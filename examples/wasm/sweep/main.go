// Command sweep trains one digits classifier configuration: the task of the
// digits-sweep example, run once per point of the job's lr × hidden matrix.
// It is built for wasip1/wasm by examples/build.sh.
//
// Settings come from flags, falling back to the environment Bonfire gives
// every task (LR, HIDDEN, EPOCHS, BATCH, ACTIVATION; BONFIRE_SEED seeds the
// weights and sample order). It writes <out>/model.json (format: package
// mlp) and <out>/metrics.json, and prints one progress line per epoch.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bonfirenet/bonfire/examples/internal/guest"
	"github.com/bonfirenet/bonfire/examples/internal/mlp"
)

// Metrics is what metrics.json holds; the job ranks tasks by Accuracy.
type Metrics struct {
	Accuracy   float64        `json:"accuracy"` // held-out
	Loss       float64        `json:"loss"`     // held-out mean cross-entropy
	TrainLoss  float64        `json:"trainLoss"`
	LR         float64        `json:"lr"`
	Hidden     int            `json:"hidden"`
	Epochs     int            `json:"epochs"`
	BatchSize  int            `json:"batchSize"`
	Activation mlp.Activation `json:"activation"`
	Seed       uint64         `json:"seed"`
	Train      int            `json:"trainRows"`
	HeldOut    int            `json:"heldOutRows"`
}

func main() {
	guest.Exit(os.Stderr, "sweep", run(os.Args[1:], guest.OSEnv(), os.Stdout))
}

func run(args []string, env *guest.Env, stdout io.Writer) error {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	var c mlp.Config
	var act, data, out string
	fs.Float64Var(&c.LR, "lr", env.Float("LR", 0.1), "learning rate (env LR)")
	fs.IntVar(&c.Hidden, "hidden", env.Int("HIDDEN", 32), "hidden units (env HIDDEN)")
	fs.IntVar(&c.Epochs, "epochs", env.Int("EPOCHS", 30), "passes over the training rows (env EPOCHS)")
	fs.IntVar(&c.BatchSize, "batch", env.Int("BATCH", mlp.DefaultBatchSize), "mini-batch size (env BATCH)")
	fs.StringVar(&act, "activation", env.String("ACTIVATION", string(mlp.ReLU)), "relu or tanh (env ACTIVATION)")
	fs.Uint64Var(&c.Seed, "seed", env.Uint64(guest.EnvSeed, 1), "weight init and shuffle seed (env "+guest.EnvSeed+")")
	fs.StringVar(&data, "data", "/data/digits.csv.gz", "digits CSV, gzipped or not")
	fs.StringVar(&out, "out", "/out", "directory for model.json and metrics.json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if env.Err != nil {
		return env.Err
	}
	c.Activation = mlp.Activation(act)

	d, err := mlp.LoadFile(data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "digits: %d rows; lr=%v hidden=%d epochs=%d batch=%d activation=%s seed=%d\n",
		d.Len(), c.LR, c.Hidden, c.Epochs, c.BatchSize, c.Activation, c.Seed)
	model, r, err := mlp.FitFile(d, c, func(p mlp.Progress) {
		fmt.Fprintf(stdout, "epoch %d/%d loss=%.4f train_acc=%.4f heldout_acc=%.4f\n",
			p.Epoch, c.Epochs, p.Loss, p.TrainAccuracy, p.HeldOutAccuracy)
	})
	if err != nil {
		return err
	}
	if err := guest.WriteFile(out, "model.json", model); err != nil {
		return err
	}
	train, test := d.StandardSplit()
	metrics := Metrics{Accuracy: r.Accuracy, Loss: r.Loss, TrainLoss: r.TrainLoss, LR: c.LR, Hidden: c.Hidden,
		Epochs: c.Epochs, BatchSize: c.BatchSize, Activation: c.Activation, Seed: c.Seed, Train: train.Len(), HeldOut: test.Len()}
	if err := guest.WriteJSON(out, "metrics.json", metrics); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "held-out accuracy %.4f (%d rows), loss %.4f\n", r.Accuracy, test.Len(), r.Loss)
	return nil
}
