package natsbus

import (
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

func TestEmbeddedServerRequestReply(t *testing.T) {
	t.Parallel()
	s, err := StartServer(ServerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	nc, err := Connect(s.ClientURL(), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, err := nc.Subscribe("echo", func(m *nats.Msg) { _ = m.Respond(append([]byte("re:"), m.Data...)) }); err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 2<<20) // above NATS's 1 MiB default
	msg, err := nc.Request("echo", big, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Data) != len(big)+3 {
		t.Fatalf("reply has %d bytes, want %d", len(msg.Data), len(big)+3)
	}
}

func TestClientReconnectsAfterServerRestartOnSamePort(t *testing.T) {
	t.Parallel()
	s, err := StartServer(ServerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	port := s.Port()
	nc, err := Connect(s.ClientURL(), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	reconnected := make(chan struct{}, 1)
	nc.SetReconnectHandler(func(*nats.Conn) { reconnected <- struct{}{} })
	s.Shutdown()

	s2, err := StartServer(ServerConfig{Port: port})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Shutdown()
	select {
	case <-reconnected:
	case <-time.After(20 * time.Second):
		t.Fatal("client did not reconnect to the restarted server")
	}
	sub, err := nc.SubscribeSync("after")
	if err != nil {
		t.Fatal(err)
	}
	if err := nc.Publish("after", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := sub.NextMsg(5 * time.Second); err != nil {
		t.Fatalf("no message after reconnect: %v", err)
	}
}

func TestFallbackToFreePortWhenTaken(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := l.Addr().(*net.TCPAddr).Port
	s, err := StartServer(ServerConfig{Port: taken, FallbackFree: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	if s.Port() == taken || s.Port() == 0 {
		t.Fatalf("server port %d, want a free port other than %d", s.Port(), taken)
	}
}
