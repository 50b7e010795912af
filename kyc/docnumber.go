package kyc

import (
	"errors"
	"strings"

	"github.com/kycq/kycq/kyc/cnid"
)

// Errors of document number validation. They never quote the number.
var (
	errNumberEmpty   = errors.New("kyc: document number is empty")
	errNumberCharset = errors.New("kyc: document number has characters other than letters and digits")
	errNumberLength  = errors.New("kyc: document number has the wrong length")
	errNumberFormat  = errors.New("kyc: document number does not have the document's format")
	errNumberCheck   = errors.New("kyc: document number check character does not match")
)

// maxNumberLen bounds any normalised document number.
const maxNumberLen = 32

// normaliseNumber upper-cases a document number, turns full-width letters
// and digits (as typed with a Chinese input method) into their ASCII forms,
// and removes the separators people and MRZ readers put in it: spaces
// (also the ideographic space), '-', the MRZ filler '<', and the
// parentheses around a Hong Kong check digit, in ASCII or full width. It
// does not validate.
func normaliseNumber(n string) string {
	return strings.Map(func(r rune) rune {
		if r >= '\uFF01' && r <= '\uFF5E' { // full-width forms of ASCII '!' … '~'
			r = r - '\uFF01' + '!'
		}
		switch r {
		case ' ', '-', '<', '(', ')', '\t', '\u3000':
			return -1
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, n)
}

// validateNumber checks the normalised number of a document type: its
// alphabet and length, and the format and check character where the type
// defines one. cn_resident_id numbers are checked by package cnid instead.
func validateNumber(t IDType, n string) error {
	if n == "" {
		return errNumberEmpty
	}
	if len(n) > maxNumberLen {
		return errNumberLength
	}
	for i := 0; i < len(n); i++ {
		if !(n[i] >= 'A' && n[i] <= 'Z' || n[i] >= '0' && n[i] <= '9') {
			return errNumberCharset
		}
	}
	switch t {
	case Passport:
		// The TD3 zone has 9 positions for the number and, unlike TD1 and
		// TD2, no way to extend it.
		if len(n) > 9 {
			return errNumberLength
		}
	case CNResidentID, CNTemporaryID:
		if _, err := cnid.Parse(n); err != nil {
			return err
		}
	case HKID:
		return validateHKID(n)
	case TWID:
		return validateTWID(n)
	case MOID:
		if len(n) != 8 || !allDigits(n) {
			return errNumberFormat
		}
	case HKMOPermit:
		// 'H' (Hong Kong) or 'M' (Macau) and 8 digits on the card, 10 on
		// the earlier booklet.
		if (n[0] != 'H' && n[0] != 'M') || (len(n) != 9 && len(n) != 11) || !allDigits(n[1:]) {
			return errNumberFormat
		}
	}
	return nil
}

// validateHKID checks a Hong Kong identity card number: one or two letters,
// six digits and a check character (0–9 or A). The letters count 10–35 and
// a missing first letter counts 36; the weights are 9 down to 2 and the
// weighted sum plus the check value (A = 10) is a multiple of 11.
func validateHKID(n string) error {
	letters := len(n) - 7
	if letters < 1 || letters > 2 || !isUpper(n[:letters]) || !allDigits(n[letters:len(n)-1]) {
		return errNumberFormat
	}
	body := n[:len(n)-1]
	if letters == 1 {
		body = " " + body
	}
	sum := 0
	for i := range 8 {
		c := body[i]
		v := int(c - '0')
		switch {
		case c == ' ':
			v = 36
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * (9 - i)
	}
	check := 11 - sum%11
	want := byte('0' + check%11)
	if check == 10 {
		want = 'A'
	}
	if n[len(n)-1] != want {
		return errNumberCheck
	}
	return nil
}

// twLetters gives the two-digit value of the first letter of a Taiwan
// national ID number, by letter.
var twLetters = [26]int{10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33}

// validateTWID checks a Taiwan national ID number: a letter, '1' (male) or
// '2' (female), 7 digits and a check digit. The letter's two-digit value
// weighs 1 and 9, the next 8 digits 8 down to 1, the check digit 1, and
// the sum is a multiple of 10.
func validateTWID(n string) error {
	if len(n) != 10 || !isUpper(n[:1]) || (n[1] != '1' && n[1] != '2') || !allDigits(n[1:]) {
		return errNumberFormat
	}
	v := twLetters[n[0]-'A']
	sum := v/10 + v%10*9
	for i := 1; i <= 8; i++ {
		sum += int(n[i]-'0') * (9 - i)
	}
	sum += int(n[9] - '0')
	if sum%10 != 0 {
		return errNumberCheck
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

func isUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return len(s) > 0
}
