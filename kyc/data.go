package kyc

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/kycq/kycq/kyc/cnid"
	"github.com/kycq/kycq/kyc/mrz"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// DataPolicy holds the tunables of the document-data rules. The zero value
// means the defaults.
type DataPolicy struct {
	// AgeOfMajority is the minimum age, in years, to pass verification
	// (underage otherwise). Default 18.
	AgeOfMajority int
	// MajorityByCountry overrides AgeOfMajority for applicants residing in
	// a country (ISO 3166-1 alpha-2). Empty by default: the exchange's
	// compliance team decides where a higher age applies.
	MajorityByCountry map[string]int
	// MaxAge is the oldest plausible age in years; an older date of birth
	// is taken for a typing error (doc_number_invalid). Default 120.
	MaxAge int
}

// DefaultDataPolicy returns the default document-data policy.
func DefaultDataPolicy() DataPolicy { return DataPolicy{AgeOfMajority: 18, MaxAge: 120} }

func (p DataPolicy) majority(country string) int {
	if a, ok := p.MajorityByCountry[country]; ok && a > 0 {
		return a
	}
	if p.AgeOfMajority > 0 {
		return p.AgeOfMajority
	}
	return 18
}

func (p DataPolicy) maxAge() int {
	if p.MaxAge > 0 {
		return p.MaxAge
	}
	return 120
}

// Scores of a DataResult. Each is 0 or 1 and says which rules could run;
// none carries personal data (no age, no date).
const (
	ScoreMRZChecked  = "mrz_checked"   // an MRZ was sent, its check digits verified and its fields compared
	ScoreNameChecked = "name_compared" // the name was compared with the name in the MRZ
	ScoreLongTerm    = "long_term"     // accepted without an expiry date, as a long-term document
)

// DataResult is the outcome of the document-data rules.
type DataResult struct {
	OK      bool
	Reasons []reason.Code      // every failing rule, deduplicated, in dataOrder
	Scores  map[string]float64 // see the Score constants
}

// CheckResult converts the result to the stored form; the caller sets the
// check name and timings.
func (r DataResult) CheckResult() storage.CheckResult {
	return storage.CheckResult{OK: r.OK, Reasons: slices.Clone(r.Reasons), Scores: r.Scores}
}

// dataOrder is the order in which CheckData reports its codes.
var dataOrder = []reason.Code{
	reason.DocTypeUnsupported, reason.DocNumberInvalid, reason.DocMissingDOB,
	reason.Underage, reason.DocExpired, reason.NameMismatch,
}

// CheckData applies the document-data rules (rules.md §3) to the basic
// info an applicant entered, on the day of now (UTC). It is pure and never
// fails: malformed input yields reason codes.
//
// The rules, each documented in docs/rules.md:
//   - doc_type_unsupported: an unknown or refused type (cn_temporary_id), a
//     type the region of residence does not accept (AcceptedIDTypes), a
//     regional type from the wrong issuer, a generic id_card issued by
//     mainland China, Hong Kong, Macau or Taiwan, a 15-digit
//     first-generation mainland number, a residence-permit number given as
//     a mainland resident ID, or a visa MRZ;
//   - doc_number_invalid: a number that fails its format or check
//     character, a mainland number whose birth date is not the date of
//     birth given, an implausible date of birth, an MRZ that fails its
//     check digits or disagrees with the number, date of birth, expiry
//     date or document type entered;
//   - doc_missing_dob: no usable date of birth (nor one in the MRZ);
//   - underage: younger than the age of majority;
//   - doc_expired: expired before today, or no expiry date on a type that
//     needs one;
//   - name_mismatch: a name no document prints (digits, symbols), a
//     mainland ID name not in Chinese characters, or a name that differs
//     from the MRZ's.
func CheckData(a Applicant, now time.Time, p DataPolicy) DataResult {
	today := day(now)
	found := map[reason.Code]bool{}
	scores := map[string]float64{ScoreMRZChecked: 0, ScoreNameChecked: 0, ScoreLongTerm: 0}

	spec, known := LookupIDType(a.IDType)
	if !known {
		spec = DocSpec{Type: IDType(a.IDType), Expiry: ExpiryRequired}
	}
	if !known || !spec.Accepted || !slices.Contains(AcceptedIDTypes(a.Country, a.Nationality), spec.Type) ||
		(spec.Issuer != "" && a.IssuingCountry != spec.Issuer) ||
		(spec.Type == IDCard && regionalCard[a.IssuingCountry] != "") {
		found[reason.DocTypeUnsupported] = true
	}

	number := normaliseNumber(a.IDNumber)
	if known && spec.Accepted {
		if err := validateNumber(spec.Type, number); err != nil {
			if errors.Is(err, cnid.ErrFirstGeneration) || errors.Is(err, cnid.ErrPermit) {
				found[reason.DocTypeUnsupported] = true
			} else {
				found[reason.DocNumberInvalid] = true
			}
		}
	}

	dob, haveDOB := parseDate(a.DateOfBirth)
	switch {
	case !haveDOB:
		found[reason.DocMissingDOB] = true
	case dob.After(today) || atLeast(dob, today, p.maxAge()+1):
		found[reason.DocNumberInvalid] = true
	case !atLeast(dob, today, p.majority(a.Country)):
		found[reason.Underage] = true
	}
	if spec.Type == CNResidentID && haveDOB {
		if n, err := cnid.Parse(number); err == nil && !n.Birth.Equal(dob) {
			found[reason.DocNumberInvalid] = true
		}
	}

	expiry, haveExpiry := parseDate(a.ExpiryDate)
	switch {
	case a.ExpiryDate != "":
		if !haveExpiry || expiry.Before(today) {
			found[reason.DocExpired] = true
		}
	case spec.Expiry == ExpiryOptional:
		scores[ScoreLongTerm] = 1
	case spec.Expiry == ExpiryLongTermFromAge && !haveDOB:
		// Unknown age: doc_missing_dob already refuses.
	case spec.Expiry == ExpiryLongTermFromAge && atLeast(dob, today, spec.LongTerm):
		scores[ScoreLongTerm] = 1
	default:
		found[reason.DocExpired] = true
	}

	if strings.TrimSpace(a.MRZ) != "" {
		checkMRZ(a, spec, number, dob, haveDOB, found, scores)
	}

	if !plausibleName(a.FullName) || (a.LocalName != "" && !plausibleName(a.LocalName)) {
		found[reason.NameMismatch] = true
	}
	if spec.Type == CNResidentID {
		name := a.LocalName
		if name == "" {
			name = a.FullName
		}
		if !chineseName(name) {
			found[reason.NameMismatch] = true
		}
	}

	var reasons []reason.Code
	for _, c := range dataOrder {
		if found[c] {
			reasons = append(reasons, c)
		}
	}
	return DataResult{OK: len(reasons) == 0, Reasons: reasons, Scores: scores}
}

// checkMRZ verifies the MRZ the client read and compares it with what was
// entered: document number, date of birth, expiry date, document type
// (passport or not) and name. Issuing state, nationality, sex and optional
// data are not compared.
func checkMRZ(a Applicant, spec DocSpec, number string, dob time.Time, haveDOB bool, found map[reason.Code]bool, scores map[string]float64) {
	m, err := mrz.Parse(a.MRZ)
	switch {
	case errors.Is(err, mrz.ErrUnsupported):
		found[reason.DocTypeUnsupported] = true
		return
	case err != nil:
		found[reason.DocNumberInvalid] = true
		return
	}
	scores[ScoreMRZChecked] = 1
	if normaliseNumber(m.DocumentNumber) != number {
		found[reason.DocNumberInvalid] = true
	}
	if (spec.Type == Passport) != (m.DocumentCode[0] == 'P') {
		found[reason.DocNumberInvalid] = true
	}
	switch {
	case m.BirthDate == "<<<<<<":
		found[reason.DocMissingDOB] = true
	case haveDOB && !sameMRZDate(m.BirthDate, yymmdd(dob)):
		found[reason.DocNumberInvalid] = true
	}
	if expiry, ok := parseDate(a.ExpiryDate); !ok || yymmdd(expiry) != m.ExpiryDate {
		found[reason.DocNumberInvalid] = true
	}
	scores[ScoreNameChecked] = 1
	if !nameMatchesMRZ(a.FullName, m) {
		found[reason.NameMismatch] = true
	}
}

// sameMRZDate compares an MRZ date, where '<' marks an unknown digit, with
// a known one.
func sameMRZDate(mrzDate, known string) bool {
	if len(mrzDate) != len(known) {
		return false
	}
	for i := 0; i < len(known); i++ {
		if mrzDate[i] != '<' && mrzDate[i] != known[i] {
			return false
		}
	}
	return true
}
