package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bonfirenet/bonfire"
)

// blobCacheControl lets any cache keep a blob forever: its URL names its
// content, so it can never change.
const blobCacheControl = "public, max-age=31536000, immutable"

// BlobHandler serves the blob store over HTTP:
//
//	GET|HEAD /v1/blobs/{digest}  the content (ranges, ETag, conditional requests)
//	POST     /v1/blobs           store the body; ?digest=sha256:… to have it checked
//
// Uploads larger than maxUpload bytes are refused with 413. authorizeUpload
// decides who may upload (nil lets anyone); downloads are open, since a
// digest is unguessable and tasks need their inputs without credentials.
func BlobHandler(bs bonfire.BlobStore, maxUpload int64, authorizeUpload func(*http.Request) error) http.Handler {
	h := &blobHandler{store: bs, maxUpload: maxUpload, authorize: authorizeUpload}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/blobs/{digest}", h.get) // GET patterns match HEAD too
	mux.HandleFunc("POST /v1/blobs", h.post)
	mux.HandleFunc("/v1/blobs/{digest}", blobMethodNotAllowed("GET, HEAD"))
	mux.HandleFunc("/v1/blobs", blobMethodNotAllowed("POST"))
	return mux
}

type blobHandler struct {
	store     bonfire.BlobStore
	maxUpload int64
	authorize func(*http.Request) error
}

func (h *blobHandler) get(w http.ResponseWriter, r *http.Request) {
	d, err := parseBlobDigest(r.PathValue("digest"))
	if err != nil {
		WriteError(w, err)
		return
	}
	rc, _, err := h.store.Open(r.Context(), d)
	if err != nil {
		WriteError(w, err)
		return
	}
	defer rc.Close()
	hdr := w.Header()
	hdr.Set("Content-Type", "application/octet-stream") // also stops ServeContent sniffing
	hdr.Set("ETag", `"`+string(d)+`"`)
	hdr.Set("Cache-Control", blobCacheControl)
	// ServeContent answers Range, If-Range, If-None-Match and HEAD itself.
	http.ServeContent(w, r, "", time.Time{}, rc)
}

func (h *blobHandler) post(w http.ResponseWriter, r *http.Request) {
	if h.authorize != nil {
		if err := h.authorize(r); err != nil {
			WriteError(w, uploadRefused(err))
			return
		}
	}
	var want bonfire.Digest
	if q := r.URL.Query(); q.Has("digest") {
		d, err := parseBlobDigest(q.Get("digest"))
		if err != nil {
			WriteError(w, err)
			return
		}
		want = d
	}
	if h.maxUpload > 0 && r.ContentLength > h.maxUpload {
		// Refuse before reading a byte; the server closes the connection
		// rather than drain a body this large.
		WriteError(w, uploadTooLarge(h.maxUpload, r.ContentLength))
		return
	}
	d, size, err := h.store.Put(r.Context(), r.Body, want, h.maxUpload)
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Location", "/v1/blobs/"+string(d))
	WriteJSON(w, http.StatusCreated, BlobRef{Digest: d, Size: size})
}

// parseBlobDigest checks a digest from a path or query, naming the field
// in the error so the client knows which part of its request was wrong.
func parseBlobDigest(s string) (bonfire.Digest, error) {
	d, err := bonfire.ParseDigest(s)
	if err != nil {
		var be *bonfire.Error
		if errors.As(err, &be) {
			c := *be
			return "", c.WithField("digest")
		}
		return "", bonfire.Errorf(bonfire.ECodeInvalid, "bad digest: %v", err).WithField("digest")
	}
	return d, nil
}

func uploadTooLarge(limit, size int64) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeTooLarge, "the upload of %d bytes is larger than the limit of %d bytes", size, limit).
		WithHint("split the content into smaller files, or ask the market's operator to raise its blob size limit")
}

// uploadRefused keeps an authorizer's *bonfire.Error and treats any other
// refusal as missing credentials rather than as a server failure.
func uploadRefused(err error) error {
	var be *bonfire.Error
	if errors.As(err, &be) {
		return be
	}
	return bonfire.Errorf(bonfire.ECodeUnauthorized, "upload refused: %v", err).WithHint(credentialsHint)
}

func blobMethodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		WriteJSON(w, http.StatusMethodNotAllowed, ErrorBody{Error: bonfire.Errorf(bonfire.ECodeInvalid,
			"%s is not allowed on %s", r.Method, r.URL.Path).WithHint(fmt.Sprintf("use %s", allow))})
	}
}
