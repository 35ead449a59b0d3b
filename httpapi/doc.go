// Package httpapi is the market's versioned HTTP/JSON API and its Go client.
//
// The server (NewServer) exposes a bonfire.JobService, ResultService and
// ProviderDirectory under /v1, mounts the blob store's handler at /v1/blobs,
// and turns every failure into the one ErrorBody JSON shape with the status
// that errors.go assigns to its code, so a caller never has to parse text.
// The client (NewClient) decodes those bodies back into *bonfire.Error and
// bonfire.Errors, so a CLI prints the same code, field, message and hint the
// market produced.
//
// Callers that change state or read private results authenticate either
// with a bearer token, accepted only from a loopback address so that a token
// file readable on the market's machine never becomes a remote credential,
// or with a wallet signature over the request (package identity). The wire
// format is documented in docs/api.md.
package httpapi
