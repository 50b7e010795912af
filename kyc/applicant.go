// Package kyc holds kycq's business rules (../shared/rules.md §3, §5–§7) as
// pure functions: document-data checks, the decision fan-in, document
// occupancy keys, contact normalisation and the contact-migration state
// machine. It does no I/O; workers and the API call it and persist what it
// decides through package storage.
package kyc

// Applicant is the basic info an applicant enters (rules §1). It is
// personal data: the API seals it before storing and never echoes it back,
// and nothing here is ever logged.
type Applicant struct {
	Country        string `json:"country"`         // country of residence, ISO 3166-1 alpha-2
	Nationality    string `json:"nationality"`     // ISO 3166-1 alpha-2
	IssuingCountry string `json:"issuing_country"` // of the document, ISO 3166-1 alpha-2
	FullName       string `json:"full_name"`
	LocalName      string `json:"local_name,omitempty"` // local-language name where the country has one
	DateOfBirth    string `json:"date_of_birth,omitempty"`
	IDType         string `json:"id_type"`
	IDNumber       string `json:"id_number"`
	ExpiryDate     string `json:"expiry_date,omitempty"` // empty for long-term documents
	Address        string `json:"address,omitempty"`
	// Sex is as printed on the document ("M", "F" or "X"), when entered;
	// it is compared with the document read.
	Sex string `json:"sex,omitempty"`
	// MRZ is the machine-readable zone, when the client read it. It is a
	// hint at most: the decision rests on the zone kycq reads from the
	// photos, never on this one (rules §8).
	MRZ string `json:"mrz,omitempty"`
}

// DateLayout is the layout of every date in Applicant.
const DateLayout = "2006-01-02"
