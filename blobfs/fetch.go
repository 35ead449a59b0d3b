package blobfs

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/bonfirenet/bonfire"
)

// maxAttempts bounds how often one Fetch resumes an interrupted download.
// Each retry must have made progress, so a dead market fails fast.
const maxAttempts = 4

// Fetcher fills a Store from the market's blob endpoint. Concurrent Fetches
// of one digest share a single download. Use one Fetcher per Store: the
// sharing, and the partial file a download resumes from, are per Fetcher.
type Fetcher struct {
	store  *Store
	base   string
	client *http.Client

	// MaxBytes, when positive, stops a download that grows past it, so a
	// misbehaving market cannot fill the disk.
	MaxBytes int64

	mu      sync.Mutex
	flights map[bonfire.Digest]*flight
	joined  func() // tests: called when a caller starts waiting on another's download
}

// flight is one download in progress that other callers wait for.
type flight struct {
	done      chan struct{}
	path      string
	err       error
	cancelled bool // the leader's context ended; waiters should try again
}

// NewFetcher returns a Fetcher that downloads from baseURL (such as
// http://market:8080/v1/blobs) into store. A nil client means
// http.DefaultClient.
func NewFetcher(store *Store, baseURL string, client *http.Client) *Fetcher {
	if client == nil {
		client = http.DefaultClient
	}
	return &Fetcher{store: store, base: strings.TrimSuffix(baseURL, "/"), client: client, flights: map[bonfire.Digest]*flight{}}
}

// Fetch returns the local path of blob d, downloading it first if the store
// lacks it.
func (f *Fetcher) Fetch(ctx context.Context, d bonfire.Digest) (string, error) {
	if err := d.Validate(); err != nil {
		return "", withField(err, "digest")
	}
	for {
		if p, err := f.store.Path(d); err == nil {
			return p, nil
		}
		f.mu.Lock()
		fl, running := f.flights[d]
		if !running {
			// A leader installs before it leaves the map, so this second
			// look cannot miss a download that just finished.
			if p, err := f.store.Path(d); err == nil {
				f.mu.Unlock()
				return p, nil
			}
			fl = &flight{done: make(chan struct{})}
			f.flights[d] = fl
		}
		f.mu.Unlock()
		if running && f.joined != nil {
			f.joined()
		}

		if !running {
			fl.path, fl.err = f.download(ctx, d)
			fl.cancelled = fl.err != nil && ctx.Err() != nil
			f.mu.Lock()
			delete(f.flights, d)
			f.mu.Unlock()
			close(fl.done)
			return fl.path, fl.err
		}
		select {
		case <-ctx.Done():
			return "", ctxError(ctx, d)
		case <-fl.done:
		}
		// The leader gave up because its caller did, not because the
		// download failed; this caller still wants the blob.
		if !fl.cancelled {
			return fl.path, fl.err
		}
	}
}

func (f *Fetcher) download(ctx context.Context, d bonfire.Digest) (string, error) {
	partial := filepath.Join(f.store.partialDir, d.Hex())
	for attempt := 1; ; attempt++ {
		progressed, err := f.downloadOnce(ctx, d, partial)
		if err == nil {
			return f.store.path(d), nil
		}
		if ctx.Err() != nil {
			return "", ctxError(ctx, d)
		}
		if !progressed || attempt == maxAttempts {
			return "", err
		}
	}
}

// downloadOnce makes one request, continuing the partial file if there is
// one, and installs the blob once it is complete and verified. It reports
// whether it got closer to the end, which is what makes a retry worthwhile.
func (f *Fetcher) downloadOnce(ctx context.Context, d bonfire.Digest, partial string) (progressed bool, err error) {
	file, err := os.OpenFile(partial, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return false, diskError("open the partial download", err)
	}
	defer func() {
		if file != nil {
			file.Close()
		}
	}()
	h := sha256.New()
	have, err := io.Copy(h, file) // the hash must cover what an earlier attempt wrote
	if err != nil {
		return false, diskError("read the partial download", err)
	}
	finish := func() error {
		if got := bonfire.DigestFromSum(h.Sum(nil)); got != d {
			os.Remove(partial)
			return bonfire.Errorf(bonfire.ECodeInvalid, "the market sent content for blob %s that hashes to %s", d, got).
				WithField("digest").WithHint("the market's copy is damaged; tell its operator")
		}
		complete := file
		file = nil // install closes it
		return f.store.install(complete, d)
	}

	url := f.base + "/" + string(d)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false, bonfire.Errorf(bonfire.ECodeInvalid, "bad blob URL %q: %v", url, err).
			WithField("blobUrl").WithHint("the market's blob URL looks like http://host:port/v1/blobs")
	}
	if have > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := f.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, ctxError(ctx, d)
		}
		return false, bonfire.Errorf(bonfire.ECodeUnavailable, "cannot download blob %s from %s: %v", d, f.base, err).
			WithHint("check that the market is running and reachable")
	}
	defer resp.Body.Close()

	switch resp.StatusCode {
	case http.StatusOK:
		if err := restart(file, h); err != nil {
			return false, err
		}
		have = 0
	case http.StatusPartialContent:
		if start, ok := contentRangeStart(resp.Header.Get("Content-Range")); !ok || start != have {
			// Not the continuation we asked for: start over on the next try.
			return true, restart(file, h)
		}
		if _, err := file.Seek(have, io.SeekStart); err != nil {
			return false, diskError("seek in the partial download", err)
		}
	case http.StatusRequestedRangeNotSatisfiable:
		// Nothing after `have`: an earlier attempt got every byte but
		// stopped before installing. The hash decides.
		return false, finish()
	case http.StatusNotFound:
		return false, bonfire.Errorf(bonfire.ECodeNotFound, "blob %s not found at the market", d).
			WithField("digest").WithHint("upload the blob to the market before running tasks that use it")
	default:
		return false, bonfire.Errorf(bonfire.ECodeUnavailable, "the market answered %s when asked for blob %s", resp.Status, d).
			WithHint("try again later; if it persists, see the market's log")
	}

	var body io.Reader = resp.Body
	if f.MaxBytes > 0 {
		body = io.LimitReader(resp.Body, f.MaxBytes-have+1)
	}
	n, err := io.CopyBuffer(io.MultiWriter(file, h), body, make([]byte, 256<<10))
	if err != nil {
		if ctx.Err() != nil {
			return n > 0, ctxError(ctx, d)
		}
		return n > 0, bonfire.Errorf(bonfire.ECodeUnavailable, "the download of blob %s broke off after %d bytes: %v", d, have+n, err).
			WithHint("try again; the download resumes where it stopped")
	}
	if f.MaxBytes > 0 && have+n > f.MaxBytes {
		os.Remove(partial)
		return false, bonfire.Errorf(bonfire.ECodeTooLarge, "blob %s is larger than the download limit of %d bytes", d, f.MaxBytes).
			WithHint("raise the provider's blob size limit to run this job")
	}
	return true, finish()
}

// restart empties the partial file and the running hash.
func restart(file *os.File, h hash.Hash) error {
	h.Reset()
	if err := file.Truncate(0); err != nil {
		return diskError("truncate the partial download", err)
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return diskError("rewind the partial download", err)
	}
	return nil
}

// contentRangeStart reads the first byte position of "bytes start-end/size".
func contentRangeStart(v string) (int64, bool) {
	rest, ok := strings.CutPrefix(v, "bytes ")
	if !ok {
		return 0, false
	}
	start, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(start, 10, 64)
	return n, err == nil && n >= 0
}

func ctxError(ctx context.Context, d bonfire.Digest) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return bonfire.Errorf(bonfire.ECodeTimeout, "the deadline passed while fetching blob %s", d).
			WithHint("try again with a longer deadline; the download resumes where it stopped")
	}
	return bonfire.Errorf(bonfire.ECodeCancelled, "fetching blob %s was cancelled", d)
}
