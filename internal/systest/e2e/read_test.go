package e2e

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/cnid"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// card is a document printed by docgen with the selfie of the sample
// applicant of the same seed (the same face), and the basic info that
// types exactly what the document prints.
type card struct {
	id    docgen.Identity
	info  kyc.Applicant
	files map[storage.Slot]client.File
}

// printCard prints the document of kind for seed, changed by edit before
// printing (nil: as drawn), and types the identity drawn (before edit):
// with an edit, the typed data and the document differ exactly there.
func printCard(t *testing.T, seed int64, kind docgen.Kind, edit func(*docgen.Identity)) card {
	t.Helper()
	base := applicant(t, sample.Options{Seed: seed})
	id := docgen.NewIdentity(seed, kind)
	if kind != docgen.KindCNID {
		id.Issuer, id.Nationality, id.Country = "D", "D", "FEDERAL REPUBLIC OF GERMANY"
		if kind == docgen.KindTD1 {
			id.DocumentCode = "ID"
		}
	}
	info := typed(id, kind)
	if edit != nil {
		edit(&id)
	}
	portrait, err := sample.Portrait(sample.Faces()[0])
	if err != nil {
		t.Fatal(err)
	}
	files := map[storage.Slot]client.File{storage.SlotSelfie: base.Files[storage.SlotSelfie]}
	for _, side := range kind.Sides() {
		img, _, err := docgen.GenerateDocument(docgen.Spec{Seed: seed, Size: docgen.Size2MP, Side: side,
			Defect: docgen.Clean, Portrait: portrait, PrintedPortrait: true, Kind: kind, Identity: &id})
		if err != nil {
			t.Fatal(err)
		}
		data, err := docgen.Encode(img, docgen.Encoding{Quality: 90})
		if err != nil {
			t.Fatal(err)
		}
		slot := storage.SlotFront
		if side == docgen.Back {
			slot = storage.SlotBack
		}
		files[slot] = client.File{ContentType: "image/jpeg", Data: data}
	}
	return card{id: id, info: info, files: files}
}

// typed is the basic info an applicant types for identity id.
func typed(id docgen.Identity, kind docgen.Kind) kyc.Applicant {
	a := kyc.Applicant{Country: "DE", Nationality: "DE", IssuingCountry: "DE", FullName: id.FullName(),
		DateOfBirth: id.BirthDate, IDType: string(kyc.IDCard), IDNumber: id.Number, ExpiryDate: id.ExpiryDate}
	switch kind {
	case docgen.KindTD3:
		a.IDType = string(kyc.Passport)
	case docgen.KindCNID:
		a.Country, a.Nationality, a.IssuingCountry = "CN", "CN", "CN"
		a.IDType = string(kyc.CNResidentID)
		a.FullName, a.LocalName = id.Surname+" "+id.GivenNames, id.Name
	}
	return a
}

// applyWith runs one application of info with files and waits for its
// decision.
func applyWith(t *testing.T, c *client.Client, account string, info kyc.Applicant, files map[storage.Slot]client.File) *api.VerificationResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	id, err := c.Apply(ctx, account, info, files)
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	v, err := c.WaitDecision(ctx, id, 100*time.Millisecond)
	if err != nil {
		t.Fatalf("wait for the decision of %s: %v", id, err)
	}
	return v
}

// requireMismatch fails unless v was rejected with doc_data_mismatch
// naming exactly fields (and any further codes in also).
func requireMismatch(t *testing.T, what string, v *api.VerificationResponse, fields []string, also ...reason.Code) {
	t.Helper()
	if v.Decision.Outcome != storage.Rejected {
		t.Errorf("%s: %s %v, want rejected doc_data_mismatch %v", what, v.Decision.Outcome, codes(v.Decision.Reasons), fields)
		return
	}
	var got []string
	found := false
	for _, d := range v.Decision.Reasons {
		if d.Code == reason.DocDataMismatch {
			found, got = true, d.Fields
		}
	}
	if !found || !slices.Equal(got, fields) {
		t.Errorf("%s: reasons %v with fields %v, want doc_data_mismatch on %v", what, codes(v.Decision.Reasons), got, fields)
	}
	for _, c := range also {
		if !hasCode(v.Decision.Reasons, c) {
			t.Errorf("%s: reasons %v, want %s too", what, codes(v.Decision.Reasons), c)
		}
	}
}

// requireUnclaimed fails if any account holds the document that number
// names (as an id of info's type and issuing country).
func requireUnclaimed(t *testing.T, svc *harness.Service, info kyc.Applicant, number string) {
	t.Helper()
	canonical, err := kyc.NormaliseDocument(info.IssuingCountry, info.IDType, number)
	if err != nil {
		t.Fatal(err)
	}
	held, err := svc.App.State.DocumentHolder(context.Background(), svc.App.Keys.Hash(kyc.DocumentHashDomain, canonical))
	if !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("the document is held by %q (%v), want unclaimed", held.AccountID, err)
	}
}

// TestDocumentReadBothWays proves rules §8 end to end on real Redis,
// PostgreSQL and S3 with the real document reader: a card whose typed data
// is what it prints is approved; a name, number, date of birth or expiry
// typed differently is refused with doc_data_mismatch naming that field;
// the same card under another account and another valid number is refused
// and claims nothing; an expired card with a future expiry typed is
// refused doc_expired.
func TestDocumentReadBothWays(t *testing.T) {
	svc := harness.Start(t, harness.RealEnv(t), false)
	c := svc.Client

	// One typed field differs from the card: each on its own account, so
	// the repeated-rejection rule does not turn them into manual review.
	base := printCard(t, 31, docgen.KindTD1, nil)
	other := printCard(t, 32, docgen.KindTD1, nil).info
	for _, tc := range []struct {
		field string
		edit  func(*kyc.Applicant)
	}{
		{kyc.FieldName, func(a *kyc.Applicant) { a.FullName = other.FullName }},
		{kyc.FieldDocumentNumber, func(a *kyc.Applicant) { a.IDNumber = other.IDNumber }},
		{kyc.FieldBirthDate, func(a *kyc.Applicant) { a.DateOfBirth = shiftDate(t, a.DateOfBirth, -400) }},
		{kyc.FieldExpiryDate, func(a *kyc.Applicant) { a.ExpiryDate = shiftDate(t, a.ExpiryDate, 365) }},
	} {
		info := base.info
		tc.edit(&info)
		v := applyWith(t, c, "acct-read-"+tc.field, info, base.files)
		requireMismatch(t, "typed "+tc.field+" differs", v, []string{tc.field})
	}
	// The same card under another valid number claims nothing: the real
	// holder is approved afterwards, and a third account presenting it
	// under another number again is refused doc_data_mismatch, not
	// doc_already_used.
	info := base.info
	info.IDNumber = other.IDNumber
	requireUnclaimed(t, svc, info, other.IDNumber)
	requireUnclaimed(t, svc, info, base.info.IDNumber)
	v := applyWith(t, c, "acct-read-owner", base.info, base.files)
	requireApproved(t, v)
	v = applyWith(t, c, "acct-read-squatter", info, base.files)
	requireMismatch(t, "held card under another number", v, []string{kyc.FieldDocumentNumber})
	if hasCode(v.Decision.Reasons, reason.DocAlreadyUsed) {
		t.Errorf("held card under another number: %v, the claim must not be reached", codes(v.Decision.Reasons))
	}

	// An expired card, typed with a future expiry: the expiry read decides.
	expired := printCard(t, 33, docgen.KindTD1, func(id *docgen.Identity) { id.ExpiryDate = "2024-05-31" })
	v = applyWith(t, c, "acct-read-expired", expired.info, expired.files)
	requireMismatch(t, "expired card, future expiry typed", v, []string{kyc.FieldExpiryDate}, reason.DocExpired)
	requireUnclaimed(t, svc, expired.info, expired.info.IDNumber)
}

// TestMainlandIDRead: a mainland resident ID typed as printed is approved;
// someone else's number typed with one's own card is refused and claims
// nothing, so the number's real holder is approved afterwards; another
// person's name typed with one's card is refused doc_data_mismatch on the
// name, and a relative's (one character apart) goes to manual review.
func TestMainlandIDRead(t *testing.T) {
	svc := harness.Start(t, harness.RealEnv(t), false)
	c := svc.Client
	mine := printCard(t, 41, docgen.KindCNID, nil)
	theirs := printCard(t, 42, docgen.KindCNID, nil)
	if _, err := cnid.Parse(theirs.info.IDNumber); err != nil {
		t.Fatalf("generated mainland number invalid: %v", err)
	}
	info := mine.info
	info.IDNumber = theirs.info.IDNumber
	v := applyWith(t, c, "acct-cn-thief", info, mine.files)
	if v.Decision.Outcome != storage.Rejected || !hasCode(v.Decision.Reasons, reason.DocDataMismatch) {
		t.Errorf("someone else's number with one's own card: %s %v, want rejected doc_data_mismatch", v.Decision.Outcome, codes(v.Decision.Reasons))
	}
	requireUnclaimed(t, svc, info, theirs.info.IDNumber)
	requireApproved(t, applyWith(t, c, "acct-cn-holder", theirs.info, theirs.files))

	// A name in Han characters that is not the one printed is refused
	// (another person's); one character apart (a relative's) cannot be
	// told from a misread dense character, so it goes to a person and is
	// never approved: the name read is the reading, never the typed one.
	// Each on its own account, so the repeated-rejection rule stays out
	// of it.
	info = mine.info
	info.LocalName = theirs.info.LocalName
	v = applyWith(t, c, "acct-cn-other-name", info, mine.files)
	requireMismatch(t, "mainland card, someone else's name typed", v, []string{kyc.FieldName})
	requireUnclaimed(t, svc, info, mine.info.IDNumber)

	info = mine.info
	info.LocalName = mine.id.RelativeName(41)
	v = applyWith(t, c, "acct-cn-relative-name", info, mine.files)
	if v.Decision.Outcome != storage.ManualReview {
		t.Errorf("mainland card, a relative's name typed: %s %v, want manual_review", v.Decision.Outcome, codes(v.Decision.Reasons))
	}
}

// shiftDate moves a YYYY-MM-DD date by days.
func shiftDate(t *testing.T, date string, days int) string {
	t.Helper()
	d, err := time.Parse(kyc.DateLayout, date)
	if err != nil {
		t.Fatalf("date %q: %v", date, err)
	}
	return d.AddDate(0, 0, days).Format(kyc.DateLayout)
}
