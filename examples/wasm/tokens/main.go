// Command tokens is the text-tokens example's task: it reads
// <data>/shard-<BONFIRE_TASK_INDEX>.txt, counts its word tokens and writes
// <out>/counts.json (the top tokens, token → count, most frequent first),
// <out>/embedding.json (a hashed bag-of-words vector, L2-normalised) and
// <out>/metrics.json. It is built for wasip1/wasm by examples/build.sh.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bonfirenet/bonfire/examples/internal/guest"
	"github.com/bonfirenet/bonfire/examples/internal/tokens"
)

// Metrics is what metrics.json holds.
type Metrics struct {
	Tokens int    `json:"tokens"`
	Unique int    `json:"unique"`
	Shard  int    `json:"shard"`
	File   string `json:"file"`
}

// Embedding is what embedding.json holds.
type Embedding struct {
	Dims   int       `json:"dims"`
	Method string    `json:"method"`
	Vector []float64 `json:"vector"`
}

func main() {
	guest.Exit(os.Stderr, "tokens", run(os.Args[1:], guest.OSEnv(), os.Stdout))
}

func run(args []string, env *guest.Env, stdout io.Writer) error {
	fs := flag.NewFlagSet("tokens", flag.ContinueOnError)
	data := fs.String("data", "/data", "directory holding shard-<n>.txt")
	out := fs.String("out", "/out", "directory for counts.json, embedding.json and metrics.json")
	shard := fs.Int("shard", env.Int(guest.EnvTaskIndex, 0), "shard number (env "+guest.EnvTaskIndex+")")
	top := fs.Int("top", 50, "how many tokens counts.json lists")
	dims := fs.Int("dims", 256, "embedding dimensions")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if env.Err != nil {
		return env.Err
	}
	if *top < 1 || *dims < 1 || *shard < 0 {
		return fmt.Errorf("-top %d, -dims %d, -shard %d: want top and dims >= 1 and shard >= 0", *top, *dims, *shard)
	}
	name := fmt.Sprintf("shard-%d.txt", *shard)
	text, err := os.ReadFile(filepath.Join(*data, name))
	if err != nil {
		return fmt.Errorf("data: %w (mount a directory with %s at %s)", err, name, *data)
	}
	toks := tokens.Tokenize(string(text))
	counts := tokens.Counts(toks)
	fmt.Fprintf(stdout, "%s: %d bytes, %d tokens, %d unique\n", name, len(text), len(toks), len(counts))
	shown := counts[:min(*top, len(counts))]
	for i, c := range shown[:min(5, len(shown))] {
		fmt.Fprintf(stdout, "  #%d %q × %d\n", i+1, c.Token, c.N)
	}
	if err := guest.WriteFile(*out, "counts.json", tokens.MarshalCounts(shown)); err != nil {
		return err
	}
	emb := Embedding{Dims: *dims, Method: "fnv-1a-64 of the token mod dims, sign from the top hash bit, weight = count, L2-normalised",
		Vector: tokens.Embed(counts, *dims)}
	if err := guest.WriteJSON(*out, "embedding.json", emb); err != nil {
		return err
	}
	return guest.WriteJSON(*out, "metrics.json", Metrics{Tokens: len(toks), Unique: len(counts), Shard: *shard, File: name})
}
