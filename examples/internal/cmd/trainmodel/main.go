// Command trainmodel writes examples/batch-inference/model.json: the digits
// model trained with mlp.ShippedConfig through the same code path as a
// digits-sweep task. examples/build.sh runs it from the examples directory.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/bonfirenet/bonfire/examples/internal/mlp"
)

func main() {
	out := flag.String("o", "batch-inference/model.json", "where to write the model")
	data := flag.String("data", "data/digits.csv.gz", "digits CSV, gzipped or not")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "trainmodel:", err)
		os.Exit(1)
	}
}

func run(data, out string) error {
	d, err := mlp.LoadFile(data)
	if err != nil {
		return err
	}
	b, r, err := mlp.FitFile(d, mlp.ShippedConfig, nil)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s: held-out accuracy %.4f, loss %.4f\n", out, r.Accuracy, r.Loss)
	return nil
}
