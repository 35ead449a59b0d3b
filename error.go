package bonfire

import (
	"errors"
	"fmt"
)

// ErrorCode is a machine-readable error class. Each code maps to exactly one
// HTTP status in httpapi; nothing else decides statuses.
type ErrorCode string

// Error codes used across Bonfire.
const (
	ECodeInvalid         ErrorCode = "invalid"          // the caller sent something we cannot accept
	ECodeNotFound        ErrorCode = "not_found"        // the named thing does not exist
	ECodeConflict        ErrorCode = "conflict"         // the request conflicts with current state
	ECodeUnauthorized    ErrorCode = "unauthorized"     // no or bad credentials
	ECodeForbidden       ErrorCode = "forbidden"        // credentials fine, but not allowed
	ECodeTooLarge        ErrorCode = "too_large"        // a size limit was exceeded
	ECodeUnavailable     ErrorCode = "unavailable"      // try again later
	ECodeInternal        ErrorCode = "internal"         // a bug or an infrastructure failure
	ECodeTimeout         ErrorCode = "timeout"          // a deadline passed
	ECodeCancelled       ErrorCode = "cancelled"        // stopped on request
	ECodeTaskFailed      ErrorCode = "task_failed"      // the workload itself failed (exit code, trap)
	ECodeOutOfMemory     ErrorCode = "out_of_memory"    // the workload exceeded its memory limit
	ECodeQuota           ErrorCode = "quota"            // the workload exceeded an output/log quota
	ECodeBadModule       ErrorCode = "bad_module"       // the module or image cannot be loaded
	ECodeProviderLost    ErrorCode = "provider_lost"    // the provider stopped heartbeating
	ECodeHandedBack      ErrorCode = "handed_back"      // an idle-mode provider returned the task
	ECodePaymentRequired ErrorCode = "payment_required" // the payer's escrow or allowance cannot cover it
)

// Error is the one error type of Bonfire: a machine code, a human message and
// a hint that tells the reader how to fix it. Field names the offending input
// (a spec path such as "matrix.lr[2]") when there is one.
type Error struct {
	Code    ErrorCode `json:"code"`
	Field   string    `json:"field,omitempty"`
	Message string    `json:"message"`
	Hint    string    `json:"hint,omitempty"`
}

func (e *Error) Error() string {
	s := e.Message
	if e.Field != "" {
		s = e.Field + ": " + s
	}
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Errorf builds an *Error with a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithHint returns e with its hint set.
func (e *Error) WithHint(hint string) *Error { e.Hint = hint; return e }

// WithField returns e with its field set.
func (e *Error) WithField(field string) *Error { e.Field = field; return e }

// Code returns the code of err if it is (or wraps) an *Error, the first
// problem's code for Errors, and ECodeInternal otherwise.
func Code(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var es Errors
	if errors.As(err, &es) && len(es) > 0 {
		return es[0].Code
	}
	return ECodeInternal
}

// Errors is a list of problems reported at once (for example every problem in
// a job spec). It is itself an error.
type Errors []*Error

func (es Errors) Error() string {
	switch len(es) {
	case 0:
		return "no errors"
	case 1:
		return es[0].Error()
	}
	s := fmt.Sprintf("%d problems:", len(es))
	for _, e := range es {
		s += "\n  " + e.Error()
	}
	return s
}

// Err returns nil when es is empty, es otherwise. It avoids the typed-nil trap.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
