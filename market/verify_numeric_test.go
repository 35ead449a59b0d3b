package market

import (
	"fmt"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
)

// numericResult is p's result of a whose metrics.json says accuracy acc and
// whose other output (a model) differs per provider, as GPU runs do.
func (p *fakeProvider) numericResult(a protocol.Assignment, acc float64) (bonfire.TaskResult, bonfire.FileRef) {
	p.t.Helper()
	body := []byte(fmt.Sprintf(`{"accuracy": %v}`, acc))
	metrics := bonfire.FileRef{Name: "metrics.json", Digest: p.tm.putBlob(body), Size: int64(len(body))}
	model := output("weights from " + string(p.id))
	return p.result(a, 0, metrics, model), metrics
}

func TestNumericVerificationAcceptsResultsWithinTolerance(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	ps := tm.pricedProviders(3)
	a, b, c := ps[0], ps[1], ps[2]
	spec := tm.verifiedSpec(2, "replicate: 2")
	spec.Verify.Numeric = &bonfire.NumericCheck{File: "metrics.json", Metrics: []string{"accuracy"}, AbsTol: 0.01}
	job := tm.submit(spec)

	as := a.pull(2)
	bs := b.pull(2)
	if len(as) != 2 || len(bs) != 2 {
		t.Fatalf("pulled %d and %d, want both tasks and both checks", len(as), len(bs))
	}
	// Task 0: 0.951 and 0.955 agree within 0.01. Task 1: 0.95 and 0.60 do not.
	accs := map[bonfire.Digest][2]float64{}
	for i, x := range as {
		accs[x.InputsDigest()] = [][2]float64{{0.951, 0.955}, {0.95, 0.60}}[i]
	}
	var heldA, heldB []held
	for _, x := range as {
		r, _ := a.numericResult(x, accs[x.InputsDigest()][0])
		heldA = append(heldA, a.commitResult(x, r))
	}
	for _, x := range bs {
		r, _ := b.numericResult(x, accs[x.InputsDigest()][1])
		heldB = append(heldB, b.commitResult(x, r))
	}
	for _, h := range heldA {
		a.reveal(h)
	}
	for _, h := range heldB {
		b.reveal(h)
	}
	// The agreeing task is accepted with no fault; the other needs a referee.
	j := tm.job(job.ID)
	if j.Counts.Succeeded != 1 || j.Counts.Verifying != 1 {
		t.Fatalf("counts %+v; want one task accepted and one waiting for a referee", j.Counts)
	}
	if rep := tm.provider(a.id).Reputation; rep.Faults != 0 || rep.Agreed != 1 {
		t.Fatalf("reputation %+v after an agreement within tolerance", rep)
	}
	ref := c.pullOne()
	if ref.InputsDigest() != as[1].InputsDigest() {
		t.Fatalf("the third provider got %s, want the referee of %s (a numeric job makes no canaries)", ref.TaskID, as[1].TaskID)
	}
	r, _ := c.numericResult(ref, 0.949)
	c.reveal(c.commitResult(ref, r))
	if done := tm.job(job.ID); done.State != bonfire.JobSucceeded {
		t.Fatalf("job %s: %s", done.State, done.Reason)
	}
	if rep := tm.provider(b.id).Reputation; rep.Faults != 1 {
		t.Fatalf("the provider whose accuracy was far off: %+v, want one fault", rep)
	}
}

func TestHomogeneousReplicasShareTheGPUModel(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	gpu := func(model string) bonfire.Hardware {
		return bonfire.Hardware{OS: "linux", Arch: "amd64", GPUs: []bonfire.GPU{{Vendor: "NVIDIA", Model: model, Driver: "550.54"}}}
	}
	var ps []*fakeProvider
	for _, model := range []string{"A100", "RTX 4090", "A100"} {
		p := tm.newProvider()
		p.price, p.hw = 100, gpu(model)
		p.register()
		ps = append(ps, p)
	}
	spec := tm.verifiedSpec(1, "replicate: 2")
	spec.Verify.Homogeneous = true
	tm.submit(spec)
	ps[0].pullOne()
	if got := ps[1].pull(1); len(got) != 0 {
		t.Fatalf("a provider with another GPU model got the replica %v", taskIDs(got))
	}
	ps[2].pullOne()
}
