// Package blobfs keeps blobs on local disk by their SHA-256 digest. The
// market stores uploads with it; providers keep their download cache in it
// and fetch missing blobs from the market with a Fetcher.
//
// A blob lives at dir/sha256/<first two hex digits>/<hex>. It is written to
// a temporary file while being hashed, checked, fsynced and then renamed into
// place, so a blob path either does not exist or holds the complete, verified
// content; readers never see a partial blob. Stored files are read-only and
// never rewritten, which is what lets providers hard-link them into task
// sandboxes instead of copying.
package blobfs
