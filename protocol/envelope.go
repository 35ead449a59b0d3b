package protocol

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
)

// MaxEnvelopeSize bounds a sealed message. Open refuses larger input before
// parsing it. The NATS server's max_payload must be at least this.
const MaxEnvelopeSize = 8 << 20

// Envelope is the signed wrapper of every message on the bus: providers'
// messages to the market and the market's cancel messages to providers.
// Sig signs all other fields (see Seal), so a message can be neither changed
// nor attributed to anyone but the holder of From's key. Seq and Time let a
// ReplayGuard refuse a message seen before or captured long ago.
type Envelope struct {
	Type string          `json:"type"`
	From bonfire.Address `json:"from"`
	Seq  uint64          `json:"seq"`
	Time int64           `json:"time"` // unix milliseconds at sealing
	Body json.RawMessage `json:"body"`
	Sig  string          `json:"sig"` // 0x-hex, 65 bytes
}

// At returns the sealing time.
func (e *Envelope) At() time.Time { return time.UnixMilli(e.Time) }

// ExpectFrom refuses an envelope not sealed by want, as a provider must for
// cancel messages, which only the market it registered with may send.
func (e *Envelope) ExpectFrom(want bonfire.Address) error {
	if !identity.SameAddress(e.From, want) {
		return bonfire.Errorf(bonfire.ECodeForbidden, "%s message is from %s, but only %s may send it", e.Type, e.From, want).
			WithField("from").WithHint("ignore it; only the expected party's messages count")
	}
	return nil
}

// knownTypes are the message types Open accepts.
var knownTypes = map[string]bool{
	TypeRegister: true, TypeHeartbeat: true, TypePull: true, TypeReport: true, TypeCancel: true, TypeNotice: true,
}

const knownTypesText = "register, heartbeat, pull, report or cancel"

// envelopeDomain separates envelope signatures from every other Bonfire
// signature.
const envelopeDomain = "bonfire/v1 envelope\n"

// envelopeHash is what Sig signs. Only Body can contain a newline, and it
// comes last, so no two envelopes share a signed message.
func envelopeHash(typ string, from bonfire.Address, seq uint64, ms int64, body []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(envelopeDomain) + len(typ) + 42 + 2*20 + 5 + len(body))
	b.WriteString(envelopeDomain)
	b.WriteString(typ)
	b.WriteByte('\n')
	b.WriteString(strings.ToLower(string(from)))
	b.WriteByte('\n')
	b.WriteString(strconv.FormatUint(seq, 10))
	b.WriteByte('\n')
	b.WriteString(strconv.FormatInt(ms, 10))
	b.WriteByte('\n')
	b.Write(body)
	return identity.Keccak256(b.Bytes())
}

// Seal encodes body as a message of type typ from k with sequence number seq
// (from a Sequencer) at now, signs it and returns the bytes to publish.
// body must encode to a JSON object.
func Seal(k *identity.Key, typ string, seq uint64, now time.Time, body any) ([]byte, error) {
	if !knownTypes[typ] {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "unknown message type %q", typ).
			WithField("type").WithHint("use one of " + knownTypesText)
	}
	if seq == 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "sequence number is 0").
			WithField("seq").WithHint("take sequence numbers from a protocol.Sequencer")
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "cannot encode the %s body: %v", typ, err).WithField("body")
	}
	if len(raw) == 0 || raw[0] != '{' {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%s body encodes to %s, not a JSON object", typ, clip(raw)).
			WithField("body").WithHint("pass a message struct such as protocol.Heartbeat")
	}
	env := Envelope{Type: typ, From: k.Address(), Seq: seq, Time: now.UnixMilli(), Body: raw}
	sig, err := k.Sign(envelopeHash(env.Type, env.From, env.Seq, env.Time, env.Body))
	if err != nil {
		return nil, err
	}
	env.Sig = identity.SignatureHex(sig)
	out, err := json.Marshal(&env)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInternal, "cannot encode the envelope: %v", err)
	}
	if len(out) > MaxEnvelopeSize {
		return nil, tooLarge(len(out)).WithHint("send less per message, for example fewer results or log chunks per report")
	}
	return out, nil
}

func tooLarge(n int) *bonfire.Error {
	return bonfire.Errorf(bonfire.ECodeTooLarge, "message is %d bytes, more than the %d-byte limit", n, MaxEnvelopeSize)
}

// Open decodes and authenticates a sealed message. It is strict: the input
// must be one JSON object of at most MaxEnvelopeSize bytes with exactly the
// envelope's fields, a known type, a valid sender address, a positive seq
// and time, an object body, and a signature that recovers to From (forged or
// tampered → ECodeUnauthorized). It does not judge freshness: pass the
// result to a ReplayGuard.
func Open(data []byte) (*Envelope, error) {
	if len(data) > MaxEnvelopeSize {
		return nil, tooLarge(len(data)).WithHint("the sender must split its message")
	}
	var env Envelope
	if err := decodeStrict(data, &env, "envelope", ""); err != nil {
		return nil, err
	}
	if !knownTypes[env.Type] {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "unknown message type %q", clipString(env.Type)).
			WithField("type").WithHint("the sender must use one of " + knownTypesText + "; it may be a newer version")
	}
	if _, err := identity.ParseAddress(string(env.From)); err != nil {
		return nil, fieldError(err, "from")
	}
	if env.Seq == 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "sequence number is missing or 0").
			WithField("seq").WithHint("the sender must number its messages from a protocol.Sequencer")
	}
	if env.Time <= 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "time is missing or not positive").
			WithField("time").WithHint("the sender must stamp messages with unix milliseconds")
	}
	if len(env.Body) == 0 || env.Body[0] != '{' {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "body is missing or not a JSON object").
			WithField("body").WithHint("every message carries its content as an object in body")
	}
	if env.Sig == "" {
		return nil, bonfire.Errorf(bonfire.ECodeUnauthorized, "signature is missing").
			WithField("sig").WithHint("seal messages with protocol.Seal")
	}
	sig, err := identity.ParseSignature(env.Sig)
	if err != nil {
		return nil, fieldError(err, "sig")
	}
	signer, err := identity.Recover(envelopeHash(env.Type, env.From, env.Seq, env.Time, env.Body), sig)
	if err != nil {
		return nil, fieldError(err, "sig")
	}
	if !identity.SameAddress(signer, env.From) {
		return nil, bonfire.Errorf(bonfire.ECodeUnauthorized, "message signature is by %s, not the sender %s", signer, env.From).
			WithField("sig").WithHint("the message was changed after sealing, or sealed with another key")
	}
	return &env, nil
}

// DecodeBody decodes env's body into v strictly: unknown fields and trailing
// data are errors, and errors name the field ("body.free.cpuMilli").
func DecodeBody(env *Envelope, v any) error {
	if len(env.Body) == 0 {
		return bonfire.Errorf(bonfire.ECodeInvalid, "%s message has no body", clipString(env.Type)).WithField("body")
	}
	return decodeStrict(env.Body, v, env.Type+" body", "body")
}

// fieldError puts err on field, keeping its code, message and hint.
func fieldError(err error, field string) *bonfire.Error {
	e, ok := err.(*bonfire.Error)
	if !ok {
		return bonfire.Errorf(bonfire.ECodeInvalid, "%v", err).WithField(field)
	}
	c := *e
	c.Field = field
	return &c
}

func clip(b []byte) string { return clipString(string(b)) }

func clipString(s string) string {
	if len(s) <= 80 {
		return s
	}
	return s[:80] + "…"
}
