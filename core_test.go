package bonfire_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func TestDigestValidation(t *testing.T) {
	t.Parallel()
	good := bonfire.DigestOf([]byte("hello"))
	if err := good.Validate(); err != nil {
		t.Fatalf("DigestOf gave an invalid digest: %v", err)
	}
	if good.Hex() != "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" {
		t.Fatalf("sha256 of hello: %s", good.Hex())
	}
	for _, bad := range []string{"", "sha256:", "md5:" + good.Hex(), "sha256:" + strings.ToUpper(good.Hex()), "sha256:" + good.Hex()[:63], "sha256:" + good.Hex() + "0"} {
		if _, err := bonfire.ParseDigest(bad); bonfire.Code(err) != bonfire.ECodeInvalid {
			t.Errorf("ParseDigest(%q) = %v, want an invalid error", bad, err)
		}
	}
}

func TestErrorsCarryCodeFieldAndHint(t *testing.T) {
	t.Parallel()
	e := bonfire.Errorf(bonfire.ECodeInvalid, "%q is not a number", "abc").WithField("matrix.lr[2]").WithHint("write a number")
	if got := e.Error(); got != `matrix.lr[2]: "abc" is not a number (write a number)` {
		t.Fatalf("Error() = %q", got)
	}
	wrapped := fmt.Errorf("submitting: %w", e)
	if bonfire.Code(wrapped) != bonfire.ECodeInvalid {
		t.Fatalf("Code through wrapping = %s", bonfire.Code(wrapped))
	}
	if bonfire.Code(errors.New("plain")) != bonfire.ECodeInternal || bonfire.Code(nil) != "" {
		t.Fatal("plain errors must be internal, nil must have no code")
	}
	list := bonfire.Errors{e, bonfire.Errorf(bonfire.ECodeInvalid, "second")}
	if bonfire.Code(list) != bonfire.ECodeInvalid || !strings.Contains(list.Error(), "2 problems") {
		t.Fatalf("list: code %s, text %q", bonfire.Code(list), list.Error())
	}
	if (bonfire.Errors{}).Err() != nil {
		t.Fatal("an empty list must be a nil error")
	}
}

func TestCapacityFitsAndSub(t *testing.T) {
	t.Parallel()
	c := bonfire.Capacity{CPUMilli: 2000, MemoryBytes: 1 << 30, GPUs: 1}
	r := bonfire.Resources{CPUMilli: 1500, MemoryBytes: 512 << 20, GPU: &bonfire.GPURequest{Count: 1}}
	if !c.Fits(r) {
		t.Fatal("should fit")
	}
	left := c.Sub(r)
	if left.Fits(r) || left.CPUMilli != 500 || left.GPUs != 0 {
		t.Fatalf("after Sub: %+v", left)
	}
}

func TestResultSigningBytesIgnoreSignatureOnly(t *testing.T) {
	t.Parallel()
	r := bonfire.TaskResult{TaskID: "j.1", Attempt: 1, Provider: "0xabc", FinishedAt: time.Unix(5, 0)}
	a := r.SigningBytes()
	r.Signature = "0xdead"
	if string(a) != string(r.SigningBytes()) {
		t.Fatal("the signature must not be part of what is signed")
	}
	r.Usage.CPUNanos = 1
	if string(a) == string(r.SigningBytes()) {
		t.Fatal("usage must be part of what is signed")
	}
}

func TestDurationText(t *testing.T) {
	t.Parallel()
	var d bonfire.Duration
	if err := json.Unmarshal([]byte(`"90s"`), &d); err != nil || d.D() != 90*time.Second {
		t.Fatalf("got %v, %v", d, err)
	}
	if err := json.Unmarshal([]byte(`"soon"`), &d); bonfire.Code(err) != bonfire.ECodeInvalid {
		// encoding/json wraps the error; the code must survive.
		t.Fatalf("bad duration error: %v", err)
	}
}

func TestTaskIDRoundTrips(t *testing.T) {
	t.Parallel()
	id := bonfire.TaskID("j18eb1b900fb67dae", 12)
	if id != "j18eb1b900fb67dae.12" {
		t.Fatalf("TaskID = %q", id)
	}
	if job, ok := bonfire.JobOfTask(id); !ok || job != "j18eb1b900fb67dae" {
		t.Fatalf("JobOfTask(%q) = %q, %v", id, job, ok)
	}
	for _, bad := range []string{"", "nodot", ".3"} {
		if _, ok := bonfire.JobOfTask(bad); ok {
			t.Errorf("JobOfTask(%q) accepted a task ID without a job", bad)
		}
	}
}
