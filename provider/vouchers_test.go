package provider

import (
	"context"
	"encoding/json"
	"github.com/bonfirenet/bonfire/internal/logbuf"
	"log/slog"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
	"github.com/bonfirenet/bonfire/natsbus"
	"github.com/bonfirenet/bonfire/protocol"
	"github.com/nats-io/nats.go"
)

// fakeReceiver refuses vouchers from one payer and passes the rest on.
type fakeReceiver struct {
	refuse bonfire.Address
	got    chan bonfire.Voucher
}

func (f *fakeReceiver) Receive(ctx context.Context, v bonfire.Voucher) error {
	if _, ok := ctx.Deadline(); !ok {
		return bonfire.Errorf(bonfire.ECodeInternal, "no deadline on the receive context")
	}
	if v.Payer == f.refuse {
		return bonfire.Errorf(bonfire.ECodeForbidden, "session key was revoked").WithField("signature")
	}
	f.got <- v
	return nil
}

// TestOutboxHandsVouchersToTheReceiver plays a market whose report replies
// carry vouchers: each goes to the receiver, a refused one is logged at Warn
// with its reason, and later reports are still sent and paid.
func TestOutboxHandsVouchersToTheReceiver(t *testing.T) {
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
	const alice, bob = bonfire.Address("0x00000000000000000000000000000000000000a1"), bonfire.Address("0x00000000000000000000000000000000000000b0")
	recv := &fakeReceiver{refuse: bob, got: make(chan bonfire.Voucher, 10)}
	logs := &logbuf.Buffer{}
	p, err := New(Config{Conn: conn, Key: key, Executors: []bonfire.Executor{nopExecutor{}}, WorkDir: t.TempDir(),
		Lend: bonfire.Capacity{CPUMilli: 1000, MemoryBytes: 1 << 30}, RequestTimeout: 5 * time.Second,
		Vouchers: recv, Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}

	voucher := func(payer bonfire.Address, total int64) bonfire.Voucher {
		return bonfire.Voucher{ChainID: 1337, Payer: payer, Payee: key.Address(), Cumulative: big.NewInt(total)}
	}
	replies := [][]bonfire.Voucher{
		{voucher(bob, 7), voucher(alice, 10)},
		{voucher(alice, 25)},
	}
	calls := 0
	_, err = conn.Subscribe(protocol.SubjectReport, func(m *nats.Msg) {
		env, err := protocol.Open(m.Data)
		if err != nil {
			t.Errorf("market got a bad envelope: %v", err)
			return
		}
		var rep protocol.Report
		if err := protocol.DecodeBody(env, &rep); err != nil {
			t.Error(err)
			return
		}
		var accepted []protocol.TaskRef
		for _, r := range rep.Results {
			accepted = append(accepted, protocol.TaskRef{TaskID: r.TaskID, Attempt: r.Attempt})
		}
		body, _ := json.Marshal(protocol.ReportReply{Accepted: accepted, Vouchers: replies[min(calls, len(replies)-1)]})
		calls++
		data, _ := json.Marshal(protocol.Reply{Body: body})
		_ = m.Respond(data)
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go p.out.run(ctx)

	next := func(what string) bonfire.Voucher {
		t.Helper()
		select {
		case v := <-recv.got:
			return v
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: no voucher reached the receiver", what)
			return bonfire.Voucher{}
		}
	}
	p.out.result(&bonfire.TaskResult{TaskID: "j.0", Attempt: 1})
	if v := next("first reply"); v.Payer != alice || v.Cumulative.Int64() != 10 {
		t.Fatalf("first voucher received = %+v, want alice's 10", v)
	}
	// The refusal of bob's voucher did not stop the next report.
	p.out.result(&bonfire.TaskResult{TaskID: "j.1", Attempt: 1})
	if v := next("second reply"); v.Payer != alice || v.Cumulative.Int64() != 25 {
		t.Fatalf("second voucher received = %+v, want alice's 25", v)
	}
	out := logs.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "payment voucher refused") ||
		!strings.Contains(out, "session key was revoked") || !strings.Contains(out, string(bob)) {
		t.Fatalf("refused voucher not logged at Warn with payer and reason; log:\n%s", out)
	}
}
