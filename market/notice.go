package market

import (
	"context"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/protocol"
)

// sendNotices tells providers what a change decided for them while they
// were not the ones reporting: reveals a round now wants, and vouchers for
// results that other providers' results just confirmed. Call without mu.
func (m *Market) sendNotices(ctx context.Context, reveals map[bonfire.Address][]protocol.TaskRef, earned map[bonfire.Address]map[bonfire.Address]bool) {
	notices := map[bonfire.Address]*protocol.Notice{}
	get := func(p bonfire.Address) *protocol.Notice {
		if notices[p] == nil {
			notices[p] = &protocol.Notice{}
		}
		return notices[p]
	}
	for p, refs := range reveals {
		get(p).Reveal = refs
	}
	for p, owners := range earned {
		if vs := m.vouchersFor(ctx, p, owners); len(vs) > 0 {
			get(p).Vouchers = vs
		}
	}
	for p, n := range notices {
		m.sendNotice(p, n)
	}
}

// sendNotice seals n and publishes it to provider p. A lost notice only
// delays: each part is delivered another way too (see protocol.Notice).
func (m *Market) sendNotice(p bonfire.Address, n *protocol.Notice) {
	data, err := protocol.Seal(m.cfg.Key, protocol.TypeNotice, m.seq.Next(), m.cfg.Now(), n)
	if err != nil {
		m.log.Error("sealing notice", "provider", p, "err", err)
		return
	}
	if err := m.cfg.Conn.Publish(protocol.NoticeSubject(p), data); err != nil {
		m.log.Warn("sending notice", "provider", p, "err", err)
	}
}
