package identity

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/ethereum/go-ethereum/common"
)

// Headers that carry a request signature.
const (
	HeaderAddress   = "Bonfire-Address"   // the signer, 0x-hex
	HeaderTimestamp = "Bonfire-Timestamp" // unix milliseconds, decimal
	HeaderSignature = "Bonfire-Signature" // 0x-hex, 65 bytes
	// HeaderNonce is random per request: two identical requests signed in
	// the same millisecond (two tasks uploading the same output) must not
	// look like a replay of each other.
	HeaderNonce = "Bonfire-Nonce"
)

// requestDomain separates request signatures from every other Bonfire
// signature, so none can be replayed as another.
const requestDomain = "bonfire/v1 request\n"

// requestHash is what a request signature signs: method, path and query,
// timestamp, nonce and the SHA-256 of the body, so none can be changed in
// transit.
func requestHash(method, uri, timestamp, nonce string, body []byte) []byte {
	sum := sha256.Sum256(body)
	msg := requestDomain + method + "\n" + uri + "\n" + timestamp + "\n" + nonce + "\n" + hex.EncodeToString(sum[:])
	return Keccak256([]byte(msg))
}

// SignRequest signs req as k at now, setting the Bonfire-Address,
// Bonfire-Timestamp and Bonfire-Signature headers. body must be exactly the
// bytes req will send. Sign each request anew: the market rejects a
// signature it has seen.
func SignRequest(req *http.Request, body []byte, k *Key, now time.Time) error {
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	var raw [12]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	nonce := hex.EncodeToString(raw[:])
	sig, err := k.Sign(requestHash(req.Method, req.URL.RequestURI(), ts, nonce, body))
	if err != nil {
		return err
	}
	req.Header.Set(HeaderAddress, string(k.Address()))
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderNonce, nonce)
	req.Header.Set(HeaderSignature, SignatureHex(sig))
	return nil
}

// RequestVerifier authenticates signed HTTP requests. It remembers every
// request it accepted until its timestamp leaves the skew window, so a
// captured request cannot be sent again; older ones the skew check refuses.
// It is safe for concurrent use.
type RequestVerifier struct {
	maxSkew time.Duration

	mu        sync.Mutex
	seen      map[seenRequest]int64 // → unix ms after which the skew check alone suffices
	lastSweep int64
}

type seenRequest struct {
	hash   [32]byte
	signer common.Address
}

// maxSeenRequests bounds the replay memory (about 100 bytes an entry). When
// it is full of requests still inside the window, new ones are refused as
// unavailable rather than forgetting old ones, which would allow replays.
const maxSeenRequests = 1 << 18

// NewRequestVerifier accepts requests whose timestamp is within maxSkew of
// the verifier's clock.
func NewRequestVerifier(maxSkew time.Duration) *RequestVerifier {
	return &RequestVerifier{maxSkew: maxSkew, seen: make(map[seenRequest]int64)}
}

// Verify checks r's signature headers against its method, URI and body at
// now and returns the signer. Every failure is ECodeUnauthorized naming the
// header at fault, except a full replay memory (ECodeUnavailable).
func (v *RequestVerifier) Verify(r *http.Request, body []byte, now time.Time) (bonfire.Address, error) {
	addrText := r.Header.Get(HeaderAddress)
	tsText := r.Header.Get(HeaderTimestamp)
	sigText := r.Header.Get(HeaderSignature)
	for _, h := range [][2]string{{HeaderAddress, addrText}, {HeaderTimestamp, tsText}, {HeaderSignature, sigText}} {
		if h[1] == "" {
			return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "header %s is missing", h[0]).
				WithField(h[0]).
				WithHint("sign the request with your key (the bonfire client does this); requests need " +
					HeaderAddress + ", " + HeaderTimestamp + " and " + HeaderSignature)
		}
	}
	addr, err := ParseAddress(addrText)
	if err != nil {
		return "", unauthorized(err, HeaderAddress)
	}
	ms, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil || ms <= 0 {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "header %s %q is not a positive whole number of unix milliseconds", HeaderTimestamp, clip(tsText)).
			WithField(HeaderTimestamp).WithHint("set it to the signing time in milliseconds since 1970")
	}
	if err := CheckSkew("request time", time.UnixMilli(ms), now, v.maxSkew); err != nil {
		return "", unauthorized(err, HeaderTimestamp)
	}
	sig, err := ParseSignature(sigText)
	if err != nil {
		return "", unauthorized(err, HeaderSignature)
	}
	nonce := r.Header.Get(HeaderNonce)
	if len(nonce) > 64 {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "header %s is longer than 64 characters", HeaderNonce).
			WithField(HeaderNonce).WithHint("send a short random hex string")
	}
	hash := requestHash(r.Method, requestURI(r), tsText, nonce, body)
	signer, err := Recover(hash, sig)
	if err != nil {
		return "", unauthorized(err, HeaderSignature)
	}
	if !SameAddress(signer, addr) {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "header %s is a signature by %s, not by %s %s", HeaderSignature, signer, HeaderAddress, addr).
			WithField(HeaderSignature).
			WithHint("the method, URL or body changed after signing, or another key signed; sign the exact request you send")
	}
	key := seenRequest{signer: common.HexToAddress(string(signer))}
	copy(key.hash[:], hash)
	if err := v.remember(key, ms+v.maxSkew.Milliseconds(), now.UnixMilli()); err != nil {
		return "", err
	}
	return signer, nil
}

func (v *RequestVerifier) remember(key seenRequest, expires, now int64) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if until, ok := v.seen[key]; ok && until >= now {
		return bonfire.Errorf(bonfire.ECodeUnauthorized, "this request was already accepted once (replayed %s)", HeaderSignature).
			WithField(HeaderSignature).WithHint("sign every request anew, with a fresh " + HeaderTimestamp)
	}
	// Sweep a few times per window, or sooner when full; at most once a
	// second when full so a flood cannot make every request pay for a sweep.
	quarter := max(v.maxSkew.Milliseconds()/4, 1000)
	if now-v.lastSweep >= quarter || (len(v.seen) >= maxSeenRequests && now-v.lastSweep >= 1000) {
		for k, until := range v.seen {
			if until < now {
				delete(v.seen, k)
			}
		}
		v.lastSweep = now
	}
	if len(v.seen) >= maxSeenRequests {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "too many signed requests in the last %s to remember them all", HumanDuration(v.maxSkew)).
			WithHint("retry in a minute")
	}
	v.seen[key] = expires
	return nil
}

// requestURI returns the path and query as the client signed them: the raw
// request line when there is one (handlers such as http.StripPrefix rewrite
// r.URL but not r.RequestURI), r.URL otherwise.
func requestURI(r *http.Request) string {
	raw := r.RequestURI
	switch {
	case strings.HasPrefix(raw, "/"):
		return raw
	case raw != "":
		if u, err := url.Parse(raw); err == nil && u.IsAbs() {
			return u.RequestURI()
		}
	}
	return r.URL.RequestURI()
}
