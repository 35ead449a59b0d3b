package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/chainwallet"
)

// runBonfire runs the CLI with args in a home of its own and returns what it
// printed and its exit code.
func runBonfire(t *testing.T, within time.Duration, args ...string) (stdout, stderr string, exit int) {
	t.Helper()
	if bonfireBin == "" {
		t.Fatalf("the bonfire binary did not build: %v", bonfireBuildErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	cmd := exec.CommandContext(ctx, bonfireBin, args...)
	// Its own home, so no user config.yaml or BONFIRE_* setting leaks in.
	cmd.Env = append(os.Environ(), "BONFIRE_HOME="+t.TempDir())
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && ctx.Err() == nil:
		exit = exitErr.ExitCode()
	default:
		t.Fatalf("bonfire %s: %v (after %s)\nstderr:\n%s", strings.Join(args, " "), err, within, errOut.String())
	}
	return out.String(), errOut.String(), exit
}

func TestCLIValidateAcceptsTheExample(t *testing.T) {
	t.Parallel()
	stdout, stderr, exit := runBonfire(t, time.Minute, "job", "validate", "../examples/digits-sweep/job.yaml")
	if exit != 0 || !strings.Contains(stdout, "valid, 6 tasks") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 0 and 6 tasks", exit, stdout, stderr)
	}
}

func TestCLIValidateListsEveryProblem(t *testing.T) {
	t.Parallel()
	spec := filepath.Join(t.TempDir(), "broken.yaml")
	err := os.WriteFile(spec, []byte(`apiVersion: bonfire/v2
kind: Job
name: Bad_Name
executor: qemu
module: ./m.wasm
args: ["--lr", "{{.rate}}"]
resources: {cpu: -1, memroy: 1Gi}
matrix:
  lr: [0.1, 0.01]
timeout: 0s
retries: 11
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, exit := runBonfire(t, time.Minute, "job", "validate", spec)
	if exit != 1 {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1", exit, stdout, stderr)
	}
	if !strings.Contains(stderr, "8 problems") {
		t.Errorf("stderr does not count 8 problems:\n%s", stderr)
	}
	for _, want := range []string{
		"apiVersion: line 1:", "name: line 3:", "executor: line 4:", "args[1]: line 6:",
		"resources.memroy: line 7:", "resources.cpu: line 7:", "timeout: line 10:", "retries: line 11:",
	} {
		if !strings.Contains(stderr, "\n  "+want) {
			t.Errorf("stderr lacks a problem line starting %q:\n%s", want, stderr)
		}
	}
}

// The demo trains six small networks in wasm on local providers and must
// find one that is at least 90% accurate on held-out digits.
func TestCLIDemo(t *testing.T) {
	t.Parallel()
	stdout, stderr, exit := runBonfire(t, 5*time.Minute, "demo", "--json")
	if exit != 0 {
		t.Fatalf("demo exited %d\nstderr:\n%s", exit, stderr)
	}
	var report struct {
		Tasks        int                 `json:"tasks"`
		BestAccuracy float64             `json:"bestAccuracy"`
		Results      *bonfire.JobResults `json:"results"`
		Verification struct {
			Policy    string `json:"policy"`
			CheckRuns int    `json:"checkRuns"`
			Agreed    int    `json:"agreed"`
			Faults    int64  `json:"faults"`
			Providers []struct {
				Reputation bonfire.Reputation `json:"reputation"`
			} `json:"providers"`
		} `json:"verification"`
		Settlement struct {
			Charged   string `json:"charged"`
			Providers []struct {
				Earned   string   `json:"earned"`
				Claimed  string   `json:"claimed"`
				ClaimTxs []string `json:"claimTxs"`
			} `json:"providers"`
			ConsumerEscrow string `json:"consumerEscrow"`
		} `json:"settlement"`
	}
	if err := json.Unmarshal([]byte(stdout), &report); err != nil {
		t.Fatalf("demo --json printed something that is not its report (%v):\n%s", err, stdout)
	}
	if report.BestAccuracy < 0.9 {
		t.Errorf("best accuracy %.4f, want at least 0.9", report.BestAccuracy)
	}
	if report.Tasks != 6 || report.Results == nil || report.Results.Job.State != bonfire.JobSucceeded || len(report.Results.Ranking) != 6 {
		t.Fatalf("report: %d tasks, results %+v; want 6 tasks, a succeeded job and a ranking of 6", report.Tasks, report.Results)
	}

	// Two new providers check every result against each other.
	v := report.Verification
	agreements := int64(0)
	for _, p := range v.Providers {
		agreements += p.Reputation.Agreed
	}
	if v.Policy != "adaptive" || v.CheckRuns != report.Tasks || v.Agreed != report.Tasks || v.Faults != 0 || agreements != int64(2*report.Tasks) {
		t.Errorf("verification %+v; want each of %d tasks checked by the other provider, all agreeing", v, report.Tasks)
	}

	// The demo pays on its embedded chain: the providers claimed exactly
	// what the job was charged, one transaction each, out of the
	// consumer's 1,000 tUSD deposit.
	st := report.Settlement
	charged := tUSD(t, st.Charged)
	if charged.Sign() <= 0 || charged.Uint64() != report.Results.Job.Charged {
		t.Fatalf("settlement charged %q, the job says %d base units", st.Charged, report.Results.Job.Charged)
	}
	claimed := new(big.Int)
	for _, p := range st.Providers {
		claimed.Add(claimed, tUSD(t, p.Claimed))
		if len(p.ClaimTxs) > 1 || (tUSD(t, p.Claimed).Sign() > 0) != (len(p.ClaimTxs) == 1) {
			t.Errorf("provider claimed %s in %d transactions, want one transaction if it earned anything", p.Claimed, len(p.ClaimTxs))
		}
		for _, tx := range p.ClaimTxs {
			if len(tx) != 66 || tx[:2] != "0x" {
				t.Errorf("claim transaction %q is not a transaction hash", tx)
			}
		}
	}
	if claimed.Cmp(charged) != 0 {
		t.Errorf("providers claimed %s base units, the job was charged %s", claimed, charged)
	}
	if left := tUSD(t, st.ConsumerEscrow); new(big.Int).Add(left, charged).Cmp(big.NewInt(1_000_000_000)) != 0 {
		t.Errorf("the consumer has %s left of 1000 tUSD after paying %s", st.ConsumerEscrow, st.Charged)
	}
}

// tUSD parses "12.5 tUSD" into base units.
func tUSD(t *testing.T, s string) *big.Int {
	t.Helper()
	v, err := chainwallet.ParseAmount(strings.TrimSuffix(s, " tUSD"), 6)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return v
}
