package kyc

import (
	"errors"
	"strings"
	"testing"
)

func TestNormaliseDocument(t *testing.T) {
	for _, tc := range []struct {
		country, idType, number string
		want                    string
	}{
		{"CN", "cn_resident_id", "11010519491231002X", "CN:cn_resident_id:11010519491231002X"},
		{"cn", "cn_resident_id", "110105 19491231 002x", "CN:cn_resident_id:11010519491231002X"},
		{" CN ", "cn_resident_id", "110105-19491231-002X", "CN:cn_resident_id:11010519491231002X"},
		// The type's issuer wins over the entered country.
		{"US", "cn_resident_id", "11010519491231002X", "CN:cn_resident_id:11010519491231002X"},
		// A temporary card carries the citizen number of the resident card.
		{"CN", "cn_temporary_id", "11010519491231002X", "CN:cn_resident_id:11010519491231002X"},
		// A generic ID card of a region with its own card is that card.
		{"CN", "id_card", "11010519491231002X", "CN:cn_resident_id:11010519491231002X"},
		{"HK", "id_card", "A123456(3)", "HK:hk_id:A1234563"},
		{"HK", "hk_id", "a123456 (3)", "HK:hk_id:A1234563"},
		{"CN", "hk_id", "A1234563", "HK:hk_id:A1234563"},
		// As typed with a Chinese input method: full-width digits, letters,
		// parentheses and spaces.
		{"HK", "hk_id", "Ａ１２３４５６（３）", "HK:hk_id:A1234563"},
		{"CN", "cn_resident_id", "１１０１０５　１９４９１２３１　００２ｘ", "CN:cn_resident_id:11010519491231002X"},
		{"CN", "cn_resident_id", "１１０１０５－１９４９１２３１－００２Ｘ", "CN:cn_resident_id:11010519491231002X"},
		{"TW", "id_card", "A123456789", "TW:tw_id:A123456789"},
		{"MO", "id_card", "12345678", "MO:mo_id:12345678"},
		{"HK", "hk_mo_permit", "H12345678", "CN:hk_mo_permit:H12345678"},
		// Elsewhere the type is part of the identity.
		{"SE", "passport", "L898902C3", "SE:passport:L898902C3"},
		{"SE", "id_card", "L898902C3", "SE:id_card:L898902C3"},
		{"SE", "passport", "l898902c3<<", "SE:passport:L898902C3"},
		{"FR", "passport", "L898902C3", "FR:passport:L898902C3"},
		// Leading zeros are part of the number.
		{"US", "driving_licence", "00123", "US:driving_licence:00123"},
	} {
		got, err := NormaliseDocument(tc.country, tc.idType, tc.number)
		if err != nil || got != tc.want {
			t.Errorf("NormaliseDocument(%q, %q, %q) = %q, %v; want %q", tc.country, tc.idType, tc.number, got, err, tc.want)
		}
	}
}

func TestNormaliseDocumentErrors(t *testing.T) {
	for _, tc := range []struct{ country, idType, number string }{
		{"", "passport", "L898902C3"},
		{"CHN", "passport", "L898902C3"},
		{"C1", "passport", "L898902C3"},
		{"SE", "library_card", "L898902C3"},
		{"SE", "", "L898902C3"},
		{"SE", "passport", ""},
		{"SE", "passport", " - < "},
		{"SE", "passport", "L8989.02C3"},
		{"SE", "passport", "L898902C3É"},
		{"SE", "passport", "L898902C3．"}, // a full-width full stop is still not a letter or digit
		{"SE", "passport", strings.Repeat("1", 33)},
	} {
		got, err := NormaliseDocument(tc.country, tc.idType, tc.number)
		if !errors.Is(err, ErrDocument) || got != "" {
			t.Errorf("NormaliseDocument(%q, %q, %q) = %q, %v; want ErrDocument", tc.country, tc.idType, tc.number, got, err)
		}
		if err != nil && tc.number != "" && len(tc.number) > 3 && strings.Contains(err.Error(), tc.number) {
			t.Errorf("error quotes the number: %v", err)
		}
	}
}

// FuzzNormaliseDocument checks that normalisation never panics, is
// idempotent, and only yields the documented alphabet.
func FuzzNormaliseDocument(f *testing.F) {
	f.Add("CN", "cn_resident_id", "110105 19491231 002x")
	f.Add("HK", "id_card", "A123456(3)")
	f.Add("SE", "passport", "L898902C3<<")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, country, idType, number string) {
		got, err := NormaliseDocument(country, idType, number)
		if err != nil {
			if !errors.Is(err, ErrDocument) || got != "" {
				t.Fatalf("bad error result %q, %v", got, err)
			}
			return
		}
		parts := strings.Split(got, ":")
		if len(parts) != 3 || len(parts[0]) != 2 || !isUpper(parts[0]) {
			t.Fatalf("bad canonical form %q", got)
		}
		if _, ok := LookupIDType(parts[1]); !ok || parts[1] == string(CNTemporaryID) {
			t.Fatalf("bad canonical type %q", got)
		}
		for i := 0; i < len(parts[2]); i++ {
			if c := parts[2][i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				t.Fatalf("bad canonical number %q", got)
			}
		}
		again, err := NormaliseDocument(parts[0], parts[1], parts[2])
		if err != nil || again != got {
			t.Fatalf("not idempotent: %q → %q, %v", got, again, err)
		}
	})
}

// FuzzValidateNumber checks the per-type number validators never panic
// and that what they accept is a normalised number.
func FuzzValidateNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "A1234563", "AB9876543", "A123456789", "H12345678", "L898902C3", "1234567(8)", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := normaliseNumber(s)
		for _, spec := range IDTypes() {
			if validateNumber(spec.Type, n) == nil && normaliseNumber(n) != n {
				t.Fatalf("%s accepted a number that is not normalised", spec.Type)
			}
		}
	})
}
