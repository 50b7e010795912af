package console_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/kycq/kycq/console"
	"github.com/kycq/kycq/internal/systest/reviewtest"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
)

// newConsole serves the console over a review rig; tls serves it over
// HTTPS.
func newConsole(t *testing.T, useTLS bool) (*reviewtest.Rig, *httptest.Server) {
	t.Helper()
	r := reviewtest.New(t, "")
	c, err := console.New(console.Config{Review: r.Service, Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	if useTLS {
		srv = httptest.NewTLSServer(c)
	} else {
		srv = httptest.NewServer(c)
	}
	t.Cleanup(srv.Close)
	return r, srv
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects.
func browser(t *testing.T, srv *httptest.Server) *http.Client {
	jar, _ := cookiejar.New(nil)
	// A client of its own: srv.Client() is one shared client, and two
	// browsers must not share a cookie jar.
	return &http.Client{
		Transport:     srv.Client().Transport,
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// logIn logs a new staff user in through the login form and returns the
// session's CSRF token.
func logIn(t *testing.T, r *reviewtest.Rig, srv *httptest.Server, c *http.Client, user string, role storage.StaffRole) string {
	t.Helper()
	r.Staff(t, user, role)
	_, page := get(t, c, srv.URL+"/console/login")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("login page without a CSRF token:\n%s", page)
	}
	resp, _ := post(t, c, srv.URL+"/console/login", url.Values{"csrf": {m[1]}, "username": {user}, "password": {reviewtest.Password(user)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	_, page = get(t, c, srv.URL+"/console/")
	m = csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("queue page without a CSRF token:\n%s", page)
	}
	return m[1]
}

func TestCookiesAndHeaders(t *testing.T) {
	for _, useTLS := range []bool{false, true} {
		r, srv := newConsole(t, useTLS)
		r.Staff(t, "rita", storage.RoleReviewer)
		c := browser(t, srv)
		resp, page := get(t, c, srv.URL+"/console/login")
		for h, want := range map[string]string{"X-Frame-Options": "DENY", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
		tok := csrfRE.FindStringSubmatch(page)[1]
		resp, _ = post(t, c, srv.URL+"/console/login", url.Values{"csrf": {tok}, "username": {"rita"}, "password": {reviewtest.Password("rita")}})
		var sess *http.Cookie
		for _, ck := range resp.Cookies() {
			if ck.Name == "kycq_staff" && ck.Value != "" {
				sess = ck
			}
		}
		if sess == nil {
			t.Fatalf("tls=%v: no session cookie", useTLS)
		}
		if !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode || sess.Path != "/console" || sess.Secure != useTLS {
			t.Errorf("tls=%v: session cookie %+v", useTLS, sess)
		}
	}
}

func TestLoginRefusals(t *testing.T) {
	r, srv := newConsole(t, false)
	r.Staff(t, "rita", storage.RoleReviewer)
	c := browser(t, srv)
	// No page, no session: the browser goes to the login page.
	resp, _ := get(t, c, srv.URL+"/console/cases/v1")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/login?next=") {
		t.Fatalf("unauthenticated page: %d %s", resp.StatusCode, loc)
	}
	// A login without the login page's token is refused (login CSRF).
	resp, _ = post(t, c, srv.URL+"/console/login", url.Values{"username": {"rita"}, "password": {reviewtest.Password("rita")}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("login without token: %d", resp.StatusCode)
	}
	_, page := get(t, c, srv.URL+"/console/login")
	tok := csrfRE.FindStringSubmatch(page)[1]
	resp, page = post(t, c, srv.URL+"/console/login", url.Values{"csrf": {tok}, "username": {"rita"}, "password": {"not-her-password"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "Wrong username or password") {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	// The service API token is no login either (no form takes it).
	_, page = get(t, c, srv.URL+"/console/login?next=//evil.example/")
	if strings.Contains(page, "evil.example") {
		t.Fatal("an off-site next= is kept")
	}
}

// A POST without the session's CSRF token, or from another origin, is
// refused and changes nothing; a role without the permission is refused.
func TestCSRFAndRoles(t *testing.T) {
	r, srv := newConsole(t, false)
	r.ManualReview(t, reviewtest.Case{ID: "v1", Account: "acc-1", FaceReasons: []reason.Code{reason.FacePoorQuality}, Borderline: true})
	c := browser(t, srv)
	csrf := logIn(t, r, srv, c, "rita", storage.RoleReviewer)
	claim := srv.URL + "/console/cases/v1/claim"
	for _, form := range []url.Values{{}, {"csrf": {"forged"}}} {
		if resp, page := post(t, c, claim, form); resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "CSRF") {
			t.Errorf("claim with %v: %d", form, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest("POST", claim, strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	if resp, err := c.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin claim: %v %v", resp.StatusCode, err)
	}
	it, err := r.State.GetReviewItem(t.Context(), "v1")
	if err != nil || it.ClaimedBy != "" {
		t.Fatalf("refused requests claimed the case: %+v %v", it, err)
	}
	if resp, _ := post(t, c, claim, url.Values{"csrf": {csrf}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim with the token: %d", resp.StatusCode)
	}
	// An auditor sees the case but may not claim or decide it.
	a := browser(t, srv)
	acsrf := logIn(t, r, srv, a, "audrey", storage.RoleAuditor)
	resp, page := get(t, a, srv.URL+"/console/cases/v1")
	if resp.StatusCode != http.StatusOK || strings.Contains(page, `id="claim"`) || !strings.Contains(page, "Claimed by <strong>rita</strong>") {
		t.Fatalf("auditor's case page: %d", resp.StatusCode)
	}
	if resp, page := post(t, a, srv.URL+"/console/cases/v1/decide", url.Values{"csrf": {acsrf}, "outcome": {"approved"}}); resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "auditor") {
		t.Fatalf("auditor decides: %d", resp.StatusCode)
	}
	// Photos are streamed by kycq and only to staff.
	resp, body := get(t, a, srv.URL+"/console/cases/v1/photo/doc_front?annotate=1")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/jpeg" || len(body) < 1000 {
		t.Fatalf("photo: %d %s %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	anon := browser(t, srv)
	if resp, _ := get(t, anon, srv.URL+"/console/cases/v1/photo/doc_front"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("anonymous photo: %d", resp.StatusCode)
	}
}

// An appeal in progress is sent back to review from its support page:
// the page offers the action to support, a reviewer posting it anyway is
// refused, and support's post puts the verification back in the queue.
func TestReopenAppealFromTheCasePage(t *testing.T) {
	r, srv := newConsole(t, false)
	r.ManualReview(t, reviewtest.Case{ID: "va", Account: "appellant", Doc: "passport-9", Borderline: true})
	rita := r.Login(t, "rita-svc", storage.RoleReviewer)
	if _, err := r.Service.Claim(t.Context(), rita, "va"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Service.Decide(t.Context(), rita, "va", review.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocBlurry}}); err != nil {
		t.Fatal(err)
	}
	if err := r.State.OpenCase(t.Context(), storage.SupportCase{ID: "case_appeal_va", Kind: storage.CaseAppeal, AccountID: "appellant",
		VerificationID: "va", CreatedAt: r.Clock.Now()}); err != nil {
		t.Fatal(err)
	}
	s := browser(t, srv)
	scsrf := logIn(t, r, srv, s, "sam", storage.RoleSupport)
	page := srv.URL + "/console/support/case_appeal_va"
	if _, body := get(t, s, page); strings.Contains(body, `id="reopen-appeal"`) {
		t.Fatal("an open (not in progress) appeal offers to reopen")
	}
	if resp, _ := post(t, s, page+"/move", url.Values{"csrf": {scsrf}, "to": {"in_progress"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("move to in progress: %d", resp.StatusCode)
	}
	if _, body := get(t, s, page); !strings.Contains(body, `id="reopen-appeal"`) {
		t.Fatal("the appeal in progress does not offer to reopen")
	}
	c := browser(t, srv)
	ccsrf := logIn(t, r, srv, c, "rita", storage.RoleReviewer)
	if resp, _ := post(t, c, page+"/reopen-appeal", url.Values{"csrf": {ccsrf}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a reviewer reopens an appeal: %d", resp.StatusCode)
	}
	if d, err := r.State.GetDecision(t.Context(), "va"); err != nil || d.Outcome != storage.Rejected {
		t.Fatalf("after the refused reopen: %+v %v", d, err)
	}
	resp, body := post(t, s, page+"/reopen-appeal", url.Values{"csrf": {scsrf}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "done=reopened-appeal") {
		t.Fatalf("support reopens: %d %s %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if d, err := r.State.GetDecision(t.Context(), "va"); err != nil || d.Outcome != storage.ManualReview {
		t.Fatalf("after reopening: %+v %v", d, err)
	}
	if it, err := r.State.GetReviewItem(t.Context(), "va"); err != nil || it.ClaimedBy != "" {
		t.Fatalf("the reopened case in the queue: %+v %v", it, err)
	}
}

// TestLivenessDoubtShown: a case sent to review because the selfie passed
// liveness in doubt shows the face check as ok but to review, with the
// texture score and the doubted signal.
func TestLivenessDoubtShown(t *testing.T) {
	r, srv := newConsole(t, false)
	r.ManualReview(t, reviewtest.Case{ID: "vd", Account: "acc-d", LivenessDoubt: true, Video: true})
	c := browser(t, srv)
	logIn(t, r, srv, c, "rita", storage.RoleReviewer)
	resp, page := get(t, c, srv.URL+"/console/cases/vd")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("case page: %d", resp.StatusCode)
	}
	for _, want := range []string{`<span class="ok">ok</span>, <span class="mid">to review</span>`,
		"liveness_texture <b>0.287</b>", "liveness_doubt_planar_motion <b>1</b>"} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
}
