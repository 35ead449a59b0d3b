package market

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
)

func TestOnlyTheOwnerCancelsAndReads(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	ctx := context.Background()
	p := tm.newProvider()
	p.register()
	cancels := p.cancels()
	job := tm.submit(tm.spec(3, 0))
	as := p.pull(2)
	p.start(as[0])
	stranger := tm.newProvider().key.Address()

	_, err := tm.m.CancelJob(ctx, stranger, job.ID)
	wantCode(t, "cancel by a stranger", asBonfire(t, err), bonfire.ECodeForbidden)
	_, err = tm.m.JobResults(ctx, stranger, job.ID)
	wantCode(t, "results read by a stranger", asBonfire(t, err), bonfire.ECodeForbidden)
	_, err = tm.m.TaskLogs(ctx, stranger, as[0].TaskID, 0)
	wantCode(t, "logs read by a stranger", asBonfire(t, err), bonfire.ECodeForbidden)
	if j := tm.job(job.ID); j.State != bonfire.JobRunning {
		t.Fatalf("refused cancel changed the job: %+v", j)
	}

	// The owner, spelt in upper case, is the same owner.
	upper := bonfire.Address("0x" + strings.ToUpper(string(tm.owner)[2:]))
	got, err := tm.m.CancelJob(ctx, upper, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != bonfire.JobCancelled || got.Counts != (bonfire.TaskCounts{Cancelled: 3}) || got.Reason == "" {
		t.Fatalf("cancelled job %+v", got)
	}
	if refs := p.nextCancel(cancels); !slices.Equal(sortRefs(refs), sortRefs(refsOf(as))) {
		t.Fatalf("provider told to cancel %+v, want %+v", refs, refsOf(as))
	}
	stored, err := tm.store.Job(ctx, job.ID)
	if err != nil || stored.State != bonfire.JobCancelled {
		t.Fatalf("stored job %+v, %v", stored, err)
	}
	for i := range 3 {
		st := tm.storedTask(job.ID + "." + string(rune('0'+i)))
		if st.State != bonfire.TaskCancelled || st.Error.Code != bonfire.ECodeCancelled {
			t.Fatalf("task %d after cancel: %+v", i, st)
		}
	}

	// A result for a cancelled task is no longer wanted.
	if reply := p.finish(p.result(as[0], 0)); len(reply.Rejected) != 1 {
		t.Fatalf("result after cancel: %+v", reply)
	}
	// Finished jobs cannot be cancelled; strangers still learn nothing.
	_, err = tm.m.CancelJob(ctx, tm.owner, job.ID)
	wantCode(t, "cancelling a cancelled job", asBonfire(t, err), bonfire.ECodeConflict)
	_, err = tm.m.CancelJob(ctx, stranger, job.ID)
	wantCode(t, "stranger cancelling a finished job", asBonfire(t, err), bonfire.ECodeForbidden)
	_, err = tm.m.CancelJob(ctx, tm.owner, "j-nope")
	wantCode(t, "cancelling an unknown job", asBonfire(t, err), bonfire.ECodeNotFound)

	res, err := tm.m.JobResults(ctx, tm.owner, job.ID)
	if err != nil || len(res.Tasks) != 3 || res.Tasks[0].State != bonfire.TaskCancelled {
		t.Fatalf("owner's results %+v, %v", res, err)
	}
}

func TestCancellingASucceededJobConflicts(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p := tm.newProvider()
	p.register()
	job := tm.submit(tm.spec(1, 0))
	p.finish(p.result(p.pull(1)[0], 0))
	_, err := tm.m.CancelJob(context.Background(), tm.owner, job.ID)
	wantCode(t, "cancelling a succeeded job", asBonfire(t, err), bonfire.ECodeConflict)
	if j := tm.job(job.ID); j.State != bonfire.JobSucceeded {
		t.Fatalf("job %+v", j)
	}
}

func TestSubmitRefusesMissingBlobsAndInvalidSpecs(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	ctx := context.Background()

	spec := tm.spec(1, 0)
	spec.Module = string(bonfire.DigestOf([]byte("never uploaded")))
	_, err := tm.m.SubmitJob(ctx, tm.owner, spec)
	e := asBonfire(t, err)
	wantCode(t, "missing module", e, bonfire.ECodeInvalid)
	if e.Field != "module" || !strings.Contains(e.Message, spec.Module) || e.Hint == "" {
		t.Fatalf("missing module error %+v", e)
	}

	spec = tm.spec(1, 0)
	missing := bonfire.DigestOf([]byte("missing input"))
	spec.Inputs = []bonfire.Input{{Path: "/data", Files: []bonfire.FileRef{{Name: "a.txt", Digest: missing, Size: 5}}}}
	_, err = tm.m.SubmitJob(ctx, tm.owner, spec)
	if e := asBonfire(t, err); e.Code != bonfire.ECodeInvalid || e.Field != "inputs[0].files[0]" {
		t.Fatalf("missing input error %+v", e)
	}

	spec = tm.spec(0, -1)
	spec.Name = "Not A Name"
	_, err = tm.m.SubmitJob(ctx, tm.owner, spec)
	var errs bonfire.Errors
	if !errors.As(err, &errs) || len(errs) < 3 {
		t.Fatalf("invalid spec: %v, want bonfire.Errors listing every problem", err)
	}
	var fields []string
	for _, e := range errs {
		fields = append(fields, e.Field)
	}
	for _, f := range []string{"name", "count", "retries"} {
		if !slices.Contains(fields, f) {
			t.Errorf("problems %v do not name %s", fields, f)
		}
	}

	_, err = tm.m.SubmitJob(ctx, "", tm.spec(1, 0))
	wantCode(t, "no owner", asBonfire(t, err), bonfire.ECodeUnauthorized)

	jobs, err := tm.m.Jobs(ctx, bonfire.JobFilter{})
	if err != nil || len(jobs) != 0 {
		t.Fatalf("refused submissions left jobs behind: %+v, %v", jobs, err)
	}

	// An input that is present has its size filled in.
	spec = tm.spec(1, 0)
	in := tm.putBlob([]byte("hello"))
	spec.Inputs = []bonfire.Input{{Path: "/data", Files: []bonfire.FileRef{{Name: "a.txt", Digest: in}}}}
	job := tm.submit(spec)
	if got := job.Spec.Inputs[0].Files[0].Size; got != 5 {
		t.Fatalf("input size %d, want 5", got)
	}
}

func asBonfire(t *testing.T, err error) *bonfire.Error {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *bonfire.Error
	if errors.As(err, &e) {
		return e
	}
	var es bonfire.Errors
	if errors.As(err, &es) && len(es) == 1 {
		return es[0]
	}
	t.Fatalf("error %v (%T) is neither a *bonfire.Error nor a list of one", err, err)
	return nil
}

func refsOf(as []protocol.Assignment) []protocol.TaskRef { return refs(as...) }
