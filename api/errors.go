package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Error is the JSON body of every non-2xx answer.
type Error struct {
	Code    string   `json:"code"`              // stable, machine-readable
	Message string   `json:"message"`           // for the developer, never personal data
	Field   string   `json:"field,omitempty"`   // the offending field, for validation errors
	Missing []string `json:"missing,omitempty"` // slots not uploaded yet, for upload_missing
	status  int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func fieldError(field, msg string) *Error {
	return &Error{Code: "invalid_field", Field: field, Message: field + " " + msg, status: http.StatusBadRequest}
}

func badRequest(code, format string, a ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, a...), status: http.StatusBadRequest}
}

var (
	errUnauthorized = &Error{Code: "unauthorized", Message: "a valid bearer token is required", status: http.StatusUnauthorized}
	errNotFound     = &Error{Code: "not_found", Message: "no such verification", status: http.StatusNotFound}
	errUnavailable  = &Error{Code: "unavailable", Message: "a backing service is unavailable; retry later", status: http.StatusServiceUnavailable}
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if !errors.As(err, &e) {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "route", r.Pattern, "error", err)
		e = errUnavailable
	}
	writeJSON(w, e.status, map[string]*Error{"error": e})
}
