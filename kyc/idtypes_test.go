package kyc

import (
	"slices"
	"testing"
)

func TestIDTypes(t *testing.T) {
	// Exactly the id_types of the API contract, in a stable order.
	want := []IDType{Passport, IDCard, DrivingLicence, ResidencePermit, CNResidentID, CNTemporaryID, HKID, MOID, TWID, HKMOPermit, TWPermit}
	var got []IDType
	for _, s := range IDTypes() {
		got = append(got, s.Type)
		if s.Name == "" || s.Expiry == "" {
			t.Errorf("%s is not fully described: %+v", s.Type, s)
		}
		if s.Expiry == ExpiryLongTermFromAge && s.LongTerm <= 0 {
			t.Errorf("%s: long-term documents without an age", s.Type)
		}
		if l, ok := LookupIDType(string(s.Type)); !ok || l != s {
			t.Errorf("LookupIDType(%s) = %+v, %v", s.Type, l, ok)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("IDTypes = %v", got)
	}
	if _, ok := LookupIDType("library_card"); ok {
		t.Fatal("unknown type found")
	}
	// IDTypes returns a copy.
	IDTypes()[0].Name = "changed"
	if IDTypes()[0].Name == "changed" {
		t.Fatal("IDTypes exposes the table")
	}
	for _, tc := range []struct {
		t    string
		back bool
	}{{"passport", false}, {"id_card", true}, {"cn_resident_id", true}, {"hk_id", true}, {"unknown", true}} {
		if HasBack(tc.t) != tc.back {
			t.Errorf("HasBack(%s) = %v", tc.t, !tc.back)
		}
	}
	if s, _ := LookupIDType("cn_temporary_id"); s.Accepted {
		t.Fatal("the temporary mainland card is accepted")
	}
}

func TestAcceptedIDTypes(t *testing.T) {
	for _, tc := range []struct {
		country, nationality string
		want                 []IDType
	}{
		{"CN", "CN", []IDType{CNResidentID}},
		{"CN", "US", []IDType{Passport, ResidencePermit}},
		{"HK", "CN", []IDType{HKID, HKMOPermit, Passport}},
		{"MO", "PT", []IDType{MOID, HKMOPermit, Passport}},
		{"TW", "TW", []IDType{TWID, TWPermit, Passport}},
		{"SG", "CN", []IDType{Passport, IDCard, DrivingLicence, ResidencePermit, CNResidentID}},
		{"DE", "DE", []IDType{Passport, IDCard, DrivingLicence, ResidencePermit}},
		{"", "", []IDType{Passport, IDCard, DrivingLicence, ResidencePermit}},
	} {
		if got := AcceptedIDTypes(tc.country, tc.nationality); !slices.Equal(got, tc.want) {
			t.Errorf("AcceptedIDTypes(%q, %q) = %v, want %v", tc.country, tc.nationality, got, tc.want)
		}
	}
	// No region accepts the temporary card, and residents of Hong Kong,
	// Macau and Taiwan never use a mainland resident ID.
	for _, c := range []string{"CN", "HK", "MO", "TW", "US"} {
		for _, n := range []string{"CN", "HK", "US"} {
			got := AcceptedIDTypes(c, n)
			if slices.Contains(got, CNTemporaryID) {
				t.Errorf("%s/%s accepts the temporary card", c, n)
			}
			if (c == "HK" || c == "MO" || c == "TW") && slices.Contains(got, CNResidentID) {
				t.Errorf("%s residents may use a mainland ID", c)
			}
		}
	}
	// The returned slice is a copy.
	AcceptedIDTypes("CN", "CN")[0] = Passport
	if AcceptedIDTypes("CN", "CN")[0] != CNResidentID {
		t.Fatal("AcceptedIDTypes exposes the table")
	}
}
