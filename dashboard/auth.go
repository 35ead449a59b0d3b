package dashboard

import (
	"net/http"
	"strings"
	"time"

	"github.com/bonfirenet/bonfire"
	"github.com/bonfirenet/bonfire/httpapi"
	"github.com/bonfirenet/bonfire/identity"
)

// tokenCookie keeps the API token the submit form was given, for the
// dashboard's paths only, out of scripts' reach and never sent cross-site.
const tokenCookie = "bonfire_token"

func isLoopback(remoteAddr string) bool { return httpapi.IsLoopback(remoteAddr) }

// caller authenticates r: with its own Authorization or signature headers
// when it has them, else with formToken, else with the token cookie. The
// market's Authenticator decides, so a token is accepted only from
// loopback, as on the API.
func (d *Dashboard) caller(r *http.Request, formToken string) (bonfire.Address, error) {
	if d.cfg.Auth == nil {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "this market accepts no credentials").
			WithField("token").WithHint("the market was started without authentication; report this to its operator")
	}
	if r.Header.Get("Authorization") != "" || r.Header.Get(identity.HeaderSignature) != "" {
		return d.cfg.Auth.Authenticate(r, nil)
	}
	tok := strings.TrimSpace(formToken)
	if tok == "" {
		if c, err := r.Cookie(tokenCookie); err == nil {
			tok = c.Value
		}
	}
	if tok == "" {
		return "", bonfire.Errorf(bonfire.ECodeUnauthorized, "this needs your API token").WithField("token").
			WithHint("paste the token from <home>/token (bonfire up prints the home) into the token field")
	}
	r2 := r.Clone(r.Context())
	r2.Header = r.Header.Clone()
	r2.Header.Set("Authorization", "Bearer "+tok)
	who, err := d.cfg.Auth.Authenticate(r2, nil)
	if err != nil {
		if be, ok := err.(*bonfire.Error); ok {
			out := *be
			out.Field = "token"
			return "", &out
		}
		return "", err
	}
	return who, nil
}

// rememberToken keeps tok in the dashboard's cookie for a day.
func rememberToken(w http.ResponseWriter, tok string) {
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: strings.TrimSpace(tok), Path: strings.TrimSuffix(Prefix, "/"),
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Expires: time.Now().Add(24 * time.Hour)})
}

// setToken stores the token from the form on every page's header and
// returns to where the form was.
func (d *Dashboard) setToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		d.fail(w, r, bonfire.Errorf(bonfire.ECodeInvalid, "the token form is unreadable: %v", err).WithField("token"))
		return
	}
	tok := r.PostFormValue("token")
	if _, err := d.caller(r, tok); err != nil {
		d.fail(w, r, err)
		return
	}
	rememberToken(w, tok)
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, Prefix) {
		back = Prefix
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
