package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRequireTokenSchemesAndPlaces(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	deny := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) }
	h := RequireToken("s3cret-token", ok, deny)
	for _, tc := range []struct {
		name string
		set  func(r *http.Request)
		want int
	}{
		{"bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer s3cret-token") }, http.StatusNoContent},
		{"scheme is case-insensitive", func(r *http.Request) { r.Header.Set("Authorization", "bearer s3cret-token") }, http.StatusNoContent},
		{"basic password", func(r *http.Request) { r.SetBasicAuth("anyone", "s3cret-token") }, http.StatusNoContent},
		{"none", func(r *http.Request) {}, http.StatusUnauthorized},
		{"wrong", func(r *http.Request) { r.Header.Set("Authorization", "Bearer s3cret-tokem") }, http.StatusUnauthorized},
		{"prefix of the token", func(r *http.Request) { r.Header.Set("Authorization", "Bearer s3cret") }, http.StatusUnauthorized},
		{"other scheme", func(r *http.Request) { r.Header.Set("Authorization", "Token s3cret-token") }, http.StatusUnauthorized},
		{"in the query", func(r *http.Request) { r.URL.RawQuery = "token=s3cret-token" }, http.StatusUnauthorized},
	} {
		r := httptest.NewRequest(http.MethodGet, "/v1/x", nil)
		tc.set(r)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, w.Code, tc.want)
		}
	}
	// An empty configured token admits nobody, not everybody.
	r := httptest.NewRequest(http.MethodGet, "/v1/x", nil)
	r.Header.Set("Authorization", "Bearer ")
	w := httptest.NewRecorder()
	RequireToken("", ok, deny).ServeHTTP(w, r)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("empty token: %d", w.Code)
	}
}

func TestIsJSON(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json": true, "application/json; charset=utf-8": true, "Application/JSON": true,
		"application/jsonx": false, "text/json": false, "application/x-www-form-urlencoded": false, ";;": false,
	} {
		if got := isJSON(ct); got != want {
			t.Errorf("isJSON(%q) = %v", ct, got)
		}
	}
}
