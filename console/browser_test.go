package console_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kycq/kycq/console"
	"github.com/kycq/kycq/internal/systest/reviewtest"
	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
)

// The browser tests drive the console in Debian's headless Chromium
// through chromedp, over the real parts (SQLite, the S3 test server,
// Redis). Set KYCQ_CONSOLE_SCREENSHOTS to a directory to keep the
// screenshots of the main pages there (docs/console holds the committed
// ones); otherwise they go to a temporary directory and are only checked.

// chromiumPath is Debian's Chromium.
const chromiumPath = "/usr/bin/chromium"

// startBrowser starts headless Chromium and returns a context of its
// first tab.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		testenv.Unavailable(t, "chromium (apt package chromium; scripts/setup.d/60-chromium.sh)", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1400, 1000),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		testenv.Unavailable(t, "chromium", err)
	}
	return ctx
}

// tab is one staff user's browser: a browser context of its own (cookies
// included).
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newTab(t *testing.T, browser context.Context, base string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return &tab{t: t, ctx: ctx, base: base}
}

func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

func (b *tab) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + path))
}

// eval evaluates a JavaScript expression.
func eval[T any](b *tab, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitJS waits until a JavaScript condition holds (through navigations).
func (b *tab) waitJS(cond string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && (`+cond+`)`))
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	html, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	b.t.Fatalf("timed out waiting for %s; page says:\n%s", cond, html)
}

// text returns the text of the page.
func (b *tab) text() string { return eval[string](b, `document.body.innerText`) }

// shot saves a full-page screenshot as name.png.
func (b *tab) shot(dir, name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if len(png) < 1000 || string(png[1:4]) != "PNG" {
		b.t.Fatalf("screenshot %s: %d bytes, not a PNG", name, len(png))
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// login logs a new staff user in through the login page.
func (b *tab) login(r *reviewtest.Rig, user string, role storage.StaffRole) *storage.Staff {
	b.t.Helper()
	st := r.Staff(b.t, user, role)
	b.open("/console/login")
	b.do(chromedp.SetValue(chromedp.CSS(`input[name=username]`), user),
		chromedp.SetValue(chromedp.CSS(`input[name=password]`), reviewtest.Password(user)),
		chromedp.Click(chromedp.CSS(`#login button[type=submit]`)))
	b.waitJS(`location.pathname === "/console/" && !!document.querySelector("#queue")`)
	return st
}

// clickTo clicks an element and waits for the page it leads to.
func (b *tab) clickTo(id, cond string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.ID(id)))
	b.waitJS(cond)
}

// key presses a key on the page and waits for the page it leads to.
func (b *tab) key(k, cond string) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(k))
	b.waitJS(cond)
}

func decision(t *testing.T, r *reviewtest.Rig, id string) storage.Decision {
	t.Helper()
	d, err := r.State.GetDecision(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestBrowser(t *testing.T) {
	browser := startBrowser(t)
	r := reviewtest.New(t, "")
	c, err := console.New(console.Config{Review: r.Service, Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	shots := os.Getenv("KYCQ_CONSOLE_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	// Cases: older first.
	now := r.Clock.Now()
	r.ManualReview(t, reviewtest.Case{ID: "v_approve", Account: "acc-1", FaceReasons: []reason.Code{reason.FacePoorQuality}, Borderline: true, Submitted: now.Add(-3 * time.Hour), Video: true})
	r.ManualReview(t, reviewtest.Case{ID: "v_reject", Account: "acc-2", FaceReasons: []reason.Code{reason.FacePoorQuality}, Borderline: true, Submitted: now.Add(-150 * time.Minute)})
	r.ManualReview(t, reviewtest.Case{ID: "v_fraud", Account: "acc-3", FaceReasons: []reason.Code{reason.FaceMismatch}, Submitted: now.Add(-2 * time.Hour)})
	r.ManualReview(t, reviewtest.Case{ID: "v_lapse", Account: "acc-4", Borderline: true, Submitted: now.Add(-40 * time.Minute)})
	r.ManualReview(t, reviewtest.Case{ID: "v_csrf", Account: "acc-5", Borderline: true, Submitted: now.Add(-20 * time.Minute)})

	t.Run("login, claim, annotated photo, approve by keyboard", func(t *testing.T) {
		b := newTab(t, browser, srv.URL)
		b.open("/console/")
		b.waitJS(`location.pathname === "/console/login"`)
		b.shot(shots, "login")
		// A wrong password is refused on the page.
		r.Staff(t, "rita", storage.RoleReviewer)
		b.do(chromedp.SetValue(chromedp.CSS(`input[name=username]`), "rita"),
			chromedp.SetValue(chromedp.CSS(`input[name=password]`), "not the password"),
			chromedp.Click(chromedp.CSS(`#login button[type=submit]`)))
		b.waitJS(`!!document.querySelector(".error")`)
		b.do(chromedp.SetValue(chromedp.CSS(`input[name=username]`), "rita"),
			chromedp.SetValue(chromedp.CSS(`input[name=password]`), reviewtest.Password("rita")),
			chromedp.Click(chromedp.CSS(`#login button[type=submit]`)))
		b.waitJS(`location.pathname === "/console/" && !!document.querySelector("#queue")`)
		rows := eval[[]string](b, `Array.from(document.querySelectorAll("#queue tbody tr")).map(r => r.dataset.id)`)
		if strings.Join(rows, ",") != "v_approve,v_reject,v_fraud,v_lapse,v_csrf" {
			t.Fatalf("queue rows %v", rows)
		}
		if txt := b.text(); !strings.Contains(txt, "5 waiting") || !strings.Contains(txt, "four eyes") {
			t.Fatalf("queue page:\n%s", txt)
		}
		b.shot(shots, "queue")

		b.do(chromedp.Click(chromedp.CSS(`tr[data-id="v_approve"] button.claim`)))
		b.waitJS(`location.pathname === "/console/cases/v_approve" && !!document.querySelector("#approve")`)
		// The annotated photo is there, decoded by the browser, streamed by kycq.
		b.waitJS(`document.querySelector("#photo-front").complete && document.querySelector("#photo-front").naturalWidth > 100`)
		// The selfie video's frames, faces boxed.
		b.waitJS(`Array.from(document.querySelectorAll("#frames img")).every(i => i.complete && i.naturalWidth > 100)`)
		if src := eval[string](b, `document.querySelector("#photo-front").src`); !strings.HasPrefix(src, srv.URL+"/console/cases/v_approve/photo/doc_front?annotate=1") {
			t.Fatalf("photo src %s", src)
		}
		txt := b.text()
		for _, want := range []string{"similarity 0.41", "face_poor_quality", "Full name", "Document number", "review.claim", "verification.view"} {
			if !strings.Contains(txt, want) {
				t.Errorf("case page lacks %q", want)
			}
		}
		b.shot(shots, "case")
		b.key("a", `location.search === "?done=approved"`)
		if d := decision(t, r, "v_approve"); d.Outcome != storage.Approved {
			t.Fatalf("decision %+v", d)
		}
		if !strings.Contains(b.text(), "DECIDED: APPROVED") && !strings.Contains(strings.ToUpper(b.text()), "DECIDED: APPROVED") {
			t.Fatalf("decided page:\n%s", b.text())
		}
		trail, err := r.State.AuditTrail(context.Background(), "verification:v_approve")
		if err != nil {
			t.Fatal(err)
		}
		var photo bool
		for _, e := range trail {
			photo = photo || e.Action == "photo.view" && e.After == "doc_front annotated"
		}
		if !photo {
			t.Errorf("the annotated photo view was not audited: %+v", trail)
		}
	})

	t.Run("reject with codes by keyboard", func(t *testing.T) {
		b := newTab(t, browser, srv.URL)
		b.login(r, "otto", storage.RoleReviewer)
		b.open("/console/cases/v_reject")
		b.clickTo("claim", `location.search === "?done=claimed" && !!document.querySelector("#reject-form")`)
		// face_poor_quality is ticked from the case's codes; add a note.
		if !eval[bool](b, `document.querySelector('#reject-form input[value="face_poor_quality"]').checked`) {
			t.Fatal("the case's own code is not ticked")
		}
		b.do(chromedp.SetValue(chromedp.ID("note"), "Face hidden by hair and glare."))
		b.key("r", `location.search === "?done=rejected"`)
		d := decision(t, r, "v_reject")
		if d.Outcome != storage.Rejected || len(d.Reasons) != 1 || d.Reasons[0] != reason.FacePoorQuality {
			t.Fatalf("decision %+v", d)
		}
		if !strings.Contains(b.text(), "Face hidden by hair and glare.") {
			t.Error("the note is not shown to staff")
		}
	})

	t.Run("four eyes", func(t *testing.T) {
		alice := newTab(t, browser, srv.URL)
		alice.login(r, "alice", storage.RoleSeniorReviewer)
		alice.open("/console/cases/v_fraud")
		alice.waitJS(`!!document.querySelector("#four-eyes")`)
		alice.clickTo("claim", `location.search === "?done=claimed"`)
		alice.clickTo("approve", `location.search === "?done=second"`)
		if d := decision(t, r, "v_fraud"); d.Outcome != storage.ManualReview {
			t.Fatalf("decided after one approval: %+v", d)
		}
		if !strings.Contains(alice.text(), "First approval given by alice") {
			t.Fatalf("page after the first approval:\n%s", alice.text())
		}
		alice.shot(shots, "four-eyes")
		// The first approver is offered no claim, and cannot give the
		// second approval by posting one either.
		if eval[bool](alice, `!!document.querySelector("#claim")`) || !strings.Contains(alice.text(), "Waiting for a second approval") {
			t.Fatalf("first approver's page:\n%s", alice.text())
		}
		status := eval[int](alice, `(function(){ var x = new XMLHttpRequest(); x.open("POST", "/console/cases/v_fraud/claim", false);
			x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
			x.send("csrf=" + encodeURIComponent(document.querySelector("input[name=csrf]").value)); return x.status; })()`)
		if status != http.StatusBadRequest {
			t.Fatalf("first approver claims the second approval: %d", status)
		}

		// A reviewer without the senior role is refused.
		bob := newTab(t, browser, srv.URL)
		bob.login(r, "bob", storage.RoleReviewer)
		bob.open("/console/cases/v_fraud")
		bob.waitJS(`!!document.querySelector("#needs-second")`)
		eval[bool](bob, `(function(){ var f = document.createElement("form"); f.method = "post";
			f.action = "/console/cases/v_fraud/claim"; var i = document.createElement("input"); i.name = "csrf";
			i.value = document.querySelector("input[name=csrf]").value; f.appendChild(i); document.body.appendChild(f); f.submit(); return true; })()`)
		bob.waitJS(`document.title.startsWith("Forbidden")`)
		if !strings.Contains(bob.text(), "Your role (reviewer) does not allow this.") {
			t.Fatalf("refusal page:\n%s", bob.text())
		}

		carol := newTab(t, browser, srv.URL)
		carol.login(r, "carol", storage.RoleSeniorReviewer)
		carol.open("/console/cases/v_fraud")
		carol.clickTo("claim", `location.search === "?done=claimed"`)
		carol.clickTo("approve", `location.search === "?done=approved"`)
		if d := decision(t, r, "v_fraud"); d.Outcome != storage.Approved {
			t.Fatalf("decision %+v", d)
		}
	})

	t.Run("lapsed claim", func(t *testing.T) {
		rosa := newTab(t, browser, srv.URL)
		rosa.login(r, "rosa", storage.RoleReviewer)
		rosa.open("/console/cases/v_lapse")
		rosa.clickTo("claim", `location.search === "?done=claimed" && !!document.querySelector("#approve")`)
		paul := newTab(t, browser, srv.URL)
		paul.login(r, "paul", storage.RoleReviewer)
		paul.open("/console/cases/v_lapse")
		if !strings.Contains(paul.text(), "Claimed by rosa") {
			t.Fatalf("held case:\n%s", paul.text())
		}
		r.Clock.Advance(review.DefaultLease + time.Minute)
		paul.open("/console/")
		paul.waitJS(`!!document.querySelector('tr[data-id="v_lapse"] button.claim')`)
		paul.do(chromedp.Click(chromedp.CSS(`tr[data-id="v_lapse"] button.claim`)))
		paul.waitJS(`location.pathname === "/console/cases/v_lapse" && !!document.querySelector("#approve")`)
		// Rosa's page still shows her buttons; her approval is refused.
		rosa.clickTo("approve", `document.title.startsWith("Conflict")`)
		paul.clickTo("approve", `location.search === "?done=approved"`)
		rd, err := r.State.GetReviewDecision(context.Background(), "v_lapse")
		if err != nil || rd.StaffID == "" || rd.Outcome != storage.Approved {
			t.Fatalf("review decision %+v %v", rd, err)
		}
		if st, _ := r.State.GetStaff(context.Background(), rd.StaffID); st.Username != "paul" {
			t.Fatalf("decided by %s, want paul", st.Username)
		}
	})

	t.Run("support case resolved", func(t *testing.T) {
		if err := r.State.OpenCase(context.Background(), storage.SupportCase{ID: "case_misuse", Kind: storage.CaseIdentityMisuse,
			AccountID: "acc-new", HolderAccount: "acc-old", VerificationID: "v_approve", CreatedAt: r.Clock.Now()}); err != nil {
			t.Fatal(err)
		}
		sam := newTab(t, browser, srv.URL)
		sam.login(r, "sam", storage.RoleSupport)
		sam.open("/console/support?state=open")
		sam.waitJS(`!!document.querySelector('#support tr[data-id="case_misuse"]')`)
		sam.shot(shots, "support")
		sam.do(chromedp.Click(chromedp.CSS(`#support tr[data-id="case_misuse"] a`)))
		sam.waitJS(`location.pathname === "/console/support/case_misuse" && !!document.querySelector("#move-in_progress")`)
		sam.clickTo("move-in_progress", `location.search === "?done=moved" && document.querySelector("#case-state").innerText === "in_progress"`)
		sam.do(chromedp.SetValue(chromedp.CSS(`form.note textarea`), "Holder confirmed by phone that the card was stolen."),
			chromedp.Click(chromedp.CSS(`form.note button`)))
		sam.waitJS(`location.search === "?done=noted"`)
		sam.clickTo("move-resolved", `location.search === "?done=moved" && document.querySelector("#case-state").innerText === "resolved"`)
		txt := sam.text()
		for _, want := range []string{"card was stolen", "case.transition", "open → in_progress", "in_progress → resolved", "case.note"} {
			if !strings.Contains(txt, want) {
				t.Errorf("support case page lacks %q", want)
			}
		}
		sam.shot(shots, "support-case")
		c, err := r.State.GetCase(context.Background(), "case_misuse")
		if err != nil || c.State != storage.CaseResolved {
			t.Fatalf("case %+v %v", c, err)
		}
	})

	t.Run("CSRF attempt refused", func(t *testing.T) {
		vic := newTab(t, browser, srv.URL)
		vic.login(r, "victor", storage.RoleReviewer)
		vic.open("/console/cases/v_csrf")
		vic.clickTo("claim", `location.search === "?done=claimed"`)
		// A page on another site posts the approval form on the victim's
		// behalf: the SameSite=Strict cookie is not sent, nothing happens.
		_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
		target := "http://127.0.0.1:" + port + "/console/cases/v_csrf/decide"
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, `<!doctype html><form id="f" method="post" action="%s"><input name="outcome" value="approved"></form><script>document.getElementById("f").submit()</script>`, target)
		}))
		defer evil.Close()
		_, evilPort, _ := net.SplitHostPort(strings.TrimPrefix(evil.URL, "http://"))
		vic.do(chromedp.Navigate("http://localhost:" + evilPort + "/"))
		vic.waitJS(`location.pathname === "/console/cases/v_csrf/decide" && document.title.startsWith("Forbidden")`)
		// The same request from the console's own origin, with the
		// session cookie but without the CSRF token, is refused too.
		vic.open("/console/cases/v_csrf")
		status := eval[int](vic, `(function(){ var x = new XMLHttpRequest(); x.open("POST", "/console/cases/v_csrf/decide", false);
			x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded"); x.send("outcome=approved"); return x.status; })()`)
		if status != http.StatusForbidden {
			t.Fatalf("same-origin request without the token: %d", status)
		}
		if d := decision(t, r, "v_csrf"); d.Outcome != storage.ManualReview {
			t.Fatalf("a forged request decided the case: %+v", d)
		}
	})
}
