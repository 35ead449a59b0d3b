package httpapi

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
)

// credentialsHint is the fix for every missing or rejected credential.
const credentialsHint = "pass --token or sign with your wallet"

// Authenticator decides who sent a request. body is the request body as
// read under the size cap (nil for a request that has none, and for blob
// uploads, whose content is bound by its digest instead). It returns an
// *bonfire.Error, normally ECodeUnauthorized, when it cannot tell.
type Authenticator interface {
	Authenticate(r *http.Request, body []byte) (bonfire.Address, error)
}

// TokenOrSignature accepts either of Bonfire's two credentials:
//
//   - "Authorization: Bearer <Token>", only from a loopback address, acting
//     as TokenOwner. The token is for the operator's own CLI on the market's
//     machine; refusing it from elsewhere means a leaked token file is not a
//     remote credential. (Behind a reverse proxy on the same machine every
//     request looks local: leave Token empty there.)
//   - the Bonfire-Address, Bonfire-Timestamp and Bonfire-Signature headers,
//     checked by Verifier, acting as the signer.
//
// An empty Token disables tokens; a nil Verifier disables signatures.
type TokenOrSignature struct {
	Token      string
	TokenOwner bonfire.Address
	Verifier   *identity.RequestVerifier
	// Now is the clock signatures are checked against; nil means time.Now.
	Now func() time.Time
}

// Authenticate implements Authenticator.
func (a TokenOrSignature) Authenticate(r *http.Request, body []byte) (bonfire.Address, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return a.token(r, h)
	}
	if r.Header.Get(identity.HeaderSignature) != "" || r.Header.Get(identity.HeaderAddress) != "" {
		if a.Verifier == nil {
			return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "this market does not accept signed requests").
				WithHint("pass --token when running on the market's own machine")
		}
		now := time.Now
		if a.Now != nil {
			now = a.Now
		}
		return a.Verifier.Verify(r, body, now())
	}
	return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "request has no credentials").WithHint(credentialsHint)
}

func (a TokenOrSignature) token(r *http.Request, header string) (bonfire.Address, error) {
	scheme, tok, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "Authorization header is not of the form \"Bearer <token>\"").
			WithField("Authorization").WithHint(credentialsHint)
	}
	if a.Token == "" || a.TokenOwner == "" {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "this market accepts no token").
			WithField("Authorization").WithHint("sign with your wallet instead of passing --token")
	}
	if !IsLoopback(r.RemoteAddr) {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "a token is accepted only from the market's own machine").
			WithField("Authorization").WithHint("sign with your wallet when calling a remote market; --token works only on the market's machine")
	}
	if subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(a.Token)) != 1 {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "token does not match this market's token").
			WithField("Authorization").WithHint("pass --token with the market's current token, or sign with your wallet")
	}
	return a.TokenOwner, nil
}

// IsLoopback reports whether remoteAddr (host:port, as in
// http.Request.RemoteAddr) is a loopback address.
func IsLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	return ip.Unmap().IsLoopback()
}

// UploadAuthorizer adapts an Authenticator to BlobHandler's upload check.
// Uploads are streamed, so their signature covers method, URI and time with
// an empty body; the content itself is bound by its digest.
func UploadAuthorizer(a Authenticator) func(*http.Request) error {
	return func(r *http.Request) error {
		if a == nil {
			return bonfire.Errorf(bonfire.ECodeUnauthorized, "this market accepts no uploads").
				WithHint("the market was started without authentication; report this to its operator")
		}
		if _, err := a.Authenticate(r, nil); err != nil {
			return asUnauthorized(err)
		}
		return nil
	}
}
