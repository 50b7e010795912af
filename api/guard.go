package api

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

// guardV1 is what every authenticated /v1 route sits behind:
//
//   - cross-site requests are refused (403 cross_origin), whatever the
//     method: a browser marks them with Sec-Fetch-Site (cross-site or
//     same-site) or an Origin other than the host. API clients are servers
//     and send neither;
//   - the token is accepted only as a bearer token. A browser never adds
//     one on its own, unlike HTTP Basic credentials it cached for the
//     dashboard, so a forged cross-site request cannot carry it;
//   - a request with a body must say it is JSON (415 otherwise): a form or
//     text/plain post, which a browser sends cross-site without asking,
//     is never read as a command.
func (s *Server) guardV1(next http.HandlerFunc) http.Handler {
	want := []byte(s.cfg.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if crossSite(r) {
			s.fail(w, r, errCrossOrigin)
			return
		}
		if len(want) == 0 || subtle.ConstantTimeCompare([]byte(bearer(r)), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kycq-api"`)
			s.fail(w, r, errUnauthorized)
			return
		}
		if hasBody(r) && !isJSON(r.Header.Get("Content-Type")) {
			s.fail(w, r, errNotJSON)
			return
		}
		next(w, r)
	})
}

var (
	errCrossOrigin = &Error{Code: "cross_origin", Message: "cross-site requests are refused", status: http.StatusForbidden}
	errNotJSON     = &Error{Code: "unsupported_media_type", Message: "send application/json", status: http.StatusUnsupportedMediaType}
)

// bearer returns the bearer token of a request, or "".
func bearer(r *http.Request) string {
	scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(cred)
}

// crossSite reports whether a browser marked r as coming from another
// site: Sec-Fetch-Site other than same-origin or none (a user's own
// navigation), or an Origin whose host is not the request's.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	u, err := url.Parse(origin)
	return err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host)
}

// hasBody reports whether r carries a body (or may: an unknown length).
func hasBody(r *http.Request) bool {
	return r.ContentLength != 0 || len(r.TransferEncoding) > 0
}

// notCrossSite refuses cross-site requests to an unauthenticated route
// (the S3 webhook, which checks its own token).
func (s *Server) notCrossSite(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if crossSite(r) {
			s.fail(w, r, errCrossOrigin)
			return
		}
		next(w, r)
	})
}
