package provider

import (
	"context"
	"crypto/sha256"
	"io"
	"os"
	"sync"

	"github.com/bonfirenet/bonfire"
)

// uploadLocks lets one upload of given content run at a time. Tasks often
// write identical files (an empty log, the same metrics), and two uploads
// of the same content signed by the same key in the same millisecond are
// the same signed request: the market refuses the second as a replay. Run
// one after the other, the second finds the blob stored and sends nothing.
type uploadLocks struct {
	mu    sync.Mutex
	locks map[bonfire.Digest]*uploadLock
}

type uploadLock struct {
	held  chan struct{} // holds a value while the lock is taken
	users int           // holders and waiters; the entry goes at zero
}

// lock waits for d's lock and returns its release, or fails when ctx ends.
func (u *uploadLocks) lock(ctx context.Context, d bonfire.Digest) (func(), error) {
	u.mu.Lock()
	if u.locks == nil {
		u.locks = map[bonfire.Digest]*uploadLock{}
	}
	l := u.locks[d]
	if l == nil {
		l = &uploadLock{held: make(chan struct{}, 1)}
		u.locks[d] = l
	}
	l.users++
	u.mu.Unlock()
	done := func() {
		u.mu.Lock()
		if l.users--; l.users == 0 {
			delete(u.locks, d)
		}
		u.mu.Unlock()
	}
	select {
	case l.held <- struct{}{}:
		return func() { <-l.held; done() }, nil
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
}

func fileDigest(path string) (bonfire.Digest, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return bonfire.DigestFromSum(h.Sum(nil)), nil
}
