package natsbus

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/nats-io/nats-server/v2/server"
)

// MaxPayload is the largest message on the bus. Reports batch results and
// logs, so it is larger than NATS's 1 MiB default.
const MaxPayload = 8 << 20

// Server is an embedded NATS server.
type Server struct {
	ns *server.Server
}

// ServerConfig says where the embedded server listens.
type ServerConfig struct {
	Host string // default 127.0.0.1
	// Port to listen on; 0 picks a free one. When Port is taken and
	// FallbackFree is set, a free port is picked instead.
	Port         int
	FallbackFree bool
}

// StartServer starts an embedded NATS server and waits until it accepts
// connections.
func StartServer(cfg ServerConfig) (*Server, error) {
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	port := cfg.Port
	if port != 0 && cfg.FallbackFree && !portFree(cfg.Host, port) {
		port = 0
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	opts := &server.Options{
		ServerName: "bonfire-market",
		Host:       cfg.Host,
		Port:       port,
		NoLog:      true,
		NoSigs:     true,
		MaxPayload: MaxPayload,
		// Providers on slow home links must not be cut off while a big
		// report is in flight.
		WriteDeadline: 10 * time.Second,
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "starting embedded NATS: %v", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "embedded NATS on %s:%d did not become ready", cfg.Host, cfg.Port).
			WithHint("is the port taken? pass --nats-port 0 to pick a free one")
	}
	return &Server{ns: ns}, nil
}

// ClientURL is the nats:// URL clients dial.
func (s *Server) ClientURL() string { return s.ns.ClientURL() }

// Port is the port the server listens on.
func (s *Server) Port() int {
	addr, ok := s.ns.Addr().(*net.TCPAddr)
	if !ok {
		return 0
	}
	return addr.Port
}

// Shutdown stops the server and waits for it.
func (s *Server) Shutdown() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}

func portFree(host string, port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}

// String describes the server for logs.
func (s *Server) String() string { return fmt.Sprintf("nats %s", s.ClientURL()) }
