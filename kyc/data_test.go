package kyc

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/kyc/cnid"
	"github.com/kycq/kycq/kyc/reason"
)

// now is the day most cases are checked on.
var now = time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)

// before2012 is a day when the ICAO specimens (expiring 2012-04-15) were
// still valid.
var before2012 = time.Date(2010, 6, 1, 0, 0, 0, 0, time.UTC)

// cnNumber builds a mainland ID number with a valid check character.
func cnNumber(t testing.TB, region, birth, seq string) string {
	body := region + birth + seq
	c, err := cnid.CheckChar(body)
	if err != nil {
		t.Fatal(err)
	}
	return body + string(c)
}

// mrzName returns a TD3 first line for the given name field.
func mrzName(field string) string {
	l := "P<UTO" + field
	return l + strings.Repeat("<", 44-len(l))
}

const (
	td3Line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	td3      = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" + td3Line2
	td1      = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)

func mainland() Applicant {
	return Applicant{Country: "CN", Nationality: "CN", IssuingCountry: "CN", FullName: "王小明",
		DateOfBirth: "1949-12-31", IDType: "cn_resident_id", IDNumber: "11010519491231002X"}
}

func passport() Applicant {
	return Applicant{Country: "SE", Nationality: "SE", IssuingCountry: "SE", FullName: "Anna Maria Eriksson",
		DateOfBirth: "1974-08-12", IDType: "passport", IDNumber: "L898902C3", ExpiryDate: "2012-04-15", MRZ: td3}
}

func TestCheckData(t *testing.T) {
	young := cnNumber(t, "440305", "20000101", "123")
	type tc struct {
		name string
		a    Applicant
		now  time.Time
		want []reason.Code
	}
	with := func(base Applicant, f func(*Applicant)) Applicant { f(&base); return base }
	cases := []tc{
		// Mainland resident ID (GB 11643-1999 example number).
		{"mainland ok, long-term", mainland(), now, nil},
		{"mainland lower-case x and spaces", with(mainland(), func(a *Applicant) { a.IDNumber = "110105 19491231 002x" }), now, nil},
		{"mainland full-width digits", with(mainland(), func(a *Applicant) { a.IDNumber = "１１０１０５１９４９１２３１００２Ｘ" }), now, nil},
		{"Hong Kong full-width, as printed", with(hongKong(), func(a *Applicant) { a.IDNumber = "Ａ１２３４５６（３）" }), now, nil},
		{"mainland pinyin name", with(mainland(), func(a *Applicant) { a.FullName = "Wang Xiaoming" }), now, []reason.Code{reason.NameMismatch}},
		{"mainland pinyin name, Chinese local name", with(mainland(), func(a *Applicant) { a.FullName, a.LocalName = "Wang Xiaoming", "王小明" }), now, nil},
		{"mainland pinyin local name", with(mainland(), func(a *Applicant) { a.LocalName = "Wang Xiaoming" }), now, []reason.Code{reason.NameMismatch}},
		{"mainland name with a space", with(mainland(), func(a *Applicant) { a.FullName = "王 小明" }), now, []reason.Code{reason.NameMismatch}},
		{"mainland one character", with(mainland(), func(a *Applicant) { a.FullName = "王" }), now, []reason.Code{reason.NameMismatch}},
		{"mainland name with middle dot", with(mainland(), func(a *Applicant) { a.FullName = "阿依古丽·买买提" }), now, nil},
		{"mainland name ending with a dot", with(mainland(), func(a *Applicant) { a.FullName = "阿依古丽·" }), now, []reason.Code{reason.NameMismatch}},
		{"mainland mixed script", with(mainland(), func(a *Applicant) { a.FullName = "王xiaoming" }), now, []reason.Code{reason.NameMismatch}},
		{"first generation", with(mainland(), func(a *Applicant) { a.IDNumber = "110105491231002" }), now, []reason.Code{reason.DocTypeUnsupported}},
		{"temporary ID", with(mainland(), func(a *Applicant) { a.IDType, a.ExpiryDate = "cn_temporary_id", "2026-03-01" }), now, []reason.Code{reason.DocTypeUnsupported}},
		{"bad check character", with(mainland(), func(a *Applicant) { a.IDNumber = "110105194912310021" }), now, []reason.Code{reason.DocNumberInvalid}},
		{"embedded birth date differs", with(mainland(), func(a *Applicant) { a.DateOfBirth = "1949-12-30" }), now, []reason.Code{reason.DocNumberInvalid}},
		{"Hong Kong residents' permit number", with(mainland(), func(a *Applicant) { a.IDNumber = cnNumber(t, "810000", "19491231", "002") }), now, []reason.Code{reason.DocTypeUnsupported}},
		{"foreigner's permanent residence number", with(mainland(), func(a *Applicant) { a.IDNumber = cnNumber(t, "931156", "19491231", "002") }), now, []reason.Code{reason.DocTypeUnsupported}},
		{"young, no expiry", with(mainland(), func(a *Applicant) { a.IDNumber, a.DateOfBirth = young, "2000-01-01" }), now, []reason.Code{reason.DocExpired}},
		{"young, valid", with(mainland(), func(a *Applicant) { a.IDNumber, a.DateOfBirth, a.ExpiryDate = young, "2000-01-01", "2030-01-01" }), now, nil},
		{"young, expires today", with(mainland(), func(a *Applicant) { a.IDNumber, a.DateOfBirth, a.ExpiryDate = young, "2000-01-01", "2026-01-15" }), now, nil},
		{"young, expired yesterday", with(mainland(), func(a *Applicant) { a.IDNumber, a.DateOfBirth, a.ExpiryDate = young, "2000-01-01", "2026-01-14" }), now, []reason.Code{reason.DocExpired}},
		{"46 today, no expiry", with(mainland(), func(a *Applicant) {
			a.IDNumber, a.DateOfBirth = cnNumber(t, "440305", "19800115", "123"), "1980-01-15"
		}), now, nil},
		{"46 tomorrow, no expiry", with(mainland(), func(a *Applicant) {
			a.IDNumber, a.DateOfBirth = cnNumber(t, "440305", "19800116", "123"), "1980-01-16"
		}), now, []reason.Code{reason.DocExpired}},

		// Regions.
		{"Hong Kong resident with a mainland ID", with(mainland(), func(a *Applicant) { a.Country = "HK" }), now, []reason.Code{reason.DocTypeUnsupported}},
		{"mainland national with a passport", with(passport(), func(a *Applicant) {
			a.Country, a.Nationality, a.MRZ, a.ExpiryDate = "CN", "CN", "", "2030-01-01"
		}), now, []reason.Code{reason.DocTypeUnsupported}},
		{"foreigner in the mainland with a passport", with(passport(), func(a *Applicant) { a.Country, a.MRZ, a.ExpiryDate = "CN", "", "2030-01-01" }), now, nil},
		{"Chinese national abroad with a mainland ID", with(mainland(), func(a *Applicant) { a.Country = "US" }), now, nil},
		{"mainland ID issued elsewhere", with(mainland(), func(a *Applicant) { a.Country, a.IssuingCountry = "US", "US" }), now, []reason.Code{reason.DocTypeUnsupported}},
		{"generic ID card issued by the mainland", with(mainland(), func(a *Applicant) { a.Country, a.IDType, a.ExpiryDate = "US", "id_card", "2030-01-01" }), now, []reason.Code{reason.DocTypeUnsupported}},
		{"Hong Kong ID", hongKong(), now, nil},
		{"Hong Kong ID without parentheses", with(hongKong(), func(a *Applicant) { a.IDNumber = "A1234563" }), now, nil},
		{"Hong Kong ID two letters", with(hongKong(), func(a *Applicant) { a.IDNumber = "AB987654(3)" }), now, nil},
		{"Hong Kong ID bad check", with(hongKong(), func(a *Applicant) { a.IDNumber = "A123456(4)" }), now, []reason.Code{reason.DocNumberInvalid}},
		{"Hong Kong ID from the mainland", with(hongKong(), func(a *Applicant) { a.IssuingCountry = "CN" }), now, []reason.Code{reason.DocTypeUnsupported}},
		{"Hong Kong resident's permit", with(hongKong(), func(a *Applicant) {
			a.IDType, a.IssuingCountry, a.IDNumber, a.ExpiryDate = "hk_mo_permit", "CN", "H12345678", "2030-01-01"
		}), now, nil},
		{"permit without expiry", with(hongKong(), func(a *Applicant) { a.IDType, a.IssuingCountry, a.IDNumber = "hk_mo_permit", "CN", "H12345678" }), now, []reason.Code{reason.DocExpired}},
		{"permit bad format", with(hongKong(), func(a *Applicant) {
			a.IDType, a.IssuingCountry, a.IDNumber, a.ExpiryDate = "hk_mo_permit", "CN", "X12345678", "2030-01-01"
		}), now, []reason.Code{reason.DocNumberInvalid}},
		{"Taiwan ID", taiwan(), now, nil},
		{"Taiwan ID bad check", with(taiwan(), func(a *Applicant) { a.IDNumber = "A123456788" }), now, []reason.Code{reason.DocNumberInvalid}},
		{"Taiwan ID bad sex digit", with(taiwan(), func(a *Applicant) { a.IDNumber = "A323456789" }), now, []reason.Code{reason.DocNumberInvalid}},
		{"Taiwan resident with a generic ID card", with(taiwan(), func(a *Applicant) { a.IDType = "id_card" }), now, []reason.Code{reason.DocTypeUnsupported}},
		{"Macau ID", with(hongKong(), func(a *Applicant) {
			a.Country, a.IssuingCountry, a.IDType, a.IDNumber, a.ExpiryDate = "MO", "MO", "mo_id", "1234567(8)", "2030-01-01"
		}), now, nil},
		{"unknown type", with(passport(), func(a *Applicant) { a.IDType, a.MRZ, a.ExpiryDate = "library_card", "", "2030-01-01" }), now, []reason.Code{reason.DocTypeUnsupported}},

		// Date of birth and age.
		{"no date of birth", with(mainland(), func(a *Applicant) { a.DateOfBirth = "" }), now, []reason.Code{reason.DocMissingDOB}},
		{"garbled date of birth", with(mainland(), func(a *Applicant) { a.DateOfBirth = "31/12/1949" }), now, []reason.Code{reason.DocMissingDOB}},
		{"born in the future", with(idCard(), func(a *Applicant) { a.DateOfBirth = "2027-01-01" }), now, []reason.Code{reason.DocNumberInvalid}},
		{"121 years old", with(idCard(), func(a *Applicant) { a.DateOfBirth = "1904-01-15" }), now, []reason.Code{reason.DocNumberInvalid}},
		{"120 years old", with(idCard(), func(a *Applicant) { a.DateOfBirth = "1906-01-15" }), now, nil},
		{"18 today", with(idCard(), func(a *Applicant) { a.DateOfBirth = "2008-01-15" }), now, nil},
		{"18 tomorrow", with(idCard(), func(a *Applicant) { a.DateOfBirth = "2008-01-16" }), now, []reason.Code{reason.Underage}},

		// Expiry.
		{"passport without expiry", with(passport(), func(a *Applicant) { a.MRZ, a.ExpiryDate = "", "" }), now, []reason.Code{reason.DocExpired}},
		{"passport expired", with(passport(), func(a *Applicant) { a.MRZ = "" }), now, []reason.Code{reason.DocExpired}},
		{"ID card without expiry", idCard(), now, nil},
		{"garbled expiry", with(idCard(), func(a *Applicant) { a.ExpiryDate = "soon" }), now, []reason.Code{reason.DocExpired}},
		{"passport number too long", with(passport(), func(a *Applicant) { a.MRZ, a.IDNumber = "", "L898902C31" }), before2012, []reason.Code{reason.DocNumberInvalid}},
		{"number with symbols", with(idCard(), func(a *Applicant) { a.IDNumber = "D2314.5890" }), now, []reason.Code{reason.DocNumberInvalid}},

		// MRZ (ICAO 9303 specimens).
		{"MRZ TD3", passport(), before2012, nil},
		{"MRZ TD3 surname first", with(passport(), func(a *Applicant) { a.FullName = "ERIKSSON Anna Maria" }), before2012, nil},
		{"MRZ TD3 comma", with(passport(), func(a *Applicant) { a.FullName = "Eriksson, Anna Maria" }), before2012, nil},
		{"MRZ TD1 ID card", with(passport(), func(a *Applicant) { a.IDType, a.IDNumber, a.MRZ = "id_card", "D23145890", td1 }), before2012, nil},
		{"MRZ bad check digit", with(passport(), func(a *Applicant) { a.MRZ = strings.Replace(td3, "L898902C36", "L898902C35", 1) }), before2012, []reason.Code{reason.DocNumberInvalid}},
		{"MRZ unreadable", with(passport(), func(a *Applicant) { a.MRZ = "P<UTO" }), before2012, []reason.Code{reason.DocNumberInvalid}},
		{"MRZ other number", with(passport(), func(a *Applicant) { a.IDNumber = "L898902C4" }), before2012, []reason.Code{reason.DocNumberInvalid}},
		{"MRZ other birth date", with(passport(), func(a *Applicant) { a.DateOfBirth = "1974-08-13" }), before2012, []reason.Code{reason.DocNumberInvalid}},
		{"MRZ other century", with(passport(), func(a *Applicant) { a.DateOfBirth = "1874-08-12" }), before2012, []reason.Code{reason.DocNumberInvalid}},
		{"MRZ other expiry", with(passport(), func(a *Applicant) { a.ExpiryDate = "2012-04-16" }), before2012, []reason.Code{reason.DocNumberInvalid}},
		{"MRZ expiry not entered", with(passport(), func(a *Applicant) { a.ExpiryDate = "" }), before2012, []reason.Code{reason.DocNumberInvalid, reason.DocExpired}},
		{"MRZ of a passport for an ID card", with(passport(), func(a *Applicant) { a.IDType = "id_card" }), before2012, []reason.Code{reason.DocNumberInvalid}},
		{"MRZ of an ID card for a passport", with(passport(), func(a *Applicant) { a.IDNumber, a.MRZ = "D23145890", td1 }), before2012, []reason.Code{reason.DocNumberInvalid}},
		{"MRZ of a visa", with(passport(), func(a *Applicant) { a.MRZ = "V" + td3[1:] }), before2012, []reason.Code{reason.DocTypeUnsupported}},
		{"MRZ name missing a given name", with(passport(), func(a *Applicant) { a.FullName = "Anna Eriksson" }), before2012, []reason.Code{reason.NameMismatch}},
		{"MRZ name without space", with(passport(), func(a *Applicant) { a.FullName = "AnnaMaria Eriksson" }), before2012, []reason.Code{reason.NameMismatch}},
		{"MRZ name in another order", with(passport(), func(a *Applicant) { a.FullName = "Maria Anna Eriksson" }), before2012, []reason.Code{reason.NameMismatch}},
		{"MRZ name in another script", with(passport(), func(a *Applicant) { a.FullName = "Анна Мария Эрикссон" }), before2012, []reason.Code{reason.NameMismatch}},
		{"MRZ name, hyphen for space", with(passport(), func(a *Applicant) { a.FullName = "Anna-Maria Eriksson" }), before2012, nil},
		{"MRZ umlaut as AE", with(passport(), func(a *Applicant) {
			a.FullName, a.MRZ = "Jürgen Müller", mrzName("MUELLER<<JUERGEN")+"\n"+td3Line2
		}), before2012, nil},
		{"MRZ umlaut as plain letter", with(passport(), func(a *Applicant) {
			a.FullName, a.MRZ = "Jürgen Müller", mrzName("MULLER<<JURGEN")+"\n"+td3Line2
		}), before2012, nil},
		{"MRZ umlaut dropped by the user", with(passport(), func(a *Applicant) {
			a.FullName, a.MRZ = "Jurgen Muller", mrzName("MUELLER<<JUERGEN")+"\n"+td3Line2
		}), before2012, []reason.Code{reason.NameMismatch}},
		{"MRZ accents and apostrophe", with(passport(), func(a *Applicant) {
			a.FullName, a.MRZ = "Zoë O'Brien-Núñez", mrzName("OBRIEN<NUNEZ<<ZOE")+"\n"+td3Line2
		}), before2012, nil},
		{"MRZ sharp s and ligature", with(passport(), func(a *Applicant) {
			a.FullName, a.MRZ = "Æsa Straße", mrzName("STRASSE<<AESA")+"\n"+td3Line2
		}), before2012, nil},
		{"MRZ truncated name", with(passport(), func(a *Applicant) {
			a.FullName = "Alexandra Josephine Vandermeulenberghemansky"
			a.MRZ = "P<UTOVANDERMEULENBERGHEMANSKY<<ALEXANDRA<JOS\n" + td3Line2
		}), before2012, nil},
		{"MRZ truncated name, other surname", with(passport(), func(a *Applicant) {
			a.FullName = "Alexandra Josephine Vandermeulenberghemanska"
			a.MRZ = "P<UTOVANDERMEULENBERGHEMANSKY<<ALEXANDRA<JOS\n" + td3Line2
		}), before2012, []reason.Code{reason.NameMismatch}},

		// Names.
		{"name with digits", with(idCard(), func(a *Applicant) { a.FullName = "Anna 2 Eriksson" }), now, []reason.Code{reason.NameMismatch}},
		{"blank name", with(idCard(), func(a *Applicant) { a.FullName = "  " }), now, []reason.Code{reason.NameMismatch}},
		{"name with symbols", with(idCard(), func(a *Applicant) { a.FullName = "Anna <script>" }), now, []reason.Code{reason.NameMismatch}},
		{"local name with digits", with(idCard(), func(a *Applicant) { a.LocalName = "Анна1" }), now, []reason.Code{reason.NameMismatch}},
		{"local name in another script", with(idCard(), func(a *Applicant) { a.LocalName = "Анна Мария Эрикссон" }), now, nil},

		// Several failures at once, every code reported in a fixed order.
		{"everything wrong", Applicant{Country: "CN", Nationality: "CN", IssuingCountry: "CN", FullName: "Wang 2",
			DateOfBirth: "2010-01-01", IDType: "cn_resident_id", IDNumber: cnNumber(t, "440305", "20100102", "123"), ExpiryDate: "2020-01-01"},
			now, []reason.Code{reason.DocNumberInvalid, reason.Underage, reason.DocExpired, reason.NameMismatch}},
		{"empty applicant", Applicant{}, now, []reason.Code{reason.DocTypeUnsupported, reason.DocMissingDOB, reason.DocExpired, reason.NameMismatch}},
	}
	for _, c := range cases {
		got := CheckData(c.a, c.now, DefaultDataPolicy())
		if !slices.Equal(got.Reasons, c.want) || got.OK != (len(c.want) == 0) {
			t.Errorf("%s: got %v (ok=%v), want %v", c.name, got.Reasons, got.OK, c.want)
		}
	}
}

func idCard() Applicant {
	return Applicant{Country: "SE", Nationality: "SE", IssuingCountry: "SE", FullName: "Anna Maria Eriksson",
		DateOfBirth: "1974-08-12", IDType: "id_card", IDNumber: "D23145890"}
}

func hongKong() Applicant {
	return Applicant{Country: "HK", Nationality: "CN", IssuingCountry: "HK", FullName: "Chan Tai Man",
		DateOfBirth: "1980-05-01", IDType: "hk_id", IDNumber: "A123456(3)"}
}

func taiwan() Applicant {
	return Applicant{Country: "TW", Nationality: "TW", IssuingCountry: "TW", FullName: "陳大文",
		DateOfBirth: "1980-05-01", IDType: "tw_id", IDNumber: "A123456789"}
}

func TestCheckDataScores(t *testing.T) {
	r := CheckData(passport(), before2012, DataPolicy{})
	if r.Scores[ScoreMRZChecked] != 1 || r.Scores[ScoreNameChecked] != 1 || r.Scores[ScoreLongTerm] != 0 {
		t.Fatalf("passport scores %v", r.Scores)
	}
	r = CheckData(mainland(), now, DataPolicy{})
	if r.Scores[ScoreMRZChecked] != 0 || r.Scores[ScoreLongTerm] != 1 {
		t.Fatalf("mainland scores %v", r.Scores)
	}
	for k, v := range r.Scores {
		if v != 0 && v != 1 {
			t.Fatalf("score %s = %v, want 0 or 1", k, v)
		}
	}
	if cr := r.CheckResult(); !cr.OK || len(cr.Reasons) != 0 || cr.Check != "" {
		t.Fatalf("CheckResult %+v", cr)
	}
}

func TestCheckDataPolicy(t *testing.T) {
	a := idCard()
	a.Country, a.DateOfBirth = "KR", "2007-01-15" // 19 on the day
	if r := CheckData(a, now, DefaultDataPolicy()); !r.OK {
		t.Fatalf("19-year-old refused by default: %v", r.Reasons)
	}
	p := DefaultDataPolicy()
	p.MajorityByCountry = map[string]int{"KR": 20}
	if r := CheckData(a, now, p); !slices.Equal(r.Reasons, []reason.Code{reason.Underage}) {
		t.Fatalf("country override: %v", r.Reasons)
	}
	a.Country = "SE"
	if r := CheckData(a, now, p); !r.OK {
		t.Fatalf("override leaked to another country: %v", r.Reasons)
	}
	p = DataPolicy{AgeOfMajority: 21, MaxAge: 100}
	if r := CheckData(a, now, p); !slices.Equal(r.Reasons, []reason.Code{reason.Underage}) {
		t.Fatalf("age of majority 21: %v", r.Reasons)
	}
	a.DateOfBirth = "1925-01-01"
	if r := CheckData(a, now, p); !slices.Equal(r.Reasons, []reason.Code{reason.DocNumberInvalid}) {
		t.Fatalf("max age 100: %v", r.Reasons)
	}
}

func TestLeapDayBirthday(t *testing.T) {
	a := idCard()
	a.DateOfBirth = "2008-02-29"
	for _, c := range []struct {
		day   string
		adult bool
	}{{"2026-02-28", false}, {"2026-03-01", true}} {
		d, _ := time.Parse(DateLayout, c.day)
		if r := CheckData(a, d, DataPolicy{}); r.OK != c.adult {
			t.Errorf("on %s: %v", c.day, r.Reasons)
		}
	}
}

func TestCheckDataIsDeterministic(t *testing.T) {
	for i := range 3 {
		a := passport()
		a.FullName = fmt.Sprint("Ann", strings.Repeat("ä", i))
		first := CheckData(a, before2012, DataPolicy{})
		for range 5 {
			if again := CheckData(a, before2012, DataPolicy{}); !slices.Equal(first.Reasons, again.Reasons) {
				t.Fatal("CheckData is not deterministic")
			}
		}
	}
}
