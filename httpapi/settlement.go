package httpapi

import (
	"context"
	"net/http"

	"github.com/bonfirenet/bonfire"
)

// settlementInfo serves GET /v1/settlement: the chain, escrow, token and the
// session key a consumer authorises so the market can pay for its jobs.
func (s *Server) settlementInfo(w http.ResponseWriter, r *http.Request) {
	if err := rejectQuery(r.URL.Query()); err != nil {
		WriteError(w, err)
		return
	}
	var info *bonfire.SettlementInfo
	if s.cfg.Settlement != nil {
		info = s.cfg.Settlement()
	}
	if info == nil {
		WriteError(w, bonfire.Errorf(bonfire.ECodeNotFound, "this market runs without payments").
			WithHint("jobs here are not charged; start the market with a chain (bonfire up --chain) to settle in tokens"))
		return
	}
	WriteJSON(w, http.StatusOK, info)
}

// Settlement returns where the market settles, ECodeNotFound when it runs
// without payments.
func (c *Client) Settlement(ctx context.Context) (*bonfire.SettlementInfo, error) {
	var info bonfire.SettlementInfo
	if err := c.do(ctx, call{method: http.MethodGet, path: "/v1/settlement", out: &info}); err != nil {
		return nil, err
	}
	return &info, nil
}
