package devchain

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// killReport is what the child tells the parent before being killed.
type killReport struct {
	Block  uint64         `json:"block"`
	Escrow common.Address `json:"escrow"`
	Payee  common.Address `json:"payee"`
}

var (
	killFundee = common.HexToAddress("0x00000000000000000000000000000000000b0b04")
	killPayee  = common.HexToAddress("0x00000000000000000000000000000000000b0b05")
)

const killPayment = 777

// killedChild runs in the re-executed test binary: it starts a chain,
// makes a payment, reports, and waits to be killed (or for its stdin to
// close, should the parent die first).
func killedChild(dir string) {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	}
	c, err := Start(ctx, Config{DataDir: dir, HTTPAddr: "127.0.0.1:0", Fund: []common.Address{killFundee}})
	if err != nil {
		fail(err)
	}
	block, err := transfer(ctx, c, killPayee, killPayment)
	if err != nil {
		fail(err)
	}
	// No Close: whatever was acknowledged must already be on disk.
	json.NewEncoder(os.Stdout).Encode(killReport{Block: block, Escrow: c.Deployment().Escrow, Payee: killPayee})
	io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}

func TestSurvivesKill(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	dir := t.TempDir()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadBytes('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child reported nothing (%v); stderr:\n%s", err, stderr.String())
	}
	var report killReport
	if err := json.Unmarshal(line, &report); err != nil {
		t.Fatalf("child report %q: %v", line, err)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown code runs
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("child exited cleanly; it should have been killed")
	}

	c := startTest(t, dir, killFundee)
	if c.Deployment().Escrow != report.Escrow {
		t.Errorf("escrow after the kill = %s, want %s: the deployment was redone", c.Deployment().Escrow, report.Escrow)
	}
	requireDeployed(t, ctx, c, c.Deployment())
	head, err := c.Client().BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if head < report.Block {
		t.Errorf("head after the kill = %d, want at least %d: acknowledged blocks were lost", head, report.Block)
	}
	eth, tokens := balances(t, ctx, c, report.Payee)
	if eth.Cmp(big.NewInt(killPayment)) != 0 || tokens.Sign() != 0 {
		t.Errorf("payee has %s wei, %s tUSD units after the kill, want %d and 0", eth, tokens, killPayment)
	}
	eth, tokens = balances(t, ctx, c, killFundee)
	if eth.Cmp(DefaultFundETH) != 0 || tokens.Cmp(DefaultFundTokens) != 0 {
		t.Errorf("fundee has %s wei, %s tUSD units after the kill, want exactly one funding", eth, tokens)
	}
}
