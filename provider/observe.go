package provider

import (
	"context"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
)

// Observer is told what the provider does, for metrics. The provider
// defines it so that it depends on no metrics library; package metrics
// implements it with Prometheus. Calls are made without the provider's
// locks held. A nil Config.Observer costs nothing.
type Observer interface {
	// TaskStarted is called when an assignment starts running here.
	TaskStarted()
	// TaskFinished is called when it ends, with how.
	TaskFinished(outcome Outcome)
	// Busy reports idle mode's state: true while the owner uses the machine.
	Busy(busy bool)
	// Reported is called after each report round trip to the market.
	Reported(d time.Duration, err error)
	// VoucherReceived is called for each voucher handed to the receiver;
	// err is why it was refused.
	VoucherReceived(err error)
}

// Outcome is how one task attempt ended on this provider.
type Outcome int

// Task outcomes.
const (
	OutcomeSucceeded  Outcome = iota // a result with exit code 0 was queued
	OutcomeFailed                    // a failure result was queued
	OutcomeHandedBack                // returned to the market (idle mode, shutdown)
	OutcomeCancelled                 // stopped by the market; nothing owed
	OutcomeError                     // the provider could not sign a result
	NumOutcomes                      // how many outcomes there are
)

var outcomeNames = [NumOutcomes]string{"succeeded", "failed", "handed_back", "cancelled", "error"}

func (o Outcome) String() string { return outcomeNames[o] }

// Ready reports whether the provider can take work: it has registered with
// a market and its NATS connection is up. The error is an
// ECodeUnavailable *bonfire.Error whose Field names what is not ready.
func (p *Provider) Ready(context.Context) error {
	p.mu.Lock()
	registered := p.market != ""
	p.mu.Unlock()
	if !registered {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "the provider has not registered with a market").WithField("registration").
			WithHint("it registers as soon as the market answers; check --nats and the market's log")
	}
	if !p.cfg.Conn.IsConnected() {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "the NATS connection is %s", strings.ToLower(p.cfg.Conn.Status().String())).
			WithField("nats").WithHint("check that the market's NATS server is reachable; the provider reconnects on its own")
	}
	return nil
}

// jobOf is the job ID inside a task ID, for log lines.
func jobOf(taskID string) string {
	job, _ := bonfire.JobOfTask(taskID)
	return job
}
