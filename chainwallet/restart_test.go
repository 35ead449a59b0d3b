package chainwallet

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// proxyMode says what rpcProxy does with the next transaction sent.
type proxyMode int

const (
	forward       proxyMode = iota
	loseBefore              // never pass it to the node: the process died before the node got it
	loseAfterMine           // pass it on, then keep the answer: the process died waiting for the receipt
)

// rpcProxy stands between a wallet and the chain's JSON-RPC endpoint and can
// lose one transaction send, as a process killed mid-send would.
type rpcProxy struct {
	target string
	mu     sync.Mutex
	mode   proxyMode
	held   chan struct{} // signalled when a send is being lost
}

func startProxy(t *testing.T, target string) (*rpcProxy, string) {
	t.Helper()
	p := &rpcProxy{target: target, held: make(chan struct{}, 1)}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv.URL
}

// loseNext makes the next transaction send be lost as m says.
func (p *rpcProxy) loseNext(m proxyMode) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = m
}

func (p *rpcProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var call struct{ Method string }
	_ = json.Unmarshal(body, &call)
	mode := forward
	if strings.HasPrefix(call.Method, "eth_sendRawTransaction") {
		p.mu.Lock()
		mode, p.mode = p.mode, forward
		p.mu.Unlock()
	}
	if mode == loseBefore {
		p.held <- struct{}{}
		<-r.Context().Done()
		return
	}
	resp, err := http.Post(p.target, "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	if mode == loseAfterMine {
		p.held <- struct{}{}
		<-r.Context().Done()
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(answer)
}

// dieMidSend runs a faucet call on w and "kills the process" (cancels the
// call) once the proxy has lost its transaction.
func dieMidSend(ctx context.Context, t *testing.T, p *rpcProxy, m proxyMode, w *Wallet, key *identity.Key, amount *big.Int) {
	t.Helper()
	p.loseNext(m)
	callCtx, kill := context.WithCancel(ctx)
	defer kill()
	done := make(chan error, 1)
	go func() {
		_, err := w.Faucet(callCtx, key, amount)
		done <- err
	}()
	select {
	case <-p.held:
	case err := <-done:
		t.Fatalf("the faucet call returned %v before its send was lost", err)
	case <-ctx.Done():
		t.Fatal("the faucet call never sent its transaction")
	}
	kill()
	if err := <-done; bonfire.Code(err) != bonfire.ECodeTimeout {
		t.Fatalf("the killed faucet call returned %v, want a timeout", err)
	}
}

func TestRestartFindsTransactionsInFlight(t *testing.T) {
	t.Parallel()
	_, key, chain := startChain(t, nil)
	ctx := testContext(t)
	me := addrOf(key)
	journalDir := t.TempDir()
	proxy, proxyURL := startProxy(t, chain.RPCURL())
	connect := func(url string, opts ...Option) *Wallet {
		t.Helper()
		w, err := Connect(ctx, url, chain.Deployment(), append([]Option{WithJournal(journalDir)}, opts...)...)
		if err != nil {
			t.Fatalf("Connect: %v", err)
		}
		t.Cleanup(w.Close)
		return w
	}
	nonce := func() uint64 {
		t.Helper()
		n, err := chain.Client().NonceAt(ctx, me, nil)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	// 1. The first process dies after signing and journaling a transaction
	// but before the node got it. The node's pending nonce is still 0, so a
	// wallet without the journal would sign a new transaction with nonce 0
	// and the first one would be lost (or fight the new one if it turned up).
	first := connect(proxyURL)
	dieMidSend(ctx, t, proxy, loseBefore, first, key, tusd(1))
	if _, err := os.Stat(filepath.Join(journalDir, "1337-"+strings.ToLower(me.Hex())+".json")); err != nil {
		t.Fatalf("no journal file for the account after a send: %v", err)
	}

	restarted := connect(chain.RPCURL())
	pending, err := restarted.Pending(ctx, me)
	if err != nil || len(pending) != 1 || pending[0].State != TxLost || pending[0].Nonce != 0 || pending[0].What != "mint 1 tUSD" {
		t.Fatalf("Pending after the lost send = %+v, %v; want one lost transaction, nonce 0, minting 1 tUSD", pending, err)
	}
	lost := pending[0].Hash
	if _, err := restarted.Faucet(ctx, key, tusd(2)); err != nil {
		t.Fatalf("Faucet after the restart: %v", err)
	}
	// The restarted wallet sent the lost transaction again, waited for it,
	// and only then used the next nonce.
	r, err := receiptOf(ctx, chain.Client(), lost)
	if err != nil || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("receipt of the transaction lost in flight: %+v, %v", r, err)
	}
	tok, err := restarted.TokenBalance(ctx, me)
	wantBalance(t, "tokens after both mints", tok, err, tusd(3))
	if n := nonce(); n != 2 {
		t.Fatalf("account nonce %d, want 2 (the lost transaction and the new one)", n)
	}
	if pending, err := restarted.Pending(ctx, me); err != nil || len(pending) != 0 {
		t.Fatalf("Pending after settling = %+v, %v; want none", pending, err)
	}
	tx, _, err := chain.Client().TransactionByHash(ctx, lost)
	if err != nil || tx.Type() != types.DynamicFeeTxType || tx.GasFeeCap().Cmp(tx.GasTipCap()) <= 0 {
		t.Fatalf("the wallet's transaction %+v (%v) is not EIP-1559 with a fee cap above the tip", tx, err)
	}

	// 2. The process dies after the node mined the transaction, before it
	// saw the receipt. The next wallet finds it mined and forgets it.
	dieMidSend(ctx, t, proxy, loseAfterMine, first, key, tusd(4))
	again := connect(chain.RPCURL())
	pending, err = again.Pending(ctx, me)
	if err != nil || len(pending) != 1 || pending[0].State != TxMined || pending[0].Nonce != 2 {
		t.Fatalf("Pending after dying before the receipt = %+v, %v; want one mined transaction with nonce 2", pending, err)
	}
	settled, err := again.Settle(ctx, me)
	if err != nil || len(settled) != 1 || settled[0].State != TxConfirmed || settled[0].Block == 0 {
		t.Fatalf("Settle = %+v, %v; want the mined transaction confirmed", settled, err)
	}
	tok, err = again.TokenBalance(ctx, me)
	wantBalance(t, "tokens after the third mint", tok, err, tusd(7))

	// 3. The lost transaction's nonce was taken by another one (sent by a
	// wallet that keeps no journal, as MetaMask would). Settle reports it
	// replaced instead of waiting forever.
	dieMidSend(ctx, t, proxy, loseBefore, first, key, tusd(8))
	noJournal, err := Connect(ctx, chain.RPCURL(), chain.Deployment())
	if err != nil {
		t.Fatal(err)
	}
	defer noJournal.Close()
	if _, err := noJournal.Faucet(ctx, key, tusd(16)); err != nil {
		t.Fatalf("Faucet without a journal: %v", err)
	}
	settled, err = again.Settle(ctx, me)
	if err != nil || len(settled) != 1 || settled[0].State != TxReplaced || settled[0].Nonce != 3 {
		t.Fatalf("Settle after the nonce was taken = %+v, %v; want the transaction with nonce 3 replaced", settled, err)
	}
	if _, err := again.Faucet(ctx, key, tusd(32)); err != nil {
		t.Fatalf("Faucet after the replacement: %v", err)
	}
	tok, err = again.TokenBalance(ctx, me)
	wantBalance(t, "tokens at the end", tok, err, tusd(7+16+32))
}

func TestSendWaitsForConfirmations(t *testing.T) {
	t.Parallel()
	_, key, chain := startChain(t, nil)
	ctx := testContext(t)
	me := addrOf(key)
	w, err := Connect(ctx, chain.RPCURL(), chain.Deployment(), WithConfirmations(2), WithJournal(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.Confirmations() != 2 {
		t.Fatalf("Confirmations() = %d, want 2", w.Confirmations())
	}

	// The dev chain mines only when something is sent: nothing else is, so
	// the mint is mined but never gets its second confirmation.
	short, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
	defer cancel()
	_, err = w.Faucet(short, key, tusd(1))
	if bonfire.Code(err) != bonfire.ECodeTimeout || !strings.Contains(err.Error(), "confirmations") {
		t.Fatalf("Faucet with 2 confirmations and no other traffic = %v, want a timeout about confirmations", err)
	}
	pending, err := w.Pending(ctx, me)
	if err != nil || len(pending) != 1 || pending[0].State != TxMined {
		t.Fatalf("Pending = %+v, %v; want the mint mined and still awaiting confirmation", pending, err)
	}

	// Someone else's transaction makes the next block.
	if _, err := chain.Transfer(ctx, addrOf(mustGenerate(t)), big.NewInt(1)); err != nil {
		t.Fatal(err)
	}
	settled, err := w.Settle(ctx, me)
	if err != nil || len(settled) != 1 || settled[0].State != TxConfirmed {
		t.Fatalf("Settle after another block = %+v, %v; want the mint confirmed", settled, err)
	}
}

func mustGenerate(t testing.TB) *identity.Key {
	t.Helper()
	k, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// receiptOf reads a mined transaction's receipt by hash. go-ethereum indexes
// transactions by hash in the background after a block, so a lookup right
// after mining may miss for a moment: poll, with the test's deadline.
func receiptOf(ctx context.Context, c interface {
	TransactionReceipt(context.Context, common.Hash) (*types.Receipt, error)
}, hash common.Hash) (*types.Receipt, error) {
	for {
		r, err := c.TransactionReceipt(ctx, hash)
		if err == nil || ctx.Err() != nil {
			return r, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(5 * time.Millisecond):
		}
	}
}
