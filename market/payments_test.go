package market

import (
	"context"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/protocol"
)

// fakePayments stands in for settlement.Paymaster: an owner may commit up
// to available in total (owed plus what CheckBudget is asked for), and every
// voucher it signs is checked never to lower a total.
type fakePayments struct {
	mu        sync.Mutex
	available uint64
	signed    map[owedKey]uint64
}

func newFakePayments(available uint64) *fakePayments {
	return &fakePayments{available: available, signed: map[owedKey]uint64{}}
}

func (f *fakePayments) CheckBudget(_ context.Context, owner bonfire.Address, need uint64, owed map[bonfire.Address]uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	total := need
	for _, v := range owed {
		total += v
	}
	if total > f.available {
		return bonfire.Errorf(bonfire.ECodePaymentRequired, "%s needs %d, has %d", owner, total, f.available)
	}
	return nil
}

func (f *fakePayments) Voucher(_ context.Context, owner, provider bonfire.Address, cumulative uint64) (*bonfire.Voucher, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := owedKey{owner, provider}
	if cumulative < f.signed[k] {
		return nil, bonfire.Errorf(bonfire.ECodeConflict, "total for %s→%s went down from %d to %d", owner, provider, f.signed[k], cumulative)
	}
	f.signed[k] = cumulative
	return &bonfire.Voucher{ChainID: 1337, Payer: owner, Payee: provider, Cumulative: new(big.Int).SetUint64(cumulative), Signature: []byte{1}}, nil
}

func (f *fakePayments) Info() bonfire.SettlementInfo {
	return bonfire.SettlementInfo{ChainID: 1337, Symbol: "tUSD"}
}

func withPayments(p bonfire.Payments) func(*Config) {
	return func(c *Config) { c.Payments = p }
}

// pricedSpec is count one-core tasks of one minute at most 200 units per
// cpu-second: each can cost at most 60 × 200 = 12,000.
func (tm *testMarket) pricedSpec(count int) *bonfire.JobSpec {
	s := tm.spec(count, 0)
	s.MaxPrice = 200
	return s
}

const maxPricedTask = 12_000

// wantVoucher checks that reply carries exactly one voucher, from owner to
// p, for total.
func wantVoucher(t *testing.T, reply protocol.ReportReply, owner bonfire.Address, p *fakeProvider, total uint64) {
	t.Helper()
	if len(reply.Vouchers) != 1 {
		t.Fatalf("reply has %d vouchers, want 1: %+v", len(reply.Vouchers), reply.Vouchers)
	}
	v := reply.Vouchers[0]
	if v.Payer != owner.Normal() || v.Payee != p.id || v.Cumulative.Uint64() != total {
		t.Fatalf("voucher %s→%s for %s, want %s→%s for %d", v.Payer, v.Payee, v.Cumulative, owner.Normal(), p.id, total)
	}
}

func TestAcceptedTasksArePaidWithCumulativeVouchers(t *testing.T) {
	t.Parallel()
	pay := newFakePayments(1 << 40)
	tm := startMarket(t, withPayments(pay))
	p := tm.newProvider()
	p.price = 100 // below the job's 200: the provider's own price applies
	p.register()
	job := tm.submit(tm.pricedSpec(3))
	if job.Budget != 3*maxPricedTask {
		t.Fatalf("job budget %d, want %d", job.Budget, 3*maxPricedTask)
	}
	as := p.pull(10)
	p.start(as...)

	// Each result used one cpu-second: 100 units each.
	r0 := p.result(as[0], 0)
	wantVoucher(t, p.finish(r0), tm.owner, p, 100)
	wantVoucher(t, p.finish(p.result(as[1], 0), p.result(as[2], 0)), tm.owner, p, 300)
	// A result sent again after a lost reply is not charged again, and its
	// reply carries the current voucher, now from a finished job.
	wantVoucher(t, p.finish(r0), tm.owner, p, 300)

	if j := tm.job(job.ID); j.State != bonfire.JobSucceeded || j.Charged != 300 {
		t.Fatalf("job %s charged %d, want succeeded and 300", j.State, j.Charged)
	}
	if st := tm.storedTask(as[1].TaskID); st.Charge != 100 {
		t.Fatalf("task charge %d, want 100", st.Charge)
	}
	totals, err := tm.store.OwedTotals(context.Background())
	if err != nil || len(totals) != 1 || totals[0].Amount != 300 {
		t.Fatalf("stored owed totals %+v, %v; want one of 300", totals, err)
	}

	// A restarted market continues from the durable charges.
	tm.restart()
	wantVoucher(t, p.finish(r0), tm.owner, p, 300)
}

func TestFailedAndFreeTasksAreNotPaid(t *testing.T) {
	t.Parallel()
	pay := newFakePayments(1 << 40)
	tm := startMarket(t, withPayments(pay))
	p := tm.newProvider()
	p.price = 100
	p.register()

	failing := tm.submit(tm.pricedSpec(1))
	as := p.pull(10)
	if reply := p.finish(p.result(as[0], 3)); len(reply.Vouchers) != 0 {
		t.Fatalf("a failed task brought vouchers %+v", reply.Vouchers)
	}
	if j := tm.job(failing.ID); j.State != bonfire.JobFailed || j.Charged != 0 {
		t.Fatalf("failed job %s charged %d, want failed and 0", j.State, j.Charged)
	}

	// A job with max price 0 runs only on providers that ask nothing.
	q := tm.newProvider()
	q.register()
	free := tm.submit(tm.spec(1, 0))
	as = q.pull(10)
	if len(as) != 1 {
		t.Fatalf("the free provider pulled %d tasks, want 1", len(as))
	}
	if reply := q.finish(q.result(as[0], 0)); len(reply.Vouchers) != 0 {
		t.Fatalf("a free task brought vouchers %+v", reply.Vouchers)
	}
	if j := tm.job(free.ID); j.State != bonfire.JobSucceeded || j.Charged != 0 || j.Budget != 0 {
		t.Fatalf("free job %+v", j)
	}
	if totals, _ := tm.store.OwedTotals(context.Background()); len(totals) != 0 {
		t.Fatalf("owed totals %+v, want none", totals)
	}
}

func TestBudgetIsCheckedBeforeTheJobStarts(t *testing.T) {
	t.Parallel()
	pay := newFakePayments(maxPricedTask) // enough for exactly one task
	tm := startMarket(t, withPayments(pay))
	ctx := context.Background()

	_, err := tm.m.SubmitJob(ctx, tm.owner, tm.pricedSpec(2))
	if bonfire.Code(err) != bonfire.ECodePaymentRequired {
		t.Fatalf("a job over budget: %v, want %s", err, bonfire.ECodePaymentRequired)
	}
	if jobs, _ := tm.m.Jobs(ctx, bonfire.JobFilter{}); len(jobs) != 0 {
		t.Fatalf("a refused job was stored: %+v", jobs)
	}

	first := tm.submit(tm.pricedSpec(1))
	// The first job's unspent budget is held: a second one does not fit.
	if _, err := tm.m.SubmitJob(ctx, tm.owner, tm.pricedSpec(1)); bonfire.Code(err) != bonfire.ECodePaymentRequired {
		t.Fatalf("a second job while the first holds the deposit: %v, want %s", err, bonfire.ECodePaymentRequired)
	}

	p := tm.newProvider()
	p.price = 100
	p.register()
	as := p.pull(10)
	wantVoucher(t, p.finish(p.result(as[0], 0)), tm.owner, p, 100)
	if j := tm.job(first.ID); j.State != bonfire.JobSucceeded {
		t.Fatalf("first job %s", j.State)
	}
	// Finished, the job holds only what it cost: 100 owed of 12,000.
	if _, err := tm.m.SubmitJob(ctx, tm.owner, tm.pricedSpec(1)); bonfire.Code(err) != bonfire.ECodePaymentRequired {
		t.Fatalf("a job that fits only without the owed 100: %v, want %s", err, bonfire.ECodePaymentRequired)
	}
	pay.mu.Lock()
	pay.available += 100
	pay.mu.Unlock()
	tm.submit(tm.pricedSpec(1))

	// Free jobs need no budget at all.
	pay.mu.Lock()
	pay.available = 0
	pay.mu.Unlock()
	tm.submit(tm.spec(5, 0))
}

func TestChargeNeverExceedsTheTaskCap(t *testing.T) {
	t.Parallel()
	tm := startMarket(t, withPayments(newFakePayments(1<<40)))
	p := tm.newProvider()
	p.price = 200
	p.register()
	tm.submit(tm.pricedSpec(1))
	as := p.pull(1)
	r := p.result(as[0], 0)
	r.Usage.CPUNanos = 1e12 // claims far more CPU than one core in a minute
	signResult(t, p, &r)
	wantVoucher(t, p.finish(r), tm.owner, p, maxPricedTask)
}

// signResult signs r again after a test changed it.
func signResult(t *testing.T, p *fakeProvider, r *bonfire.TaskResult) {
	t.Helper()
	if err := identity.SignResult(p.key, r); err != nil {
		t.Fatal(err)
	}
}

func TestOnRegisterHearsEveryRegistration(t *testing.T) {
	t.Parallel()
	heard := make(chan bonfire.Address, 2)
	tm := startMarket(t, func(c *Config) { c.OnRegister = func(p bonfire.Address) { heard <- p } })
	p := tm.newProvider()
	p.register()
	if got := <-heard; got != p.id {
		t.Fatalf("OnRegister heard %s, want %s", got, p.id)
	}
}

func TestRecheckStopsJobsTheOwnerCanNoLongerPay(t *testing.T) {
	t.Parallel()
	pay := newFakePayments(3 * maxPricedTask)
	tm := startMarket(t, withPayments(pay))
	p := tm.newProvider()
	p.price = 100
	p.register()
	job := tm.submit(tm.pricedSpec(3))
	free := tm.submit(tm.spec(2, 0)) // free jobs are never stopped for money
	as := p.pull(1)
	wantVoucher(t, p.finish(p.result(as[0], 0)), tm.owner, p, 100)
	cancels := p.cancels()

	// Still covered: nothing changes.
	if err := tm.m.RecheckBudgets(context.Background()); err != nil {
		t.Fatal(err)
	}
	if j := tm.job(job.ID); j.State != bonfire.JobRunning {
		t.Fatalf("covered job %s after a recheck", j.State)
	}

	// The consumer withdrew: two tasks' worst case no longer fit.
	as = p.pull(1)
	pay.mu.Lock()
	pay.available = maxPricedTask
	pay.mu.Unlock()
	if err := tm.m.RecheckBudgets(context.Background()); err != nil {
		t.Fatal(err)
	}
	j := tm.job(job.ID)
	if j.State != bonfire.JobCancelled || j.Counts.Succeeded != 1 || j.Counts.Cancelled != 2 || !strings.Contains(j.Reason, "payment no longer covered") {
		t.Fatalf("unpaid job: %s %+v %q; want cancelled, 1 succeeded, 2 cancelled, a payment reason", j.State, j.Counts, j.Reason)
	}
	if got := p.nextCancel(cancels); len(got) != 1 || got[0].TaskID != as[0].TaskID {
		t.Fatalf("the provider was told to cancel %+v, want its running task %s", got, as[0].TaskID)
	}
	if st := tm.storedTask(as[0].TaskID); bonfire.Code(st.Error) != bonfire.ECodePaymentRequired {
		t.Fatalf("stopped task's error %v, want %s", st.Error, bonfire.ECodePaymentRequired)
	}
	if f := tm.job(free.ID); f.State.Terminal() {
		t.Fatalf("the free job was stopped: %s", f.State)
	}
}
