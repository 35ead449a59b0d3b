package provider

import (
	"context"
	"sync"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
)

// outbox holds what the provider owes the market (started notices, logs,
// hand-backs, results) and delivers it in batched reports. Results stay
// until the market acknowledges them, so a market restart loses none.
type outbox struct {
	p *Provider
	// sending is held for a whole report round trip, so that flush on
	// shutdown waits for the report the run loop has in flight instead of
	// finding the outbox empty and letting Run cancel that report.
	sending sync.Mutex
	mu      sync.Mutex
	rep     protocol.Report
	kick    chan struct{}
	logSeq  map[string]int
	held    map[protocol.TaskRef]*heldResult // committed, not yet revealed (verify.go)
}

func newOutbox(p *Provider) *outbox {
	return &outbox{p: p, kick: make(chan struct{}, 1), logSeq: map[string]int{}, held: map[protocol.TaskRef]*heldResult{}}
}

func (o *outbox) poke() {
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

func (o *outbox) started(ref protocol.TaskRef) {
	o.mu.Lock()
	o.rep.Started = append(o.rep.Started, ref)
	o.mu.Unlock()
	o.poke()
}

func (o *outbox) result(r *bonfire.TaskResult) {
	o.mu.Lock()
	o.rep.Results = append(o.rep.Results, *r)
	o.mu.Unlock()
	o.poke()
}

func (o *outbox) handback(h protocol.Handback) {
	o.mu.Lock()
	o.rep.Handbacks = append(o.rep.Handbacks, h)
	o.mu.Unlock()
	o.poke()
}

func (o *outbox) log(c bonfire.LogChunk) {
	o.mu.Lock()
	key := c.TaskID + "/" + c.Stream
	o.logSeq[key]++
	c.Seq = o.logSeq[key]
	o.rep.Logs = append(o.rep.Logs, c)
	o.mu.Unlock()
	o.poke()
}

func (o *outbox) empty() bool {
	return len(o.rep.Started)+len(o.rep.Results)+len(o.rep.Handbacks)+len(o.rep.Logs)+
		len(o.rep.Commits)+len(o.rep.Reveals)+len(o.rep.Answers) == 0
}

// run delivers reports until ctx ends. While a report is in flight new
// items pile up and go out together in the next one.
func (o *outbox) run(ctx context.Context) {
	backoff := 50 * time.Millisecond
	for {
		select {
		case <-ctx.Done():
			return
		case <-o.kick:
		}
		for {
			ok, more := o.sendOnce(ctx)
			if !ok {
				select {
				case <-ctx.Done():
					return
				case <-time.After(backoff):
				}
				backoff = min(backoff*2, 2*time.Second)
				continue
			}
			backoff = 50 * time.Millisecond
			if !more {
				break
			}
		}
	}
}

// flush delivers everything still owed, retrying until ctx ends.
func (o *outbox) flush(ctx context.Context) {
	for ctx.Err() == nil {
		ok, more := o.sendOnce(ctx)
		if ok && !more {
			return
		}
		if !ok {
			select {
			case <-ctx.Done():
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
}

// sendOnce sends one report with everything queued. ok is false when the
// market could not be reached; more is true when items are still owed.
func (o *outbox) sendOnce(ctx context.Context) (ok, more bool) {
	o.sending.Lock()
	defer o.sending.Unlock()
	o.mu.Lock()
	if o.empty() {
		o.mu.Unlock()
		return true, false
	}
	rep := o.rep
	o.rep = protocol.Report{}
	o.mu.Unlock()

	var reply protocol.ReportReply
	start := time.Now()
	err := o.p.request(ctx, protocol.SubjectReport, protocol.TypeReport, &rep, &reply)
	if obs := o.p.cfg.Observer; obs != nil {
		obs.Reported(time.Since(start), err)
	}
	if err != nil {
		o.p.log.Warn("report failed; will resend", "err", err, "results", len(rep.Results))
		o.requeue(&rep)
		return false, true
	}
	done := map[protocol.TaskRef]bool{}
	for _, r := range reply.Accepted {
		done[r] = true
	}
	for _, r := range reply.Rejected {
		done[r.TaskRef] = true
		o.p.log.Warn("market rejected a result", "job", jobOf(r.TaskID), "task", r.TaskID, "attempt", r.Attempt, "reason", r.Reason)
	}
	// Only results the market did not mention are owed again, with the
	// salts that open their commitments. A rejected commitment's result
	// will never be asked for.
	keep := protocol.Report{}
	for _, r := range rep.Results {
		if !done[protocol.TaskRef{TaskID: r.TaskID, Attempt: r.Attempt}] {
			keep.Results = append(keep.Results, r)
		}
	}
	for _, rv := range rep.Reveals {
		if !done[rv.TaskRef] {
			keep.Reveals = append(keep.Reveals, rv)
		}
	}
	var refused []protocol.TaskRef
	for _, r := range reply.Rejected {
		refused = append(refused, r.TaskRef)
	}
	o.drop(refused)
	o.requeue(&keep)
	o.reveal(reply.Reveal)
	o.deliverVouchers(ctx, reply.Vouchers)
	o.mu.Lock()
	more = !o.empty()
	o.mu.Unlock()
	return true, more
}

// voucherTimeout bounds handing one voucher to the receiver, which may read
// the chain: a slow chain must not hold up reports for long.
const voucherTimeout = 10 * time.Second

// deliverVouchers hands the reply's vouchers to the receiver. It runs
// inside the report round trip so a shutdown's flush stores the last
// vouchers before the final claim. A refused voucher is only logged: the
// market sends the owner's cumulative total again with the next report, and
// payment problems must never stop the provider from working.
func (o *outbox) deliverVouchers(ctx context.Context, vs []bonfire.Voucher) {
	if o.p.cfg.Vouchers == nil {
		return
	}
	for _, v := range vs {
		vctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), voucherTimeout)
		err := o.p.cfg.Vouchers.Receive(vctx, v)
		cancel()
		if obs := o.p.cfg.Observer; obs != nil {
			obs.VoucherReceived(err)
		}
		if err != nil {
			o.p.log.Warn("payment voucher refused", "payer", v.Payer, "cumulative", v.Cumulative, "err", err)
		}
	}
}

// requeue puts undelivered items back in front of newer ones.
func (o *outbox) requeue(rep *protocol.Report) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rep.Started = append(rep.Started, o.rep.Started...)
	o.rep.Results = append(rep.Results, o.rep.Results...)
	o.rep.Handbacks = append(rep.Handbacks, o.rep.Handbacks...)
	o.rep.Logs = append(rep.Logs, o.rep.Logs...)
	o.rep.Commits = append(rep.Commits, o.rep.Commits...)
	o.rep.Reveals = append(rep.Reveals, o.rep.Reveals...)
	o.rep.Answers = append(rep.Answers, o.rep.Answers...)
}
