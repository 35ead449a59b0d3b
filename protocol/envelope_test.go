package protocol

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/identity"
)

var testNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func newKey(t testing.TB) *identity.Key {
	t.Helper()
	k, err := identity.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func seal(t testing.TB, k *identity.Key, typ string, seq uint64, body any) []byte {
	t.Helper()
	b, err := Seal(k, typ, seq, testNow, body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sampleHeartbeat() Heartbeat {
	return Heartbeat{
		Running: []TaskRef{{TaskID: "j1.0", Attempt: 1}},
		Free:    bonfire.Capacity{CPUMilli: 2000, MemoryBytes: 1 << 30},
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	bodies := map[string]any{
		TypeRegister:  Register{Info: bonfire.ProviderInfo{ID: k.Address(), Name: "<laptop> & co \u2028 é", Executors: []string{"wasm"}}},
		TypeHeartbeat: sampleHeartbeat(),
		TypePull:      Pull{Max: 2, Free: bonfire.Capacity{CPUMilli: 1000}},
		TypeReport:    Report{Logs: []bonfire.LogChunk{{TaskID: "j1.0", Stream: "stdout", Data: "line\n\"quoted\"\t\x01"}}},
		TypeCancel:    Cancel{Tasks: []TaskRef{{TaskID: "j1.0", Attempt: 2}}},
	}
	for typ, body := range bodies {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			data := seal(t, k, typ, 42, body)
			env, err := Open(data)
			if err != nil {
				t.Fatalf("Open(Seal(...)) = %v", err)
			}
			if env.Type != typ || env.From != k.Address() || env.Seq != 42 || !env.At().Equal(testNow) {
				t.Fatalf("opened envelope %+v does not match what was sealed", env)
			}
			got := reflect.New(reflect.TypeOf(body))
			if err := DecodeBody(env, got.Interface()); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Elem().Interface(), body) {
				t.Fatalf("body = %+v, want %+v", got.Elem().Interface(), body)
			}
		})
	}
}

func TestEnvelopeJSONFieldNames(t *testing.T) {
	t.Parallel()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(seal(t, newKey(t), TypePull, 1, Pull{Max: 1}), &m); err != nil {
		t.Fatal(err)
	}
	var names []string
	for k := range m {
		names = append(names, k)
	}
	want := map[string]bool{"type": true, "from": true, "seq": true, "time": true, "body": true, "sig": true}
	if len(m) != len(want) {
		t.Fatalf("envelope fields = %v, want %v", names, want)
	}
	for _, n := range names {
		if !want[n] {
			t.Fatalf("unexpected envelope field %q", n)
		}
	}
}

// reseal decodes a sealed envelope, lets change alter it, and encodes it
// again without re-signing, as a forger would.
func reseal(t *testing.T, data []byte, change func(e *Envelope)) []byte {
	t.Helper()
	var e Envelope
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	change(&e)
	out, err := json.Marshal(&e)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestOpenRejectsForgeries(t *testing.T) {
	t.Parallel()
	k, other := newKey(t), newKey(t)
	good := seal(t, k, TypeHeartbeat, 7, sampleHeartbeat())
	byOther := seal(t, other, TypeHeartbeat, 7, sampleHeartbeat())
	var otherEnv Envelope
	_ = json.Unmarshal(byOther, &otherEnv)

	cases := map[string]func(e *Envelope){
		"body":   func(e *Envelope) { e.Body = json.RawMessage(strings.Replace(string(e.Body), "2000", "9000", 1)) },
		"type":   func(e *Envelope) { e.Type = TypePull },
		"seq":    func(e *Envelope) { e.Seq = 8 },
		"time":   func(e *Envelope) { e.Time++ },
		"from":   func(e *Envelope) { e.From = other.Address() },
		"sig":    func(e *Envelope) { e.Sig = otherEnv.Sig },
		"forged": func(e *Envelope) { e.Sig = otherEnv.Sig; e.From = k.Address() },
		"garbage sig": func(e *Envelope) {
			e.Sig = "0x" + strings.Repeat("11", 65)
		},
		"truncated sig": func(e *Envelope) { e.Sig = e.Sig[:len(e.Sig)-2] },
		"missing sig":   func(e *Envelope) { e.Sig = "" },
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data := reseal(t, good, change)
			env, err := Open(data)
			if bonfire.Code(err) != bonfire.ECodeUnauthorized {
				t.Fatalf("Open(tampered %s) = %+v, %v; want ECodeUnauthorized", name, env, err)
			}
			if e := err.(*bonfire.Error); e.Field != "sig" {
				t.Errorf("error field = %q, want sig", e.Field)
			}
		})
	}
	// A message signed by one key but claiming another's address names both.
	data := reseal(t, good, func(e *Envelope) {
		sig, err := other.Sign(envelopeHash(e.Type, e.From, e.Seq, e.Time, e.Body))
		if err != nil {
			t.Fatal(err)
		}
		e.Sig = identity.SignatureHex(sig)
	})
	_, err := Open(data)
	want := "message signature is by " + string(other.Address()) + ", not the sender " + string(k.Address())
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Open(wrong key) = %v, want %q", err, want)
	}
}

func TestOpenIsStrict(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	good := seal(t, k, TypeHeartbeat, 7, sampleHeartbeat())
	replace := func(old, new string) []byte { return []byte(strings.Replace(string(good), old, new, 1)) }
	cases := []struct {
		name  string
		data  []byte
		code  bonfire.ErrorCode
		field string
	}{
		{"empty", nil, bonfire.ECodeInvalid, ""},
		{"not json", []byte("hello"), bonfire.ECodeInvalid, ""},
		{"truncated", good[:len(good)/2], bonfire.ECodeInvalid, ""},
		{"array", []byte("[]"), bonfire.ECodeInvalid, ""},
		{"trailing data", append(append([]byte(nil), good...), []byte(` {}`)...), bonfire.ECodeInvalid, ""},
		{"unknown field", replace(`"type"`, `"extra":1,"type"`), bonfire.ECodeInvalid, "extra"},
		{"seq as string", replace(`"seq":7`, `"seq":"7"`), bonfire.ECodeInvalid, "seq"},
		{"negative seq", replace(`"seq":7`, `"seq":-7`), bonfire.ECodeInvalid, "seq"},
		{"unknown type", replace(`"type":"heartbeat"`, `"type":"gossip"`), bonfire.ECodeInvalid, "type"},
		{"missing type", replace(`"type":"heartbeat",`, ``), bonfire.ECodeInvalid, "type"},
		{"bad from", replace(`"from":"0x`, `"from":"0y`), bonfire.ECodeInvalid, "from"},
		{"zero seq", replace(`"seq":7`, `"seq":0`), bonfire.ECodeInvalid, "seq"},
		{"zero time", replace(`"time":`+itoa(testNow.UnixMilli()), `"time":0`), bonfire.ECodeInvalid, "time"},
		{"null body", []byte(reseal(t, good, func(e *Envelope) { e.Body = json.RawMessage("null") })), bonfire.ECodeInvalid, "body"},
		{"array body", []byte(reseal(t, good, func(e *Envelope) { e.Body = json.RawMessage("[1]") })), bonfire.ECodeInvalid, "body"},
		{"missing body", []byte(reseal(t, good, func(e *Envelope) { e.Body = nil })), bonfire.ECodeInvalid, "body"},
		{"too large", append(good, make([]byte, MaxEnvelopeSize)...), bonfire.ECodeTooLarge, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env, err := Open(c.data)
			if bonfire.Code(err) != c.code {
				t.Fatalf("Open(%s) = %+v, %v; want %s", c.name, env, err, c.code)
			}
			if e := err.(*bonfire.Error); e.Field != c.field {
				t.Errorf("Open(%s) field = %q, want %q (%v)", c.name, e.Field, c.field, err)
			}
		})
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestDecodeBodyIsStrict(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body, field string
	}{
		{`{"running":[],"free":{"cpuMilli":1},"busy":false,"extra":1}`, "body.extra"},
		{`{"running":[],"free":{"cpuMilli":"many"},"busy":false}`, "body.free.cpuMilli"},
		{`{"running":[{"taskId":5}],"free":{},"busy":false}`, "body.running.taskId"},
		{`{"running":[],"free":{},"busy":"no"}`, "body.busy"},
	}
	for _, c := range cases {
		env := &Envelope{Type: TypeHeartbeat, Body: json.RawMessage(c.body)}
		var hb Heartbeat
		err := DecodeBody(env, &hb)
		e, ok := err.(*bonfire.Error)
		if !ok || e.Code != bonfire.ECodeInvalid || e.Field != c.field {
			t.Errorf("DecodeBody(%s) = %v, want ECodeInvalid on %s", c.body, err, c.field)
		}
	}
	if err := DecodeBody(&Envelope{Type: TypePull}, &Pull{}); bonfire.Code(err) != bonfire.ECodeInvalid {
		t.Errorf("DecodeBody(no body) = %v, want ECodeInvalid", err)
	}
	var reply RegisterReply
	env := &Envelope{Type: TypeRegister, Body: json.RawMessage(`{"heartbeatInterval":"soon"}`)}
	if err := DecodeBody(env, &reply); bonfire.Code(err) != bonfire.ECodeInvalid || !strings.Contains(err.Error(), "body") {
		t.Errorf("DecodeBody(bad duration) = %v, want ECodeInvalid naming the body", err)
	}
}

func TestSealRefusesBadInput(t *testing.T) {
	t.Parallel()
	k := newKey(t)
	cases := []struct {
		name  string
		typ   string
		seq   uint64
		body  any
		code  bonfire.ErrorCode
		field string
	}{
		{"unknown type", "gossip", 1, Pull{}, bonfire.ECodeInvalid, "type"},
		{"zero seq", TypePull, 0, Pull{}, bonfire.ECodeInvalid, "seq"},
		{"nil body", TypePull, 1, nil, bonfire.ECodeInvalid, "body"},
		{"array body", TypePull, 1, []int{1}, bonfire.ECodeInvalid, "body"},
		{"unencodable body", TypePull, 1, map[string]any{"f": func() {}}, bonfire.ECodeInternal, "body"},
		{"too large", TypeReport, 1, Report{Logs: []bonfire.LogChunk{{Data: strings.Repeat("x", MaxEnvelopeSize)}}}, bonfire.ECodeTooLarge, ""},
	}
	for _, c := range cases {
		_, err := Seal(k, c.typ, c.seq, testNow, c.body)
		e, ok := err.(*bonfire.Error)
		if !ok || e.Code != c.code || e.Field != c.field {
			t.Errorf("Seal(%s) = %v, want %s on %q", c.name, err, c.code, c.field)
		}
	}
}

func TestMarketCancelMessages(t *testing.T) {
	t.Parallel()
	market, impostor := newKey(t), newKey(t)
	env, err := Open(seal(t, market, TypeCancel, 1, Cancel{Tasks: []TaskRef{{TaskID: "j1.0", Attempt: 1}}}))
	if err != nil {
		t.Fatal(err)
	}
	if err := env.ExpectFrom(bonfire.Address(strings.ToLower(string(market.Address())))); err != nil {
		t.Fatalf("cancel from the market refused: %v", err)
	}
	env, err = Open(seal(t, impostor, TypeCancel, 1, Cancel{}))
	if err != nil {
		t.Fatal(err)
	}
	if err := env.ExpectFrom(market.Address()); bonfire.Code(err) != bonfire.ECodeForbidden {
		t.Fatalf("cancel from another key: ExpectFrom = %v, want ECodeForbidden", err)
	}
}

func BenchmarkSealOpen(b *testing.B) {
	k := newKey(b)
	hb := sampleHeartbeat()
	seq := NewSequencer(testNow)
	b.ReportAllocs()
	for b.Loop() {
		data, err := Seal(k, TypeHeartbeat, seq.Next(), testNow, hb)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Open(data); err != nil {
			b.Fatal(err)
		}
	}
}
