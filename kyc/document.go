package kyc

import (
	"errors"
	"fmt"
	"strings"
)

// DocumentHashDomain is the domain the caller hashes the canonical form of
// NormaliseDocument under: privacy.Keys.Hash(DocumentHashDomain, canonical).
const DocumentHashDomain = "document"

// ErrDocument is wrapped by every error of NormaliseDocument. The errors
// name the part at fault, never its value.
var ErrDocument = errors.New("kyc: invalid document identity")

// NormaliseDocument returns the canonical form of a document's identity —
// issuing country, type and number — that the caller hashes with the
// server secret to key ID occupancy (rules.md §6). Two entries name the
// same document exactly when their canonical forms are equal:
//
//   - the country is upper-cased and must be an ISO 3166-1 alpha-2 code;
//     the type's own issuer replaces it for regional types (a mainland
//     resident ID is always "CN", a Hong Kong ID "HK");
//   - the type is part of the identity: a passport and an ID card are
//     different documents even with equal numbers. A generic id_card
//     issued by mainland China, Hong Kong, Macau or Taiwan is that region's
//     card (cn_resident_id, hk_id, mo_id, tw_id), and a temporary mainland
//     ID card carries the citizen number of the resident ID, so it is
//     cn_resident_id too: neither can be used to claim a held document
//     twice;
//   - the number is upper-cased and stripped of spaces, '-', the MRZ
//     filler '<' and parentheses; what remains must be 1 to 32 letters and
//     digits. Leading zeros are kept, and O/0 or I/1 are not confused.
//
// The form is "CC:type:NUMBER". It is personal data: hash it, never store
// or log it.
func NormaliseDocument(country, idType, number string) (string, error) {
	country = strings.ToUpper(strings.TrimSpace(country))
	if len(country) != 2 || !isUpper(country) {
		return "", fmt.Errorf("%w: country must be an ISO 3166-1 alpha-2 code", ErrDocument)
	}
	spec, ok := LookupIDType(strings.TrimSpace(idType))
	if !ok {
		return "", fmt.Errorf("%w: unknown document type", ErrDocument)
	}
	t := spec.Type
	switch {
	case t == IDCard && regionalCard[country] != "":
		t = regionalCard[country]
	case t == CNTemporaryID:
		t = CNResidentID
	}
	if s, _ := LookupIDType(string(t)); s.Issuer != "" {
		country = s.Issuer
	}
	n := normaliseNumber(number)
	if n == "" || len(n) > maxNumberLen {
		return "", fmt.Errorf("%w: number must have 1 to %d letters and digits", ErrDocument, maxNumberLen)
	}
	for i := 0; i < len(n); i++ {
		if !(n[i] >= 'A' && n[i] <= 'Z' || n[i] >= '0' && n[i] <= '9') {
			return "", fmt.Errorf("%w: number must have only letters and digits", ErrDocument)
		}
	}
	return country + ":" + string(t) + ":" + n, nil
}
