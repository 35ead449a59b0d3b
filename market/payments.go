package market

import (
	"context"
	"math/bits"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/jobspec"
	"github.com/bonfirenet/bonfire/trust"
)

// owedKey names a payment channel: what a job owner owes one provider.
type owedKey struct{ owner, provider bonfire.Address }

// loadOwed restores the running totals from the durable charges.
func (m *Market) loadOwed(ctx context.Context) error {
	totals, err := m.cfg.Store.OwedTotals(ctx)
	if err != nil {
		return err
	}
	for _, o := range totals {
		m.owed[owedKey{o.Owner.Normal(), o.Provider.Normal()}] = o.Amount
	}
	return nil
}

// charge prices t's accepted result and records the charge in the change's
// batch, so that it becomes durable with the acceptance. A task is charged
// only here, once: failed, cancelled and rejected attempts cost nothing.
func (c *change) charge(js *jobState, t *bonfire.Task, r *bonfire.TaskResult, p *bonfire.Provider) {
	if p == nil || js.job.Spec.MaxPrice == 0 && js.job.Spec.MaxGPUPrice == 0 {
		return
	}
	amount := bonfire.TaskCost(r.Usage, p.Info, &js.job.Spec)
	if amount == 0 {
		return
	}
	owner, provider := js.job.Owner.Normal(), r.Provider.Normal()
	t.Charge = amount
	js.job.Charged += amount
	c.jobs[js.job.ID] = js
	c.m.owed[owedKey{owner, provider}] += amount
	c.b.Charges = append(c.b.Charges, &bonfire.TaskCharge{
		TaskID: t.ID, JobID: t.JobID, Owner: owner, Provider: provider, Amount: amount, At: c.m.cfg.Now(),
	})
}

// jobBudget is the most spec can cost over count tasks, counting every run
// its verification policy may pay for; it saturates rather than wrapping.
func jobBudget(spec *bonfire.JobSpec, count int) uint64 {
	runs := uint64(count) * uint64(trust.MaxPaidRuns(jobspec.Policy(spec)))
	hi, lo := bits.Mul64(bonfire.MaxTaskCharge(spec), runs)
	if hi != 0 {
		return ^uint64(0)
	}
	return lo
}

// checkBudget asks the payments side whether owner can pay budget on top of
// the unspent budgets of its running jobs and what it owes already. Call
// with budgetMu held and mu not held: it reads the chain.
func (m *Market) checkBudget(ctx context.Context, owner bonfire.Address, budget uint64) error {
	if m.cfg.Payments == nil || budget == 0 {
		return nil
	}
	m.mu.Lock()
	unspent, owed := m.commitmentsLocked()
	m.mu.Unlock()
	return m.cfg.Payments.CheckBudget(ctx, owner, saturatingAdd(budget, unspent[owner]), owed[owner])
}

// commitmentsLocked is what each owner has committed: the unspent budgets
// of its unfinished jobs, and what it owes each provider. Call with mu held.
func (m *Market) commitmentsLocked() (unspent map[bonfire.Address]uint64, owed map[bonfire.Address]map[bonfire.Address]uint64) {
	unspent = map[bonfire.Address]uint64{}
	for _, js := range m.st.jobs {
		if js.job.Budget > js.job.Charged {
			o := js.job.Owner.Normal()
			unspent[o] = saturatingAdd(unspent[o], js.job.Budget-js.job.Charged)
		}
	}
	owed = map[bonfire.Address]map[bonfire.Address]uint64{}
	for k, v := range m.owed {
		if owed[k.owner] == nil {
			owed[k.owner] = map[bonfire.Address]uint64{}
		}
		owed[k.owner][k.provider] = v
	}
	return unspent, owed
}

func saturatingAdd(a, b uint64) uint64 {
	sum, carry := bits.Add64(a, b, 0)
	if carry != 0 {
		return ^uint64(0)
	}
	return sum
}

// vouchersFor signs, for each owner, the voucher for everything it owes
// provider so far. A failure to sign costs the provider nothing: the next
// reply carries a voucher for the same or a higher total.
func (m *Market) vouchersFor(ctx context.Context, provider bonfire.Address, owners map[bonfire.Address]bool) []bonfire.Voucher {
	if m.cfg.Payments == nil || len(owners) == 0 {
		return nil
	}
	var out []bonfire.Voucher
	for owner := range owners {
		m.mu.Lock()
		total := m.owed[owedKey{owner, provider}]
		m.mu.Unlock()
		if total == 0 {
			continue
		}
		v, err := m.cfg.Payments.Voucher(ctx, owner, provider, total)
		if m.obs != nil {
			m.obs.VoucherSigned(err)
		}
		if err != nil {
			m.log.Warn("cannot sign a voucher", "owner", owner, "provider", provider, "total", total, "err", err)
			continue
		}
		out = append(out, *v)
	}
	return out
}

// ownerOfTask finds the owner of a task that is no longer in memory (its
// job finished), for re-sending the voucher of a result acknowledged before.
func (m *Market) ownerOfTask(ctx context.Context, taskID string) bonfire.Address {
	j, err := m.cfg.Store.Job(ctx, jobOf(taskID))
	if err != nil {
		return ""
	}
	return j.Owner.Normal()
}

// RecheckBudgets checks again, for every owner with unfinished priced jobs,
// that its deposit and the session key's allowance still cover what those
// jobs may yet cost and what is owed. A consumer can withdraw (after the
// escrow's delay) or revoke the key while jobs run; work done after that
// could never be paid, so the owner's unfinished priced jobs are stopped,
// with the shortfall as the reason. A chain that does not answer stops
// nothing: the next round tries again.
func (m *Market) RecheckBudgets(ctx context.Context) error {
	if m.cfg.Payments == nil {
		return nil
	}
	m.budgetMu.Lock() // no submission may pass its check against the old state meanwhile
	defer m.budgetMu.Unlock()
	m.mu.Lock()
	need, owed := m.commitmentsLocked()
	m.mu.Unlock()

	for owner, n := range need {
		err := m.cfg.Payments.CheckBudget(ctx, owner, n, owed[owner])
		switch {
		case err == nil:
		case bonfire.Code(err) == bonfire.ECodePaymentRequired:
			m.stopUnpaidJobs(ctx, owner, err)
		default:
			m.log.Warn("cannot recheck a budget; jobs keep running", "owner", owner, "err", err)
		}
	}
	return nil
}

// stopUnpaidJobs cancels owner's unfinished priced jobs because payment for
// them is no longer covered.
func (m *Market) stopUnpaidJobs(ctx context.Context, owner bonfire.Address, why error) {
	reason := "payment no longer covered: " + why.Error()
	m.mu.Lock()
	c := m.newChange()
	var stopped []string
	for _, js := range m.st.jobs {
		if js.job.Owner.Normal() == owner && js.job.Budget > 0 {
			c.stopJob(js, bonfire.Errorf(bonfire.ECodePaymentRequired, "%s", reason), reason)
			stopped = append(stopped, js.job.ID)
		}
	}
	b, cancels := c.finish()
	saved := m.writer.enqueue(b)
	m.mu.Unlock()
	m.sendCancels(cancels)
	if err := saved.wait(ctx); err != nil {
		m.log.Error("cannot save the stop of unpaid jobs", "owner", owner, "err", err)
		return
	}
	for _, id := range stopped {
		m.log.Warn("job stopped: its payment is no longer covered", "job", id, "owner", owner, "err", why)
	}
}

// budgetLoop rechecks budgets every BudgetInterval.
func (m *Market) budgetLoop() {
	defer m.wg.Done()
	t := time.NewTicker(m.cfg.BudgetInterval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), m.cfg.BudgetInterval)
			_ = m.RecheckBudgets(ctx)
			cancel()
		}
	}
}
