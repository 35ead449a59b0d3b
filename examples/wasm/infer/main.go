// Command infer is the batch-inference example's task: it classifies one
// shard of the digits data with a trained model. Task i of n takes the i-th
// contiguous n-th of the rows (BONFIRE_TASK_INDEX of BONFIRE_TASK_COUNT),
// writes <out>/predictions.csv and <out>/metrics.json. It is built for
// wasip1/wasm by examples/build.sh.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/bonfirenet/bonfire/examples/internal/guest"
	"github.com/bonfirenet/bonfire/examples/internal/mlp"
)

// Metrics is what metrics.json holds.
type Metrics struct {
	Accuracy float64 `json:"accuracy"`
	Count    int     `json:"count"`
	Correct  int     `json:"correct"`
	Shard    int     `json:"shard"`
	Shards   int     `json:"shards"`
	FirstRow int     `json:"firstRow"`
}

func main() {
	guest.Exit(os.Stderr, "infer", run(os.Args[1:], guest.OSEnv(), os.Stdout))
}

func run(args []string, env *guest.Env, stdout io.Writer) error {
	fs := flag.NewFlagSet("infer", flag.ContinueOnError)
	modelPath := fs.String("model", "/model/model.json", "model file (format: package mlp)")
	data := fs.String("data", "/data/digits.csv.gz", "digits CSV, gzipped or not")
	out := fs.String("out", "/out", "directory for predictions.csv and metrics.json")
	shard := fs.Int("shard", env.Int(guest.EnvTaskIndex, 0), "this task's shard (env "+guest.EnvTaskIndex+")")
	shards := fs.Int("shards", env.Int(guest.EnvTaskCount, 1), "number of shards (env "+guest.EnvTaskCount+")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if env.Err != nil {
		return env.Err
	}
	if *shards < 1 || *shard < 0 || *shard >= *shards {
		return fmt.Errorf("shard %d of %d: want 0 <= shard < shards", *shard, *shards)
	}
	m, info, err := mlp.ReadFile(*modelPath)
	if err != nil {
		return err
	}
	d, err := mlp.LoadFile(*data)
	if err != nil {
		return err
	}
	if d.Features != m.Inputs {
		return fmt.Errorf("data has %d features per row but the model takes %d: use a model trained on this data", d.Features, m.Inputs)
	}
	if info != nil {
		fmt.Fprintf(stdout, "model: %d-%d-%d %s, trained lr=%v epochs=%d, held-out accuracy %.4f\n",
			m.Inputs, m.Hidden, m.Outputs, m.Activation, info.LR, info.Epochs, info.HeldOutAccuracy)
	}
	lo, hi := mlp.ShardRange(d.Len(), *shard, *shards)
	fmt.Fprintf(stdout, "shard %d/%d: rows %d..%d of %d\n", *shard, *shards, lo, hi-1, d.Len())

	var csv bytes.Buffer
	csv.WriteString("row,label,predicted,confidence\n")
	correct := 0
	for i := lo; i < hi; i++ {
		class, probs := m.Predict(d.Row(i))
		if class == d.Y[i] {
			correct++
		}
		fmt.Fprintf(&csv, "%d,%d,%d,%s\n", i, d.Y[i], class, strconv.FormatFloat(probs[class], 'f', 6, 64))
	}
	if err := guest.WriteFile(*out, "predictions.csv", csv.Bytes()); err != nil {
		return err
	}
	met := Metrics{Count: hi - lo, Correct: correct, Shard: *shard, Shards: *shards, FirstRow: lo}
	if met.Count > 0 {
		met.Accuracy = float64(correct) / float64(met.Count)
	}
	if err := guest.WriteJSON(*out, "metrics.json", met); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "accuracy %.4f (%d of %d)\n", met.Accuracy, correct, met.Count)
	return nil
}
