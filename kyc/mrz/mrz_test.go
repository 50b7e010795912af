package mrz

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// The specimens below are the fictitious "Utopia" (UTO) documents printed
// in ICAO Doc 9303 (Part 3 Appendix A for check digits; Part 4, 5 and 6
// Appendix A for TD3, TD1 and TD2; Part 11 Appendix D for long document
// numbers), plus a zone with Germany's one-letter state code. See
// testdata/README.md.
var (
	td3Specimen = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
	td1Specimen = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	td1Long     = "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<"
	td2Specimen = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
	td2Long     = "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<\nD23145890<UTO3407127M95071227349<<<8"
	td3German   = "P<D<<SCHMIDT<<FINN<<<<<<<<<<<<<<<<<<<<<<<<<<\nAA89BXHZ56D<<7503201M2511188<<<<<<<<<<<<<<<8"
)

func TestCheckDigitICAOExamples(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"520727", 3},
		{"AB2134<<<", 5},
		{"HA672242<658022549601086<<<<<<<<<<<<<<0", 8},
		{"D231458907<<<<<<<<<<<<<<<34071279507122<<<<<<<<<<<", 2},
		{"HA672242<658022549601086<<<<<<<0", 8},
		{"L898902C3", 6},
		{"740812", 2},
		{"120415", 9},
		{"", 0},
	} {
		got, err := CheckDigit(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("CheckDigit(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	if _, err := CheckDigit("ab"); err == nil {
		t.Error("CheckDigit accepted lower case")
	}
}

func TestParseSpecimens(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want MRZ
	}{
		{"TD3", td3Specimen, MRZ{Format: TD3, DocumentCode: "P", IssuingState: "UTO",
			Primary: []string{"ERIKSSON"}, Secondary: []string{"ANNA", "MARIA"},
			DocumentNumber: "L898902C3", Nationality: "UTO", BirthDate: "740812", Sex: 'F',
			ExpiryDate: "120415", OptionalData: "ZE184226B"}},
		{"TD1", td1Specimen, MRZ{Format: TD1, DocumentCode: "I", IssuingState: "UTO",
			Primary: []string{"ERIKSSON"}, Secondary: []string{"ANNA", "MARIA"},
			DocumentNumber: "D23145890", Nationality: "UTO", BirthDate: "740812", Sex: 'F',
			ExpiryDate: "120415"}},
		{"TD1 long number", td1Long, MRZ{Format: TD1, DocumentCode: "I", IssuingState: "UTO",
			Primary: []string{"STEVENSON"}, Secondary: []string{"PETER", "JOHN"},
			DocumentNumber: "D23145890734", Nationality: "UTO", BirthDate: "340712", Sex: 'M',
			ExpiryDate: "950712"}},
		{"TD2", td2Specimen, MRZ{Format: TD2, DocumentCode: "I", IssuingState: "UTO",
			Primary: []string{"ERIKSSON"}, Secondary: []string{"ANNA", "MARIA"},
			DocumentNumber: "D23145890", Nationality: "UTO", BirthDate: "740812", Sex: 'F',
			ExpiryDate: "120415"}},
		{"TD2 long number", td2Long, MRZ{Format: TD2, DocumentCode: "I", IssuingState: "UTO",
			Primary: []string{"STEVENSON"}, Secondary: []string{"PETER", "JOHN"},
			DocumentNumber: "D23145890734", Nationality: "UTO", BirthDate: "340712", Sex: 'M',
			ExpiryDate: "950712"}},
		{"TD3 one-letter state", td3German, MRZ{Format: TD3, DocumentCode: "P", IssuingState: "D",
			Primary: []string{"SCHMIDT"}, Secondary: []string{"FINN"},
			DocumentNumber: "AA89BXHZ5", Nationality: "D", BirthDate: "750320", Sex: 'M',
			ExpiryDate: "251118"}},
	} {
		for _, form := range []struct{ name, in string }{
			{"lines", tc.in},
			{"crlf", strings.ReplaceAll(tc.in, "\n", "\r\n")},
			{"run together", strings.ReplaceAll(tc.in, "\n", "")},
			{"padded", "  " + strings.ReplaceAll(tc.in, "\n", " \n ") + "\n"},
		} {
			got, err := Parse(form.in)
			if err != nil {
				t.Errorf("%s/%s: %v", tc.name, form.name, err)
				continue
			}
			if !equal(*got, tc.want) {
				t.Errorf("%s/%s:\n got %+v\nwant %+v", tc.name, form.name, *got, tc.want)
			}
		}
	}
}

func equal(a, b MRZ) bool {
	return a.Format == b.Format && a.DocumentCode == b.DocumentCode && a.IssuingState == b.IssuingState &&
		slices.Equal(a.Primary, b.Primary) && slices.Equal(a.Secondary, b.Secondary) && a.NameFull == b.NameFull &&
		a.DocumentNumber == b.DocumentNumber && a.Nationality == b.Nationality && a.BirthDate == b.BirthDate &&
		a.Sex == b.Sex && a.ExpiryDate == b.ExpiryDate && a.OptionalData == b.OptionalData && a.OptionalData2 == b.OptionalData2
}

// change returns in with the character at line l, column c (0-based)
// replaced.
func change(in string, l, c int, r byte) string {
	lines := strings.Split(in, "\n")
	b := []byte(lines[l])
	b[c] = r
	lines[l] = string(b)
	return strings.Join(lines, "\n")
}

func TestParseRejectsBadCheckDigits(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		field string
	}{
		{"TD3 number", change(td3Specimen, 1, 9, '5'), FieldDocumentNumber},
		{"TD3 number altered", change(td3Specimen, 1, 0, 'M'), FieldDocumentNumber},
		{"TD3 birth", change(td3Specimen, 1, 19, '3'), FieldBirthDate},
		{"TD3 birth altered", change(td3Specimen, 1, 17, '2'), FieldBirthDate},
		{"TD3 expiry", change(td3Specimen, 1, 27, '8'), FieldExpiryDate},
		{"TD3 optional", change(td3Specimen, 1, 42, '2'), FieldOptionalData},
		{"TD3 composite", change(td3Specimen, 1, 43, '2'), FieldComposite},
		{"TD3 optional altered", change(td3Specimen, 1, 30, 'F'), FieldOptionalData},
		{"TD1 number", change(td1Specimen, 0, 14, '2'), FieldDocumentNumber},
		{"TD1 birth", change(td1Specimen, 1, 6, '3'), FieldBirthDate},
		{"TD1 expiry", change(td1Specimen, 1, 14, '8'), FieldExpiryDate},
		{"TD1 composite", change(td1Specimen, 1, 29, '5'), FieldComposite},
		// 'A' (value 10) for '<' at a weight-1 position is invisible to the
		// 7-3-1 scheme; 'B' is not.
		{"TD1 optional altered", change(td1Specimen, 1, 20, 'B'), FieldComposite},
		{"TD1 long number", change(td1Long, 0, 18, '8'), FieldDocumentNumber},
		{"TD2 number", change(td2Specimen, 1, 9, '8'), FieldDocumentNumber},
		{"TD2 birth", change(td2Specimen, 1, 19, '3'), FieldBirthDate},
		{"TD2 expiry", change(td2Specimen, 1, 27, '8'), FieldExpiryDate},
		{"TD2 composite", change(td2Specimen, 1, 35, '7'), FieldComposite},
		{"TD2 long number", change(td2Long, 1, 31, '8'), FieldDocumentNumber},
	} {
		_, err := Parse(tc.in)
		var ce *CheckError
		if !errors.As(err, &ce) || ce.Field != tc.field {
			t.Errorf("%s: err = %v, want a check error on %s", tc.name, err, tc.field)
		}
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrFormat},
		{"lower case", strings.ToLower(td3Specimen), ErrFormat},
		{"one line short", td3Specimen[:87], ErrFormat},
		{"three lines of TD3", td3Specimen + "\n" + td3Specimen[:44], ErrFormat},
		{"mixed lengths", td3Specimen[:44] + "\n" + td2Specimen[37:], ErrFormat},
		{"symbols", strings.Replace(td3Specimen, "ANNA", "AN-A", 1), ErrFormat},
		{"unicode", strings.Replace(td3Specimen, "ANNA", "ÄNA", 1), ErrFormat},
		{"visa", "V" + td3Specimen[1:], ErrUnsupported},
	} {
		if _, err := Parse(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct {
		name  string
		in    string
		field string
	}{
		{"digit code", "1" + td3Specimen[1:], FieldDocumentCode},
		{"month 13", change(change(td3Specimen, 1, 15, '1'), 1, 16, '3'), FieldBirthDate},
		{"expiry unknown", change(change(td3Specimen, 1, 21, '<'), 1, 22, '<'), FieldExpiryDate},
		{"30 February", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7402300F1204159ZE184226B<<<<<10", FieldBirthDate},
		{"empty number", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n<<<<<<<<<0UTO7408122F1204159ZE184226B<<<<<10", FieldDocumentNumber},
		{"long number without check", "I<UTOD23145890<7<<<<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<", FieldDocumentNumber},
	} {
		_, err := Parse(tc.in)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: err = %v, want a field error on %s", tc.name, err, tc.field)
		}
	}
}

func TestParseUnknownBirthParts(t *testing.T) {
	// ICAO allows fillers for an unknown day or month; the check digit
	// counts them as 0.
	l2 := []byte("L898902C36UTO7408<<<F1204159ZE184226B<<<<<10")
	d, _ := CheckDigit(string(l2[13:19]))
	l2[19] = byte('0' + d)
	c, _ := CheckDigit(string(l2[0:10]) + string(l2[13:20]) + string(l2[21:43]))
	l2[43] = byte('0' + c)
	m, err := Parse(td3Specimen[:44] + "\n" + string(l2))
	if err != nil {
		t.Fatal(err)
	}
	if m.BirthDate != "7408<<" {
		t.Fatalf("birth date %q", m.BirthDate)
	}
}

func TestNameFull(t *testing.T) {
	// A name using the field up to its last character may be truncated.
	l1 := "P<UTOVANDERMEULENBERGHEMANSKY<<ALEXANDRAJO"
	l1 += strings.Repeat("A", 44-len(l1))
	m, err := Parse(l1 + "\n" + td3Specimen[45:])
	if err != nil {
		t.Fatal(err)
	}
	if !m.NameFull {
		t.Fatal("NameFull not set for a full name field")
	}
	if m, _ := Parse(td3Specimen); m.NameFull {
		t.Fatal("NameFull set for a short name")
	}
}

func TestStringHidesPersonalData(t *testing.T) {
	m, _ := Parse(td3Specimen)
	if s := m.String(); strings.Contains(s, "ERIKSSON") || strings.Contains(s, "L898902C3") {
		t.Fatalf("String leaks: %s", s)
	}
	_, err := Parse(change(td3Specimen, 1, 9, '5'))
	if strings.Contains(err.Error(), "L898902C3") {
		t.Fatalf("error leaks: %v", err)
	}
}
