package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
)

// UploadSpecs are the uploads a create request declares, by slot.
//
// It decodes like a map[string]UploadSpec, strictly (unknown fields are
// refused), but a value of the wrong type is reported at its full path,
// "uploads.doc_front.size", where encoding/json would say "uploads.size".
type UploadSpecs map[string]UploadSpec

// UnmarshalJSON decodes the object slot by slot, in the order of the slot
// names, so that the first problem reported is always the same one.
func (u *UploadSpecs) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return &pathError{path: "uploads", problem: "must be an object of slots"}
		}
		return err
	}
	if raw == nil { // JSON null
		*u = nil
		return nil
	}
	out := make(UploadSpecs, len(raw))
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, slot := range keys {
		path := "uploads." + slot
		dec := json.NewDecoder(bytes.NewReader(raw[slot]))
		dec.DisallowUnknownFields()
		var spec UploadSpec
		if err := dec.Decode(&spec); err != nil {
			var typ *json.UnmarshalTypeError
			switch {
			case errors.As(err, &typ) && typ.Field != "":
				return &pathError{path: path + "." + typ.Field, problem: "has the wrong type"}
			case errors.As(err, &typ):
				return &pathError{path: path, problem: "must be an object with content_type and size"}
			case strings.HasPrefix(err.Error(), "json: unknown field "):
				return &pathError{path: path, problem: "has an " + strings.TrimPrefix(err.Error(), "json: ")}
			}
			return err
		}
		out[slot] = spec
	}
	*u = out
	return nil
}

// pathError is a decoding problem at a known path in the request body. Its
// text never quotes the client's values.
type pathError struct {
	path, problem string
}

func (e *pathError) Error() string { return "field " + e.path + " " + e.problem }
