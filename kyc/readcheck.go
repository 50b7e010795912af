package kyc

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kycq/kycq/kyc/cnid"
	"github.com/kycq/kycq/kyc/mrz"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// Fields named by a doc_data_mismatch (ReadResult.Mismatches, and the
// "match:<field>" scores of the doc_read result). They say what differs,
// never the data.
const (
	FieldDocumentNumber = "document_number"
	FieldName           = "name"
	FieldBirthDate      = "birth_date"
	FieldExpiryDate     = "expiry_date"
	FieldNationality    = "nationality"
	FieldIssuer         = "issuing_country"
	FieldSex            = "sex"
	// FieldDocumentType: the MRZ read is a passport's and the type typed
	// is not, or the other way round, or a driving licence was typed for
	// a document with an MRZ. The type is part of the occupancy key, so
	// it must be the document's.
	FieldDocumentType = "document_type"
)

// readFields is the order in which mismatching fields are reported.
var readFields = []string{FieldDocumentType, FieldDocumentNumber, FieldName, FieldBirthDate, FieldExpiryDate,
	FieldNationality, FieldIssuer, FieldSex}

// Scores of a ReadResult. Each is 0 or 1; none carries personal data.
const (
	// ScoreReadable: the zones the document type needs were read with
	// every check holding.
	ScoreReadable = "readable"
	// ScoreMatchPrefix + a field name: 1 when the typed value agrees with
	// the document, 0 when it differs. Absent when not compared.
	ScoreMatchPrefix = "match:"
)

// readOrder is the order in which CompareRead reports its codes.
var readOrder = []reason.Code{
	reason.DocTypeUnsupported, reason.DocTextUnreadable, reason.DocDataMismatch,
	reason.DocMissingDOB, reason.Underage, reason.DocExpired,
}

// ReadResult is the outcome of holding the typed basic info to what was
// read from the document photos (rules §8).
type ReadResult struct {
	OK      bool
	Reasons []reason.Code // every failing rule, deduplicated, in readOrder
	// Mismatches are the fields whose typed value differs from the
	// document, in a fixed order; set with reason.DocDataMismatch.
	Mismatches []string
	Scores     map[string]float64 // see the Score constants
	// DocumentNumber is the document number as read and normalised, or,
	// for a document read only in its visual zone, the typed number once
	// found there. It is what ID occupancy claims. Empty when the number
	// was not read. It is personal data: never store or log it.
	DocumentNumber string
	// Borderline: the only doubt is a name read one easily confused
	// character away from the typed one in the MRZ, or a mainland name
	// CompareReadName finds uncertain (score match:name 0.5); the
	// decision sends it to manual review. Never set with a reason: a
	// clear failure elsewhere rejects (Decide takes a borderline result
	// for a doubt, whatever its reasons).
	Borderline bool
}

// CheckResult converts the result to the stored form; the caller sets the
// check name and timings. DocumentNumber is left out.
func (r ReadResult) CheckResult() storage.CheckResult {
	return storage.CheckResult{OK: r.OK, Reasons: slices.Clone(r.Reasons), Scores: r.Scores, Borderline: r.Borderline}
}

// merged is what the photos of one verification say about the document,
// field by field, and which fields the photos contradict each other on.
type merged struct {
	number, name, birth, expiry, nationality, issuer, sex string
	surname, given                                        string   // MRZ name fields
	nameAlts                                              []string // a mainland name's uncertain characters (DocumentRead.NameAlternatives)
	code                                                  string   // MRZ document code
	longTerm                                              bool
	issue                                                 string   // a mainland back's issue date
	zone                                                  *mrz.MRZ // the parsed MRZ, when one was read
	mrzRead, cnFront, cnBack                              bool     // which machine-readable zones were read
	visual                                                bool     // a visual-zone read was made
	found                                                 map[string]bool
	conflicts                                             map[string]bool
	unreadable, visa                                      bool
}

// set records a field read from one photo; a different value read from
// another photo of the same document is a conflict.
func (m *merged) set(field string, dst *string, v string) {
	if v == "" {
		return
	}
	if *dst != "" && *dst != v {
		m.conflicts[field] = true
		return
	}
	*dst = v
}

// mergeReads combines the reads of the photos of one verification (front
// and back). Only reads whose checks all hold contribute fields: a zone
// that failed its check digits may be misread, so it says nothing about
// the data and only that the text was not readable.
func mergeReads(reads []DocumentRead) merged {
	m := merged{found: map[string]bool{}, conflicts: map[string]bool{}}
	for _, r := range reads {
		switch {
		case r.Kind == ReadMRVA || r.Kind == ReadMRVB:
			m.visa = true
		case r.Kind == ReadVisual:
			// What was found speaks for a document without a
			// machine-readable zone only (visualOnly); a typed value not
			// found there is judged with the other values, not as an
			// unreadable zone.
			m.visual = true
			for f, ok := range r.Found {
				m.found[f] = m.found[f] || ok
			}
		case r.Expected && !r.Readable:
			m.unreadable = true
		case !r.Readable:
		case r.Kind == ReadTD1 || r.Kind == ReadTD2 || r.Kind == ReadTD3:
			m.mrzRead = true
			if z, err := mrz.Parse(strings.Join(r.MRZ, "\n")); err == nil {
				m.zone = z
			}
			m.set(FieldDocumentType, &m.code, strings.Trim(r.DocumentCode, "<"))
			m.set(FieldDocumentNumber, &m.number, normaliseNumber(r.DocumentNumber))
			m.set(FieldName, &m.surname, r.Surname)
			m.set(FieldName, &m.given, r.GivenNames)
			m.set(FieldBirthDate, &m.birth, r.BirthDate)
			m.set(FieldExpiryDate, &m.expiry, r.ExpiryDate)
			m.set(FieldNationality, &m.nationality, r.Nationality)
			m.set(FieldIssuer, &m.issuer, r.Issuer)
			m.set(FieldSex, &m.sex, strings.Trim(r.Sex, "<"))
		case r.Kind == ReadCNIDFront:
			m.cnFront = true
			m.set(FieldDocumentNumber, &m.number, normaliseNumber(r.DocumentNumber))
			name := norm.NFC.String(strings.TrimSpace(r.Name))
			if m.name == "" && name != "" {
				m.nameAlts = r.NameAlternatives
			}
			m.set(FieldName, &m.name, name)
			m.set(FieldBirthDate, &m.birth, r.BirthDate)
			m.set(FieldSex, &m.sex, r.Sex)
		case r.Kind == ReadCNIDBack:
			m.cnBack = true
			m.set(FieldExpiryDate, &m.expiry, r.ExpiryDate)
			m.set(FieldExpiryDate, &m.issue, r.IssueDate)
			m.longTerm = m.longTerm || r.LongTerm
		}
	}
	if m.longTerm && m.expiry != "" {
		m.conflicts[FieldExpiryDate] = true
	}
	if m.cnBack && m.cnFront && !m.periodFitsBirth() {
		// The back's period is not the one the law gives the holder
		// born on the front's date: a date of the back (or the front's
		// birth date) was misread into another legal period (held-out
		// seed 20281717: 2030 read as 2020 at 28). Not vouched for: a
		// retake, not a mismatch nor an expiry.
		m.unreadable = true
		m.expiry, m.longTerm = "", false
	}
	return m
}

// periodFitsBirth reports whether the mainland back's validity period
// (its issue date and either its expiry date or long-term) is one the
// Resident Identity Card Law gives the holder born on the front's birth
// date (cnid.PeriodFitsAge); true when a date is missing or the period
// is not of 5, 10 or 20 whole years, which this does not judge.
func (m *merged) periodFitsBirth() bool {
	birth, ok1 := parseDate(m.birth)
	issue, ok2 := parseDate(m.issue)
	if !ok1 || !ok2 {
		return true
	}
	years := 0
	if !m.longTerm {
		expiry, ok := parseDate(m.expiry)
		if !ok {
			return true
		}
		years = expiry.Year() - issue.Year()
		if years != 5 && years != 10 && years != 20 {
			return true
		}
	}
	return cnid.PeriodFitsAge(birth, issue, years)
}

// CompareRead holds the basic info an applicant typed to what was read from
// the photos of the document (rules §8), on the day of now (UTC). It is
// pure and never fails. The MRZ the client may have sent (Applicant.MRZ)
// plays no part: only what was read from the photos counts.
//
// The rules, each documented in docs/rules.md §9:
//   - doc_data_mismatch: a typed field differs from the document — the
//     number (normalised as NormaliseDocument does), the name (exact;
//     ICAO 9303 transliteration and truncation against the MRZ; the
//     Chinese characters of a mainland ID, see CompareReadName), the
//     date of birth, the expiry date (or 长期), the nationality and
//     issuing state of an MRZ, the sex
//     when typed, the document type (a passport's MRZ for a passport
//     only) — or the two sides disagree. Mismatches names the fields;
//   - doc_text_unreadable: the document has a zone that must be read and
//     it was not (an MRZ or mainland number found but failing its checks,
//     no MRZ on a passport, a mainland ID without its number or validity
//     read, or with a validity period its front's birth date rules out:
//     cnid.PeriodFitsAge), or the typed number was found nowhere on a document without
//     one, or nothing typed was found in its visual zone;
//   - doc_type_unsupported: the photo shows a visa;
//   - doc_missing_dob: the MRZ read has no date of birth;
//   - underage: the date of birth read makes the holder a minor;
//   - doc_expired: the expiry date read has passed.
//
// A clear mismatch rejects; an unreadable zone is never approved
// automatically (the repeated-rejection rule of Decide sends the applicant
// to manual review after repeated failures).
func CompareRead(a Applicant, reads []DocumentRead, now time.Time, p DataPolicy) ReadResult {
	today := day(now)
	m := mergeReads(reads)
	spec, _ := LookupIDType(a.IDType)
	found := map[reason.Code]bool{}
	scores := map[string]float64{}
	match := map[string]bool{}
	compare := func(field string, ok bool) {
		if m.conflicts[field] {
			ok = false
		}
		if prev, seen := match[field]; seen {
			ok = ok && prev
		}
		match[field] = ok
	}
	for f := range m.conflicts {
		compare(f, false)
	}

	if m.visa {
		found[reason.DocTypeUnsupported] = true
	}
	machine := m.mrzRead || m.cnFront
	// The visual zone speaks for a document only when it has no
	// machine-readable zone: neither one was read, none was seen
	// unreadable, and its type does not carry one.
	visualOnly := m.visual && !machine && !m.unreadable && spec.Type != Passport && spec.Type != CNResidentID
	switch {
	case m.unreadable:
		found[reason.DocTextUnreadable] = true
	case spec.Type == Passport && !m.mrzRead:
		found[reason.DocTextUnreadable] = true
	case spec.Type == CNResidentID && (!m.cnFront || !m.cnBack):
		found[reason.DocTextUnreadable] = true
	}

	typedNumber := normaliseNumber(a.IDNumber)
	number := ""
	switch {
	case m.number != "":
		compare(FieldDocumentNumber, m.number == typedNumber)
		number = m.number
	case visualOnly && m.found[FieldDocumentNumber]:
		compare(FieldDocumentNumber, true)
		number = typedNumber
	case visualOnly && (m.found[FieldBirthDate] || m.found[FieldName]):
		// The visual zone was read well enough to find other typed
		// values, but not the number: the number typed is not printed.
		compare(FieldDocumentNumber, false)
	default:
		found[reason.DocTextUnreadable] = true
	}

	dob, haveDOB := parseDate(a.DateOfBirth)
	readDOB, haveReadDOB := time.Time{}, false
	switch {
	case m.zone != nil:
		switch {
		case m.zone.BirthDate == "<<<<<<":
			found[reason.DocMissingDOB] = true
		case !haveDOB || !sameMRZDate(m.zone.BirthDate, yymmdd(dob)):
			compare(FieldBirthDate, false)
		default:
			// The MRZ gives the year in two digits: the typed date,
			// which agrees with it, supplies the century.
			compare(FieldBirthDate, true)
			readDOB, haveReadDOB = dob, true
		}
	case m.birth != "" && m.mrzRead:
		// Fields without the lines: the reader chose the century.
		rd, ok := parseDate(m.birth)
		compare(FieldBirthDate, ok && haveDOB && yymmdd(rd) == yymmdd(dob))
		readDOB, haveReadDOB = rd, ok
	case m.birth != "":
		rd, ok := parseDate(m.birth)
		compare(FieldBirthDate, ok && haveDOB && rd.Equal(dob))
		readDOB, haveReadDOB = rd, ok
	case visualOnly && m.found[FieldDocumentNumber]:
		compare(FieldBirthDate, m.found[FieldBirthDate])
	}
	if haveReadDOB && !readDOB.After(today) && !atLeast(readDOB, today, p.majority(a.Country)) {
		found[reason.Underage] = true
	}

	typedExpiry, haveTypedExpiry := parseDate(a.ExpiryDate)
	switch {
	case m.zone != nil:
		compare(FieldExpiryDate, haveTypedExpiry && yymmdd(typedExpiry) == m.zone.ExpiryDate)
	case m.mrzRead && m.expiry != "":
		re, ok := parseDate(m.expiry)
		compare(FieldExpiryDate, ok && haveTypedExpiry && yymmdd(re) == yymmdd(typedExpiry))
	case m.longTerm:
		compare(FieldExpiryDate, a.ExpiryDate == "")
	case m.expiry != "":
		re, ok := parseDate(m.expiry)
		compare(FieldExpiryDate, ok && haveTypedExpiry && re.Equal(typedExpiry))
	}
	if m.expiry != "" {
		if re, ok := parseDate(m.expiry); !ok || re.Before(today) {
			found[reason.DocExpired] = true
		}
	} else if m.zone != nil {
		if re, ok := parseMRZExpiry(m.zone.ExpiryDate); !ok || re.Before(today) {
			found[reason.DocExpired] = true
		}
	}

	// A name read one easily confused character away from the typed one
	// (in the MRZ), or a mainland name CompareReadName finds uncertain,
	// is not a clear mismatch: names carry no check digit. It goes to
	// manual review (Borderline) instead of a rejection.
	nameNear := false
	nameCheck := func(ok, near bool) {
		nameNear = !ok && near
		compare(FieldName, ok || nameNear)
	}
	switch {
	case m.zone != nil:
		ok := nameMatchesMRZ(a.FullName, m.zone)
		nameCheck(ok, !ok && mrzNameNearMiss(a.FullName, m.zone))
	case m.mrzRead && m.surname != "":
		z := &mrz.MRZ{Primary: strings.Fields(m.surname), Secondary: strings.Fields(m.given)}
		ok := nameMatchesMRZ(a.FullName, z)
		nameCheck(ok, !ok && mrzNameNearMiss(a.FullName, z))
	case m.name != "":
		got := CompareReadName(typedChineseName(a), m.name, m.nameAlts)
		nameCheck(got == NameAgrees, got == NameUncertain)
	case visualOnly && m.found[FieldDocumentNumber]:
		compare(FieldName, m.found[FieldName])
	}

	if m.mrzRead {
		code := m.code
		if m.zone != nil {
			code = m.zone.DocumentCode
		}
		passport := strings.HasPrefix(code, "P")
		compare(FieldDocumentType, code != "" && passport == (spec.Type == Passport) && spec.Type != DrivingLicence)
		if m.nationality != "" {
			compare(FieldNationality, slices.Contains(icaoCodes(a.Nationality), m.nationality))
		}
		if m.issuer != "" {
			compare(FieldIssuer, slices.Contains(icaoCodes(a.IssuingCountry), m.issuer))
		}
	}
	if a.Sex != "" && m.sex != "" {
		compare(FieldSex, a.Sex == m.sex)
	}

	var mismatches []string
	for _, f := range readFields {
		ok, compared := match[f]
		if !compared {
			continue
		}
		scores[ScoreMatchPrefix+f] = 0
		switch {
		case ok && f == FieldName && nameNear:
			scores[ScoreMatchPrefix+f] = 0.5
		case ok:
			scores[ScoreMatchPrefix+f] = 1
		default:
			mismatches = append(mismatches, f)
		}
	}
	if len(mismatches) > 0 {
		found[reason.DocDataMismatch] = true
	}
	scores[ScoreReadable] = 0
	if !found[reason.DocTextUnreadable] {
		scores[ScoreReadable] = 1
	}
	var reasons []reason.Code
	for _, c := range readOrder {
		if found[c] {
			reasons = append(reasons, c)
		}
	}
	if len(mismatches) > 0 || found[reason.DocTextUnreadable] {
		number = ""
	}
	return ReadResult{OK: len(reasons) == 0, Reasons: reasons, Mismatches: mismatches, Scores: scores,
		Borderline: nameNear && match[FieldName] && len(reasons) == 0, DocumentNumber: number}
}

// ocrConfusions are groups of letters an OCR reads for one another in the
// MRZ's OCR-B (names have no check digit to correct them).
var ocrConfusions = []string{"OQDCG", "PRF", "BE", "IJLT", "MNH", "UVW", "KX"}

// mrzNameNearMiss reports whether the typed name matches the MRZ name once
// one letter of the MRZ name is replaced by one it is easily confused with.
func mrzNameNearMiss(name string, z *mrz.MRZ) bool {
	parts := [][]string{z.Primary, z.Secondary}
	for p := range parts {
		for i, comp := range parts[p] {
			for j := 0; j < len(comp); j++ {
				for _, group := range ocrConfusions {
					if strings.IndexByte(group, comp[j]) < 0 {
						continue
					}
					for k := 0; k < len(group); k++ {
						if group[k] == comp[j] {
							continue
						}
						v := *z
						changed := slices.Clone(parts[p])
						changed[i] = comp[:j] + string(group[k]) + comp[j+1:]
						if p == 0 {
							v.Primary = changed
						} else {
							v.Secondary = changed
						}
						if nameMatchesMRZ(name, &v) {
							return true
						}
					}
				}
			}
		}
	}
	return false
}

// NameMatch is how a typed name compares with a name read without a
// check character (a mainland ID's).
type NameMatch int

// Outcomes of CompareReadName.
const (
	// NameDiffers: the names differ at two characters or more (at least
	// one the reader was sure of, or a typed character it ruled out), or
	// their lengths differ other than by one character missing. A clear
	// mismatch.
	NameDiffers NameMatch = iota
	// NameAgrees: the names are equal.
	NameAgrees
	// NameUncertain: the names differ at one Han character, or one is
	// missing from the read, or they differ only at characters the reader
	// was unsure of where the typed character is one of its alternatives.
	// Not a clear mismatch: a person decides.
	NameUncertain
)

// String returns "differs", "agrees" or "uncertain".
func (m NameMatch) String() string {
	switch m {
	case NameAgrees:
		return "agrees"
	case NameUncertain:
		return "uncertain"
	}
	return "differs"
}

// CompareReadName compares the name typed with the name read and, per
// character of read, the other characters the reader could not rule out
// there (DocumentRead.NameAlternatives; nil or of another length when it
// was sure of every character). Both names are compared as given
// (callers NFC-normalise them).
func CompareReadName(typed, read string, alts []string) NameMatch {
	if typed == read {
		return NameAgrees
	}
	rt, rr := []rune(typed), []rune(read)
	if droppedOne(rt, rr) || oneHanApart(rt, rr) {
		return NameUncertain
	}
	if len(rt) != len(rr) || len(alts) != len(rr) {
		return NameDiffers
	}
	for i := range rr {
		if rt[i] != rr[i] && (!unicode.Is(unicode.Han, rt[i]) || !strings.ContainsRune(alts[i], rt[i])) {
			return NameDiffers
		}
	}
	return NameUncertain
}

// droppedOne reports whether read is typed, a name of Han characters of
// at least two, with exactly one character missing. Dense characters
// that touch their neighbour are read as one or lost (the reader reports
// a character it did not see as neither sure nor unsure), so such a read
// cannot tell the typed name apart from the printed one: it is
// uncertain, not a mismatch. A read with a character more is not: an
// extra character is something the reader saw.
func droppedOne(typed, read []rune) bool {
	if len(typed) < 2 || len(read) != len(typed)-1 {
		return false
	}
	for _, r := range typed {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	i := 0
	for i < len(read) && read[i] == typed[i] {
		i++
	}
	return slices.Equal(read[i:], typed[i+1:])
}

// oneHanApart reports whether typed and read, of one length, differ at
// exactly one position, where both have Han characters. The reader
// misreads a dense character with confidence on about one genuine card in
// ten (鑫 as 大, 春 or 讲; docs/reading.md), which a relative's name (one
// character changed) cannot be told apart from: a person decides.
func oneHanApart(typed, read []rune) bool {
	if len(typed) != len(read) {
		return false
	}
	diff := -1
	for i := range typed {
		if typed[i] != read[i] {
			if diff >= 0 {
				return false
			}
			diff = i
		}
	}
	return diff >= 0 && unicode.Is(unicode.Han, typed[diff]) && unicode.Is(unicode.Han, read[diff])
}

// typedChineseName returns the name typed for a mainland ID in Chinese
// characters: the local name, or the full name when no local name was
// given, NFC-normalised.
func typedChineseName(a Applicant) string {
	name := a.LocalName
	if name == "" {
		name = a.FullName
	}
	return norm.NFC.String(strings.TrimSpace(name))
}

// parseMRZExpiry reads an MRZ expiry date (YYMMDD) in the 21st century:
// documents valid today expire after 2000.
func parseMRZExpiry(s string) (time.Time, bool) {
	t, err := time.Parse("060102", s)
	if err != nil {
		return time.Time{}, false
	}
	if t.Year() < 2000 {
		t = t.AddDate(100, 0, 0)
	}
	return t, true
}
