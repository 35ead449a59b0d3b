package chainwallet

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

var journalChain = big.NewInt(1337)

// signedTx is a transfer signed by a new key, and that key's address.
func signedTx(t testing.TB, nonce uint64) (*types.Transaction, common.Address) {
	t.Helper()
	key := mustGenerate(t)
	tx, err := types.SignNewTx(key.PrivateKey(), types.LatestSignerForChainID(journalChain), &types.DynamicFeeTx{
		ChainID: journalChain, Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(3), Gas: 21000, To: &common.Address{1}, Value: big.NewInt(1),
	})
	if err != nil {
		t.Fatal(err)
	}
	return tx, addrOf(key)
}

func TestJournalAddRemoveAndChecks(t *testing.T) {
	t.Parallel()
	j := &journal{dir: filepath.Join(t.TempDir(), "pending"), chainID: journalChain}
	tx, me := signedTx(t, 7)
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := j.add(me, tx, "deposit 5 tUSD", at); err != nil {
		t.Fatalf("add: %v", err)
	}
	es, err := j.entries(me)
	if err != nil || len(es) != 1 || es[0].Hash != tx.Hash() || es[0].Nonce != 7 || es[0].What != "deposit 5 tUSD" || !es[0].SentAt.Equal(at) || es[0].tx.Hash() != tx.Hash() {
		t.Fatalf("entries = %+v, %v; want the added transaction", es, err)
	}
	data, err := os.ReadFile(j.path(me))
	if err != nil {
		t.Fatal(err)
	}

	// Another account's or chain's journal, or one whose bytes are not the
	// transaction it names, is refused rather than sent to a node.
	_, other := signedTx(t, 0)
	if _, err := parseJournal(data, journalChain, other); err == nil {
		t.Fatal("parseJournal accepted another account's journal")
	}
	if _, err := parseJournal(data, big.NewInt(1), me); err == nil {
		t.Fatal("parseJournal accepted another chain's journal")
	}
	var f journalFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	f.Transactions[0].Nonce = 8
	forged, _ := json.Marshal(f)
	if _, err := parseJournal(forged, journalChain, me); err == nil {
		t.Fatal("parseJournal accepted an entry whose nonce is not its transaction's")
	}
	if err := os.WriteFile(j.path(me), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = j.entries(me)
	var be *bonfire.Error
	if !errors.As(err, &be) || be.Field != "journal" || be.Hint == "" {
		t.Fatalf("entries of a damaged journal = %v, want an error naming the journal with a hint", err)
	}
	if err := os.WriteFile(j.path(me), data, 0o600); err != nil {
		t.Fatal(err)
	}

	if err := j.remove(me, tx.Hash()); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if _, err := os.Stat(j.path(me)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an empty journal is left behind: %v", err)
	}
	var none *journal
	if es, err := none.entries(me); err != nil || es != nil {
		t.Fatalf("a wallet without a journal has entries %v, %v", es, err)
	}
}

// fakeFees is a node with a fixed head and tip.
type fakeFees struct{ baseFee, tip *big.Int }

func (f fakeFees) HeaderByNumber(context.Context, *big.Int) (*types.Header, error) {
	return &types.Header{Number: big.NewInt(1), BaseFee: f.baseFee}, nil
}

func (f fakeFees) SuggestGasTipCap(context.Context) (*big.Int, error) { return f.tip, nil }

func TestSuggestFees(t *testing.T) {
	t.Parallel()
	tip, feeCap, err := suggestFees(context.Background(), fakeFees{baseFee: big.NewInt(7_000_000_000), tip: big.NewInt(1_500_000_000)})
	if err != nil || tip.Int64() != 1_500_000_000 || feeCap.Int64() != 15_500_000_000 {
		t.Fatalf("suggestFees = %v, %v, %v; want the node's tip and 2×7 + 1.5 gwei", tip, feeCap, err)
	}
	tip, feeCap, err = suggestFees(context.Background(), fakeFees{tip: big.NewInt(1)})
	if err != nil || tip != nil || feeCap != nil {
		t.Fatalf("suggestFees before London = %v, %v, %v; want nil fees (legacy gas price)", tip, feeCap, err)
	}
}

func TestNodeErrorWordings(t *testing.T) {
	t.Parallel()
	// already known, nonce too low, replacement underpriced
	for msg, want := range map[string][3]bool{
		"already known":                       {true, false, false},
		"ALREADY_KNOWN":                       {true, false, false},
		"known transaction: 0xab":             {true, false, false},
		"nonce too low: next nonce 4, tx 3":   {false, true, false},
		"NONCE_TOO_LOW":                       {false, true, false},
		"replacement transaction underpriced": {false, false, true},
		"insufficient funds for gas * price":  {false, false, false},
	} {
		err := errors.New(msg)
		got := [3]bool{alreadyKnown(err), nonceTooLow(err), replacementUnderpriced(err)}
		if got != want {
			t.Errorf("%q: classified %v, want %v", msg, got, want)
		}
	}
}

func FuzzParseJournal(f *testing.F) {
	key := mustGenerate(f)
	me := addrOf(key)
	tx, err := types.SignNewTx(key.PrivateKey(), types.LatestSignerForChainID(journalChain), &types.DynamicFeeTx{
		ChainID: journalChain, Nonce: 1, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(3), Gas: 21000, To: &common.Address{1},
	})
	if err != nil {
		f.Fatal(err)
	}
	raw, _ := tx.MarshalBinary()
	good, _ := json.Marshal(journalFile{Version: journalVersion, ChainID: 1337, Account: me,
		Transactions: []journalEntry{{Hash: tx.Hash(), Nonce: 1, What: "mint", Raw: raw}}})
	f.Add(good)
	f.Add([]byte(`{"version":1,"chainId":1337,"account":"` + me.Hex() + `","transactions":[]}`))
	f.Add([]byte(`{"version":1,"chainId":1337,"account":"` + me.Hex() + `","transactions":[{"raw":"0x02"}]}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		es, err := parseJournal(data, journalChain, me)
		if err != nil {
			return
		}
		for _, e := range es {
			// Whatever is accepted is safe to send again: the account's own
			// transaction, whose hash and nonce are the recorded ones.
			from, err := types.Sender(types.LatestSignerForChainID(journalChain), e.tx)
			if err != nil || from != me || e.tx.Hash() != e.Hash || e.tx.Nonce() != e.Nonce {
				t.Fatalf("accepted entry %+v signed by %s (%v)", e, from.Hex(), err)
			}
		}
	})
}
