// Package mrz parses the machine-readable zone (MRZ) of ICAO Doc 9303
// travel documents — TD1 (ID-1 cards, 3 lines of 30 characters), TD2
// (2 lines of 36) and TD3 (passport booklets, 2 lines of 44) — and verifies
// every check digit, the composite one included.
//
// Errors never quote the MRZ: it is personal data. They name the field at
// fault only.
package mrz

import (
	"errors"
	"fmt"
	"strings"
)

// Format is the size class of a machine-readable zone.
type Format string

const (
	TD1 Format = "TD1" // 3 lines × 30: ID cards, residence permits
	TD2 Format = "TD2" // 2 lines × 36: older ID cards
	TD3 Format = "TD3" // 2 lines × 44: passports
)

// MRZ is a parsed machine-readable zone whose check digits all verified.
// Every field is in the MRZ alphabet (A–Z, 0–9, '<').
type MRZ struct {
	Format       Format
	DocumentCode string // the first two characters, fillers removed: "P", "I", "ID", "AC"…
	IssuingState string // ICAO code of the issuing state or organisation, fillers removed ("UTO", "D")
	// Primary and Secondary are the components of the name: the primary
	// identifier (surname) and the secondary identifier (given names).
	Primary   []string
	Secondary []string
	// NameFull reports that the name field is used up to its last
	// character, so the name may have been truncated (ICAO 9303 Part 3).
	NameFull       bool
	DocumentNumber string // fillers removed; includes the extension of a long TD1/TD2 number
	Nationality    string // fillers removed
	BirthDate      string // YYMMDD as printed; '<' where a part is unknown
	Sex            byte   // 'M', 'F', 'X' or '<'
	ExpiryDate     string // YYMMDD
	OptionalData   string // fillers trimmed; after the number extension, if any
	OptionalData2  string // TD1 line 2 only
}

// ErrFormat is returned for text that is not a TD1, TD2 or TD3 zone: wrong
// number or length of lines, or characters outside the MRZ alphabet.
var ErrFormat = errors.New("mrz: not a TD1, TD2 or TD3 machine-readable zone")

// ErrUnsupported is returned for a machine-readable visa (document code
// 'V'): it has no composite check digit and is not an identity document.
var ErrUnsupported = errors.New("mrz: machine-readable visas are not supported")

// Field names used in errors.
const (
	FieldDocumentNumber = "document_number"
	FieldBirthDate      = "birth_date"
	FieldExpiryDate     = "expiry_date"
	FieldOptionalData   = "optional_data"
	FieldComposite      = "composite"
	FieldDocumentCode   = "document_code"
)

// CheckError reports a check digit that does not match its field.
type CheckError struct{ Field string }

func (e *CheckError) Error() string { return "mrz: check digit of " + e.Field + " does not match" }

// FieldError reports a field whose content is malformed (a date that is
// not a date, a missing document number).
type FieldError struct{ Field, Problem string }

func (e *FieldError) Error() string { return "mrz: " + e.Field + " " + e.Problem }

// Parse reads a machine-readable zone. Lines may be separated by "\n" or
// "\r\n" and surrounding spaces are ignored; the lines may also be given
// run together as one line of 90 (TD1), 72 (TD2) or 88 (TD3) characters.
// Lower-case letters are not accepted: the MRZ alphabet is upper case.
func Parse(s string) (*MRZ, error) {
	lines, err := split(s)
	if err != nil {
		return nil, err
	}
	switch {
	case len(lines) == 3 && len(lines[0]) == 30 && len(lines[1]) == 30 && len(lines[2]) == 30:
		return parseTD1(lines)
	case len(lines) == 2 && len(lines[0]) == 36 && len(lines[1]) == 36:
		return parseTD2(lines)
	case len(lines) == 2 && len(lines[0]) == 44 && len(lines[1]) == 44:
		return parseTD3(lines)
	}
	return nil, ErrFormat
}

// split cuts the text into lines and checks the alphabet.
func split(s string) ([]string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	var lines []string
	for l := range strings.SplitSeq(s, "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	if len(lines) == 1 {
		switch l := lines[0]; len(l) {
		case 90:
			lines = []string{l[:30], l[30:60], l[60:]}
		case 72:
			lines = []string{l[:36], l[36:]}
		case 88:
			lines = []string{l[:44], l[44:]}
		}
	}
	for _, l := range lines {
		for i := 0; i < len(l); i++ {
			if _, ok := value(l[i]); !ok {
				return nil, ErrFormat
			}
		}
	}
	return lines, nil
}

// header parses the document code and issuing state common to every
// format (positions 1–5 of the first line).
func header(l string, m *MRZ) error {
	if l[0] < 'A' || l[0] > 'Z' {
		return &FieldError{FieldDocumentCode, "does not start with a letter"}
	}
	if l[0] == 'V' {
		return ErrUnsupported
	}
	m.DocumentCode = strings.TrimRight(l[0:2], "<")
	m.IssuingState = strings.Trim(l[2:5], "<")
	return nil
}

func parseTD1(l []string) (*MRZ, error) {
	m := &MRZ{Format: TD1}
	if err := header(l[0], m); err != nil {
		return nil, err
	}
	num, opt, err := number(l[0][5:14], l[0][14], l[0][15:30])
	if err != nil {
		return nil, err
	}
	m.DocumentNumber, m.OptionalData = num, opt
	if err := m.dates(l[1][0:6], l[1][6], l[1][8:14], l[1][14]); err != nil {
		return nil, err
	}
	m.Sex = l[1][7]
	m.Nationality = strings.Trim(l[1][15:18], "<")
	m.OptionalData2 = strings.Trim(l[1][18:29], "<")
	if !verify(l[0][5:30]+l[1][0:7]+l[1][8:15]+l[1][18:29], l[1][29], false) {
		return nil, &CheckError{FieldComposite}
	}
	m.name(l[2])
	return m, nil
}

func parseTD2(l []string) (*MRZ, error) {
	m := &MRZ{Format: TD2}
	if err := header(l[0], m); err != nil {
		return nil, err
	}
	m.name(l[0][5:36])
	b := l[1]
	num, opt, err := number(b[0:9], b[9], b[28:35])
	if err != nil {
		return nil, err
	}
	m.DocumentNumber, m.OptionalData = num, opt
	m.Nationality = strings.Trim(b[10:13], "<")
	if err := m.dates(b[13:19], b[19], b[21:27], b[27]); err != nil {
		return nil, err
	}
	m.Sex = b[20]
	if !verify(b[0:10]+b[13:20]+b[21:35], b[35], false) {
		return nil, &CheckError{FieldComposite}
	}
	return m, nil
}

func parseTD3(l []string) (*MRZ, error) {
	m := &MRZ{Format: TD3}
	if err := header(l[0], m); err != nil {
		return nil, err
	}
	m.name(l[0][5:44])
	b := l[1]
	m.DocumentNumber = strings.TrimRight(b[0:9], "<")
	if m.DocumentNumber == "" {
		return nil, &FieldError{FieldDocumentNumber, "is empty"}
	}
	if !verify(b[0:9], b[9], false) {
		return nil, &CheckError{FieldDocumentNumber}
	}
	m.Nationality = strings.Trim(b[10:13], "<")
	if err := m.dates(b[13:19], b[19], b[21:27], b[27]); err != nil {
		return nil, err
	}
	m.Sex = b[20]
	m.OptionalData = strings.TrimRight(b[28:42], "<")
	if !verify(b[28:42], b[42], true) {
		return nil, &CheckError{FieldOptionalData}
	}
	if !verify(b[0:10]+b[13:20]+b[21:43], b[43], false) {
		return nil, &CheckError{FieldComposite}
	}
	return m, nil
}

// number reads the document number of a TD1 or TD2 zone. A number longer
// than 9 characters has its first 9 in the number field, a filler in the
// check digit's place, and the rest followed by the check digit at the
// start of the optional data (ICAO 9303 Parts 5 and 6). It returns the
// number and what remains of the optional data.
func number(field string, check byte, opt string) (num, rest string, err error) {
	if check != '<' {
		num = strings.TrimRight(field, "<")
		if num == "" {
			return "", "", &FieldError{FieldDocumentNumber, "is empty"}
		}
		if !verify(field, check, false) {
			return "", "", &CheckError{FieldDocumentNumber}
		}
		return num, strings.Trim(opt, "<"), nil
	}
	ext, _, _ := strings.Cut(opt, "<")
	if len(ext) < 2 || strings.Contains(field, "<") {
		return "", "", &FieldError{FieldDocumentNumber, "has no check digit"}
	}
	num = field + ext[:len(ext)-1]
	if !verify(num, ext[len(ext)-1], false) {
		return "", "", &CheckError{FieldDocumentNumber}
	}
	return num, strings.Trim(opt[len(ext):], "<"), nil
}

// dates reads and verifies the birth and expiry dates.
func (m *MRZ) dates(birth string, birthCheck byte, expiry string, expiryCheck byte) error {
	if !datePlausible(birth, true) {
		return &FieldError{FieldBirthDate, "is not a date"}
	}
	if !verify(birth, birthCheck, true) {
		return &CheckError{FieldBirthDate}
	}
	if !datePlausible(expiry, false) {
		return &FieldError{FieldExpiryDate, "is not a date"}
	}
	if !verify(expiry, expiryCheck, false) {
		return &CheckError{FieldExpiryDate}
	}
	m.BirthDate, m.ExpiryDate = birth, expiry
	return nil
}

// datePlausible checks a YYMMDD field: digits forming a calendar date, or,
// when unknownOK, with "<<" for each unknown part (ICAO 9303 Part 3).
func datePlausible(d string, unknownOK bool) bool {
	parts := [3]int{}
	for i := range 3 {
		p := d[2*i : 2*i+2]
		if unknownOK && p == "<<" {
			parts[i] = -1
			continue
		}
		if p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' {
			return false
		}
		parts[i] = int(p[0]-'0')*10 + int(p[1]-'0')
	}
	yy, mm, dd := parts[0], parts[1], parts[2]
	if mm == 0 || mm > 12 || dd == 0 || dd > 31 {
		return false
	}
	if mm > 0 && dd > 0 {
		days := [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
		if dd > days[mm] {
			return false
		}
		// 29 February needs a leap year; "00" may be 2000, a leap year.
		if mm == 2 && dd == 29 && yy >= 0 && yy%4 != 0 {
			return false
		}
	}
	return true
}

// name splits a name field into its primary and secondary identifiers.
func (m *MRZ) name(field string) {
	m.NameFull = field[len(field)-1] != '<'
	primary, secondary, _ := strings.Cut(strings.TrimRight(field, "<"), "<<")
	m.Primary = components(primary)
	m.Secondary = components(secondary)
}

func components(s string) []string {
	var out []string
	for c := range strings.SplitSeq(s, "<") {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

// String describes the zone without any personal data.
func (m *MRZ) String() string {
	return fmt.Sprintf("mrz.MRZ{%s %s}", m.Format, m.DocumentCode)
}
