package chainwallet

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/evm"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
)

func TestDeployOnAnotherChain(t *testing.T) {
	t.Parallel()
	_, key, chain := startChain(t, nil)
	ctx := testContext(t)
	me := addrOf(key)
	params := evm.Params{WithdrawDelay: time.Hour, UnstakeDelay: 2 * time.Hour, Arbiter: me}

	dep, err := Deploy(ctx, chain.RPCURL(), key, params, 1)
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if !dep.TestToken || dep.ChainID != 1337 || dep.Escrow == chain.Deployment().Escrow || dep.Arbiter != me || dep.WithdrawDelay != bonfire.Duration(time.Hour) {
		t.Fatalf("Deploy = %+v, want a fresh deployment with its own test token", dep)
	}
	checks, err := CheckDeployment(ctx, chain.RPCURL(), dep)
	if err != nil || len(checks) != 3 {
		t.Fatalf("CheckDeployment = %+v, %v", checks, err)
	}
	for _, c := range checks {
		if c.CodeSize == 0 {
			t.Fatalf("no code at the %s contract %s", c.Name, c.Address.Hex())
		}
	}
	w, err := Connect(ctx, chain.RPCURL(), dep)
	if err != nil {
		t.Fatalf("Connect to the new deployment: %v", err)
	}
	defer w.Close()
	if _, err := w.Faucet(ctx, key, tusd(3)); err != nil {
		t.Fatalf("Faucet on the new deployment: %v", err)
	}

	// An existing token is used as is.
	params.Token = dep.Token
	second, err := Deploy(ctx, chain.RPCURL(), key, params, 1)
	if err != nil || second.TestToken || second.Token != dep.Token || second.Escrow == dep.Escrow {
		t.Fatalf("Deploy on an existing token = %+v, %v", second, err)
	}

	params.Token = common.HexToAddress("0x000000000000000000000000000000000000dead")
	_, err = Deploy(ctx, chain.RPCURL(), key, params, 1)
	if be := wantCode(t, "deploying on an address without a token", err, bonfire.ECodeInvalid, "no contract at the token address"); be.Field != "token" {
		t.Fatalf("field %q, want token", be.Field)
	}
	params.Token = common.Address{}
	_, err = Deploy(ctx, chain.RPCURL(), mustGenerate(t), params, 1)
	if be := wantCode(t, "deploying from an account without ether", err, bonfire.ECodeInvalid, "no ether for gas"); be.Field != "key" {
		t.Fatalf("field %q, want key", be.Field)
	}
	wrong := *dep
	wrong.ChainID = 1
	_, err = CheckDeployment(ctx, chain.RPCURL(), &wrong)
	wantCode(t, "checking another chain's deployment", err, bonfire.ECodeConflict, "chain id")

	path := filepath.Join(t.TempDir(), "deployments.json")
	if err := CheckDeploymentFileWritable(path, false); err != nil {
		t.Fatalf("CheckDeploymentFileWritable of a new file: %v", err)
	}
	if err := WriteDeploymentFile(path, dep, false); err != nil {
		t.Fatalf("WriteDeploymentFile: %v", err)
	}
	read, err := ReadDeploymentFile(path)
	if err != nil || *read != *dep {
		t.Fatalf("ReadDeploymentFile = %+v, %v; want %+v", read, err, dep)
	}
	err = WriteDeploymentFile(path, second, false)
	wantCode(t, "overwriting a deployment file", err, bonfire.ECodeConflict, "already exists")
	wantCode(t, "checking an existing deployment file", CheckDeploymentFileWritable(path, false), bonfire.ECodeConflict, "already exists")
	if err := WriteDeploymentFile(path, second, true); err != nil {
		t.Fatalf("WriteDeploymentFile with replace: %v", err)
	}
	if read, err := ReadDeploymentFile(path); err != nil || *read != *second {
		t.Fatalf("after replacing, ReadDeploymentFile = %+v, %v; want %+v", read, err, second)
	}
	wantCode(t, "a deployment file in a missing directory", CheckDeploymentFileWritable(filepath.Join(path, "x", "d.json"), true), bonfire.ECodeInvalid, "does not exist")
}

func TestWaitDeploymentConfirmations(t *testing.T) {
	t.Parallel()
	_, _, chain := startChain(t, nil)
	ctx := testContext(t)
	client, err := ethclient.DialContext(ctx, chain.RPCURL())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	head, err := client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dep := *chain.Deployment()
	dep.Block = head

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	err = waitDeployment(short, client, &dep, 2)
	if be := wantCode(t, "two confirmations with no new block", err, bonfire.ECodeTimeout, "fewer than 2 confirmations"); be.Field != "confirmations" {
		t.Fatalf("field %q, want confirmations", be.Field)
	}
	if _, err := chain.Transfer(ctx, addrOf(mustGenerate(t)), common.Big1); err != nil {
		t.Fatal(err)
	}
	if err := waitDeployment(ctx, client, &dep, 2); err != nil {
		t.Fatalf("two confirmations after another block: %v", err)
	}
	gone := dep
	gone.Stake = common.HexToAddress("0x00000000000000000000000000000000000057a4")
	wantCode(t, "a contract without code", waitDeployment(ctx, client, &gone, 1), bonfire.ECodeConflict, "reorganisation")
}
