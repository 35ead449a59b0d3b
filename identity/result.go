package identity

import (
	"github.com/bonfirenet/bonfire"
)

// SignResult signs r as its provider: it sets r.Signature to the 0x-hex
// signature over Keccak-256 of r.SigningBytes(). An empty r.Provider is set
// to k's address first; a different one is refused, since the signature
// would never verify.
func SignResult(k *Key, r *bonfire.TaskResult) error {
	if r.Provider == "" {
		r.Provider = k.Address()
	}
	if !SameAddress(r.Provider, k.Address()) {
		return bonfire.Errorf(bonfire.ECodeInvalid, "result names provider %s but the signing key is %s", clip(string(r.Provider)), k.Address()).
			WithField("provider").WithHint("sign results with the key of the provider that ran the task")
	}
	sig, err := k.Sign(Keccak256(r.SigningBytes()))
	if err != nil {
		return err
	}
	r.Signature = SignatureHex(sig)
	return nil
}

// VerifyResult checks that r.Signature was made by r.Provider over the rest
// of r. Any change to any signed field after signing makes it fail with
// ECodeUnauthorized.
func VerifyResult(r *bonfire.TaskResult) error {
	if _, err := ParseAddress(string(r.Provider)); err != nil {
		return unauthorized(err, "provider")
	}
	if r.Signature == "" {
		return bonfire.Errorf(bonfire.ECodeUnauthorized, "result of task %s has no signature", clip(r.TaskID)).
			WithField("signature").WithHint("providers must sign every result with their key")
	}
	sig, err := ParseSignature(r.Signature)
	if err != nil {
		return unauthorized(err, "signature")
	}
	signer, err := Recover(Keccak256(r.SigningBytes()), sig)
	if err != nil {
		return unauthorized(err, "signature")
	}
	if !SameAddress(signer, r.Provider) {
		return bonfire.Errorf(bonfire.ECodeUnauthorized, "result signature is by %s, not the provider %s", signer, r.Provider).
			WithField("signature").
			WithHint("the result was changed after signing, or signed with another provider's key")
	}
	return nil
}

// unauthorized re-labels a parse error as a credential failure on field,
// keeping its message and hint.
func unauthorized(err error, field string) *bonfire.Error {
	e, ok := err.(*bonfire.Error)
	if !ok {
		return bonfire.Errorf(bonfire.ECodeUnauthorized, "%v", err).WithField(field)
	}
	c := *e
	c.Code = bonfire.ECodeUnauthorized
	c.Field = field
	return &c
}
