package kyc

// Document kinds a reader recognises (DocumentRead.Kind). The names are
// part of the CLI's and the API's output: never renamed.
const (
	ReadNone      = ""            // nothing machine-readable was recognised
	ReadTD1       = "td1"         // ICAO 9303 TD1: ID-1 cards, 3 lines × 30
	ReadTD2       = "td2"         // TD2: 2 lines × 36
	ReadTD3       = "td3"         // TD3: passport booklets, 2 lines × 44
	ReadMRVA      = "mrva"        // machine-readable visa, format A (2 × 44)
	ReadMRVB      = "mrvb"        // machine-readable visa, format B (2 × 36)
	ReadCNIDFront = "cn_id_front" // mainland China resident ID, front (portrait side)
	ReadCNIDBack  = "cn_id_back"  // mainland China resident ID, back (issuer and validity)
	ReadVisual    = "visual"      // visual zone only: text searched for the typed values
)

// DocumentRead is what was read from one photo of the document (rules §8).
// It is personal data: it is sealed at rest with the applicant's info and
// never logged, put in a metric label or a task payload.
//
// Dates are YYYY-MM-DD. A field that was not read is empty; a field read
// but failing its own check (a check digit, MOD 11-2) is reported in
// ChecksValid, not dropped.
type DocumentRead struct {
	Kind string `json:"kind"`
	// Expected reports that the photo shows a zone that must be read
	// (an MRZ, the number of a mainland ID): a document that has one and
	// whose zone was not read is never approved automatically.
	Expected bool `json:"expected"`
	// Readable reports that the zone was found and recognised with every
	// check digit (or the MOD 11-2 check) holding.
	Readable    bool     `json:"readable"`
	ChecksValid bool     `json:"checks_valid"`
	MRZ         []string `json:"mrz,omitempty"` // the lines as read (after check-digit correction)

	DocumentCode   string `json:"document_code,omitempty"` // MRZ document code ("P", "I", "ID", "AC"...)
	DocumentNumber string `json:"document_number,omitempty"`
	Surname        string `json:"surname,omitempty"`     // MRZ primary identifier, components joined by one space
	GivenNames     string `json:"given_names,omitempty"` // MRZ secondary identifier
	Name           string `json:"name,omitempty"`        // the printed name (Chinese characters on a mainland ID)
	// NameAlternatives, for a mainland front, says where the name read
	// is uncertain: one entry per character of Name, holding the other
	// characters the recogniser could not rule out there ("?" when it
	// was unsure without a candidate), "" where it is sure. Nil when it
	// is sure of every character. A name has no check character: this
	// is what keeps a misread from passing for a mismatch.
	NameAlternatives []string `json:"name_alternatives,omitempty"`
	Nationality      string   `json:"nationality,omitempty"` // ICAO 3-letter code
	Issuer           string   `json:"issuer,omitempty"`      // ICAO 3-letter code of the issuing state
	BirthDate        string   `json:"birth_date,omitempty"`
	ExpiryDate       string   `json:"expiry_date,omitempty"`
	IssueDate        string   `json:"issue_date,omitempty"`
	LongTerm         bool     `json:"long_term,omitempty"` // 长期: valid without an end date
	Sex              string   `json:"sex,omitempty"`       // "M", "F", "X"
	Ethnicity        string   `json:"ethnicity,omitempty"`
	Address          string   `json:"address,omitempty"`

	// Found, for a visual-zone read, says which typed values were found in
	// the recognised text ("document_number", "birth_date", "name").
	Found map[string]bool `json:"found,omitempty"`
}

// NameUncertain returns the positions (0-based, in characters of Name)
// of the characters the reader was unsure of (NameAlternatives); nil when
// it was sure of every one. The positions carry no personal data.
func (d DocumentRead) NameUncertain() []int {
	var out []int
	for i, a := range d.NameAlternatives {
		if a != "" {
			out = append(out, i)
		}
	}
	return out
}
