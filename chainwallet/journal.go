package chainwallet

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// journalVersion is written into every journal so that a later format can
// refuse, rather than misread, an older file.
const journalVersion = 1

// maxJournal bounds what a journal read accepts: it holds at most a few
// signed transactions, so a much larger file is not one of ours.
const maxJournal = 1 << 20

// journal remembers the transactions an account signed and handed to the
// node but has not yet seen confirmed, in one small JSON file per chain and
// account. It is what lets a restarted process find a transaction that was
// in flight when the previous one died: the signed bytes are kept, so the
// transaction can be sent again if the node lost it, and the next send
// waits for it instead of signing a second transaction with the same nonce.
type journal struct {
	dir     string
	chainID *big.Int
	mu      sync.Mutex // one read-modify-write at a time within a process
}

// journalFile is the file's format.
type journalFile struct {
	Version      int            `json:"version"`
	ChainID      uint64         `json:"chainId"`
	Account      common.Address `json:"account"`
	Transactions []journalEntry `json:"transactions"`
}

// journalEntry is one signed transaction in flight.
type journalEntry struct {
	Hash   common.Hash   `json:"hash"`
	Nonce  uint64        `json:"nonce"`
	What   string        `json:"what"` // what it does, in words: "deposit 5 tUSD"
	SentAt time.Time     `json:"sentAt"`
	Raw    hexutil.Bytes `json:"raw"` // the signed transaction, to send again if the node lost it

	tx *types.Transaction // decoded Raw
}

func (j *journal) path(account common.Address) string {
	return filepath.Join(j.dir, fmt.Sprintf("%s-%s.json", j.chainID, strings.ToLower(account.Hex())))
}

// entries reads account's transactions in flight, lowest nonce first.
func (j *journal) entries(account common.Address) ([]journalEntry, error) {
	if j == nil {
		return nil, nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.read(account)
}

// add records tx before it is sent, so that a crash between sending and
// recording cannot lose it.
func (j *journal) add(account common.Address, tx *types.Transaction, what string, now time.Time) error {
	if j == nil {
		return nil
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "cannot encode transaction %s: %v", tx.Hash().Hex(), err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	es, err := j.read(account)
	if err != nil {
		return err
	}
	es = append(es, journalEntry{Hash: tx.Hash(), Nonce: tx.Nonce(), What: what, SentAt: now.UTC(), Raw: raw, tx: tx})
	return j.write(account, es)
}

// remove forgets hash once it is settled either way.
func (j *journal) remove(account common.Address, hash common.Hash) error {
	if j == nil {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	es, err := j.read(account)
	if err != nil {
		return err
	}
	kept := es[:0]
	for _, e := range es {
		if e.Hash != hash {
			kept = append(kept, e)
		}
	}
	if len(kept) == len(es) {
		return nil
	}
	return j.write(account, kept)
}

func (j *journal) read(account common.Address) ([]journalEntry, error) {
	path := j.path(account)
	data, err := readLimited(path, maxJournal)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, journalError(path, err.Error())
	}
	es, err := parseJournal(data, j.chainID, account)
	if err != nil {
		return nil, journalError(path, err.Error())
	}
	return es, nil
}

// parseJournal decodes and checks a journal: every entry must be a
// transaction signed by account for chainID whose hash and nonce are the
// ones recorded, since the wallet sends those bytes to the node again.
func parseJournal(data []byte, chainID *big.Int, account common.Address) ([]journalEntry, error) {
	var f journalFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if f.Version != journalVersion {
		return nil, fmt.Errorf("version %d, want %d", f.Version, journalVersion)
	}
	if !chainID.IsUint64() || f.ChainID != chainID.Uint64() || f.Account != account {
		return nil, fmt.Errorf("it is the journal of %s on chain %d, not of %s on chain %s", f.Account.Hex(), f.ChainID, account.Hex(), chainID)
	}
	signer := types.LatestSignerForChainID(chainID)
	for i := range f.Transactions {
		e := &f.Transactions[i]
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(e.Raw); err != nil {
			return nil, fmt.Errorf("transaction %d: %v", i, err)
		}
		if tx.Hash() != e.Hash || tx.Nonce() != e.Nonce {
			return nil, fmt.Errorf("transaction %d: its bytes are not transaction %s with nonce %d", i, e.Hash.Hex(), e.Nonce)
		}
		from, err := types.Sender(signer, tx)
		if err != nil || from != account {
			return nil, fmt.Errorf("transaction %d is not signed by %s for chain %s", i, account.Hex(), chainID)
		}
		e.tx = tx
	}
	slices.SortStableFunc(f.Transactions, func(a, b journalEntry) int { return cmp.Compare(a.Nonce, b.Nonce) })
	return f.Transactions, nil
}

// write replaces the journal atomically, and deletes it when empty so that a
// settled account leaves nothing behind.
func (j *journal) write(account common.Address, es []journalEntry) error {
	path := j.path(account)
	if len(es) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return journalError(path, err.Error())
		}
		return nil
	}
	data, err := json.MarshalIndent(journalFile{Version: journalVersion, ChainID: j.chainID.Uint64(), Account: account, Transactions: es}, "", "  ")
	if err != nil {
		return bonfire.Errorf(bonfire.ECodeInternal, "cannot encode the journal %s: %v", path, err)
	}
	if err := os.MkdirAll(j.dir, 0o700); err != nil {
		return journalError(path, err.Error())
	}
	if err := writeFileAtomic(path, append(data, '\n'), 0o600, true); err != nil {
		return journalError(path, err.Error())
	}
	return nil
}

func journalError(path, why string) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeInvalid, "cannot use the transaction journal %s: %s", path, why).
		WithField("journal").WithHint("fix its permissions; if it is damaged, check the account's transactions in a block explorer, then move the file away")
}

// readLimited reads at most limit bytes of path and fails on a larger file.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("it is %d bytes, more than the %d such a file can be", st.Size(), limit)
	}
	data := make([]byte, st.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	return data, nil
}

// writeFileAtomic writes data to path through a synced temporary file in the
// same directory, so a reader sees the old file or the new one, never a torn
// one. With replace false it fails with fs.ErrExist when path exists.
func writeFileAtomic(path string, data []byte, perm os.FileMode, replace bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) // a no-op once renamed or linked
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, perm)
	}
	if err != nil {
		return err
	}
	if replace {
		return os.Rename(name, path)
	}
	// A hard link fails when path exists: the check and the creation are
	// one step, so two deployments cannot both write the file.
	return os.Link(name, path)
}
