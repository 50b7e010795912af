package api

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kycq/kycq/kyc"
)

// BasicInfo is what the applicant enters (docs/rules.md, rule 1); see kyc.Applicant.
type BasicInfo = kyc.Applicant

// HasBack reports whether a document type has a back side that must be
// photographed (kyc's document table).
func HasBack(idType string) bool { return kyc.HasBack(idType) }

var (
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
	// idNumberRE admits a number as people type it: letters and digits,
	// also in their full-width forms, and the separators kyc removes
	// (spaces, '-', '<', the parentheses around a Hong Kong check digit).
	idNumberRE = regexp.MustCompile(`^[A-Za-z0-9<\-() \x{3000}\x{FF08}\x{FF09}\x{FF0D}\x{FF10}-\x{FF19}\x{FF21}-\x{FF3A}\x{FF41}-\x{FF5A}]{1,40}$`)
	mrzRE      = regexp.MustCompile(`^[A-Z0-9<\n\r]{60,100}$`)
	accountRE  = regexp.MustCompile(`^[A-Za-z0-9_\-]{1,64}$`)
)

const dateLayout = kyc.DateLayout

// requiredInfo names the basic-info fields a create request must carry
// (rules: what a verification collects). The address and the local-language
// name are optional here: no check refuses an applicant for lacking them.
var requiredInfo = []string{"country", "nationality", "issuing_country", "full_name", "date_of_birth", "id_type", "id_number"}

// validateInfo checks that every required field is there and the form of
// every field; whether the content is acceptable (expired, checksums,
// names) is the doc_data check's job. A missing required field is reported
// as "is required", whichever it is.
func validateInfo(b *BasicInfo) error {
	for _, f := range []struct{ name, v string }{{"country", b.Country}, {"nationality", b.Nationality}, {"issuing_country", b.IssuingCountry}} {
		if f.v == "" {
			return fieldError(f.name, "is required")
		}
		if !countryRE.MatchString(f.v) {
			return fieldError(f.name, "must be an ISO 3166-1 alpha-2 code such as \"CN\"")
		}
	}
	if err := text("full_name", b.FullName, 1, 200); err != nil {
		return err
	}
	if err := text("local_name", b.LocalName, 0, 200); err != nil {
		return err
	}
	if err := text("address", b.Address, 0, 500); err != nil {
		return err
	}
	if b.DateOfBirth == "" {
		return fieldError("date_of_birth", "is required")
	}
	dob, err := time.Parse(dateLayout, b.DateOfBirth)
	if err != nil {
		return fieldError("date_of_birth", "must be a date YYYY-MM-DD")
	}
	if dob.After(time.Now()) || dob.Year() < 1900 {
		return fieldError("date_of_birth", "is not a plausible date of birth")
	}
	if b.IDType == "" {
		return fieldError("id_type", "is required")
	}
	if _, ok := kyc.LookupIDType(b.IDType); !ok {
		return fieldError("id_type", "unknown document type (see GET /v1/id-types)")
	}
	if b.IDNumber == "" {
		return fieldError("id_number", "is required")
	}
	if !idNumberRE.MatchString(b.IDNumber) {
		return fieldError("id_number", "must be 1 to 40 letters, digits, spaces, '-', '<' or parentheses (full-width forms accepted)")
	}
	if b.ExpiryDate != "" {
		if _, err := time.Parse(dateLayout, b.ExpiryDate); err != nil {
			return fieldError("expiry_date", "must be a date YYYY-MM-DD, or empty for a long-term document")
		}
	}
	if b.Sex != "" && b.Sex != "M" && b.Sex != "F" && b.Sex != "X" {
		return fieldError("sex", "must be \"M\", \"F\" or \"X\" as printed on the document, or left out")
	}
	if b.MRZ != "" && !mrzRE.MatchString(b.MRZ) {
		return fieldError("mrz", "must be the 2 or 3 lines of the machine-readable zone (A-Z, 0-9, '<')")
	}
	return nil
}

func text(field, s string, min, max int) error {
	if !utf8.ValidString(s) {
		return fieldError(field, "must be valid UTF-8")
	}
	n := utf8.RuneCountInString(s)
	if n < min || n > max {
		if min > 0 && n == 0 {
			return fieldError(field, "is required")
		}
		return fieldError(field, fmt.Sprintf("must be %d to %d characters", min, max))
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fieldError(field, "must not contain control characters")
	}
	return nil
}
