package market

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
)

// Every malformed, forged, replayed or stale message is answered with a
// Reply.Error of the right code, and the market keeps serving afterwards.
func TestBadMessagesAreRejectedWithTheRightCode(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p := tm.newProvider()
	p.register()
	other := tm.newProvider()
	other.register()

	hb := &protocol.Heartbeat{Free: p.info().Lend}
	reseal := func(env protocol.Envelope) []byte {
		data, err := json.Marshal(&env)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	open := func(data []byte) protocol.Envelope {
		var env protocol.Envelope
		if err := json.Unmarshal(data, &env); err != nil {
			t.Fatal(err)
		}
		return env
	}

	cases := []struct {
		name    string
		subject string
		data    func() []byte
		code    bonfire.ErrorCode
		field   string
	}{
		{"garbage", protocol.SubjectHeartbeat, func() []byte { return []byte("not json at all") }, bonfire.ECodeInvalid, ""},
		{"empty", protocol.SubjectPull, func() []byte { return nil }, bonfire.ECodeInvalid, ""},
		{"unsigned", protocol.SubjectHeartbeat, func() []byte {
			env := open(p.seal(protocol.TypeHeartbeat, hb))
			env.Sig = ""
			return reseal(env)
		}, bonfire.ECodeUnauthorized, "sig"},
		{"forged sender", protocol.SubjectHeartbeat, func() []byte {
			// Sealed with p's key but claiming to be from other.
			env := open(p.seal(protocol.TypeHeartbeat, hb))
			env.From = other.key.Address()
			return reseal(env)
		}, bonfire.ECodeUnauthorized, "sig"},
		{"tampered body", protocol.SubjectPull, func() []byte {
			env := open(p.seal(protocol.TypePull, &protocol.Pull{Max: 1, Free: p.info().Lend}))
			env.Body = json.RawMessage(`{"max":1000,"free":{"cpuMilli":1,"memoryBytes":1,"gpus":0}}`)
			return reseal(env)
		}, bonfire.ECodeUnauthorized, "sig"},
		{"stale timestamp", protocol.SubjectHeartbeat, func() []byte {
			data, err := protocol.Seal(p.key, protocol.TypeHeartbeat, p.seq.Next(), tm.clock.Now().Add(-10*time.Minute), hb)
			if err != nil {
				t.Fatal(err)
			}
			return data
		}, bonfire.ECodeInvalid, "time"},
		{"future timestamp", protocol.SubjectHeartbeat, func() []byte {
			data, err := protocol.Seal(p.key, protocol.TypeHeartbeat, p.seq.Next(), tm.clock.Now().Add(10*time.Minute), hb)
			if err != nil {
				t.Fatal(err)
			}
			return data
		}, bonfire.ECodeInvalid, "time"},
		{"wrong subject", protocol.SubjectPull, func() []byte { return p.seal(protocol.TypeHeartbeat, hb) }, bonfire.ECodeInvalid, ""},
		{"unknown body field", protocol.SubjectHeartbeat, func() []byte {
			return p.seal(protocol.TypeHeartbeat, map[string]any{"free": p.info().Lend, "extra": 1})
		}, bonfire.ECodeInvalid, "body.extra"},
		{"unregistered sender", protocol.SubjectPull, func() []byte {
			return tm.newProvider().seal(protocol.TypePull, &protocol.Pull{Max: 1})
		}, bonfire.ECodeNotFound, ""},
	}
	for _, c := range cases {
		r := p.requestRaw(c.subject, c.data())
		wantCode(t, c.name, r.Error, c.code)
		if c.field != "" && r.Error.Field != c.field {
			t.Errorf("%s: error names field %q, want %q", c.name, r.Error.Field, c.field)
		}
	}

	// The same bytes twice: the second is a replay.
	data := p.seal(protocol.TypeHeartbeat, hb)
	if r := p.requestRaw(protocol.SubjectHeartbeat, data); r.Error != nil {
		t.Fatalf("first delivery refused: %v", r.Error)
	}
	r := p.requestRaw(protocol.SubjectHeartbeat, data)
	wantCode(t, "replayed heartbeat", r.Error, bonfire.ECodeConflict)
	if r.Error.Field != "seq" {
		t.Errorf("replay error names field %q, want seq", r.Error.Field)
	}
	// A replayed report must not be processed twice either.
	job := tm.submit(tm.spec(1, 0))
	as := p.pull(1)
	rep := p.seal(protocol.TypeReport, &protocol.Report{Results: []bonfire.TaskResult{p.result(as[0], 0)}})
	if r := p.requestRaw(protocol.SubjectReport, rep); r.Error != nil {
		t.Fatalf("report refused: %v", r.Error)
	}
	wantCode(t, "replayed report", p.requestRaw(protocol.SubjectReport, rep).Error, bonfire.ECodeConflict)

	// The market still serves both providers.
	p.heartbeat()
	other.heartbeat()
	if got := tm.job(job.ID); got.State != bonfire.JobSucceeded || got.Counts.Succeeded != 1 {
		t.Fatalf("job after the report: state %s, counts %+v", got.State, got.Counts)
	}
	if n := len(tm.results(as[0].TaskID)); n != 1 {
		t.Fatalf("%d results recorded, want 1", n)
	}
}

// A registration must be signed by the address it registers and offer
// something to run.
func TestRegisterChecksTheProviderInfo(t *testing.T) {
	t.Parallel()
	tm := startMarket(t)
	p := tm.newProvider()
	other := tm.newProvider()

	info := p.info()
	info.ID = other.key.Address()
	wantCode(t, "registering another address", p.call(protocol.SubjectRegister, protocol.TypeRegister, &protocol.Register{Info: info}, nil), bonfire.ECodeForbidden)

	info = p.info()
	info.Executors = nil
	info.Lend.CPUMilli = 0
	err := p.call(protocol.SubjectRegister, protocol.TypeRegister, &protocol.Register{Info: info}, nil)
	wantCode(t, "registering nothing to lend", err, bonfire.ECodeInvalid)
	if err.Field != "info.executors" {
		t.Errorf("error names %q, want the first problem, info.executors: %v", err.Field, err)
	}

	reply := p.register()
	if reply.Market != tm.key.Address() || reply.HeartbeatInterval.D() <= 0 || !reply.ServerTime.Equal(tm.clock.Now()) {
		t.Fatalf("register reply %+v", reply)
	}
	provs, err2 := tm.m.Providers(t.Context())
	if err2 != nil || len(provs) != 1 || provs[0].Info.ID != p.id || provs[0].State != bonfire.ProviderOnline {
		t.Fatalf("providers after registering: %+v, %v", provs, err2)
	}
}
