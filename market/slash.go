package market

import (
	"context"
	"fmt"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/trust"
)

// slashOrder is a stake to take for a fault, decided under mu and carried
// out after it (it sends a transaction).
type slashOrder struct {
	taskID   string
	attempt  int
	provider bonfire.Address
	consumer bonfire.Address
	amount   uint64
	evidence bonfire.Digest
}

// slashTimeout bounds one slash transaction.
const slashTimeout = time.Minute

// slash orders p's stake slashed for a fault on run. The amount is what
// makes cheating lose money at the check rate p's reputation had
// (trust.RequiredStake), and never less than the task's price, so the
// consumer it harmed is reimbursed first. Free tasks put nothing at stake.
func (c *change) slash(js *jobState, run *bonfire.Task, p *bonfire.Provider, evidence bonfire.Digest) {
	v := bonfire.MaxTaskCharge(&js.job.Spec)
	if v == 0 || c.m.cfg.Slasher == nil {
		return
	}
	amount := v
	prob := trust.CheckProbability(policyOf(js.job), trust.Reputation(p.Reputation))
	if s, err := trust.RequiredStake(prob, v); err == nil {
		amount = max(amount, s)
	}
	c.slashes = append(c.slashes, slashOrder{taskID: run.ID, attempt: run.Attempt, provider: p.Info.ID,
		consumer: js.job.Owner.Normal(), amount: amount, evidence: evidence})
}

// runSlashes carries out slash orders on their own goroutine; the outcome
// of each is a task event and, when stake was taken, the provider's record.
func (m *Market) runSlashes(orders []slashOrder) {
	if len(orders) == 0 {
		return
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		for _, o := range orders {
			ctx, cancel := context.WithTimeout(context.Background(), slashTimeout)
			taken, err := m.cfg.Slasher.Slash(ctx, o.provider, o.consumer, o.amount, o.evidence)
			cancel()
			detail := fmt.Sprintf("took %d of %d ordered to %s; evidence %s", taken, o.amount, o.consumer, o.evidence)
			if err != nil {
				detail = fmt.Sprintf("slashing %d failed: %v; evidence %s", o.amount, err, o.evidence)
				m.log.Warn("slash failed", "provider", o.provider, "task", o.taskID, "err", err)
			} else {
				m.log.Info("provider slashed", "provider", o.provider, "task", o.taskID, "amount", taken, "evidence", o.evidence)
			}
			b := &bonfire.Batch{Events: []*bonfire.TaskEvent{{TaskID: o.taskID, Attempt: o.attempt, At: m.cfg.Now(),
				Kind: "slashed", Provider: o.provider, Detail: detail}}}
			m.mu.Lock()
			if p := m.st.Provider(o.provider); p != nil && taken > 0 {
				p.Slashed += taken
				pc := *p
				b.Providers = append(b.Providers, &pc)
			}
			saved := m.writer.enqueue(b)
			m.mu.Unlock()
			ctx, cancel = context.WithTimeout(context.Background(), commitTimeout)
			if err := saved.wait(ctx); err != nil {
				m.log.Error("cannot record a slash", "provider", o.provider, "err", err)
			}
			cancel()
		}
	}()
}
