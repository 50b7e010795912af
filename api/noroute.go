package api

import (
	"net/http"
	"strings"
)

// routeMethods are the methods the API's routes are registered with.
var routeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// catchAll is the pattern that answers every /v1 request no route takes.
const catchAll = "/v1/"

// allowedMethods returns the methods a route serves at r's path, HEAD
// with GET (as net/http serves it), or nil when no route has the path.
func (s *Server) allowedMethods(r *http.Request) []string {
	var out []string
	for _, m := range routeMethods {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != catchAll && pattern != reviewCatchAll {
			out = append(out, m)
			if m == http.MethodGet {
				out = append(out, http.MethodHead)
			}
		}
	}
	return out
}

// noRoute answers a /v1 request no route takes: 405 with an Allow header
// when the path exists for other methods, 404 otherwise.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	if allow := s.allowedMethods(r); len(allow) > 0 {
		list := strings.Join(allow, ", ")
		w.Header().Set("Allow", list)
		s.fail(w, r, &Error{Code: "method_not_allowed", Message: r.Method + " is not allowed here; this route allows " + list,
			status: http.StatusMethodNotAllowed})
		return
	}
	s.fail(w, r, &Error{Code: "not_found", Message: "no such route", status: http.StatusNotFound})
}
