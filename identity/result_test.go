package identity

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func sampleResult() *bonfire.TaskResult {
	return &bonfire.TaskResult{
		TaskID:       "j1.0",
		JobID:        "j1",
		Attempt:      1,
		InputsDigest: bonfire.DigestOf([]byte("inputs")),
		OutputDigest: bonfire.DigestOf([]byte("outputs")),
		Outputs:      []bonfire.FileRef{{Name: "metrics.json", Digest: bonfire.DigestOf([]byte("m")), Size: 1}},
		ExitCode:     0,
		Usage:        bonfire.Usage{CPUNanos: 1e9, WallNanos: 2e9, PeakMemoryBytes: 64 << 20},
		FinishedAt:   time.Date(2026, 5, 1, 12, 0, 0, 123456789, time.FixedZone("CEST", 2*3600)),
	}
}

func TestSignVerifyResultRoundTrip(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	r := sampleResult()
	if err := SignResult(k, r); err != nil {
		t.Fatal(err)
	}
	if r.Provider != k.Address() || !strings.HasPrefix(r.Signature, "0x") || len(r.Signature) != 132 {
		t.Fatalf("SignResult left provider %q signature %q", r.Provider, r.Signature)
	}
	if err := VerifyResult(r); err != nil {
		t.Fatalf("VerifyResult(fresh) = %v", err)
	}
	// The result travels as JSON; the time zone and monotonic clock reading
	// it loses must not matter.
	b, _ := json.Marshal(r)
	var back bonfire.TaskResult
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if err := VerifyResult(&back); err != nil {
		t.Fatalf("VerifyResult after a JSON round trip = %v", err)
	}
	// A provider may write its address in lower case; the signer is then
	// compared case-insensitively. (The spelling itself is signed.)
	lower := sampleResult()
	lower.Provider = k.Address().Normal()
	if err := SignResult(k, lower); err != nil {
		t.Fatal(err)
	}
	if err := VerifyResult(lower); err != nil {
		t.Fatalf("VerifyResult with a lower-case provider = %v", err)
	}
}

func TestVerifyResultDetectsTampering(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	signed := sampleResult()
	if err := SignResult(k, signed); err != nil {
		t.Fatal(err)
	}
	thief := mustKey(t).Address()
	cases := map[string]func(r *bonfire.TaskResult){
		"output digest": func(r *bonfire.TaskResult) { r.OutputDigest = bonfire.DigestOf([]byte("forged")) },
		"inputs digest": func(r *bonfire.TaskResult) { r.InputsDigest = bonfire.DigestOf([]byte("forged")) },
		"exit code":     func(r *bonfire.TaskResult) { r.ExitCode = 1 },
		"usage":         func(r *bonfire.TaskResult) { r.Usage.CPUNanos *= 10 },
		"finished at":   func(r *bonfire.TaskResult) { r.FinishedAt = r.FinishedAt.Add(time.Nanosecond) },
		"task id":       func(r *bonfire.TaskResult) { r.TaskID = "j1.1" },
		"attempt":       func(r *bonfire.TaskResult) { r.Attempt = 2 },
		"outputs":       func(r *bonfire.TaskResult) { r.Outputs[0].Size = 2 },
		"error":         func(r *bonfire.TaskResult) { r.Error = bonfire.Errorf(bonfire.ECodeTaskFailed, "boom") },
		"provider":      func(r *bonfire.TaskResult) { r.Provider = thief },
	}
	for name, tamper := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := *signed
			r.Outputs = append([]bonfire.FileRef(nil), signed.Outputs...)
			tamper(&r)
			err := VerifyResult(&r)
			if bonfire.Code(err) != bonfire.ECodeUnauthorized {
				t.Fatalf("VerifyResult(tampered %s) = %v, want ECodeUnauthorized", name, err)
			}
		})
	}
}

func TestVerifyResultNamesTheRealSigner(t *testing.T) {
	t.Parallel()
	victim, thief := mustKey(t), mustKey(t)
	r := sampleResult()
	r.Provider = victim.Address()
	// A thief signs a result that claims the victim ran it.
	sig, err := thief.Sign(Keccak256(r.SigningBytes()))
	if err != nil {
		t.Fatal(err)
	}
	r.Signature = SignatureHex(sig)
	err = VerifyResult(r)
	want := "result signature is by " + string(thief.Address()) + ", not the provider " + string(victim.Address())
	if bonfire.Code(err) != bonfire.ECodeUnauthorized || !strings.Contains(err.Error(), want) {
		t.Fatalf("VerifyResult = %v, want ECodeUnauthorized %q", err, want)
	}
}

func TestVerifyResultRejectsBadSignatures(t *testing.T) {
	t.Parallel()
	k := mustKey(t)
	signed := sampleResult()
	if err := SignResult(k, signed); err != nil {
		t.Fatal(err)
	}
	for name, sig := range map[string]string{
		"missing":   "",
		"truncated": signed.Signature[:len(signed.Signature)-2],
		"garbage":   "0x" + strings.Repeat("ab", 65),
		"no prefix": signed.Signature[2:],
	} {
		r := *signed
		r.Signature = sig
		if err := VerifyResult(&r); bonfire.Code(err) != bonfire.ECodeUnauthorized {
			t.Errorf("%s signature: VerifyResult = %v, want ECodeUnauthorized", name, err)
		}
	}
	r := *signed
	r.Provider = "not-an-address"
	if err := VerifyResult(&r); bonfire.Code(err) != bonfire.ECodeUnauthorized {
		t.Errorf("bad provider: VerifyResult = %v, want ECodeUnauthorized", err)
	}
}

func TestSignResultRefusesOtherProvider(t *testing.T) {
	t.Parallel()
	r := sampleResult()
	r.Provider = mustKey(t).Address()
	if err := SignResult(mustKey(t), r); bonfire.Code(err) != bonfire.ECodeInvalid || r.Signature != "" {
		t.Fatalf("SignResult(other provider) = %v, signature %q; want ECodeInvalid and no signature", err, r.Signature)
	}
}

func BenchmarkSignVerifyResult(b *testing.B) {
	k := mustKey(b)
	r := sampleResult()
	b.ReportAllocs()
	for b.Loop() {
		r.Signature = ""
		if err := SignResult(k, r); err != nil {
			b.Fatal(err)
		}
		if err := VerifyResult(r); err != nil {
			b.Fatal(err)
		}
	}
}
