package kyc

import "slices"

// IDType is a kind of identity document, the id_type of the basic info.
type IDType string

// The document types kycq knows. The API accepts exactly these (see
// IDTypes); which of them a region accepts is a document-data rule
// (AcceptedIDTypes).
const (
	Passport        IDType = "passport"
	IDCard          IDType = "id_card"
	DrivingLicence  IDType = "driving_licence"
	ResidencePermit IDType = "residence_permit"
	CNResidentID    IDType = "cn_resident_id"  // mainland China second-generation resident identity card (居民身份证)
	CNTemporaryID   IDType = "cn_temporary_id" // mainland China temporary resident identity card (临时居民身份证): refused
	HKID            IDType = "hk_id"           // Hong Kong identity card
	MOID            IDType = "mo_id"           // Macau resident identity card
	TWID            IDType = "tw_id"           // Taiwan national identification card
	HKMOPermit      IDType = "hk_mo_permit"    // mainland travel permit for Hong Kong and Macau residents (港澳居民来往内地通行证)
	TWPermit        IDType = "tw_permit"       // mainland travel permit for Taiwan residents (台湾居民来往大陆通行证)
)

// ExpiryRule says whether a document type must show an expiry date.
type ExpiryRule string

const (
	// ExpiryRequired: a document without an expiry date is refused
	// (doc_expired).
	ExpiryRequired ExpiryRule = "required"
	// ExpiryOptional: documents of the type may be issued without an expiry
	// date; when one is given it is checked.
	ExpiryOptional ExpiryRule = "optional"
	// ExpiryLongTermFromAge: a document without an expiry date is a
	// long-term document, issued only to holders of at least
	// DocSpec.LongTermAge years; a younger holder's document must show one.
	ExpiryLongTermFromAge ExpiryRule = "long_term_from_age"
)

// DocSpec describes one document type.
type DocSpec struct {
	Type     IDType     `json:"id_type"`
	Name     string     `json:"name"`                    // English name, for documentation
	HasBack  bool       `json:"has_back"`                // a back side must be photographed
	Accepted bool       `json:"accepted"`                // false: known but always refused (doc_type_unsupported)
	Issuer   string     `json:"issuer,omitempty"`        // the only issuing country (ISO 3166-1 alpha-2), "" for any
	Expiry   ExpiryRule `json:"expiry"`                  // whether an expiry date is required
	LongTerm int        `json:"long_term_age,omitempty"` // ExpiryLongTermFromAge: minimum age for a document without expiry
}

// docSpecs is the table of document types, in the order the API lists them.
var docSpecs = []DocSpec{
	{Type: Passport, Name: "passport", HasBack: false, Accepted: true, Expiry: ExpiryRequired},
	{Type: IDCard, Name: "national identity card", HasBack: true, Accepted: true, Expiry: ExpiryOptional},
	{Type: DrivingLicence, Name: "driving licence", HasBack: true, Accepted: true, Expiry: ExpiryRequired},
	{Type: ResidencePermit, Name: "residence permit", HasBack: true, Accepted: true, Expiry: ExpiryRequired},
	// Cards issued at 46 or older are valid long-term (长期); younger
	// holders' cards are valid 5, 10 or 20 years.
	{Type: CNResidentID, Name: "mainland China resident identity card (second generation)", HasBack: true, Accepted: true, Issuer: "CN", Expiry: ExpiryLongTermFromAge, LongTerm: 46},
	{Type: CNTemporaryID, Name: "mainland China temporary resident identity card", HasBack: true, Accepted: false, Issuer: "CN", Expiry: ExpiryRequired},
	// Hong Kong identity cards and Taiwan national ID cards carry no
	// expiry date.
	{Type: HKID, Name: "Hong Kong identity card", HasBack: true, Accepted: true, Issuer: "HK", Expiry: ExpiryOptional},
	{Type: MOID, Name: "Macau resident identity card", HasBack: true, Accepted: true, Issuer: "MO", Expiry: ExpiryRequired},
	{Type: TWID, Name: "Taiwan national identification card", HasBack: true, Accepted: true, Issuer: "TW", Expiry: ExpiryOptional},
	{Type: HKMOPermit, Name: "mainland travel permit for Hong Kong and Macau residents", HasBack: true, Accepted: true, Issuer: "CN", Expiry: ExpiryRequired},
	{Type: TWPermit, Name: "mainland travel permit for Taiwan residents", HasBack: true, Accepted: true, Issuer: "CN", Expiry: ExpiryRequired},
}

// IDTypes returns every document type kycq knows, the set the API accepts
// as id_type, in a stable order. Known is not accepted: cn_temporary_id is
// known so that it can be refused with doc_type_unsupported.
func IDTypes() []DocSpec { return slices.Clone(docSpecs) }

// LookupIDType returns the description of a document type.
func LookupIDType(t string) (DocSpec, bool) {
	for _, s := range docSpecs {
		if string(s.Type) == t {
			return s, true
		}
	}
	return DocSpec{}, false
}

// HasBack reports whether a document type has a back side that must be
// photographed. Unknown types are assumed to have one.
func HasBack(t string) bool {
	s, ok := LookupIDType(t)
	return !ok || s.HasBack
}

// regionalCard is the specific type of the identity card issued by the
// regions whose card has its own rules: a generic id_card issued there is
// refused in favour of the specific type, and both name the same document
// for occupancy.
var regionalCard = map[string]IDType{"CN": CNResidentID, "HK": HKID, "MO": MOID, "TW": TWID}

// Document types accepted by region of residence.
var (
	defaultTypes    = []IDType{Passport, IDCard, DrivingLicence, ResidencePermit}
	mainlandTypes   = []IDType{CNResidentID}
	foreignInCN     = []IDType{Passport, ResidencePermit}
	regionTypes     = map[string][]IDType{"HK": {HKID, HKMOPermit, Passport}, "MO": {MOID, HKMOPermit, Passport}, "TW": {TWID, TWPermit, Passport}}
	chineseNational = "CN"
)

// AcceptedIDTypes returns the document types accepted from an applicant
// residing in country (ISO 3166-1 alpha-2) with the given nationality:
//
//   - mainland China (CN): Chinese nationals only the second-generation
//     resident ID card; foreign nationals a passport or a residence permit;
//   - Hong Kong (HK), Macau (MO), Taiwan (TW): the region's own identity
//     card, the mainland travel permit of its residents, or a passport —
//     never a mainland resident ID card;
//   - anywhere else: passport, national ID card, driving licence, residence
//     permit, and for Chinese nationals also the mainland resident ID card.
//
// The temporary mainland ID card is accepted nowhere.
func AcceptedIDTypes(country, nationality string) []IDType {
	switch {
	case country == "CN" && nationality == chineseNational:
		return slices.Clone(mainlandTypes)
	case country == "CN":
		return slices.Clone(foreignInCN)
	case regionTypes[country] != nil:
		return slices.Clone(regionTypes[country])
	case nationality == chineseNational:
		return append(slices.Clone(defaultTypes), CNResidentID)
	}
	return slices.Clone(defaultTypes)
}
