package examples

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/bonfirenet/bonfire/examples/internal/mlp"
	"github.com/bonfirenet/bonfire/examples/internal/tokens"
)

// guestRun is one execution of an example module the way a provider runs a
// task: inputs mounted read-only, /out writable, parameters in env.
type guestRun struct {
	module string
	args   []string
	env    map[string]string
	mounts map[string]string // guest dir → host dir, read-only
}

// run executes g and returns the host directory mounted at /out and stdout.
func (g guestRun) run(t testing.TB) (outDir, stdout string) {
	t.Helper()
	ctx := context.Background()
	wasm, err := Module(g.module)
	if err != nil {
		t.Fatal(err)
	}
	// 128 MiB, the smallest memory any example spec asks for.
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithMemoryLimitPages(128<<20/65536))
	defer r.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	outDir = t.TempDir()
	fsc := wazero.NewFSConfig().WithDirMount(outDir, "/out")
	for guest, host := range g.mounts {
		fsc = fsc.WithReadOnlyDirMount(host, guest)
	}
	var so, se bytes.Buffer
	cfg := wazero.NewModuleConfig().WithArgs(append([]string{g.module}, g.args...)...).
		WithFSConfig(fsc).WithStdout(&so).WithStderr(&se)
	for k, v := range g.env {
		cfg = cfg.WithEnv(k, v)
	}
	if _, err := r.InstantiateWithConfig(ctx, wasm, cfg); err != nil {
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", g.module, err, so.String(), se.String())
	}
	return outDir, so.String()
}

// dataDir returns a host directory holding the embedded digits CSV, to mount
// at /data.
func dataDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	raw, err := fs.ReadFile(FS(), "data/digits.csv.gz")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "digits.csv.gz"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readJSON(t *testing.T, file string, v any) []byte {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v\n%s", file, err, raw)
	}
	return raw
}

// TestSweepModuleTrainsLikeNativeCode runs sweep.wasm for one configuration
// and checks both its metrics and that its model is bit-identical to the
// same training run natively: what lets a verifier compare two providers.
func TestSweepModuleTrainsLikeNativeCode(t *testing.T) {
	t.Parallel()
	c := mlp.Config{LR: 0.1, Hidden: 16, Epochs: 4, BatchSize: mlp.DefaultBatchSize, Activation: mlp.ReLU, Seed: 12345}
	out, stdout := guestRun{
		module: "sweep",
		args:   []string{"-epochs", fmt.Sprint(c.Epochs)},
		env:    map[string]string{"LR": "0.1", "HIDDEN": "16", "BONFIRE_SEED": "12345", "BONFIRE_TASK_INDEX": "0", "BONFIRE_TASK_COUNT": "1"},
		mounts: map[string]string{"/data": dataDir(t)},
	}.run(t)
	if got := strings.Count(stdout, "\nepoch "); got != c.Epochs {
		t.Errorf("stdout has %d epoch lines, want %d:\n%s", got, c.Epochs, stdout)
	}
	var m struct {
		Accuracy, Loss, LR *float64
		Hidden, Epochs     *int
	}
	readJSON(t, filepath.Join(out, "metrics.json"), &m)
	if m.Accuracy == nil || m.Loss == nil || m.LR == nil || m.Hidden == nil || m.Epochs == nil {
		t.Fatalf("metrics.json lacks accuracy, loss, lr, hidden or epochs: %+v", m)
	}
	if *m.Accuracy < 0.8 || *m.LR != 0.1 || *m.Hidden != 16 || *m.Epochs != c.Epochs {
		t.Errorf("metrics accuracy=%v lr=%v hidden=%v epochs=%v; want accuracy >= 0.8 and the given config", *m.Accuracy, *m.LR, *m.Hidden, *m.Epochs)
	}
	guestModel, err := os.ReadFile(filepath.Join(out, "model.json"))
	if err != nil {
		t.Fatal(err)
	}
	native, r, err := mlp.FitFile(loadDigits(t), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(guestModel, native) {
		t.Error("sweep.wasm wrote a different model.json than the same training natively")
	}
	if r.Accuracy != *m.Accuracy {
		t.Errorf("guest accuracy %v, native %v", *m.Accuracy, r.Accuracy)
	}
}

func TestInferModuleScoresItsShard(t *testing.T) {
	t.Parallel()
	modelDir := t.TempDir()
	model, err := fs.ReadFile(FS(), "batch-inference/model.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(modelDir, "model.json"), model, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := guestRun{
		module: "infer",
		env:    map[string]string{"BONFIRE_TASK_INDEX": "2", "BONFIRE_TASK_COUNT": "4"},
		mounts: map[string]string{"/data": dataDir(t), "/model": modelDir},
	}.run(t)
	var met struct {
		Accuracy float64
		Count    int
		Shard    int
		FirstRow int
	}
	readJSON(t, filepath.Join(out, "metrics.json"), &met)
	d := loadDigits(t)
	lo, hi := mlp.ShardRange(d.Len(), 2, 4)
	if met.Count != hi-lo || met.Shard != 2 || met.FirstRow != lo || met.Accuracy < 0.9 {
		t.Fatalf("metrics %+v; want shard 2 rows [%d,%d) and accuracy >= 0.9", met, lo, hi)
	}
	preds, err := os.ReadFile(filepath.Join(out, "predictions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(preds)), "\n")
	if len(lines) != met.Count+1 || lines[0] != "row,label,predicted,confidence" {
		t.Fatalf("predictions.csv has %d lines starting %q, want a header and %d rows", len(lines), lines[0], met.Count)
	}
	m, _, err := mlp.Unmarshal(model)
	if err != nil {
		t.Fatal(err)
	}
	class, probs := m.Predict(d.Row(lo))
	if want := fmt.Sprintf("%d,%d,%d,%.6f", lo, d.Y[lo], class, probs[class]); lines[1] != want {
		t.Errorf("first prediction %q, native %q", lines[1], want)
	}
}

func TestTokensModuleCountsItsShard(t *testing.T) {
	t.Parallel()
	shards := t.TempDir()
	text, err := fs.ReadFile(FS(), "text-tokens/shards/shard-3.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shards, "shard-3.txt"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := guestRun{
		module: "tokens",
		env:    map[string]string{"BONFIRE_TASK_INDEX": "3", "BONFIRE_TASK_COUNT": "4"},
		mounts: map[string]string{"/data": shards},
	}.run(t)
	toks := tokens.Tokenize(string(text))
	counts := tokens.Counts(toks)
	var met struct{ Tokens, Unique int }
	readJSON(t, filepath.Join(out, "metrics.json"), &met)
	if met.Tokens != len(toks) || met.Unique != len(counts) || met.Tokens < 100 {
		t.Errorf("metrics %+v, want tokens=%d unique=%d", met, len(toks), len(counts))
	}
	var got map[string]int
	raw := readJSON(t, filepath.Join(out, "counts.json"), &got)
	if !bytes.Equal(raw, tokens.MarshalCounts(counts[:50])) || len(got) != 50 {
		t.Errorf("counts.json has %d entries and differs from the native top 50", len(got))
	}
	var emb struct {
		Dims   int
		Vector []float64
	}
	readJSON(t, filepath.Join(out, "embedding.json"), &emb)
	var sq float64
	for _, x := range emb.Vector {
		sq += x * x
	}
	if emb.Dims != 256 || len(emb.Vector) != 256 || math.Abs(sq-1) > 1e-9 {
		t.Errorf("embedding has dims %d, %d values, squared norm %v; want 256, 256, 1", emb.Dims, len(emb.Vector), sq)
	}
}

// BenchmarkSweepTask runs one full digits-sweep task (hidden 64, 30 epochs,
// as in digits-sweep/job.yaml) under wazero, compilation included: the cost
// of one task on a provider.
func BenchmarkSweepTask(b *testing.B) {
	data := dataDir(b)
	for b.Loop() {
		guestRun{
			module: "sweep",
			args:   []string{"-lr", "0.2", "-hidden", "64", "-epochs", "30"},
			env:    map[string]string{"BONFIRE_SEED": "1"},
			mounts: map[string]string{"/data": data},
		}.run(b)
	}
}

// BenchmarkSweepTaskNative is the same training natively, for the ratio.
func BenchmarkSweepTaskNative(b *testing.B) {
	d := loadDigits(b)
	for b.Loop() {
		if _, _, err := mlp.FitFile(d, mlp.Config{LR: 0.2, Hidden: 64, Epochs: 30, BatchSize: mlp.DefaultBatchSize, Activation: mlp.ReLU, Seed: 1}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
