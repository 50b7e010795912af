package review_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/metrics"
	"github.com/kycq/kycq/internal/systest/reviewtest"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
	"github.com/kycq/kycq/workers"
)

func bg() context.Context { return context.Background() }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestRoles(t *testing.T) {
	tests := []struct {
		role storage.StaffRole
		perm review.Permission
		want bool
	}{
		{storage.RoleReviewer, review.PermRead, true},
		{storage.RoleReviewer, review.PermReview, true},
		{storage.RoleReviewer, review.PermSecondApproval, false},
		{storage.RoleReviewer, review.PermSupport, false},
		{storage.RoleSeniorReviewer, review.PermSecondApproval, true},
		{storage.RoleSeniorReviewer, review.PermStaff, false},
		{storage.RoleSupport, review.PermSupport, true},
		{storage.RoleSupport, review.PermReview, false},
		{storage.RoleAuditor, review.PermRead, true},
		{storage.RoleAuditor, review.PermReview, false},
		{storage.RoleAuditor, review.PermSupport, false},
		{storage.RoleAdmin, review.PermStaff, true},
		{storage.RoleAdmin, review.PermSecondApproval, true},
		{"boss", review.PermRead, false},
	}
	for _, tt := range tests {
		if got := review.Can(tt.role, tt.perm); got != tt.want {
			t.Errorf("Can(%s, %s) = %v, want %v", tt.role, tt.perm, got, tt.want)
		}
	}
}

func TestNeedsFourEyes(t *testing.T) {
	tests := []struct {
		codes []reason.Code
		want  bool
	}{
		{nil, false},
		{[]reason.Code{reason.ManualReview}, false},
		{[]reason.Code{reason.ManualReview, reason.FacePoorQuality, reason.DocGlare}, false},
		{[]reason.Code{reason.ManualReview, reason.FaceMismatch}, true},
		{[]reason.Code{reason.DocDataMismatch}, true},
		{[]reason.Code{reason.LivenessFailed}, true},
		{[]reason.Code{reason.DocNotOriginal}, true},
		{[]reason.Code{"doc_edited"}, true},
		{[]reason.Code{"face_already_verified"}, true},
	}
	for _, tt := range tests {
		if got := review.NeedsFourEyes(tt.codes); got != tt.want {
			t.Errorf("NeedsFourEyes(%v) = %v, want %v", tt.codes, got, tt.want)
		}
	}
}

func TestLogin(t *testing.T) {
	r := reviewtest.New(t, "")
	st := r.Staff(t, "rita", storage.RoleReviewer)
	for _, tc := range []struct{ user, pw string }{
		{"rita", "wrong-password-123"}, {"nobody", reviewtest.Password("nobody")}, {"rita", ""},
	} {
		if _, err := r.Service.Login(bg(), tc.user, tc.pw); !errors.Is(err, review.ErrUnauthenticated) {
			t.Errorf("login %s/%q: %v, want ErrUnauthenticated", tc.user, tc.pw, err)
		}
	}
	sess, err := r.Service.Login(bg(), "rita", reviewtest.Password("rita"))
	must(t, err)
	if sess.Staff.ID != st.ID || sess.Token == "" || sess.CSRF == "" || sess.Token == sess.CSRF {
		t.Fatalf("session %+v", sess)
	}
	got, err := r.Service.Authenticate(bg(), sess.Token)
	must(t, err)
	if got.Staff.ID != st.ID || got.CSRF != sess.CSRF || !got.CheckCSRF(sess.CSRF) || got.CheckCSRF("") || got.CheckCSRF(sess.Token) {
		t.Fatalf("authenticated %+v", got)
	}
	if _, err := r.Service.Authenticate(bg(), "not-a-token"); !errors.Is(err, review.ErrUnauthenticated) {
		t.Errorf("bad token: %v", err)
	}
	// Sessions expire.
	r.Clock.Advance(review.DefaultSessionTTL + time.Second)
	if _, err := r.Service.Authenticate(bg(), sess.Token); !errors.Is(err, review.ErrUnauthenticated) {
		t.Errorf("expired session: %v", err)
	}
	// Disabling ends sessions and refuses logins.
	sess, err = r.Service.Login(bg(), "rita", reviewtest.Password("rita"))
	must(t, err)
	must(t, r.Service.SetDisabled(bg(), nil, "rita", true))
	if _, err := r.Service.Authenticate(bg(), sess.Token); !errors.Is(err, review.ErrUnauthenticated) {
		t.Errorf("session of a disabled user: %v", err)
	}
	if _, err := r.Service.Login(bg(), "rita", reviewtest.Password("rita")); !errors.Is(err, review.ErrUnauthenticated) {
		t.Errorf("login of a disabled user: %v", err)
	}
	// Bad staff input is refused and stores nothing.
	for _, tc := range []struct {
		user string
		role storage.StaffRole
		pw   string
	}{
		{"Rita", storage.RoleReviewer, "long-enough-password"},
		{"ab", storage.RoleReviewer, "long-enough-password"},
		{"sam", "boss", "long-enough-password"},
		{"sam", storage.RoleSupport, "short"},
		{"rita", storage.RoleSupport, "long-enough-password"}, // taken
	} {
		var inv *review.InvalidError
		if _, err := r.Service.AddStaff(bg(), nil, tc.user, tc.role, tc.pw); !errors.As(err, &inv) {
			t.Errorf("AddStaff(%q, %q): %v, want InvalidError", tc.user, tc.role, err)
		}
	}
	all, err := r.State.ListStaff(bg())
	must(t, err)
	if len(all) != 1 {
		t.Errorf("%d staff users, want 1", len(all))
	}
	// A non-admin cannot manage staff.
	rev := r.Login(t, "victor", storage.RoleReviewer)
	if _, err := r.Service.AddStaff(bg(), rev.Staff, "newbie", storage.RoleAdmin, "long-enough-password"); !errors.Is(err, review.ErrForbidden) {
		t.Errorf("reviewer adds staff: %v", err)
	}
}

// An approval by a reviewer has the effects of an automatic one: the
// document claim, the occupancy follow-up, which marks the account
// verified, the decision seen by the API, and the latency observed for a
// person.
func TestApproveHasTheEffectsOfAnAutomaticApproval(t *testing.T) {
	r := reviewtest.New(t, "")
	reg := metrics.NewRegistry()
	m, err := metrics.New(reg)
	must(t, err)
	r.Service.Observer = m
	v := r.ManualReview(t, reviewtest.Case{ID: "v1", Account: "acc-1", Borderline: true})
	rev := r.Login(t, "rita", storage.RoleReviewer)

	if _, err := r.Service.Decide(bg(), rev, "v1", review.Decision{Outcome: storage.Approved}); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("decide without a claim: %v", err)
	}
	it, err := r.Service.Claim(bg(), rev, "v1")
	must(t, err)
	if it.ClaimedBy != rev.Staff.ID {
		t.Fatalf("claimed by %q", it.ClaimedBy)
	}
	res, err := r.Service.Decide(bg(), rev, "v1", review.Decision{Outcome: storage.Approved, Note: "Selfie lighting poor; face clearly the same person."})
	must(t, err)
	if res.State != review.StateDecided || res.Decision.Outcome != storage.Approved || res.Refused != "" {
		t.Fatalf("result %+v", res)
	}
	d, err := r.State.GetDecision(bg(), "v1")
	must(t, err)
	if d.Outcome != storage.Approved {
		t.Fatalf("stored decision %+v", d)
	}
	claim, err := r.State.DocumentHolder(bg(), v.DocKey)
	must(t, err)
	if claim.AccountID != "acc-1" || claim.VerificationID != "v1" {
		t.Fatalf("claim %+v", claim)
	}
	if got := r.OccupancyTasks(t); len(got) != 1 || got[0] != "v1" {
		t.Fatalf("occupancy follow-ups %v, want [v1]", got)
	}
	// The follow-up, run by the real handler, verifies the account.
	h := workers.New(workers.Deps{State: r.State, Blobs: r.Blobs, Keys: r.Keys, Enqueuer: r.Client,
		Log: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	task, err := tasks.NewOccupancy("v1")
	must(t, err)
	must(t, h.Mux().ProcessTask(bg(), task))
	acc, err := r.State.GetAccount(bg(), "acc-1")
	must(t, err)
	if !acc.KYCVerified || acc.VerificationID != "v1" {
		t.Fatalf("account %+v", acc)
	}
	// A repeated request (a retried click) answers the same, once.
	again, err := r.Service.Decide(bg(), rev, "v1", review.Decision{Outcome: storage.Approved})
	must(t, err)
	if again.Decision.Outcome != storage.Approved {
		t.Fatalf("repeat %+v", again)
	}
	other := r.Login(t, "otto", storage.RoleReviewer)
	if _, err := r.Service.Decide(bg(), other, "v1", review.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocBlurry}}); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("another reviewer decides a decided case: %v", err)
	}
	// The note is sealed at rest and shown to staff in the case view.
	rd, err := r.State.GetReviewDecision(bg(), "v1")
	must(t, err)
	if bytes.Contains(rd.NoteSealed, []byte("lighting")) {
		t.Fatal("the note is stored in the clear")
	}
	cv, err := r.Service.Case(bg(), rev, "v1")
	must(t, err)
	if cv.Note != "Selfie lighting poor; face clearly the same person." || cv.Applicant.FullName == "" {
		t.Fatalf("case view note %q, name %q", cv.Note, cv.Applicant.FullName)
	}
	var actions []string
	for _, e := range cv.Audit {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, " ") != "review.claim review.decide verification.view" {
		t.Fatalf("audit %v", actions)
	}
	// Metrics: latency from submission, decided by a person.
	mf, err := reg.Gather()
	must(t, err)
	found := false
	for _, f := range mf {
		if f.GetName() != "kycq_review_latency_seconds" {
			continue
		}
		for _, s := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range s.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["decider"] == "person" && labels["outcome"] == "approved" && s.GetHistogram().GetSampleCount() == 1 {
				found = true
				if sum := s.GetHistogram().GetSampleSum(); sum < 3599 || sum > 3601 {
					t.Errorf("latency %v s, want 3600 (submitted an hour before)", sum)
				}
			}
		}
	}
	if !found {
		t.Error("no person-decided approval in kycq_review_latency_seconds")
	}
}

// An occupied document cannot be approved: the verification ends as
// rejected doc_already_used, as an automatic approval would.
func TestApproveOccupiedDocument(t *testing.T) {
	r := reviewtest.New(t, "")
	v := r.ManualReview(t, reviewtest.Case{ID: "v2", Account: "acc-2", Doc: "shared", Borderline: true})
	_, won, err := r.State.ClaimDocument(bg(), storage.Claim{DocKey: v.DocKey, AccountID: "holder", VerificationID: "v0"})
	must(t, err)
	if !won {
		t.Fatal("setup claim lost")
	}
	rev := r.Login(t, "rita", storage.RoleReviewer)
	_, err = r.Service.Claim(bg(), rev, "v2")
	must(t, err)
	res, err := r.Service.Decide(bg(), rev, "v2", review.Decision{Outcome: storage.Approved})
	must(t, err)
	if res.Refused != reason.DocAlreadyUsed || res.Decision.Outcome != storage.Rejected ||
		len(res.Decision.Reasons) != 1 || res.Decision.Reasons[0] != reason.DocAlreadyUsed {
		t.Fatalf("result %+v", res)
	}
	if got := r.OccupancyTasks(t); len(got) != 0 {
		t.Fatalf("follow-ups %v for a refused approval", got)
	}
	claim, err := r.State.DocumentHolder(bg(), v.DocKey)
	must(t, err)
	if claim.AccountID != "holder" {
		t.Fatalf("claim moved to %s", claim.AccountID)
	}
}

// Approving over face_mismatch needs a second, different senior reviewer.
func TestFourEyes(t *testing.T) {
	r := reviewtest.New(t, "")
	r.ManualReview(t, reviewtest.Case{ID: "v3", Account: "acc-3", FaceReasons: []reason.Code{reason.FaceMismatch}})
	alice := r.Login(t, "alice", storage.RoleSeniorReviewer)
	bob := r.Login(t, "bob", storage.RoleReviewer)
	carol := r.Login(t, "carol", storage.RoleSeniorReviewer)

	_, err := r.Service.Claim(bg(), alice, "v3")
	must(t, err)
	res, err := r.Service.Decide(bg(), alice, "v3", review.Decision{Outcome: storage.Approved})
	must(t, err)
	if res.State != review.StateAwaitingSecond {
		t.Fatalf("first approval: %+v", res)
	}
	d, err := r.State.GetDecision(bg(), "v3")
	must(t, err)
	if d.Outcome != storage.ManualReview {
		t.Fatalf("decided after one approval: %+v", d)
	}
	var inv *review.InvalidError
	if _, err := r.Service.Claim(bg(), alice, "v3"); !errors.As(err, &inv) {
		t.Errorf("first approver claims the second approval: %v", err)
	}
	if _, err := r.Service.Claim(bg(), bob, "v3"); !errors.Is(err, review.ErrForbidden) {
		t.Errorf("a reviewer without the senior role claims the second approval: %v", err)
	}
	_, err = r.Service.Claim(bg(), carol, "v3")
	must(t, err)
	res, err = r.Service.Decide(bg(), carol, "v3", review.Decision{Outcome: storage.Approved})
	must(t, err)
	if res.State != review.StateDecided || res.Decision.Outcome != storage.Approved {
		t.Fatalf("second approval: %+v", res)
	}
	rd, err := r.State.GetReviewDecision(bg(), "v3")
	must(t, err)
	if rd.FirstApprover != alice.Staff.ID || rd.StaffID != carol.Staff.ID {
		t.Fatalf("review decision %+v", rd)
	}
}

// A reviewer's lapsed claim returns the case to the queue.
func TestLapsedClaim(t *testing.T) {
	r := reviewtest.New(t, "")
	r.ManualReview(t, reviewtest.Case{ID: "v4", Account: "acc-4", Borderline: true})
	rita := r.Login(t, "rita", storage.RoleReviewer)
	otto := r.Login(t, "otto", storage.RoleReviewer)
	_, err := r.Service.Claim(bg(), rita, "v4")
	must(t, err)
	if _, err := r.Service.Claim(bg(), otto, "v4"); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("claim of a held case: %v", err)
	}
	r.Clock.Advance(review.DefaultLease + time.Second)
	_, err = r.Service.Claim(bg(), otto, "v4")
	must(t, err)
	if _, err := r.Service.Decide(bg(), rita, "v4", review.Decision{Outcome: storage.Approved}); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("decision after the claim lapsed: %v", err)
	}
	_, err = r.Service.Decide(bg(), otto, "v4", review.Decision{Outcome: storage.Rejected, Reasons: []reason.Code{reason.FacePoorQuality}})
	must(t, err)
}

// Bad decisions are refused and change nothing; roles are enforced.
func TestDecideRefusals(t *testing.T) {
	r := reviewtest.New(t, "")
	r.ManualReview(t, reviewtest.Case{ID: "v5", Account: "acc-5", Borderline: true})
	rita := r.Login(t, "rita", storage.RoleReviewer)
	audrey := r.Login(t, "audrey", storage.RoleAuditor)
	sam := r.Login(t, "sam", storage.RoleSupport)
	_, err := r.Service.Claim(bg(), rita, "v5")
	must(t, err)
	for _, d := range []review.Decision{
		{Outcome: storage.Rejected},
		{Outcome: storage.Rejected, Reasons: []reason.Code{"made_up"}},
		{Outcome: storage.Rejected, Reasons: []reason.Code{reason.ManualReview}},
		{Outcome: storage.Approved, Reasons: []reason.Code{reason.DocBlurry}},
		{Outcome: storage.ManualReview},
		{Outcome: storage.Rejected, Reasons: []reason.Code{reason.DocBlurry}, Note: strings.Repeat("x", review.MaxNote+1)},
	} {
		var inv *review.InvalidError
		if _, err := r.Service.Decide(bg(), rita, "v5", d); !errors.As(err, &inv) {
			t.Errorf("Decide(%+v): %v, want InvalidError", d.Outcome, err)
		}
	}
	for _, sess := range []*review.Session{audrey, sam} {
		if _, err := r.Service.Claim(bg(), sess, "v5"); !errors.Is(err, review.ErrForbidden) {
			t.Errorf("%s claims: %v", sess.Staff.Role, err)
		}
		if _, err := r.Service.Decide(bg(), sess, "v5", review.Decision{Outcome: storage.Approved}); !errors.Is(err, review.ErrForbidden) {
			t.Errorf("%s decides: %v", sess.Staff.Role, err)
		}
	}
	// The auditor reads, and the read is audited.
	q, err := r.Service.Queue(bg(), audrey, storage.ReviewFilter{})
	must(t, err)
	if len(q) != 1 {
		t.Fatalf("queue %d", len(q))
	}
	_, err = r.Service.Case(bg(), audrey, "v5")
	must(t, err)
	d, err := r.State.GetDecision(bg(), "v5")
	must(t, err)
	if d.Outcome != storage.ManualReview {
		t.Fatalf("refused decisions changed the decision: %+v", d)
	}
	trail, err := r.State.AuditTrail(bg(), "verification:v5")
	must(t, err)
	if last := trail[len(trail)-1]; last.Action != "verification.view" || last.StaffID != audrey.Staff.ID {
		t.Fatalf("last audit %+v", last)
	}
	if _, err := r.Service.Queue(bg(), audrey, storage.ReviewFilter{Reason: "nope"}); err == nil {
		t.Error("unknown reason filter accepted")
	}
}

// Photos are streamed by kycq, annotated, and every view is audited.
func TestPhoto(t *testing.T) {
	r := reviewtest.New(t, "")
	r.ManualReview(t, reviewtest.Case{ID: "v6", Account: "acc-6", Borderline: true})
	audrey := r.Login(t, "audrey", storage.RoleAuditor)
	data, ct, err := r.Service.Photo(bg(), audrey, "v6", storage.SlotFront, true)
	must(t, err)
	if ct != "image/jpeg" {
		t.Fatalf("content type %q", ct)
	}
	if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
		t.Fatalf("annotated photo: %v", err)
	}
	raw, _, err := r.Service.Photo(bg(), audrey, "v6", storage.SlotSelfie, false)
	must(t, err)
	if len(raw) == 0 {
		t.Fatal("empty selfie")
	}
	if _, _, err := r.Service.Photo(bg(), audrey, "v6", "passport", false); err == nil {
		t.Fatal("unknown slot accepted")
	}
	if _, _, err := r.Service.Photo(bg(), audrey, "nope", storage.SlotFront, false); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("missing verification: %v", err)
	}
	trail, err := r.State.AuditTrail(bg(), "verification:v6")
	must(t, err)
	var views []string
	for _, e := range trail {
		if e.Action == "photo.view" {
			views = append(views, e.After)
		}
	}
	if strings.Join(views, ",") != "doc_front annotated,selfie" {
		t.Fatalf("photo views audited: %v", views)
	}
}

// Support cases: the holder flow's "not mine" case is worked to resolved,
// with a sealed note; only support staff may act.
func TestSupportCase(t *testing.T) {
	r := reviewtest.New(t, "")
	must(t, r.State.OpenCase(bg(), storage.SupportCase{ID: "case_h1", Kind: storage.CaseIdentityMisuse,
		AccountID: "new", HolderAccount: "old", VerificationID: "v1", CreatedAt: r.Clock.Now()}))
	sam := r.Login(t, "sam", storage.RoleSupport)
	rita := r.Login(t, "rita", storage.RoleReviewer)
	// The holder account is flagged while the case is open.
	r.ManualReview(t, reviewtest.Case{ID: "v9", Account: "old", Borderline: true})
	cv, err := r.Service.Case(bg(), rita, "v9")
	must(t, err)
	if !cv.Flagged || len(cv.Cases) != 1 {
		t.Fatalf("holder account not flagged: %v %+v", cv.Flagged, cv.Cases)
	}
	open, err := r.Service.Cases(bg(), rita, storage.CaseFilter{State: storage.CaseOpen})
	must(t, err)
	if len(open) != 1 || open[0].ID != "case_h1" {
		t.Fatalf("open cases %+v", open)
	}
	if _, err := r.Service.MoveCase(bg(), rita, "case_h1", storage.CaseInProgress); !errors.Is(err, review.ErrForbidden) {
		t.Fatalf("reviewer moves a case: %v", err)
	}
	var inv *review.InvalidError
	if _, err := r.Service.MoveCase(bg(), sam, "case_h1", storage.CaseResolved); !errors.As(err, &inv) {
		t.Fatalf("open → resolved: %v", err)
	}
	c, err := r.Service.MoveCase(bg(), sam, "case_h1", storage.CaseInProgress)
	must(t, err)
	if c.State != storage.CaseInProgress || c.Owner != sam.Staff.ID {
		t.Fatalf("case %+v", c)
	}
	must(t, r.Service.AddNote(bg(), sam, "case_h1", "Called the holder; they confirm the document was stolen."))
	if err := r.Service.AddNote(bg(), sam, "case_h1", "  "); !errors.As(err, &inv) {
		t.Fatalf("empty note: %v", err)
	}
	c, err = r.Service.MoveCase(bg(), sam, "case_h1", storage.CaseResolved)
	must(t, err)
	if c.State != storage.CaseResolved {
		t.Fatalf("case %+v", c)
	}
	if cv, err := r.Service.Case(bg(), rita, "v9"); err != nil || cv.Flagged {
		t.Fatalf("flag after the case was resolved: %v %v", cv.Flagged, err)
	}
	cd, err := r.Service.SupportCase(bg(), rita, "case_h1")
	must(t, err)
	if len(cd.Texts) != 1 || !strings.Contains(cd.Texts[0], "stolen") {
		t.Fatalf("notes %v", cd.Texts)
	}
	notes, err := r.State.CaseNotes(bg(), "case_h1")
	must(t, err)
	if bytes.Contains(notes[0].NoteSealed, []byte("stolen")) {
		t.Fatal("note stored in the clear")
	}
	var actions []string
	for _, e := range cd.Audit {
		actions = append(actions, cd.Staff[e.StaffID]+":"+e.Action)
	}
	if got := strings.Join(actions, " "); got != "sam:case.transition sam:case.note sam:case.transition rita:case.view" {
		t.Fatalf("case audit %s", got)
	}
}

// The misuse case's action: the holder's claim is released and the real
// owner's refused verification returns to the queue and can be approved,
// claiming the document for them.
func TestReleaseDocument(t *testing.T) {
	r := reviewtest.New(t, "")
	holder := r.ManualReview(t, reviewtest.Case{ID: "vh", Account: "holder", Doc: "passport-1", Borderline: true})
	owner := r.ManualReview(t, reviewtest.Case{ID: "vo", Account: "owner", Doc: "passport-1", Borderline: true})
	rita := r.Login(t, "rita", storage.RoleReviewer)
	for _, id := range []string{"vh", "vo"} {
		_, err := r.Service.Claim(bg(), rita, id)
		must(t, err)
		_, err = r.Service.Decide(bg(), rita, id, review.Decision{Outcome: storage.Approved})
		must(t, err)
	}
	if d, _ := r.State.GetDecision(bg(), "vo"); d.Outcome != storage.Rejected {
		t.Fatalf("the owner's approval was not refused: %+v", d)
	}
	must(t, r.State.MarkAccountVerified(bg(), "holder", "vh", nil, r.Clock.Now()))
	must(t, r.State.OpenCase(bg(), storage.SupportCase{ID: "cm", Kind: storage.CaseIdentityMisuse, AccountID: "owner",
		HolderAccount: "holder", VerificationID: "vo", CreatedAt: r.Clock.Now()}))
	sam := r.Login(t, "sam", storage.RoleSupport)
	if err := r.Service.ReleaseDocument(bg(), rita, "cm"); !errors.Is(err, review.ErrForbidden) {
		t.Fatalf("reviewer releases: %v", err)
	}
	if err := r.Service.ReleaseDocument(bg(), sam, "cm"); !errors.Is(err, storage.ErrConflict) {
		t.Fatalf("release on an open case: %v", err)
	}
	_, err := r.Service.MoveCase(bg(), sam, "cm", storage.CaseInProgress)
	must(t, err)
	must(t, r.Service.ReleaseDocument(bg(), sam, "cm"))
	if acc, _ := r.State.GetAccount(bg(), "holder"); acc.KYCVerified {
		t.Fatal("the holder account is still verified")
	}
	// The owner's verification is back in the queue; a reviewer approves
	// it and the document is now the owner's.
	r.Clock.Advance(time.Minute)
	_, err = r.Service.Claim(bg(), rita, "vo")
	must(t, err)
	res, err := r.Service.Decide(bg(), rita, "vo", review.Decision{Outcome: storage.Approved})
	must(t, err)
	if res.Decision.Outcome != storage.Approved || res.Refused != "" {
		t.Fatalf("second review: %+v", res)
	}
	c, err := r.State.DocumentHolder(bg(), owner.DocKey)
	must(t, err)
	if c.AccountID != "owner" || holder.DocKey != owner.DocKey {
		t.Fatalf("claim %+v", c)
	}
}

// A selfie video shows as frames with the faces boxed, each view audited.
func TestFrames(t *testing.T) {
	r := reviewtest.New(t, "")
	r.ManualReview(t, reviewtest.Case{ID: "vv", Account: "acc-v", Borderline: true, Video: true})
	r.ManualReview(t, reviewtest.Case{ID: "vs", Account: "acc-s", Borderline: true})
	audrey := r.Login(t, "audrey", storage.RoleAuditor)
	for i := 0; i < review.SelfieFrames; i++ {
		b, err := r.Service.Frame(bg(), audrey, "vv", i)
		must(t, err)
		img, err := jpeg.Decode(bytes.NewReader(b))
		must(t, err)
		if img.Bounds().Dx() > 480 {
			t.Fatalf("frame %d is %v wide", i, img.Bounds())
		}
		if !hasBlueBox(img) {
			t.Errorf("frame %d has no face box", i)
		}
	}
	var inv *review.InvalidError
	if _, err := r.Service.Frame(bg(), audrey, "vv", review.SelfieFrames); !errors.As(err, &inv) {
		t.Errorf("frame out of range: %v", err)
	}
	if _, err := r.Service.Frame(bg(), audrey, "vs", 0); !errors.As(err, &inv) {
		t.Errorf("frame of a still selfie: %v", err)
	}
	trail, err := r.State.AuditTrail(bg(), "verification:vv")
	must(t, err)
	if n := len(trail); n != review.SelfieFrames {
		t.Errorf("%d audit entries, want %d frame views", n, review.SelfieFrames)
	}
}

// hasBlueBox reports whether the image has a run of the overlay's blue.
func hasBlueBox(img image.Image) bool {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 < 60 && g>>8 > 150 && bl>>8 > 200 {
				n++
			}
		}
	}
	return n > 50
}
