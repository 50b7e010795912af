// Package cnid validates the citizen identity number of mainland China
// (公民身份号码, GB 11643-1999), the number printed on the second-generation
// resident identity card: 6 digits of address code, 8 of birth date
// (YYYYMMDD), 3 of sequence (odd for men, even for women) and one check
// character computed with ISO 7064 MOD 11-2, 'X' standing for 10.
//
// Errors never quote the number: it is personal data.
package cnid

import (
	"errors"
	"strings"
	"time"
)

// Number is a valid citizen identity number.
type Number struct {
	Number   string    // the 18 characters, normalised
	Region   string    // the 6-digit address code
	Birth    time.Time // the embedded birth date, at midnight UTC
	Sequence string    // the 3-digit sequence code
}

// Male reports whether the sequence code is odd, the code given to men.
func (n Number) Male() bool { return (n.Sequence[2]-'0')%2 == 1 }

var (
	// ErrFirstGeneration is returned for a 15-digit number of the
	// first-generation card (GB 11643-1989), which is no longer valid.
	ErrFirstGeneration = errors.New("cnid: 15-digit first-generation number")
	// ErrLength is returned for anything but 18 (or 15) characters.
	ErrLength = errors.New("cnid: not 18 characters")
	// ErrCharset is returned when a character other than the last is not
	// a digit, or the last is neither a digit nor 'X'.
	ErrCharset = errors.New("cnid: only digits, with 'X' allowed as the last character")
	// ErrChecksum is returned when the check character does not match.
	ErrChecksum = errors.New("cnid: check character does not match")
	// ErrPermit is returned for a valid number of another card using the
	// same scheme: the residence permits of Hong Kong, Macau and Taiwan
	// residents (address codes 81, 82, 83) and the 2023 foreign permanent
	// resident ID card (first digit 9).
	ErrPermit = errors.New("cnid: a residence permit number, not a resident ID number")
	// ErrRegion is returned when the address code is not in a mainland
	// province.
	ErrRegion = errors.New("cnid: address code outside the mainland provinces")
	// ErrBirthDate is returned when the embedded birth date is not a
	// calendar date.
	ErrBirthDate = errors.New("cnid: embedded birth date is not a date")
)

// weights are 2^(17-i) mod 11 for the 17 body digits.
var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// checkChars maps the weighted sum modulo 11 to the check character.
const checkChars = "10X98765432"

// CheckChar returns the ISO 7064 MOD 11-2 check character of the first 17
// digits of a number.
func CheckChar(body string) (byte, error) {
	if len(body) != 17 {
		return 0, ErrLength
	}
	sum := 0
	for i := range 17 {
		c := body[i]
		if c < '0' || c > '9' {
			return 0, ErrCharset
		}
		sum += int(c-'0') * weights[i]
	}
	return checkChars[sum%11], nil
}

// provinces are the provincial-level address codes of the mainland
// (GB/T 2260): the first two digits of a resident ID number.
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true, // 北京 天津 河北 山西 内蒙古
	"21": true, "22": true, "23": true, // 辽宁 吉林 黑龙江
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true, // 上海 江苏 浙江 安徽 福建 江西 山东
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true, // 河南 湖北 湖南 广东 广西 海南
	"50": true, "51": true, "52": true, "53": true, "54": true, // 重庆 四川 贵州 云南 西藏
	"61": true, "62": true, "63": true, "64": true, "65": true, // 陕西 甘肃 青海 宁夏 新疆
}

// Normalise removes spaces (ASCII and ideographic) and hyphens, turns
// full-width digits into ASCII and upper-cases a final 'x'.
func Normalise(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '\u3000' || r == '\t':
		case r >= '０' && r <= '９':
			b.WriteByte(byte('0' + (r - '０')))
		case r == 'x' || r == 'ｘ' || r == 'Ｘ':
			b.WriteByte('X')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Parse normalises and validates a citizen identity number.
func Parse(s string) (Number, error) {
	s = Normalise(s)
	if len(s) == 15 && digits(s) {
		return Number{}, ErrFirstGeneration
	}
	if len(s) != 18 {
		return Number{}, ErrLength
	}
	if !digits(s[:17]) || !(s[17] == 'X' || s[17] >= '0' && s[17] <= '9') {
		return Number{}, ErrCharset
	}
	if c, _ := CheckChar(s[:17]); c != s[17] {
		return Number{}, ErrChecksum
	}
	switch p := s[:2]; {
	case s[0] == '9', p == "81", p == "82", p == "83":
		return Number{}, ErrPermit
	case !provinces[p]:
		return Number{}, ErrRegion
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil {
		return Number{}, ErrBirthDate
	}
	return Number{Number: s, Region: s[:6], Birth: birth, Sequence: s[14:17]}, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
