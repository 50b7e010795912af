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
