package provider

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/natsbus"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/bonfirenet/bonfire/trust"
	"github.com/nats-io/nats.go"
)

// fakeMarket answers reports with reply(report) and hands each report to
// the test.
func fakeMarket(t *testing.T, reply func(protocol.Report) protocol.ReportReply) (*Provider, chan protocol.Report) {
	t.Helper()
	srv, err := natsbus.StartServer(natsbus.ServerConfig{Port: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	conn, err := natsbus.Connect(srv.ClientURL(), "provider", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	key, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(Config{Conn: conn, Key: key, Executors: []bonfire.Executor{nopExecutor{}}, WorkDir: t.TempDir(),
		Lend: bonfire.Capacity{CPUMilli: 1000, MemoryBytes: 1 << 30}, RequestTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	reports := make(chan protocol.Report, 16)
	if _, err := conn.Subscribe(protocol.SubjectReport, func(m *nats.Msg) {
		env, err := protocol.Open(m.Data)
		var rep protocol.Report
		if err == nil {
			err = protocol.DecodeBody(env, &rep)
		}
		if err != nil {
			t.Errorf("market got a bad report: %v", err)
			return
		}
		body, _ := json.Marshal(reply(rep))
		data, _ := json.Marshal(protocol.Reply{Body: body})
		_ = m.Respond(data)
		reports <- rep
	}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go p.out.run(ctx)
	return p, reports
}

func next(t *testing.T, reports chan protocol.Report) protocol.Report {
	t.Helper()
	select {
	case rep := <-reports:
		return rep
	case <-time.After(20 * time.Second):
		t.Fatal("no report")
		return protocol.Report{}
	}
}

func TestCommittedResultIsHeldUntilTheMarketAsks(t *testing.T) {
	t.Parallel()
	ask := make(chan bool, 4)
	p, reports := fakeMarket(t, func(rep protocol.Report) protocol.ReportReply {
		var out protocol.ReportReply
		if len(rep.Commits) > 0 && <-ask {
			out.Reveal = []protocol.TaskRef{rep.Commits[0].TaskRef}
		}
		for _, r := range rep.Results {
			out.Accepted = append(out.Accepted, protocol.TaskRef{TaskID: r.TaskID, Attempt: r.Attempt})
		}
		return out
	})
	r := &bonfire.TaskResult{TaskID: "j.0", Attempt: 1, Provider: p.cfg.Key.Address(), OutputDigest: bonfire.DigestOf([]byte("out"))}
	ask <- false // the other replica has not committed yet
	p.out.commit(r)
	first := next(t, reports)
	if len(first.Commits) != 1 || len(first.Results) != 0 {
		t.Fatalf("first report %+v; want the commitment and no result", first)
	}
	// The heartbeat resends the commitment; now the market asks.
	ask <- true
	p.out.recommit()
	if again := next(t, reports); len(again.Commits) != 1 || again.Commits[0] != first.Commits[0] {
		t.Fatalf("resent commitment %+v, want the same %+v", again.Commits, first.Commits)
	}
	revealed := next(t, reports)
	if len(revealed.Results) != 1 || len(revealed.Reveals) != 1 {
		t.Fatalf("reveal report %+v; want the result with its salt", revealed)
	}
	rv := revealed.Reveals[0]
	if trust.Commitment(revealed.Results[0].OutputDigest, p.cfg.Key.Address(), rv.TaskID, rv.Attempt, rv.Salt) != first.Commits[0].Commitment {
		t.Fatal("the revealed result and salt do not open the commitment")
	}
	// A cancelled attempt's held result is dropped, never recommitted.
	p.out.commit(&bonfire.TaskResult{TaskID: "j.1", Attempt: 1, Provider: p.cfg.Key.Address()})
	ask <- false
	next(t, reports)
	p.out.drop([]protocol.TaskRef{{TaskID: "j.1", Attempt: 1}})
	p.out.recommit()
	p.out.mu.Lock()
	owed := len(p.out.rep.Commits) + len(p.out.held)
	p.out.mu.Unlock()
	if owed != 0 {
		t.Fatalf("%d commitments or held results left after the cancel", owed)
	}
}

func TestChallengeIsSolvedAndAnswered(t *testing.T) {
	t.Parallel()
	p, reports := fakeMarket(t, func(protocol.Report) protocol.ReportReply { return protocol.ReportReply{} })
	var nonce trust.Hash
	nonce[0] = 7
	c := trust.NewChallengeSized(nonce, 3, 0.05, 0.01, time.Second, time.Now())
	p.solve(c)
	rep := next(t, reports)
	if len(rep.Answers) != 1 {
		t.Fatalf("report %+v; want one answer", rep)
	}
	if v := trust.Verify(c, rep.Answers[0], time.Now(), rand.New(rand.NewPCG(1, 2))); v.Outcome != trust.ChallengePassed {
		t.Fatalf("answer judged %s: %v", v.Outcome, v.Reason)
	}
	p.solve(trust.Challenge{Chains: -1}) // malformed: ignored, not answered
	p.bg.Wait()
	p.out.mu.Lock()
	defer p.out.mu.Unlock()
	if len(p.out.rep.Answers) != 0 {
		t.Fatal("a malformed challenge was answered")
	}
}
