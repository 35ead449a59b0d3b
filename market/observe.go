package market

import (
	"context"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
)

// Observer is told what the market does, for metrics. The market calls it
// outside Market.mu (never while holding it), so an implementation may do
// a little work, but it runs on the message path and must not block. A nil
// Config.Observer costs nothing: every call site checks for it first.
//
// The market defines this interface itself so that it does not depend on
// any metrics library; package metrics implements it with Prometheus.
type Observer interface {
	// Handled is called once per provider message, after its reply, with
	// the time from the handler starting to the reply being sent.
	Handled(kind MessageKind, d time.Duration)
	// Dispatched is called after a pull is answered with how long each
	// first attempt it assigned waited in the queue (queued → assigned).
	// Retried attempts are left out: their queue time would include the
	// earlier attempts, since a task keeps its submission time.
	Dispatched(waits []time.Duration)
	// Results counts the results a report reply accepted and rejected.
	Results(accepted, rejected int)
	// Committed is called after every attempt to commit a transaction.
	Committed(d time.Duration, err error)
	// MessageFailed counts a provider message answered with an error.
	MessageFailed(reason MessageError)
	// VoucherSigned is called for each voucher the market tried to sign.
	VoucherSigned(err error)
	// BudgetChecked is called after each budget check against the chain;
	// err has ECodePaymentRequired when the owner cannot pay.
	BudgetChecked(err error)
}

// MessageKind names a provider message type, as an index so that an
// observer can keep one pre-built series per kind.
type MessageKind int

// The provider messages the market answers.
const (
	MsgRegister MessageKind = iota
	MsgHeartbeat
	MsgPull
	MsgReport
	NumMessageKinds // how many kinds there are
)

var messageKindNames = [NumMessageKinds]string{"register", "heartbeat", "pull", "report"}

func (k MessageKind) String() string { return messageKindNames[k] }

// MessageError is why a provider message was answered with an error.
type MessageError int

// Reasons a provider message fails.
const (
	ErrBadEnvelope     MessageError = iota // unreadable, wrong type, or bad signature
	ErrReplay                              // seen before, too old or from the future
	ErrUnknownProvider                     // not registered
	ErrBadBody                             // body unreadable or invalid
	ErrHandler                             // the market could not carry it out (usually a failed commit)
	ErrReply                               // the reply could not be sent
	NumMessageErrors                       // how many reasons there are
)

var messageErrorNames = [NumMessageErrors]string{"bad_envelope", "replay", "unknown_provider", "bad_body", "handler", "reply"}

func (e MessageError) String() string { return messageErrorNames[e] }

// Stats is the market's live state at one moment.
type Stats struct {
	// Tasks counts tasks by state. Live states (queued, assigned,
	// running) are the tasks in them now; terminal states count the tasks
	// that reached them since the market started (plus those of jobs still
	// unfinished when it started), since finished jobs leave memory.
	Tasks            bonfire.TaskCounts
	JobsQueued       int
	JobsRunning      int
	ProvidersOnline  int
	ProvidersBusy    int
	ProvidersOffline int
}

// Stats returns the live counts. It holds Market.mu only to copy them; the
// job and provider loops are over unfinished jobs and known providers.
func (m *Market) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := Stats{Tasks: m.st.counts}
	for _, js := range m.st.jobs {
		switch js.job.State {
		case bonfire.JobQueued:
			s.JobsQueued++
		case bonfire.JobRunning:
			s.JobsRunning++
		}
	}
	for _, p := range m.st.providers {
		switch p.State {
		case bonfire.ProviderOnline:
			s.ProvidersOnline++
		case bonfire.ProviderBusy:
			s.ProvidersBusy++
		default:
			s.ProvidersOffline++
		}
	}
	return s
}

// chainFresh is how long a chain answer keeps the market ready: probes
// come every few seconds and must not each cost a round trip to the chain.
const chainFresh = 15 * time.Second

// readyTimeout bounds each readiness check, so a hung dependency makes the
// probe fail rather than hang.
const readyTimeout = 2 * time.Second

// Ready reports whether the market can do its work: the store answers a
// cheap read, the bus connection is up, and, when payments are configured
// with a Config.ChainCheck, the chain answered within chainFresh. The
// error is an ECodeUnavailable *bonfire.Error whose Field names what is
// not ready ("store", "nats" or "chain").
func (m *Market) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if _, err := m.cfg.Store.Jobs(ctx, bonfire.JobFilter{Limit: 1}); err != nil {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "the state store does not answer: %v", err).WithField("store").
			WithHint("check the disk under the market's home and the market's log")
	}
	if !m.cfg.Conn.IsConnected() {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "the NATS connection is %s", strings.ToLower(m.cfg.Conn.Status().String())).
			WithField("nats").WithHint("check that the NATS server is running and reachable; the market reconnects on its own")
	}
	if m.cfg.Payments == nil || m.cfg.ChainCheck == nil {
		return nil
	}
	now := time.Now()
	if last := m.chainOK.Load(); last != 0 && now.Sub(time.Unix(0, last)) < chainFresh {
		return nil
	}
	if err := m.cfg.ChainCheck(ctx); err != nil {
		return bonfire.Errorf(bonfire.ECodeUnavailable, "the settlement chain does not answer: %v", err).WithField("chain").
			WithHint("check the chain's JSON-RPC endpoint; jobs with a price cannot be admitted or paid until it answers")
	}
	m.chainOK.Store(now.UnixNano())
	return nil
}

// jobOf is the job ID inside a task ID, for log lines.
func jobOf(taskID string) string {
	job, _ := bonfire.JobOfTask(taskID)
	return job
}
