package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/bonfirenet/bonfire"
)

// statusOf is the one place where an error code becomes an HTTP status.
var statusOf = map[bonfire.ErrorCode]int{
	bonfire.ECodeInvalid:      http.StatusBadRequest,
	bonfire.ECodeNotFound:     http.StatusNotFound,
	bonfire.ECodeConflict:     http.StatusConflict,
	bonfire.ECodeUnauthorized: http.StatusUnauthorized,
	bonfire.ECodeForbidden:    http.StatusForbidden,
	bonfire.ECodeTooLarge:     http.StatusRequestEntityTooLarge,
	bonfire.ECodeUnavailable:  http.StatusServiceUnavailable,
	bonfire.ECodeTimeout:      http.StatusGatewayTimeout,
	bonfire.ECodeInternal:     http.StatusInternalServerError,
	// Workload outcomes reach the API only as the reason of a call that
	// depended on one; they are the request's fault, not the server's.
	bonfire.ECodeCancelled:       http.StatusConflict,
	bonfire.ECodeTaskFailed:      http.StatusUnprocessableEntity,
	bonfire.ECodeOutOfMemory:     http.StatusUnprocessableEntity,
	bonfire.ECodeQuota:           http.StatusUnprocessableEntity,
	bonfire.ECodeBadModule:       http.StatusUnprocessableEntity,
	bonfire.ECodeProviderLost:    http.StatusServiceUnavailable,
	bonfire.ECodeHandedBack:      http.StatusServiceUnavailable,
	bonfire.ECodePaymentRequired: http.StatusPaymentRequired,
}

// Status returns the HTTP status for err.
func Status(err error) int {
	if s, ok := statusOf[bonfire.Code(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON body of every error response. A single problem is
// in Error; a list (such as every problem of a job spec) is in Errors too.
type ErrorBody struct {
	Error  *bonfire.Error   `json:"error"`
	Errors []*bonfire.Error `json:"errors,omitempty"`
}

// WriteError writes err as JSON with its status. Errors that are not
// *bonfire.Error are reported as internal without leaking their text.
func WriteError(w http.ResponseWriter, err error) {
	body := ErrorBody{}
	var list bonfire.Errors
	var one *bonfire.Error
	switch {
	case errors.As(err, &list) && len(list) > 0:
		body.Error = &bonfire.Error{Code: list[0].Code, Message: list.Error(), Hint: "fix every problem listed in errors"}
		body.Errors = list
	case errors.As(err, &one):
		body.Error = one
	default:
		body.Error = &bonfire.Error{Code: bonfire.ECodeInternal, Message: "internal error", Hint: "see the market's log"}
	}
	WriteJSON(w, Status(body.Error), body)
}

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
