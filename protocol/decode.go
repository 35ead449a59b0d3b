package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/bonfirenet/bonfire"
)

// decodeStrict decodes exactly one JSON value from data into v, refusing
// unknown fields and trailing data. what names the document in messages
// ("heartbeat body"); prefix is put before field paths ("body").
func decodeStrict(data []byte, v any, what, prefix string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, what, prefix)
	}
	if _, err := dec.Token(); err != io.EOF {
		return bonfire.Errorf(bonfire.ECodeInvalid, "%s has data after its end", what).
			WithField(prefix).WithHint("send exactly one JSON object")
	}
	return nil
}

// decodeError turns encoding/json's errors into ones that name the field.
func decodeError(err error, what, prefix string) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		be     *bonfire.Error
	)
	hint := "send the " + what + " as encoded by this version of Bonfire"
	switch {
	case errors.Is(err, io.EOF):
		return bonfire.Errorf(bonfire.ECodeInvalid, "%s is empty", what).WithField(prefix).WithHint(hint)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return bonfire.Errorf(bonfire.ECodeInvalid, "%s is truncated JSON", what).WithField(prefix).WithHint(hint)
	case errors.As(err, &syntax):
		return bonfire.Errorf(bonfire.ECodeInvalid, "%s is not valid JSON at byte %d: %s", what, syntax.Offset,
			strings.TrimPrefix(syntax.Error(), "json: ")).WithField(prefix).WithHint(hint)
	case errors.As(err, &typ):
		field := joinField(prefix, typ.Field)
		return bonfire.Errorf(bonfire.ECodeInvalid, "is a JSON %s, want %s", typ.Value, typeName(typ)).
			WithField(field).WithHint(hint)
	case errors.As(err, &be):
		c := *be
		if c.Field == "" {
			c.Field = prefix
		}
		return &c
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, `json: unknown field "`); ok {
		name = strings.TrimSuffix(name, `"`)
		return bonfire.Errorf(bonfire.ECodeInvalid, "unknown field %q in the %s", clipString(name), what).
			WithField(joinField(prefix, name)).
			WithHint("remove the field; sender and receiver may run different Bonfire versions")
	}
	return bonfire.Errorf(bonfire.ECodeInvalid, "%s cannot be decoded: %s", what, strings.TrimPrefix(msg, "json: ")).
		WithField(prefix).WithHint(hint)
}

func typeName(e *json.UnmarshalTypeError) string {
	if e.Type == nil {
		return "another type"
	}
	return e.Type.String()
}

func joinField(prefix, field string) string {
	switch {
	case field == "":
		return prefix
	case prefix == "":
		return field
	}
	return prefix + "." + field
}
