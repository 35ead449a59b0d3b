package scheduler

import (
	"time"

	"github.com/bonfirenet/bonfire"
)

// Reap finds providers that went silent and tasks that can no longer finish
// where they are: their provider is offline, they never started, or their
// timeout (plus grace) passed. Each such task is requeued while it has
// retries left and failed otherwise.
func Reap(s ReapSnapshot, cfg Config, now time.Time) *Plan {
	plan := &Plan{Offline: SilentProviders(s.Providers(), cfg, now)}
	for _, t := range s.Active() {
		job := s.Job(t.JobID)
		if job == nil {
			continue
		}
		var reason *bonfire.Error
		p := s.Provider(t.Provider)
		switch {
		case p == nil || p.State == bonfire.ProviderOffline || now.Sub(p.LastHeartbeat) > cfg.HeartbeatTimeout:
			reason = bonfire.Errorf(bonfire.ECodeProviderLost, "provider %s stopped heartbeating", t.Provider).
				WithHint("the task is rerun on another provider")
		case t.State == bonfire.TaskAssigned && now.Sub(t.AssignedAt) > cfg.AssignTimeout:
			reason = bonfire.Errorf(bonfire.ECodeProviderLost, "provider %s did not start the task within %s", t.Provider, cfg.AssignTimeout)
		case t.State == bonfire.TaskRunning && now.Sub(t.StartedAt) > job.Spec.Timeout.D()+cfg.TimeoutGrace:
			reason = bonfire.Errorf(bonfire.ECodeTimeout, "task ran past its timeout of %s", job.Spec.Timeout.D()).
				WithHint("raise timeout in the job spec or make the task faster")
		default:
			continue
		}
		plan.retryOrFail(job, t, reason, true)
	}
	return plan
}

// retryOrFail requeues t when it has retries left, fails it otherwise.
func (p *Plan) retryOrFail(job *bonfire.Job, t *bonfire.Task, reason *bonfire.Error, countsAsRetry bool) {
	if !countsAsRetry || t.Retries < job.Spec.Retries {
		p.Requeue = append(p.Requeue, Requeue{Task: t, Reason: reason, CountsAsRetry: countsAsRetry})
		return
	}
	p.Fail = append(p.Fail, Failure{Task: t, Reason: reason})
}

// AfterFailure decides what a failed attempt leads to: another try while
// retries last, the end of the task otherwise.
func AfterFailure(job *bonfire.Job, t *bonfire.Task, reason *bonfire.Error) *Plan {
	p := &Plan{}
	p.retryOrFail(job, t, reason, true)
	return p
}

// SilentProviders lists online providers whose last heartbeat is too old.
func SilentProviders(providers []*bonfire.Provider, cfg Config, now time.Time) []bonfire.Address {
	var out []bonfire.Address
	for _, p := range providers {
		if p.State != bonfire.ProviderOffline && now.Sub(p.LastHeartbeat) > cfg.HeartbeatTimeout {
			out = append(out, p.Info.ID)
		}
	}
	return out
}
