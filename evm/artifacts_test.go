package evm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/abigen"
)

const (
	contractsDir = "../contracts"
	buildDir     = "../contracts/build"
	bindingsDir  = "bindings"
)

// artifact is the part of a contracts/build/<Name>.json file that bindings
// are generated from.
type artifact struct {
	ContractName string          `json:"contractName"`
	ABI          json.RawMessage `json:"abi"`
	Bin          string          `json:"bin"`
}

func readArtifacts(t *testing.T) map[string]artifact {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(buildDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no artifacts in %s: run contracts/gen.sh", buildDir)
	}
	out := map[string]artifact{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var a artifact
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if a.ContractName+".json" != filepath.Base(p) {
			t.Fatalf("%s holds contract %q", p, a.ContractName)
		}
		out[a.ContractName] = a
	}
	return out
}

// TestArtifactsMatchSources recompiles contracts/src with the pinned solc and
// compares with the committed contracts/build. It needs contracts/node_modules
// (CI runs npm ci); without it the test fails rather than passing unchecked.
func TestArtifactsMatchSources(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(filepath.Join(contractsDir, "node_modules", "solc")); err != nil {
		t.Fatalf("contracts/node_modules is missing, so the committed contract artifacts cannot be checked against contracts/src: run `npm ci --prefix contracts` (needs node and npm) and test again")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not installed, so the committed contract artifacts cannot be checked: install Node.js, run `npm ci --prefix contracts`, and test again")
	}
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(contractsDir, "build.js"), out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build.js failed: %v\n%s", err, msg)
	}
	fresh, err := filepath.Glob(filepath.Join(out, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := filepath.Glob(filepath.Join(buildDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	base := func(ps []string) []string {
		var bs []string
		for _, p := range ps {
			bs = append(bs, filepath.Base(p))
		}
		slices.Sort(bs)
		return bs
	}
	if got, want := base(committed), base(fresh); !slices.Equal(got, want) {
		t.Fatalf("committed artifacts %v, sources build %v: run contracts/gen.sh", got, want)
	}
	for _, p := range fresh {
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(buildDir, filepath.Base(p)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("contracts/build/%s is stale (differs from compiling contracts/src): run contracts/gen.sh", filepath.Base(p))
		}
	}
}

var generatedHeader = regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)

// goFileName mirrors gen.sh: BonfireEscrow -> bonfire_escrow.go.
func goFileName(contract string) string {
	return strings.ToLower(regexp.MustCompile(`([a-z0-9])([A-Z])`).ReplaceAllString(contract, "${1}_${2}")) + ".go"
}

// TestBindingsMatchArtifacts regenerates the bindings from the committed
// artifacts with go.mod's abigen, as gen.sh does, and compares.
func TestBindingsMatchArtifacts(t *testing.T) {
	t.Parallel()
	arts := readArtifacts(t)
	var wantFiles []string
	for name, a := range arts {
		var abiJSON bytes.Buffer
		if err := json.Compact(&abiJSON, a.ABI); err != nil {
			t.Fatal(err)
		}
		code, err := abigen.Bind([]string{name}, []string{abiJSON.String()}, []string{a.Bin}, nil, "bindings", map[string]string{}, map[string]string{})
		if err != nil {
			t.Fatalf("abigen %s: %v", name, err)
		}
		file := goFileName(name)
		wantFiles = append(wantFiles, file)
		got, err := os.ReadFile(filepath.Join(bindingsDir, file))
		if err != nil {
			t.Fatalf("binding for %s: %v (run contracts/gen.sh)", name, err)
		}
		if string(got) != code {
			t.Errorf("evm/bindings/%s is stale (differs from abigen on contracts/build/%s.json): run contracts/gen.sh", file, name)
		}
		if !generatedHeader.Match(got) {
			t.Errorf("evm/bindings/%s lacks the standard generated-code header", file)
		}
	}
	entries, err := os.ReadDir(bindingsDir)
	if err != nil {
		t.Fatal(err)
	}
	var gotFiles []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") && e.Name() != "doc.go" {
			gotFiles = append(gotFiles, e.Name())
		}
	}
	slices.Sort(gotFiles)
	slices.Sort(wantFiles)
	if !slices.Equal(gotFiles, wantFiles) {
		t.Fatalf("evm/bindings has %v, artifacts call for %v: run contracts/gen.sh and delete bindings of removed contracts", gotFiles, wantFiles)
	}
}
