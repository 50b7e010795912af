package api

import (
	"strings"
	"testing"
)

func validInfo() BasicInfo {
	return BasicInfo{Country: "CN", Nationality: "CN", IssuingCountry: "CN", FullName: "张三",
		DateOfBirth: "1949-12-31", IDType: "cn_resident_id", IDNumber: "11010519491231002X", Address: "北京"}
}

func TestBasicInfoValidation(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*BasicInfo)
		field string // "" = valid
	}{
		{"valid", func(*BasicInfo) {}, ""},
		{"passport with MRZ", func(b *BasicInfo) {
			b.IDType, b.IDNumber = "passport", "L898902C3"
			b.MRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
		}, ""},
		{"lower-case country", func(b *BasicInfo) { b.Country = "cn" }, "country"},
		{"three-letter nationality", func(b *BasicInfo) { b.Nationality = "CHN" }, "nationality"},
		{"empty name", func(b *BasicInfo) { b.FullName = "" }, "full_name"},
		{"name with control char", func(b *BasicInfo) { b.FullName = "A\x00B" }, "full_name"},
		{"name not UTF-8", func(b *BasicInfo) { b.FullName = "\xff\xfe" }, "full_name"},
		{"huge name", func(b *BasicInfo) { b.FullName = strings.Repeat("a", 201) }, "full_name"},
		{"unknown id type", func(b *BasicInfo) { b.IDType = "library_card" }, "id_type"},
		{"id number with slash", func(b *BasicInfo) { b.IDNumber = "../../etc" }, "id_number"},
		{"empty id number", func(b *BasicInfo) { b.IDNumber = "" }, "id_number"},
		{"bad dob", func(b *BasicInfo) { b.DateOfBirth = "31/12/1949" }, "date_of_birth"},
		{"future dob", func(b *BasicInfo) { b.DateOfBirth = "2999-01-01" }, "date_of_birth"},
		{"missing dob", func(b *BasicInfo) { b.DateOfBirth = "" }, "date_of_birth"},
		{"missing country", func(b *BasicInfo) { b.Country = "" }, "country"},
		{"missing issuing country", func(b *BasicInfo) { b.IssuingCountry = "" }, "issuing_country"},
		{"missing id type", func(b *BasicInfo) { b.IDType = "" }, "id_type"},
		{"no address is fine", func(b *BasicInfo) { b.Address = "" }, ""},
		{"Hong Kong ID as printed", func(b *BasicInfo) { b.IDType, b.IDNumber = "hk_id", "A123456(3)" }, ""},
		{"full-width digits and parentheses", func(b *BasicInfo) { b.IDType, b.IDNumber = "hk_id", "Ａ１２３４５６（３）" }, ""},
		{"full-width mainland number", func(b *BasicInfo) { b.IDNumber = "１１０１０５１９４９１２３１００２Ｘ" }, ""},
		{"id number with a full stop", func(b *BasicInfo) { b.IDNumber = "A.1" }, "id_number"},
		{"bad expiry", func(b *BasicInfo) { b.ExpiryDate = "soon" }, "expiry_date"},
		{"bad mrz", func(b *BasicInfo) { b.MRZ = "hello" }, "mrz"},
		{"huge address", func(b *BasicInfo) { b.Address = strings.Repeat("x", 501) }, "address"},
		{"sex as printed", func(b *BasicInfo) { b.Sex = "F" }, ""},
		{"sex spelled out", func(b *BasicInfo) { b.Sex = "female" }, "sex"},
		{"sex in lower case", func(b *BasicInfo) { b.Sex = "m" }, "sex"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := validInfo()
			c.edit(&b)
			err := validateInfo(&b)
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Field != c.field || e.status != 400 {
				t.Fatalf("err = %#v, want a 400 on %s", err, c.field)
			}
			if strings.Contains(e.Message, "\xff") || strings.Contains(e.Message, "../") {
				t.Fatalf("message echoes the input: %q", e.Message)
			}
		})
	}
}

func TestUploadsValidation(t *testing.T) {
	s := New(Config{Token: "t"})
	img := UploadSpec{ContentType: "image/jpeg", Size: 1000}
	vid := UploadSpec{ContentType: "video/mp4", Size: 2 << 20}
	cases := []struct {
		name   string
		idType string
		specs  map[string]UploadSpec
		code   string // "" = valid
		n      int
	}{
		{"id card", "id_card", map[string]UploadSpec{"doc_front": img, "doc_back": img, "selfie": vid}, "", 3},
		{"passport has no back", "passport", map[string]UploadSpec{"doc_front": img, "selfie": vid}, "", 2},
		{"passport with a back", "passport", map[string]UploadSpec{"doc_front": img, "doc_back": img, "selfie": vid}, "invalid_field", 0},
		{"back missing", "id_card", map[string]UploadSpec{"doc_front": img, "selfie": vid}, "invalid_field", 0},
		{"still selfie fallback", "passport", map[string]UploadSpec{"doc_front": img, "selfie": img}, "", 2},
		{"unknown slot", "passport", map[string]UploadSpec{"doc_front": img, "selfie": vid, "../x": img}, "invalid_field", 0},
		{"pdf document", "passport", map[string]UploadSpec{"doc_front": {ContentType: "application/pdf", Size: 10}, "selfie": vid}, "invalid_field", 0},
		{"video as document", "passport", map[string]UploadSpec{"doc_front": vid, "selfie": vid}, "invalid_field", 0},
		{"empty upload", "passport", map[string]UploadSpec{"doc_front": {ContentType: "image/jpeg"}, "selfie": vid}, "invalid_field", 0},
		{"oversized photo", "passport", map[string]UploadSpec{"doc_front": {ContentType: "image/png", Size: 16 << 20}, "selfie": vid}, "upload_too_large", 0},
		{"oversized video", "passport", map[string]UploadSpec{"doc_front": img, "selfie": {ContentType: "video/mp4", Size: 51 << 20}}, "upload_too_large", 0},
		{"oversized still selfie", "passport", map[string]UploadSpec{"doc_front": img, "selfie": {ContentType: "image/jpeg", Size: 20 << 20}}, "upload_too_large", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ups, err := s.uploads("v_abc", c.idType, c.specs)
			if c.code == "" {
				if err != nil || len(ups) != c.n {
					t.Fatalf("uploads = %v, %v", ups, err)
				}
				for _, u := range ups {
					if u.Key != "v/v_abc/"+string(u.Slot) || u.MaxBytes != c.specs[string(u.Slot)].Size {
						t.Errorf("upload %+v", u)
					}
				}
				return
			}
			if e, ok := err.(*Error); !ok || e.Code != c.code {
				t.Fatalf("err = %v, want %s", err, c.code)
			}
		})
	}
}

func TestIDsAndKeys(t *testing.T) {
	a, b := newID("acct", "k1"), newID("acct", "k1")
	if a != b || !idRE.MatchString(a) {
		t.Fatalf("idempotent ids %s %s", a, b)
	}
	if newID("acct", "k2") == a || newID("other", "k1") == a {
		t.Fatal("ids collide across keys or accounts")
	}
	if r1, r2 := newID("acct", ""), newID("acct", ""); r1 == r2 || !idRE.MatchString(r1) {
		t.Fatalf("random ids %s %s", r1, r2)
	}
	for key, want := range map[string]bool{"v/" + a + "/doc_front": true, "v/" + a: false, "x/" + a + "/selfie": false, "v/../selfie": false} {
		if _, ok := verificationOfKey(key); ok != want {
			t.Errorf("verificationOfKey(%q) = %v", key, ok)
		}
	}
}
