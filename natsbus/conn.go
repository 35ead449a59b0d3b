package natsbus

import (
	"log/slog"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/nats-io/nats.go"
)

// Connect dials url and keeps reconnecting for ever: a provider outlives
// market restarts, and the market outlives a bus blip.
func Connect(url, name string, log *slog.Logger) (*nats.Conn, error) {
	if log == nil {
		log = slog.Default()
	}
	nc, err := nats.Connect(url,
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.ReconnectJitter(100*time.Millisecond, time.Second),
		nats.RetryOnFailedConnect(true),
		nats.ReconnectBufSize(16<<20),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "url", url, "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { log.Info("nats reconnected", "url", c.ConnectedUrl()) }),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subj := ""
			if sub != nil {
				subj = sub.Subject
			}
			log.Error("nats error", "subject", subj, "err", err)
		}),
	)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeUnavailable, "connecting to NATS at %s: %v", url, err).
			WithHint("check the --nats URL and that the market is running")
	}
	return nc, nil
}
