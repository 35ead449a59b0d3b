package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"

	"github.com/bonfirenet/bonfire"
)

// BlobRef is the body of a successful POST /v1/blobs.
type BlobRef struct {
	Digest bonfire.Digest `json:"digest"`
	Size   int64          `json:"size"`
}

// Upload stores the file at path on the market and returns its digest and
// size. The file is hashed locally first and not sent at all when the
// market already has it, so re-submitting a job costs no upload; otherwise
// it is streamed, never held in memory. It satisfies jobspec's Uploader.
func (c *Client) Upload(ctx context.Context, path string) (bonfire.Digest, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, bonfire.Errorf(bonfire.ECodeInvalid, "cannot open %s: %v", path, err).
			WithField(path).WithHint("check that the file exists and is readable")
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return "", 0, bonfire.Errorf(bonfire.ECodeInvalid, "%s is a directory, not a file", path).
			WithField(path).WithHint("upload the files inside it one by one")
	}
	h := sha256.New()
	size, err := io.Copy(h, f)
	if err != nil {
		return "", 0, bonfire.Errorf(bonfire.ECodeInvalid, "cannot read %s: %v", path, err).
			WithField(path).WithHint("check that the file is readable")
	}
	digest := bonfire.DigestFromSum(h.Sum(nil))
	exists, err := c.BlobExists(ctx, digest)
	if err != nil {
		return "", 0, err
	}
	if exists {
		return digest, size, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", 0, bonfire.Errorf(bonfire.ECodeInvalid, "cannot rewind %s: %v", path, err).WithField(path)
	}
	ref, err := c.postBlob(ctx, io.LimitReader(f, size), size, digest)
	if err != nil {
		return "", 0, err
	}
	if ref.Digest != digest || ref.Size != size {
		return "", 0, bonfire.Errorf(bonfire.ECodeConflict, "the market stored %s (%d bytes) for %s, which hashed to %s (%d bytes)",
			ref.Digest, ref.Size, path, digest, size).
			WithField(path).WithHint("the file changed while it was uploaded; upload it again once it stays put")
	}
	return digest, size, nil
}

// UploadReader streams r to the market and returns its digest and size.
// Unlike Upload it cannot skip content the market already has, because the
// digest is known only once r is read.
func (c *Client) UploadReader(ctx context.Context, r io.Reader) (bonfire.Digest, int64, error) {
	h := sha256.New()
	counter := &countingWriter{}
	ref, err := c.postBlob(ctx, io.TeeReader(r, io.MultiWriter(h, counter)), -1, "")
	if err != nil {
		return "", 0, err
	}
	local := bonfire.DigestFromSum(h.Sum(nil))
	if ref.Digest != local || ref.Size != counter.n {
		return "", 0, bonfire.Errorf(bonfire.ECodeInternal, "the market stored %s (%d bytes), but the client sent %s (%d bytes)",
			ref.Digest, ref.Size, local, counter.n).WithHint("the upload was corrupted in transit; try again")
	}
	return ref.Digest, ref.Size, nil
}

// BlobExists reports whether the market stores the blob d.
func (c *Client) BlobExists(ctx context.Context, d bonfire.Digest) (bool, error) {
	if err := d.Validate(); err != nil {
		return false, err
	}
	req, err := c.newRequest(ctx, http.MethodHead, "/v1/blobs/"+pathID(string(d)), nil, nil)
	if err != nil {
		return false, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return false, transportError(ctx, c.base, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, decodeError(resp)
}

// postBlob sends body to POST /v1/blobs; size < 0 means unknown (chunked).
// The signature covers an empty body, because the blob is streamed; when
// the digest is known it goes in the signed query instead, so the market
// stores only content that hashes to it.
func (c *Client) postBlob(ctx context.Context, body io.Reader, size int64, want bonfire.Digest) (*BlobRef, error) {
	var q url.Values
	if want != "" {
		q = url.Values{"digest": {string(want)}}
	}
	req, err := c.newRequest(ctx, http.MethodPost, "/v1/blobs", q, io.NopCloser(body))
	if err != nil {
		return nil, err
	}
	req.ContentLength = size
	if size == 0 {
		req.Body = http.NoBody
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	if err := c.authorize(req, nil); err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, transportError(ctx, c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return nil, decodeError(resp)
	}
	var ref BlobRef
	if err := json.NewDecoder(resp.Body).Decode(&ref); err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "cannot read the market's answer to an upload: %v", err).
			WithHint("the client and the market may be different versions")
	}
	return &ref, nil
}

// DownloadBlob writes the blob d to w and checks that what arrived hashes
// to d; on a mismatch w has received the bad bytes and the error says so.
func (c *Client) DownloadBlob(ctx context.Context, d bonfire.Digest, w io.Writer) error {
	if err := d.Validate(); err != nil {
		return err
	}
	req, err := c.newRequest(ctx, http.MethodGet, "/v1/blobs/"+pathID(string(d)), nil, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/octet-stream")
	resp, err := c.hc.Do(req)
	if err != nil {
		return transportError(ctx, c.base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return decodeError(resp)
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(w, h), resp.Body); err != nil {
		if ctx.Err() != nil {
			return transportError(ctx, c.base, ctx.Err())
		}
		return bonfire.Errorf(bonfire.ECodeUnavailable, "download of %s broke off: %v", d, err).
			WithHint("try again; check the disk if writing failed")
	}
	if got := bonfire.DigestFromSum(h.Sum(nil)); got != d {
		return bonfire.Errorf(bonfire.ECodeInternal, "the market sent content hashing to %s for blob %s", got, d).
			WithHint("the market's blob store may be damaged; report this to its operator and discard what was written")
	}
	return nil
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(b []byte) (int, error) { w.n += int64(len(b)); return len(b), nil }
