package market

import (
	"context"
	"math/bits"
	"strings"

	"github.com/bonfirenet/bonfire"
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
	if p == nil || js.job.Spec.MaxPrice == 0 {
		return
	}
	amount := min(bonfire.Charge(r.Usage.CPUNanos, p.Info.PricePerCPUSecond, js.job.Spec.MaxPrice),
		bonfire.MaxTaskCharge(&js.job.Spec))
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

// jobBudget is the most spec can cost over count tasks; it saturates rather
// than wrapping.
func jobBudget(spec *bonfire.JobSpec, count int) uint64 {
	hi, lo := bits.Mul64(bonfire.MaxTaskCharge(spec), uint64(count))
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
	need := budget
	for _, js := range m.st.jobs {
		if js.job.Owner.Normal() == owner && js.job.Budget > js.job.Charged {
			need = saturatingAdd(need, js.job.Budget-js.job.Charged)
		}
	}
	owed := map[bonfire.Address]uint64{}
	for k, v := range m.owed {
		if k.owner == owner {
			owed[k.provider] = v
		}
	}
	m.mu.Unlock()
	err := m.cfg.Payments.CheckBudget(ctx, owner, need, owed)
	if m.obs != nil {
		m.obs.BudgetChecked(err)
	}
	if bonfire.Code(err) == bonfire.ECodePaymentRequired {
		m.log.Info("job refused: budget not covered", "owner", owner, "need", need, "err", err)
	}
	return err
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
	jobID, _, ok := cutLast(taskID, ".")
	if !ok {
		return ""
	}
	j, err := m.cfg.Store.Job(ctx, jobID)
	if err != nil {
		return ""
	}
	return j.Owner.Normal()
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// SettlementInfo says where the market settles, or nil when it runs
// without payments.
func (m *Market) SettlementInfo() *bonfire.SettlementInfo {
	if m.cfg.Payments == nil {
		return nil
	}
	info := m.cfg.Payments.Info()
	return &info
}
