package kyc

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/kyc/mrz"
	"github.com/kycq/kycq/kyc/reason"
)

// readNow is the day the reading rules are checked on.
var readNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// td3Read returns what a reader reports for a TD3 zone with every check
// digit holding, built from its fields (check digits computed here).
func td3Read(t testing.TB, nameField, number, nationality, birth, sex, expiry string) DocumentRead {
	t.Helper()
	state := nationality
	l1 := "P<" + pad(state, 3) + nameField
	if len(l1) > 44 {
		l1 = l1[:44]
	}
	l1 = pad(l1, 44)
	num := pad(number, 9)
	opt := strings.Repeat("<", 14)
	l2 := num + digit(t, num) + pad(nationality, 3) + birth + digit(t, birth) + sex + expiry + digit(t, expiry) + opt + "0"
	l2 += digit(t, l2[0:10]+l2[13:20]+l2[21:43])
	lines := []string{l1, l2}
	z, err := mrz.Parse(strings.Join(lines, "\n"))
	if err != nil {
		t.Fatalf("test zone does not parse: %v", err)
	}
	return DocumentRead{Kind: ReadTD3, Expected: true, Readable: true, ChecksValid: true, MRZ: lines,
		DocumentCode: "P", DocumentNumber: z.DocumentNumber, Surname: strings.Join(z.Primary, " "),
		GivenNames: strings.Join(z.Secondary, " "), Nationality: z.Nationality, Issuer: z.IssuingState,
		BirthDate: mrzDate(birth, 1900), ExpiryDate: mrzDate(expiry, 2000), Sex: sex}
}

// with returns base changed by f.
func with(base Applicant, f func(*Applicant)) Applicant { f(&base); return base }

func pad(s string, n int) string { return s + strings.Repeat("<", max(0, n-len(s))) }

func digit(t testing.TB, s string) string {
	d, err := mrz.CheckDigit(s)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(d)
}

// mrzDate writes YYMMDD as YYYY-MM-DD in the given century; "" when unknown.
func mrzDate(s string, century int) string {
	if strings.Contains(s, "<") {
		return ""
	}
	y, _ := strconv.Atoi(s[:2])
	return strconv.Itoa(century+y) + "-" + s[2:4] + "-" + s[4:6]
}

func germanPassport() Applicant {
	return Applicant{Country: "DE", Nationality: "DE", IssuingCountry: "DE", FullName: "Jörg Müller",
		DateOfBirth: "1983-08-12", IDType: "passport", IDNumber: "C01X00T47", ExpiryDate: "2034-06-30"}
}

func cnFront(name, number, birth, sex string) DocumentRead {
	return DocumentRead{Kind: ReadCNIDFront, Expected: true, Readable: true, ChecksValid: true,
		Name: name, DocumentNumber: number, BirthDate: birth, Sex: sex}
}

// withAlts returns d with the name's alternatives set.
// cnBackIssued is cnBack with its issue date.
func cnBackIssued(issue, expiry string, longTerm bool) DocumentRead {
	d := cnBack(expiry, longTerm)
	d.IssueDate = issue
	return d
}

func withAlts(d DocumentRead, alts ...string) DocumentRead {
	d.NameAlternatives = alts
	return d
}

func cnBack(expiry string, longTerm bool) DocumentRead {
	return DocumentRead{Kind: ReadCNIDBack, Expected: true, Readable: true, ChecksValid: true,
		IssueDate: "2010-01-01", ExpiryDate: expiry, LongTerm: longTerm}
}

// visual is a visual-zone read that found the given typed values; like
// the reader, it is expected to find the number and readable when it did.
func visual(found ...string) DocumentRead {
	r := DocumentRead{Kind: ReadVisual, Expected: true, Found: map[string]bool{}}
	for _, f := range []string{FieldDocumentNumber, FieldBirthDate, FieldName} {
		r.Found[f] = slices.Contains(found, f)
	}
	r.Readable = r.Found[FieldDocumentNumber]
	return r
}

func TestCompareRead(t *testing.T) {
	pp := td3Read(t, "MUELLER<<JOERG", "C01X00T47", "D", "830812", "M", "340630")
	ppPlain := td3Read(t, "MULLER<<JORG", "C01X00T47", "D", "830812", "M", "340630")
	ppExpired := td3Read(t, "MUELLER<<JOERG", "C01X00T47", "D", "830812", "M", "240630")
	ppNoBirth := td3Read(t, "MUELLER<<JOERG", "C01X00T47", "D", "<<<<<<", "M", "340630")
	ppLong := td3Read(t, "WOLFESCHLEGELSTEINHAUSENBERGERDORFF<<HUBERT<BLAINE", "C01X00T47", "D", "830812", "M", "340630")
	ppMisread := td3Read(t, "MUELLEP<<JOERG", "C01X00T47", "D", "830812", "M", "340630") // R read as P
	ppBadCheck := pp
	ppBadCheck.Readable, ppBadCheck.ChecksValid = false, false
	visa := pp
	visa.Kind = ReadMRVA
	idCard := pp // the same data in an ID card's zone (document code "I")
	idCard.MRZ = []string{"I" + pp.MRZ[0][1:], pp.MRZ[1]}
	idCard.DocumentCode = "I"
	cn := mainland() // 王小明, 11010519491231002X, born 1949-12-31: a long-term card
	cnYoung := Applicant{Country: "CN", Nationality: "CN", IssuingCountry: "CN", FullName: "李娜",
		DateOfBirth: "1990-03-07", IDType: "cn_resident_id", IDNumber: "110105199003070025", ExpiryDate: "2031-05-20"}
	cnAdult := Applicant{Country: "CN", Nationality: "CN", IssuingCountry: "CN", FullName: "李娜",
		DateOfBirth: "1982-01-13", IDType: "cn_resident_id", IDNumber: "110105198201130020", ExpiryDate: "2030-04-02"}
	licence := Applicant{Country: "FR", Nationality: "FR", IssuingCountry: "FR", FullName: "Claire Dubois",
		DateOfBirth: "1991-02-03", IDType: "driving_licence", IDNumber: "12AB34567", ExpiryDate: "2033-01-01"}

	for _, tc := range []struct {
		name       string
		a          Applicant
		reads      []DocumentRead
		want       []reason.Code
		mismatches []string
		number     string // the number occupancy would claim
		borderline bool
	}{
		// Names carry no check digit: one easily confused letter or
		// character off is not a clear mismatch, it goes to manual review.
		{"MRZ name with one letter misread", germanPassport(), []DocumentRead{ppMisread}, nil, nil, "C01X00T47", true},
		{"MRZ name, Q read as D", with(germanPassport(), func(a *Applicant) { a.FullName = "Jörg Quist" }),
			[]DocumentRead{td3Read(t, "DUIST<<JOERG", "C01X00T47", "D", "830812", "M", "340630")}, nil, nil, "C01X00T47", true},
		{"MRZ name, two letters off", with(germanPassport(), func(a *Applicant) { a.FullName = "Jörg Mueller" }),
			[]DocumentRead{td3Read(t, "MUELLEP<<JOFRG", "C01X00T47", "D", "830812", "M", "340630")},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldName}, "", false},
		{"MRZ name, one letter off but not a confusion", with(germanPassport(), func(a *Applicant) { a.FullName = "Jörg Mueller" }),
			[]DocumentRead{td3Read(t, "MUELLEA<<JOERG", "C01X00T47", "D", "830812", "M", "340630")},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldName}, "", false},
		{"mainland name, one uncertain character misread", mainland(),
			[]DocumentRead{withAlts(cnFront("王小朋", "11010519491231002X", "1949-12-31", "F"), "", "", "明月"), cnBack("", true)}, nil, nil, "11010519491231002X", true},
		{"mainland name, one character the reader was sure of differs: review", mainland(),
			[]DocumentRead{cnFront("王小朋", "11010519491231002X", "1949-12-31", "F"), cnBack("", true)}, nil, nil, "11010519491231002X", true},
		{"mainland name, uncertain but the typed character not an alternative: review", mainland(),
			[]DocumentRead{withAlts(cnFront("王小朋", "11010519491231002X", "1949-12-31", "F"), "", "", "月"), cnBack("", true)}, nil, nil, "11010519491231002X", true},
		{"mainland name uncertain and an expired card: the expiry rejects", mainland(),
			[]DocumentRead{withAlts(cnFront("王小朋", "11010519491231002X", "1949-12-31", "F"), "", "", "明"), cnBack("2021-05-20", false)},
			[]reason.Code{reason.DocDataMismatch, reason.DocExpired}, []string{FieldExpiryDate}, "", false},
		{"name near miss and a clear mismatch: the mismatch rejects", with(germanPassport(), func(a *Applicant) { a.DateOfBirth = "1983-08-13" }),
			[]DocumentRead{ppMisread}, []reason.Code{reason.DocDataMismatch}, []string{FieldBirthDate}, "", false},
		{"name near miss on an expired document", with(germanPassport(), func(a *Applicant) { a.ExpiryDate = "2024-06-30" }),
			[]DocumentRead{td3Read(t, "MUELLEP<<JOERG", "C01X00T47", "D", "830812", "M", "240630")}, []reason.Code{reason.DocExpired}, nil, "C01X00T47", false},
		{"mainland name, two characters off", mainland(),
			[]DocumentRead{cnFront("李大明", "11010519491231002X", "1949-12-31", "F"), cnBack("", true)},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldName}, "", false},

		// Passports (TD3), ICAO 9303 transliteration.
		{"passport read as typed, ü as UE", germanPassport(), []DocumentRead{pp}, nil, nil, "C01X00T47", false},
		{"passport read as typed, ü as U", germanPassport(), []DocumentRead{ppPlain}, nil, nil, "C01X00T47", false},
		{"typed in MRZ spelling", with(germanPassport(), func(a *Applicant) { a.FullName = "JOERG MUELLER" }), []DocumentRead{pp}, nil, nil, "C01X00T47", false},
		{"surname first", with(germanPassport(), func(a *Applicant) { a.FullName = "Müller Jörg" }), []DocumentRead{pp}, nil, nil, "C01X00T47", false},
		{"truncated MRZ name", with(germanPassport(), func(a *Applicant) { a.FullName = "Hubert Blaine Wolfeschlegelsteinhausenbergerdorff" }), []DocumentRead{ppLong}, nil, nil, "C01X00T47", false},
		{"a given name left out, one letter misread", with(germanPassport(), func(a *Applicant) { a.FullName = "Müller" }), []DocumentRead{ppMisread},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldName}, "", false},
		{"another name", with(germanPassport(), func(a *Applicant) { a.FullName = "John Smith" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldName}, "", false},
		{"a given name left out", with(germanPassport(), func(a *Applicant) { a.FullName = "Müller" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldName}, "", false},
		{"another valid number", with(germanPassport(), func(a *Applicant) { a.IDNumber = "C01X00T48" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldDocumentNumber}, "", false},
		{"number typed with spaces and lower case", with(germanPassport(), func(a *Applicant) { a.IDNumber = "c01x 00t47" }), []DocumentRead{pp}, nil, nil, "C01X00T47", false},
		{"O typed for 0", with(germanPassport(), func(a *Applicant) { a.IDNumber = "CO1X00T47" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldDocumentNumber}, "", false},
		{"another date of birth", with(germanPassport(), func(a *Applicant) { a.DateOfBirth = "1983-08-13" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldBirthDate}, "", false},
		{"date of birth a century off", with(germanPassport(), func(a *Applicant) { a.DateOfBirth = "1883-08-12" }), []DocumentRead{pp}, nil, nil, "C01X00T47", false},
		{"no date of birth typed", with(germanPassport(), func(a *Applicant) { a.DateOfBirth = "" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldBirthDate}, "", false},
		{"document without date of birth", germanPassport(), []DocumentRead{ppNoBirth},
			[]reason.Code{reason.DocMissingDOB}, nil, "C01X00T47", false},
		{"another expiry", with(germanPassport(), func(a *Applicant) { a.ExpiryDate = "2034-07-30" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldExpiryDate}, "", false},
		{"expired document, future expiry typed", germanPassport(), []DocumentRead{ppExpired},
			[]reason.Code{reason.DocDataMismatch, reason.DocExpired}, []string{FieldExpiryDate}, "", false},
		{"expired document typed as read", with(germanPassport(), func(a *Applicant) { a.ExpiryDate = "2024-06-30" }), []DocumentRead{ppExpired},
			[]reason.Code{reason.DocExpired}, nil, "C01X00T47", false},
		{"another nationality", with(germanPassport(), func(a *Applicant) { a.Nationality = "AT" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldNationality}, "", false},
		{"another issuing state", with(germanPassport(), func(a *Applicant) { a.IssuingCountry = "AT" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldIssuer}, "", false},
		{"sex typed as read", with(germanPassport(), func(a *Applicant) { a.Sex = "M" }), []DocumentRead{pp}, nil, nil, "C01X00T47", false},
		{"another sex", with(germanPassport(), func(a *Applicant) { a.Sex = "F" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldSex}, "", false},
		{"passport MRZ typed as an ID card", with(germanPassport(), func(a *Applicant) { a.IDType = "id_card" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldDocumentType}, "", false},
		{"passport MRZ typed as a driving licence", with(germanPassport(), func(a *Applicant) { a.IDType = "driving_licence" }), []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldDocumentType}, "", false},
		{"ID card MRZ typed as a passport", germanPassport(), []DocumentRead{idCard},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldDocumentType}, "", false},
		{"everything else", Applicant{Country: "DE", Nationality: "FR", IssuingCountry: "FR", FullName: "Erika Mustermann",
			DateOfBirth: "1964-08-12", IDType: "passport", IDNumber: "L01X00T47", ExpiryDate: "2030-01-01", Sex: "F"}, []DocumentRead{pp},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldDocumentNumber, FieldName, FieldBirthDate, FieldExpiryDate, FieldNationality, FieldIssuer, FieldSex}, "", false},

		// Unreadable zones: never approved, whatever was typed or sent.
		{"passport, no MRZ found", germanPassport(), []DocumentRead{{Kind: ReadNone}},
			[]reason.Code{reason.DocTextUnreadable}, nil, "", false},
		{"passport, no read at all", germanPassport(), nil,
			[]reason.Code{reason.DocTextUnreadable}, nil, "", false},
		{"client MRZ without a read", with(germanPassport(), func(a *Applicant) { a.MRZ = strings.Join(pp.MRZ, "\n") }), []DocumentRead{{Kind: ReadNone}},
			[]reason.Code{reason.DocTextUnreadable}, nil, "", false},
		{"MRZ failing a check digit", germanPassport(), []DocumentRead{ppBadCheck},
			[]reason.Code{reason.DocTextUnreadable}, nil, "", false},
		{"misread MRZ says nothing about the data", with(germanPassport(), func(a *Applicant) { a.FullName = "John Smith" }), []DocumentRead{ppBadCheck},
			[]reason.Code{reason.DocTextUnreadable}, nil, "", false},
		{"visa", germanPassport(), []DocumentRead{visa},
			[]reason.Code{reason.DocTypeUnsupported, reason.DocTextUnreadable}, nil, "", false},

		// ID cards: the MRZ is on the back, the front has a visual zone.
		{"ID card, MRZ on the back", with(germanPassport(), func(a *Applicant) { a.IDType = "id_card" }),
			[]DocumentRead{visual(FieldName), idCard}, nil, nil, "C01X00T47", false},
		{"ID card, typed number not found on the front, MRZ read on the back", with(germanPassport(), func(a *Applicant) { a.IDType = "id_card" }),
			[]DocumentRead{visual(FieldBirthDate), idCard}, nil, nil, "C01X00T47", false},
		{"ID card, back MRZ unreadable", with(germanPassport(), func(a *Applicant) { a.IDType = "id_card" }),
			[]DocumentRead{visual(FieldName), ppBadCheck}, []reason.Code{reason.DocTextUnreadable}, nil, "", false},
		{"sides disagree", germanPassport(),
			[]DocumentRead{pp, td3Read(t, "MUELLER<<JOERG", "C01X00T48", "D", "830812", "M", "340630")},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldDocumentNumber}, "", false},

		// Mainland resident ID: Chinese characters exactly.
		{"mainland long-term card", cn, []DocumentRead{cnFront("王小明", "11010519491231002X", "1949-12-31", "F"), cnBack("", true)},
			nil, nil, "11010519491231002X", false},
		{"mainland number read with lower-case x", cn, []DocumentRead{cnFront("王小明", "11010519491231002x", "1949-12-31", "F"), cnBack("", true)},
			nil, nil, "11010519491231002X", false},
		{"mainland name in the local name", with(cn, func(a *Applicant) { a.FullName, a.LocalName = "WANG XIAOMING", "王小明" }),
			[]DocumentRead{cnFront("王小明", "11010519491231002X", "1949-12-31", "F"), cnBack("", true)}, nil, nil, "11010519491231002X", false},
		{"mainland name in pinyin", with(cn, func(a *Applicant) { a.FullName = "Wang Xiaoming" }),
			[]DocumentRead{cnFront("王小明", "11010519491231002X", "1949-12-31", "F"), cnBack("", true)},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldName}, "", false},
		{"mainland name typed one character off where the reader was sure: review", with(cn, func(a *Applicant) { a.FullName = "王晓明" }),
			[]DocumentRead{cnFront("王小明", "11010519491231002X", "1949-12-31", "F"), cnBack("", true)}, nil, nil, "11010519491231002X", true},
		{"mainland name typed two characters off where the reader was sure: rejected", with(cn, func(a *Applicant) { a.FullName = "王晓敏" }),
			[]DocumentRead{cnFront("王小明", "11010519491231002X", "1949-12-31", "F"), cnBack("", true)},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldName}, "", false},
		{"mainland name typed one character off where the reader was unsure: review", with(cn, func(a *Applicant) { a.FullName = "王晓明" }),
			[]DocumentRead{withAlts(cnFront("王小明", "11010519491231002X", "1949-12-31", "F"), "", "晓", ""), cnBack("", true)},
			nil, nil, "11010519491231002X", true},
		{"someone else's mainland number", with(cn, func(a *Applicant) { a.IDNumber = "110105194912310037" }),
			[]DocumentRead{cnFront("王小明", "11010519491231002X", "1949-12-31", "F"), cnBack("", true)},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldDocumentNumber}, "", false},
		{"mainland long-term card, expiry typed", with(cn, func(a *Applicant) { a.ExpiryDate = "2040-01-01" }),
			[]DocumentRead{cnFront("王小明", "11010519491231002X", "1949-12-31", "F"), cnBack("", true)},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldExpiryDate}, "", false},
		{"mainland card with a validity", cnYoung, []DocumentRead{cnFront("李娜", "110105199003070025", "1990-03-07", "F"), cnBack("2031-05-20", false)},
			nil, nil, "110105199003070025", false},
		{"mainland card expired, future typed", cnYoung, []DocumentRead{cnFront("李娜", "110105199003070025", "1990-03-07", "F"), cnBack("2021-05-20", false)},
			[]reason.Code{reason.DocDataMismatch, reason.DocExpired}, []string{FieldExpiryDate}, "", false},
		{"mainland card, other birth date read", cnYoung, []DocumentRead{cnFront("李娜", "110105199003070025", "2010-03-07", "F"), cnBack("2031-05-20", false)},
			[]reason.Code{reason.DocDataMismatch, reason.Underage}, []string{FieldBirthDate}, "", false},
		{"mainland back not read", cnYoung, []DocumentRead{cnFront("李娜", "110105199003070025", "1990-03-07", "F"), {Kind: ReadNone}},
			[]reason.Code{reason.DocTextUnreadable}, nil, "", false},
		// The back's period must be the one the law gives the holder born
		// on the front's date (cnid.PeriodFitsAge): held-out seed
		// 20281717, 2030 read as 2020 on the back of a card issued at 28.
		{"mainland period that fits the birth date", cnAdult,
			[]DocumentRead{cnFront("李娜", "110105198201130020", "1982-01-13", "F"), cnBackIssued("2010-04-02", "2030-04-02", false)},
			nil, nil, "110105198201130020", false},
		{"mainland period too short for the birth date", cnAdult,
			[]DocumentRead{cnFront("李娜", "110105198201130020", "1982-01-13", "F"), cnBackIssued("2010-04-02", "2020-04-02", false)},
			[]reason.Code{reason.DocTextUnreadable}, nil, "", false},
		{"mainland long-term period at 28", with(cnAdult, func(a *Applicant) { a.ExpiryDate = "" }),
			[]DocumentRead{cnFront("李娜", "110105198201130020", "1982-01-13", "F"), cnBackIssued("2010-04-02", "", true)},
			[]reason.Code{reason.DocTextUnreadable}, nil, "", false},
		{"mainland number not read", cnYoung, []DocumentRead{{Kind: ReadCNIDFront, Expected: true}, cnBack("2031-05-20", false)},
			[]reason.Code{reason.DocTextUnreadable}, nil, "", false},

		// Documents without a machine-readable zone: the typed values are
		// looked for in the visual zone.
		{"licence, everything found", licence, []DocumentRead{visual(FieldDocumentNumber, FieldBirthDate, FieldName), visual()}, nil, nil, "12AB34567", false},
		{"licence, found on different sides", licence, []DocumentRead{visual(FieldBirthDate, FieldName), visual(FieldDocumentNumber)}, nil, nil, "12AB34567", false},
		{"licence, name not printed", licence, []DocumentRead{visual(FieldDocumentNumber, FieldBirthDate), visual()},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldName}, "", false},
		{"licence, number not printed", licence, []DocumentRead{visual(FieldBirthDate, FieldName), visual()},
			[]reason.Code{reason.DocDataMismatch}, []string{FieldDocumentNumber}, "", false},
		{"licence, nothing found", licence, []DocumentRead{visual(), visual()},
			[]reason.Code{reason.DocTextUnreadable}, nil, "", false},
		{"licence, nothing read", licence, []DocumentRead{{Kind: ReadNone}, {Kind: ReadNone}},
			[]reason.Code{reason.DocTextUnreadable}, nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := CompareRead(tc.a, tc.reads, readNow, DefaultDataPolicy())
			if !slices.Equal(got.Reasons, tc.want) || got.OK != (len(tc.want) == 0) {
				t.Errorf("reasons %v ok=%v, want %v", got.Reasons, got.OK, tc.want)
			}
			if !slices.Equal(got.Mismatches, tc.mismatches) {
				t.Errorf("mismatches %v, want %v", got.Mismatches, tc.mismatches)
			}
			if got.Borderline != tc.borderline || got.CheckResult().Borderline != tc.borderline {
				t.Errorf("borderline %v, want %v", got.Borderline, tc.borderline)
			}
			if got.DocumentNumber != tc.number {
				t.Errorf("claimed number %q, want %q", got.DocumentNumber, tc.number)
			}
			for _, f := range got.Mismatches {
				if got.Scores[ScoreMatchPrefix+f] != 0 {
					t.Errorf("score %s%s = %v for a mismatch", ScoreMatchPrefix, f, got.Scores[ScoreMatchPrefix+f])
				}
			}
			if (got.Scores[ScoreReadable] == 1) == slices.Contains(got.Reasons, reason.DocTextUnreadable) {
				t.Errorf("score readable = %v with reasons %v", got.Scores[ScoreReadable], got.Reasons)
			}
		})
	}
}

// TestCompareReadKeepsDataOut checks that nothing read or typed reaches
// the stored form of the result: only codes, field names and 0/1 scores.
func TestCompareReadKeepsDataOut(t *testing.T) {
	a := with(germanPassport(), func(a *Applicant) { a.FullName, a.IDNumber = "John Smith", "C01X00T48" })
	r := CompareRead(a, []DocumentRead{td3Read(t, "MUELLER<<JOERG", "C01X00T47", "D", "830812", "M", "340630")}, readNow, DefaultDataPolicy())
	cr := r.CheckResult()
	for k, v := range cr.Scores {
		if v != 0 && v != 1 {
			t.Errorf("score %s = %v, want 0 or 1", k, v)
		}
		for _, secret := range []string{"C01X00T4", "MUELLER", "SMITH", "830812"} {
			if strings.Contains(strings.ToUpper(k), secret) {
				t.Errorf("score key %q carries data", k)
			}
		}
	}
	if !slices.Equal(cr.Reasons, []reason.Code{reason.DocDataMismatch}) {
		t.Errorf("reasons %v", cr.Reasons)
	}
}

func BenchmarkCompareRead(b *testing.B) {
	pp := td3Read(b, "MUELLER<<JOERG", "C01X00T47", "D", "830812", "M", "340630")
	cn := mainland()
	for _, bc := range []struct {
		name  string
		a     Applicant
		reads []DocumentRead
	}{
		{"passport TD3", germanPassport(), []DocumentRead{pp}},
		{"mainland front and back", cn, []DocumentRead{cnFront("王小明", "11010519491231002X", "1949-12-31", "F"), cnBack("", true)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if r := CompareRead(bc.a, bc.reads, readNow, DefaultDataPolicy()); !r.OK {
					b.Fatal(r.Reasons)
				}
			}
		})
	}
}

func TestCompareReadName(t *testing.T) {
	for _, tc := range []struct {
		name, typed, read string
		alts              []string
		want              NameMatch
	}{
		{"equal, sure", "张鑫", "张鑫", nil, NameAgrees},
		{"equal, uncertain", "张鑫", "张鑫", []string{"", "春讲"}, NameAgrees},
		{"one Han character differs where sure", "张鑫", "张春", nil, NameUncertain},
		{"two differ where sure", "张鑫磊", "张春舌", nil, NameDiffers},
		{"one differs, Latin letters", "ZHANG", "ZHANC", nil, NameDiffers},
		{"one differs where sure, alternatives elsewhere", "张鑫", "张春", []string{"长", ""}, NameUncertain},
		{"differs where unsure, typed an alternative", "张鑫", "张春", []string{"", "讲鑫"}, NameUncertain},
		{"one differs where unsure, typed not an alternative", "张伟", "张春", []string{"", "讲鑫"}, NameUncertain},
		{"two differ where unsure, one typed not an alternative", "张伟磊", "张春舌", []string{"", "讲鑫", "磊"}, NameDiffers},
		{"one unsure without a candidate", "张鑫", "张春", []string{"", "?"}, NameUncertain},
		{"typed a question mark", "张?", "张春", []string{"", "?"}, NameDiffers},
		{"two uncertain characters, both alternatives", "李鑫磊", "李价舌", []string{"", "和鑫", "奉磊"}, NameUncertain},
		{"two differ, one sure", "李鑫磊", "李价舌", []string{"", "和鑫", ""}, NameDiffers},
		{"other length", "李鑫", "李鑫磊", []string{"", "", "舌"}, NameDiffers},
		{"one character dropped at the end", "李鑫磊", "李鑫", nil, NameUncertain},
		{"one character dropped inside", "欧阳涛", "欧涛", nil, NameUncertain},
		{"one character dropped at the start", "罗晓静", "晓静", nil, NameUncertain},
		{"dropped one and another differs", "罗晓静", "晓敬", nil, NameDiffers},
		{"two characters dropped", "欧阳晓静", "欧静", nil, NameDiffers},
		{"two-character name, one dropped", "张鑫", "张", nil, NameUncertain},
		{"one-character name, dropped", "鑫", "", nil, NameDiffers},
		{"dropped one, typed in Latin letters", "ABC", "AB", nil, NameDiffers},
		{"two differ, alternatives of another length", "李鑫磊", "李春舌", []string{"鑫"}, NameDiffers},
		{"pinyin typed", "ZHANG XIN", "张鑫", nil, NameDiffers},
		{"nothing typed", "", "张鑫", []string{"", "春"}, NameDiffers},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CompareReadName(tc.typed, tc.read, tc.alts); got != tc.want {
				t.Errorf("CompareReadName(%q, %q, %q) = %v, want %v", tc.typed, tc.read, tc.alts, got, tc.want)
			}
		})
	}
}

func TestNameUncertain(t *testing.T) {
	for _, tc := range []struct {
		alts []string
		want []int
	}{
		{nil, nil},
		{[]string{"", ""}, nil},
		{[]string{"", "春讲"}, []int{1}},
		{[]string{"?", "", "磊"}, []int{0, 2}},
	} {
		if got := (DocumentRead{NameAlternatives: tc.alts}).NameUncertain(); !slices.Equal(got, tc.want) {
			t.Errorf("NameUncertain(%q) = %v, want %v", tc.alts, got, tc.want)
		}
	}
}

func BenchmarkCompareReadName(b *testing.B) {
	alts := []string{"", "和鑫", "奉磊"}
	for b.Loop() {
		if CompareReadName("李鑫磊", "李价舌", alts) != NameUncertain {
			b.Fatal("not uncertain")
		}
	}
}
