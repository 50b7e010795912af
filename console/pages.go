package console

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
)

var funcs = template.FuncMap{
	"age":    age,
	"remedy": func(c reason.Code) string { return reason.Remedy(c) },
	"when":   func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
	"score":  func(f float64) string { return fmt.Sprintf("%.3g", f) },
	"sortedScores": func(m map[string]float64) []string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return keys
	},
	"hasCode": func(codes []reason.Code, c reason.Code) bool { return slices.Contains(codes, c) },
}

// age formats a duration for people: 45s, 12m, 3h 5m, 2d 4h.
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
}

// queueRow is one line of the queue page.
type queueRow struct {
	Item      *storage.ReviewItem
	Age       time.Duration
	FourEyes  bool
	Claimed   bool
	ClaimedBy string
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	f, err := api.ParseQueueFilter(r.URL.Query(), s.svc.Clock())
	if err != nil {
		s.fail(w, r, sess, http.StatusBadRequest, "A filter is not valid: "+err.(*api.Error).Message+".")
		return
	}
	items, err := s.svc.Queue(r.Context(), sess, f)
	if err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	n, oldest, err := s.svc.Waiting(r.Context())
	if err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	now := s.svc.Clock()
	names := map[string]string{}
	var rows []queueRow
	for _, it := range items {
		row := queueRow{Item: it, Age: now.Sub(it.SubmittedAt), FourEyes: review.NeedsFourEyes(it.Reasons), Claimed: it.Claimed(now)}
		if row.Claimed {
			row.ClaimedBy = s.username(r, names, it.ClaimedBy)
		}
		rows = append(rows, row)
	}
	q := r.URL.Query()
	s.render(w, r, http.StatusOK, "queue", sess, map[string]any{
		"Title": "Review queue", "Rows": rows, "Waiting": n, "Oldest": oldest,
		"Reason": q.Get("reason"), "Country": q.Get("country"), "DocType": q.Get("doc_type"), "OlderThan": q.Get("older_than"),
		"Codes": reason.All(),
	})
}

func (s *Server) username(r *http.Request, cache map[string]string, id string) string {
	if n, ok := cache[id]; ok {
		return n
	}
	n := id
	if st, err := s.svc.State.GetStaff(r.Context(), id); err == nil {
		n = st.Username
	}
	cache[id] = n
	return n
}

// field is one row of the typed-versus-read table.
type field struct {
	Name, Typed, Read string
	Mismatch          bool
}

// readKeys maps a typed field to the keys a document reader uses for it.
var readKeys = []struct {
	name, typed string
	read        []string
}{
	{"Full name", "full_name", []string{"name", "surname+given_names"}},
	{"Local name", "local_name", []string{"name"}},
	{"Document number", "id_number", []string{"document_number"}},
	{"Date of birth", "date_of_birth", []string{"birth_date"}},
	{"Expiry", "expiry_date", []string{"expiry_date"}},
	{"Nationality", "nationality", []string{"nationality"}},
	{"Issuing country", "issuing_country", []string{"issuer"}},
	{"Document type", "id_type", []string{"kind"}},
}

func fields(cv *review.CaseView) []field {
	a := cv.Applicant
	typed := map[string]string{"full_name": a.FullName, "local_name": a.LocalName, "id_number": a.IDNumber,
		"date_of_birth": a.DateOfBirth, "expiry_date": a.ExpiryDate, "nationality": a.Nationality,
		"issuing_country": a.IssuingCountry, "id_type": a.IDType}
	var out []field
	for _, k := range readKeys {
		f := field{Name: k.name, Typed: typed[k.typed]}
		for _, rk := range k.read {
			if sur, giv, ok := strings.Cut(rk, "+"); ok {
				if cv.Read[sur] != "" {
					f.Read = strings.TrimSpace(cv.Read[sur] + " " + cv.Read[giv])
				}
			} else if v := cv.Read[rk]; v != "" && f.Read == "" {
				f.Read = v
			}
		}
		f.Mismatch = f.Read != "" && f.Typed != "" && !strings.EqualFold(strings.Join(strings.Fields(f.Read), " "), strings.Join(strings.Fields(f.Typed), " "))
		if f.Typed != "" || f.Read != "" {
			out = append(out, f)
		}
	}
	return out
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	id := r.PathValue("id")
	cv, err := s.svc.Case(r.Context(), sess, id)
	if err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	now := s.svc.Clock()
	// Show usernames, not staff IDs, in the trail's states.
	for i, e := range cv.Audit {
		for sid, name := range cv.Staff {
			cv.Audit[i].Before = strings.ReplaceAll(e.Before, sid, name)
			cv.Audit[i].After = strings.ReplaceAll(cv.Audit[i].After, sid, name)
			e = cv.Audit[i]
		}
	}
	data := map[string]any{
		"Title": "Case " + id, "C": cv, "V": cv.Verification, "Fields": fields(cv), "HasRead": len(cv.Read) > 0,
		"Age": now.Sub(cv.Verification.SubmittedAt), "RejectCodes": review.RejectCodes(),
	}
	var similarity *float64
	for _, res := range cv.Results {
		if v, ok := res.Scores["similarity"]; ok && strings.HasPrefix(res.Check, "face") {
			similarity = &v
		}
	}
	data["Similarity"] = similarity
	it := cv.Item
	if it != nil {
		claimed := it.Claimed(now)
		data["Waiting"] = it.State == storage.ReviewWaiting
		data["Mine"] = claimed && it.ClaimedBy == sess.Staff.ID
		data["Held"] = claimed && it.ClaimedBy != sess.Staff.ID
		if claimed {
			data["ClaimedBy"] = cv.Staff[it.ClaimedBy]
			if data["ClaimedBy"] == "" {
				data["ClaimedBy"] = s.username(r, map[string]string{}, it.ClaimedBy)
			}
			data["ClaimLeft"] = it.ClaimUntil.Sub(now)
		}
		// Who may claim: a reviewer; for the second approval of a
		// four-eyes case, a senior reviewer other than the first approver.
		data["CanClaim"] = review.Can(sess.Staff.Role, review.PermReview)
		if it.FirstApprover != "" {
			data["FirstApprover"] = s.username(r, map[string]string{}, it.FirstApprover)
			data["CanClaim"] = review.Can(sess.Staff.Role, review.PermSecondApproval) && it.FirstApprover != sess.Staff.ID
		}
	}
	var selfie *storage.Upload
	for i, up := range cv.Verification.Uploads {
		if up.Slot == storage.SlotSelfie {
			selfie = &cv.Verification.Uploads[i]
		}
	}
	data["SelfieVideo"] = selfie != nil && strings.HasPrefix(selfie.ContentType, "video/")
	if data["SelfieVideo"] == true && s.svc.Frames != nil {
		frames := make([]int, review.SelfieFrames)
		for i := range frames {
			frames[i] = i
		}
		data["Frames"] = frames
	}
	data["HasSelfie"] = selfie != nil
	data["HasBack"] = slices.ContainsFunc(cv.Verification.Uploads, func(u storage.Upload) bool { return u.Slot == storage.SlotBack })
	data["Purged"] = !cv.Verification.PurgedAt.IsZero()
	if cv.Holder != nil && cv.Holder.AccountID != cv.Verification.AccountID {
		data["HeldByOther"] = true
	}
	s.render(w, r, http.StatusOK, "case", sess, data)
}

func (s *Server) photo(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	data, ct, err := s.svc.Photo(r.Context(), sess, r.PathValue("id"), storage.Slot(r.PathValue("slot")), r.URL.Query().Get("annotate") == "1")
	if err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Disposition", "inline")
	w.Write(data)
}

func (s *Server) frame(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil {
		s.fail(w, r, sess, http.StatusNotFound, "There is no such frame.")
		return
	}
	data, err := s.svc.Frame(r.Context(), sess, r.PathValue("id"), n)
	if err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
}

func (s *Server) claim(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	id := r.PathValue("id")
	if _, err := s.svc.Claim(r.Context(), sess, id); err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/console/cases/"+pathEscape(id)+"?done=claimed", http.StatusSeeOther)
}

func (s *Server) release(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	if err := s.svc.Release(r.Context(), sess, r.PathValue("id")); err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/console/?done=released", http.StatusSeeOther)
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	id := r.PathValue("id")
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, sess, http.StatusBadRequest, "The form could not be read.")
		return
	}
	d := review.Decision{Outcome: storage.Outcome(r.PostForm.Get("outcome")), Note: r.PostForm.Get("note")}
	if d.Outcome == storage.Rejected {
		for _, c := range r.PostForm["reason"] {
			d.Reasons = append(d.Reasons, reason.Code(c))
		}
	}
	res, err := s.svc.Decide(r.Context(), sess, id, d)
	if err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	done := string(res.Decision.Outcome)
	switch {
	case res.State == review.StateAwaitingSecond:
		done = "second"
	case res.Refused != "":
		done = "refused"
	}
	http.Redirect(w, r, "/console/cases/"+pathEscape(id)+"?done="+done, http.StatusSeeOther)
}

func (s *Server) supportList(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	state := storage.CaseState(r.URL.Query().Get("state"))
	cases, err := s.svc.Cases(r.Context(), sess, storage.CaseFilter{State: state, Limit: 200})
	if err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	s.render(w, r, http.StatusOK, "support", sess, map[string]any{"Title": "Support cases", "Cases": cases, "State": string(state)})
}

func (s *Server) supportCase(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	cd, err := s.svc.SupportCase(r.Context(), sess, r.PathValue("id"))
	if err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	var moves []storage.CaseState
	for _, to := range []storage.CaseState{storage.CaseInProgress, storage.CaseResolved, storage.CaseDismissed, storage.CaseOpen} {
		if storage.CaseTransitionAllowed(cd.Case.State, to) {
			moves = append(moves, to)
		}
	}
	owner := ""
	if cd.Case.Owner != "" {
		owner = s.username(r, cd.Staff, cd.Case.Owner)
	}
	s.render(w, r, http.StatusOK, "supportcase", sess, map[string]any{"Title": "Support case " + cd.Case.ID, "D": cd,
		"Moves": moves, "Owner": owner})
}

func (s *Server) moveCase(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	id := r.PathValue("id")
	if _, err := s.svc.MoveCase(r.Context(), sess, id, storage.CaseState(r.PostFormValue("to"))); err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/console/support/"+pathEscape(id)+"?done=moved", http.StatusSeeOther)
}

func (s *Server) addNote(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	id := r.PathValue("id")
	if err := s.svc.AddNote(r.Context(), sess, id, r.PostFormValue("text")); err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/console/support/"+pathEscape(id)+"?done=noted", http.StatusSeeOther)
}

func pathEscape(s string) string { return strings.ReplaceAll(template.URLQueryEscaper(s), "+", "%20") }

func (s *Server) releaseDocument(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	id := r.PathValue("id")
	if err := s.svc.ReleaseDocument(r.Context(), sess, id); err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/console/support/"+pathEscape(id)+"?done=released-document", http.StatusSeeOther)
}

// reopenAppeal sends the rejected verification of an appeal in progress
// back to the review queue (support and admin only; the service checks).
func (s *Server) reopenAppeal(w http.ResponseWriter, r *http.Request, sess *review.Session) {
	id := r.PathValue("id")
	if err := s.svc.ReopenAppeal(r.Context(), sess, id); err != nil {
		s.failErr(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/console/support/"+pathEscape(id)+"?done=reopened-appeal", http.StatusSeeOther)
}
