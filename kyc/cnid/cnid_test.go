package cnid

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The two examples of GB 11643-1999 Appendix A (informative): a woman
// registered in Chaoyang, Beijing, born 1949-12-31, and a man registered in
// Shantou, Guangdong, born 1880-01-01. See testdata/README.md.
const (
	gbBeijing   = "11010519491231002X"
	gbGuangdong = "440524188001010014"
)

// withCheck completes 17 digits with their check character.
func withCheck(t testing.TB, body string) string {
	c, err := CheckChar(body)
	if err != nil {
		t.Fatalf("CheckChar(%q): %v", body, err)
	}
	return body + string(c)
}

func TestParseStandardExamples(t *testing.T) {
	for _, tc := range []struct {
		in     string
		region string
		birth  string
		male   bool
	}{
		{gbBeijing, "110105", "1949-12-31", false},
		{gbGuangdong, "440524", "1880-01-01", true},
		{"110105 19491231 002x", "110105", "1949-12-31", false},
		{"１１０１０５１９４９１２３１００２ｘ", "110105", "1949-12-31", false},
		{"110105-19491231-002X", "110105", "1949-12-31", false},
	} {
		n, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if n.Region != tc.region || n.Birth.Format(time.DateOnly) != tc.birth || n.Male() != tc.male || len(n.Number) != 18 {
			t.Errorf("Parse(%q) = %+v", tc.in, n)
		}
	}
}

func TestCheckCharEveryValue(t *testing.T) {
	// Every check character, 'X' included, is reachable and verified.
	seen := map[byte]bool{}
	for seq := 0; seq < 1000 && len(seen) < 11; seq++ {
		body := "11010519900101" + pad3(seq)
		id := withCheck(t, body)
		seen[id[17]] = true
		if _, err := Parse(id); err != nil {
			t.Fatalf("Parse(%s): %v", id, err)
		}
	}
	if len(seen) != 11 {
		t.Fatalf("check characters seen: %d, want 11", len(seen))
	}
}

func pad3(n int) string {
	return string([]byte{byte('0' + n/100), byte('0' + n/10%10), byte('0' + n%10)})
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want error
	}{
		{"first generation", "110105491231002", ErrFirstGeneration},
		{"empty", "", ErrLength},
		{"17 digits", gbBeijing[:17], ErrLength},
		{"19 digits", gbBeijing + "1", ErrLength},
		{"letter inside", "11010519491231A02X", ErrCharset},
		{"X inside", "1101051949123100X2", ErrCharset},
		{"wrong check", "110105194912310021", ErrChecksum},
		{"wrong check X", "44052418800101001X", ErrChecksum},
		{"Hong Kong residents' permit", withCheck(t, "81000019900101123"), ErrPermit},
		{"Macau residents' permit", withCheck(t, "82000019900101123"), ErrPermit},
		{"Taiwan residents' permit", withCheck(t, "83000019900101123"), ErrPermit},
		{"foreign permanent resident", withCheck(t, "93115619900101123"), ErrPermit},
		{"Taiwan code, never issued", withCheck(t, "71000019900101123"), ErrRegion},
		{"province 00", withCheck(t, "00000019900101123"), ErrRegion},
		{"30 February", withCheck(t, "11010519900230123"), ErrBirthDate},
		{"month 13", withCheck(t, "11010519901301123"), ErrBirthDate},
		{"29 February 1900", withCheck(t, "11010519000229123"), ErrBirthDate},
	} {
		if _, err := Parse(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if n, err := Parse(withCheck(t, "11010520000229123")); err != nil || n.Birth.Day() != 29 {
		t.Errorf("29 February 2000: %v", err)
	}
}

// MOD 11-2 catches every single-character substitution and every
// transposition of two adjacent, different characters.
func TestChecksumDetectsSubstitutionsAndTranspositions(t *testing.T) {
	for _, id := range []string{gbBeijing, gbGuangdong} {
		for i := range 18 {
			for _, c := range "0123456789X" {
				if byte(c) == id[i] || (c == 'X' && i < 17) {
					continue
				}
				bad := id[:i] + string(c) + id[i+1:]
				if _, err := Parse(bad); err == nil {
					t.Errorf("substitution at %d accepted", i)
				}
			}
			if i < 17 && id[i] != id[i+1] && !(i == 16 && id[17] == 'X') {
				bad := id[:i] + string(id[i+1]) + string(id[i]) + id[i+2:]
				if _, err := Parse(bad); err == nil {
					t.Errorf("transposition at %d accepted", i)
				}
			}
		}
	}
}

func TestErrorsHidePersonalData(t *testing.T) {
	_, err := Parse("110105194912310021")
	if strings.Contains(err.Error(), "11010519491231") {
		t.Fatalf("error leaks the number: %v", err)
	}
}

func TestAddressProvince(t *testing.T) {
	for _, tc := range []struct {
		addr string
		code string
		ok   bool
	}{
		{"北京市朝阳区建设路12号", "11", true},
		{"上海市徐汇区幸福里233号", "31", true},
		{"广东省深圳市南山区人民路8号", "44", true},
		{"黑龙江省哈尔滨市道里区中山路1号", "23", true},
		{"内蒙古自治区呼和浩特市新城区", "15", true},
		{"内蒙古呼和浩特市新城区", "15", true},
		{"新疆维吾尔自治区乌鲁木齐市天山区", "65", true},
		{"广西南宁市青秀区", "45", true},
		{"重庆市渝中区解放路5号", "50", true},
		{"澳门特别行政区", "82", true},
		// A city or prefecture sharing a province's name, without
		// the province: no province.
		{"吉林市船营区", "", false},
		{"海南藏族自治州共和县", "", false},
		{"北京朝阳区", "", false},
		// The province's name not leading the address.
		{"住址上海市徐汇区", "", false},
		{"徐汇区上海市", "", false},
		{"", "", false},
	} {
		code, ok := AddressProvince(tc.addr)
		if code != tc.code || ok != tc.ok {
			t.Errorf("AddressProvince(%q) = %q, %t; want %q, %t", tc.addr, code, ok, tc.code, tc.ok)
		}
	}
}

// TestAddressProvinceCodes: every provincial-level code a resident ID
// number admits has a name.
func TestAddressProvinceCodes(t *testing.T) {
	named := map[string]bool{}
	for _, p := range provinceNames {
		named[p.code] = true
	}
	for code := range provinces {
		if !named[code] {
			t.Errorf("province %s has no name", code)
		}
	}
	if len(provinceNames) != 34 {
		t.Errorf("%d provincial-level divisions, want 34", len(provinceNames))
	}
}
