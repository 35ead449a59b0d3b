package sqlite

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
)

func TestChargesAreOncePerTaskAndSumPerPair(t *testing.T) {
	t.Parallel()
	s, path := openTemp(t)
	ctx := context.Background()
	const alice, bob, p1, p2 = bonfire.Address("0xa1"), bonfire.Address("0xb0"), bonfire.Address("0x01"), bonfire.Address("0x02")
	at := time.Unix(1_700_000_000, 0).UTC()
	commit(t, s, &bonfire.Batch{Charges: []*bonfire.TaskCharge{
		{TaskID: "j1.0", JobID: "j1", Owner: alice, Provider: p1, Amount: 10, At: at},
		{TaskID: "j1.1", JobID: "j1", Owner: alice, Provider: p1, Amount: 5, At: at},
		{TaskID: "j1.2", JobID: "j1", Owner: alice, Provider: p2, Amount: 7, At: at},
		{TaskID: "j2.0", JobID: "j2", Owner: bob, Provider: p1, Amount: 1, At: at},
	}})
	// A result acknowledged again must not be charged again.
	commit(t, s, &bonfire.Batch{Charges: []*bonfire.TaskCharge{
		{TaskID: "j1.0", JobID: "j1", Owner: alice, Provider: p1, Amount: 1000, At: at},
	}})
	want := []bonfire.Owed{{Owner: alice, Provider: p1, Amount: 15}, {Owner: alice, Provider: p2, Amount: 7}, {Owner: bob, Provider: p1, Amount: 1}}
	got, err := s.OwedTotals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "owed totals", got, want)

	cs, err := s.JobCharges(ctx, "j1")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 3 || cs[0].Amount != 10 || !cs[0].At.Equal(at) || cs[2].Provider != p2 {
		t.Fatalf("JobCharges(j1) = %+v", cs)
	}

	// Charges survive a reopen.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	again, err := s2.OwedTotals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "owed totals after reopen", again, want)
}

func TestBadChargesAreRefusedWhole(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	err := s.Commit(context.Background(), &bonfire.Batch{Charges: []*bonfire.TaskCharge{
		{TaskID: "j1.0", JobID: "j1", Owner: "0xa", Provider: "0xb", Amount: 1},
		{TaskID: "j1.1", JobID: "j1", Owner: "", Provider: "0xb", Amount: 1},
		{TaskID: "j1.2", JobID: "j1", Owner: "0xa", Provider: "0xb", Amount: math.MaxUint64},
	}})
	var errs bonfire.Errors
	if !asErrors(err, &errs) || len(errs) != 2 || errs[0].Field != "charges[1]" || errs[1].Field != "charges[2].amount" {
		t.Fatalf("Commit = %v, want problems at charges[1] and charges[2].amount", err)
	}
	got, err := s.OwedTotals(context.Background())
	if err != nil || len(got) != 0 {
		t.Fatalf("after a refused batch OwedTotals = %v, %v; want nothing written", got, err)
	}
}
