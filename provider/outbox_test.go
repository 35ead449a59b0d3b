package provider

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/natsbus"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/nats-io/nats.go"
)

type nopExecutor struct{}

func (nopExecutor) Name() string { return bonfire.ExecutorWASM }
func (nopExecutor) Run(context.Context, *bonfire.ExecRequest) (*bonfire.ExecResult, error) {
	return &bonfire.ExecResult{}, nil
}

// TestOutboxResendsResultsUntilAcknowledged plays a market that fails the
// first report, rejects one result and accepts the other: the provider must
// resend after the failure, drop both once answered, and never resend.
func TestOutboxResendsResultsUntilAcknowledged(t *testing.T) {
	t.Parallel()
	srv, err := natsbus.StartServer(natsbus.ServerConfig{Port: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	conn, err := natsbus.Connect(srv.ClientURL(), "provider", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	key, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Config{Conn: conn, Key: key, Executors: []bonfire.Executor{nopExecutor{}}, WorkDir: t.TempDir(),
		Lend: bonfire.Capacity{CPUMilli: 1000, MemoryBytes: 1 << 30}, RequestTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}

	reports := make(chan protocol.Report, 10)
	calls := 0
	_, err = conn.Subscribe(protocol.SubjectReport, func(m *nats.Msg) {
		env, err := protocol.Open(m.Data)
		if err != nil || env.From.Normal() != key.Address().Normal() {
			t.Errorf("market got a bad envelope: %v", err)
			return
		}
		var rep protocol.Report
		if err := protocol.DecodeBody(env, &rep); err != nil {
			t.Error(err)
			return
		}
		calls++
		reports <- rep
		reply := protocol.Reply{}
		if calls == 1 {
			reply.Error = bonfire.Errorf(bonfire.ECodeUnavailable, "disk full")
		} else {
			body, _ := json.Marshal(protocol.ReportReply{
				Accepted: []protocol.TaskRef{{TaskID: "j.0", Attempt: 1}},
				Rejected: []protocol.Rejected{{TaskRef: protocol.TaskRef{TaskID: "j.1", Attempt: 1}, Reason: "stale"}},
			})
			reply.Body = body
		}
		data, _ := json.Marshal(reply)
		_ = m.Respond(data)
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.out.run(ctx)
	p.out.result(&bonfire.TaskResult{TaskID: "j.0", Attempt: 1})
	p.out.result(&bonfire.TaskResult{TaskID: "j.1", Attempt: 1})

	seen := 0
	for seen < 2 {
		select {
		case rep := <-reports:
			seen++
			if len(rep.Results) != 2 {
				t.Fatalf("report %d carried %d results, want both", seen, len(rep.Results))
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("only %d reports arrived", seen)
		}
	}
	// Both results were answered: nothing is owed, so a flush sends nothing.
	flushCtx, stop := context.WithTimeout(context.Background(), 5*time.Second)
	p.out.flush(flushCtx)
	stop()
	p.out.mu.Lock()
	owed := len(p.out.rep.Results)
	p.out.mu.Unlock()
	if owed != 0 {
		t.Fatalf("%d results still owed after the market answered", owed)
	}
	select {
	case rep := <-reports:
		t.Fatalf("an answered result was sent again: %+v", rep)
	default:
	}
}
