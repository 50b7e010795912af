package mrz

import "strings"

// Machine-readable visa formats (ICAO 9303 Part 7).
const (
	MRVA Format = "MRV-A" // 2 lines × 44
	MRVB Format = "MRV-B" // 2 lines × 36
)

// ParseVisa reads the machine-readable zone of a visa (document code
// 'V'): MRV-A (2 × 44) or MRV-B (2 × 36). A visa has check digits on the
// document number and the two dates and no composite check digit; the
// rest of line 2 is optional data.
func ParseVisa(s string) (*MRZ, error) {
	lines, err := split(s)
	if err != nil {
		return nil, err
	}
	if len(lines) != 2 || len(lines[0]) != len(lines[1]) || (len(lines[0]) != 44 && len(lines[0]) != 36) {
		return nil, ErrFormat
	}
	a, b := lines[0], lines[1]
	if a[0] != 'V' {
		return nil, &FieldError{FieldDocumentCode, "is not a visa"}
	}
	m := &MRZ{Format: MRVA}
	if len(a) == 36 {
		m.Format = MRVB
	}
	m.DocumentCode = strings.TrimRight(a[0:2], "<")
	m.IssuingState = strings.Trim(a[2:5], "<")
	m.name(a[5:])
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
	m.OptionalData = strings.Trim(b[28:], "<")
	return m, nil
}
