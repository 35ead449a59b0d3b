package httpapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/bonfirenet/bonfire"
)

const specHint = "send the resolved job spec as one JSON object; `bonfire submit` builds it from your YAML"

// decodeJobSpec reads a submitted spec strictly: an unknown field is an
// error naming it, because a misspelt field silently ignored would run a job
// other than the one the consumer meant.
func decodeJobSpec(body []byte) (*bonfire.JobSpec, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "request body is empty").WithHint(specHint)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var spec bonfire.JobSpec
	if err := dec.Decode(&spec); err != nil {
		return nil, jsonError(body, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "request body has more data after the job spec (at byte %d)", dec.InputOffset()).
			WithHint(specHint)
	}
	return &spec, nil
}

// jsonError turns an encoding/json failure into an *bonfire.Error that names
// the field and the position, so the consumer can find the mistake.
func jsonError(body []byte, err error) *bonfire.Error {
	var (
		syntax   *json.SyntaxError
		typeErr  *json.UnmarshalTypeError
		bonfireE *bonfire.Error
	)
	switch {
	case errors.As(err, &syntax):
		return bonfire.Errorf(bonfire.ECodeInvalid, "request body is not valid JSON at byte %d: %s",
			syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: ")).WithHint(specHint)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return bonfire.Errorf(bonfire.ECodeInvalid, "request body ends before its JSON is complete").WithHint(specHint)
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return bonfire.Errorf(bonfire.ECodeInvalid, "request body is a JSON %s, want an object", typeErr.Value).
				WithHint(specHint)
		}
		return bonfire.Errorf(bonfire.ECodeInvalid, "%s is a JSON %s, want %s", typeErr.Field, typeErr.Value, jsonKind(typeErr.Type)).
			WithField(typeErr.Field).WithHint("fix the type of " + typeErr.Field + " (see docs/api.md for the spec's fields)")
	case errors.As(err, &bonfireE):
		// A field's own UnmarshalText failed (a duration); encoding/json does
		// not say which field, so find it.
		if bonfireE.Field == "" {
			if path := rejectedTextField(body, reflect.TypeFor[bonfire.JobSpec]()); path != "" {
				c := *bonfireE
				c.Field = path
				c.Message = path + ": " + c.Message
				return &c
			}
		}
		return bonfireE
	}
	msg := err.Error()
	if i := strings.Index(msg, `unknown field "`); i >= 0 {
		name := msg[i+len(`unknown field "`):]
		if j := strings.LastIndexByte(name, '"'); j >= 0 {
			name = name[:j]
		}
		name = truncateText(name)
		return bonfire.Errorf(bonfire.ECodeInvalid, "unknown field %q in the job spec", name).
			WithField(name).WithHint("remove or correct " + name + "; field names are case-sensitive camelCase (see docs/api.md)")
	}
	return bonfire.Errorf(bonfire.ECodeInvalid, "request body is not a job spec: %s", truncateText(strings.TrimPrefix(msg, "json: "))).
		WithHint(specHint)
}

var textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()

// jsonKind names a Go type the way a JSON writer thinks of it.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	if reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return "a string"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number from 0 up"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "another type"
}

// rejectedTextField walks body alongside the type root and returns the path
// (such as "timeout" or "inputs[0].path") of the first string that a
// field's UnmarshalText rejects, or "" if none does.
func rejectedTextField(body []byte, root reflect.Type) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	var walk func(t reflect.Type, path string) (string, bool)
	walk = func(t reflect.Type, path string) (string, bool) {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		tok, err := dec.Token()
		if err != nil {
			return "", true // give up: the body is broken further on
		}
		switch v := tok.(type) {
		case json.Delim:
			if v != '{' && v != '[' {
				return "", true
			}
			for i := 0; dec.More(); i++ {
				var child reflect.Type
				childPath := path + "[" + strconv.Itoa(i) + "]"
				if v == '{' {
					key, err := dec.Token()
					name, ok := key.(string)
					if err != nil || !ok {
						return "", true
					}
					child = fieldType(t, name)
					childPath = name
					if path != "" {
						childPath = path + "." + name
					}
				} else if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
					child = t.Elem()
				}
				if p, stop := walk(child, childPath); stop {
					return p, true
				}
			}
			if _, err := dec.Token(); err != nil {
				return "", true
			}
		case string:
			if t != nil && reflect.PointerTo(t).Implements(textUnmarshalerType) {
				u := reflect.New(t).Interface().(encoding.TextUnmarshaler)
				if u.UnmarshalText([]byte(v)) != nil {
					return path, true
				}
			}
		}
		return "", false
	}
	p, _ := walk(root, "")
	return p
}

// fieldType is the type a JSON key decodes into within t: a struct field by
// its json name (matched as encoding/json does, ignoring case) or a map's
// element; nil when unknown.
func fieldType(t reflect.Type, key string) reflect.Type {
	if t == nil {
		return nil
	}
	switch t.Kind() {
	case reflect.Map:
		return t.Elem()
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" {
				name = f.Name
			}
			if strings.EqualFold(name, key) {
				return f.Type
			}
		}
	}
	return nil
}
