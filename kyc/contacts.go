package kyc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kycq/kycq/storage"
)

// ErrContact is wrapped by every error of the contact functions. The
// errors describe the problem, never the value.
var ErrContact = errors.New("kyc: invalid contact")

// ContactHashDomain is the domain the caller hashes a contact under:
// privacy.Keys.Hash(ContactHashDomain, canonical). Canonical emails and
// phones never collide (only emails contain '@', only phones start with
// '+'), so the kind need not be hashed too.
const ContactHashDomain = "contact"

func contactError(msg string) error { return fmt.Errorf("%w: %s", ErrContact, msg) }

// emailLocalSpecials are the characters besides letters, digits and '.'
// allowed in the local part (RFC 5322 atext).
const emailLocalSpecials = "!#$%&'*+/=?^_`{|}~-"

// NormaliseEmail returns the canonical form of an email address, the form
// that is hashed to bind it to one account (rules.md §7): surrounding
// spaces removed and the whole address lower-cased. The address must be
// ASCII: a local part of 1–64 letters, digits, '.' (not first, last or
// doubled) and RFC 5322 specials; a domain of at least two dot-separated
// labels of letters, digits and inner hyphens, with a non-numeric top
// label; 254 characters at most. Internationalised domains must be given
// in their ASCII (xn--) form. Provider-specific aliases (dots or "+tag" at
// some providers) are not folded: they are different addresses.
func NormaliseEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", contactError("email is empty")
	}
	if len(s) > 254 {
		return "", contactError("email is longer than 254 characters")
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || strings.Contains(domain, "@") {
		return "", contactError("email must contain exactly one '@'")
	}
	if len(local) == 0 || len(local) > 64 {
		return "", contactError("email local part must have 1 to 64 characters")
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "", contactError("email local part has a misplaced '.'")
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || strings.IndexByte(emailLocalSpecials, c) >= 0) {
			return "", contactError("email local part has a character that is not allowed")
		}
	}
	domain = strings.TrimSuffix(domain, ".")
	if err := checkDomain(domain); err != nil {
		return "", err
	}
	return local + "@" + domain, nil
}

func checkDomain(d string) error {
	if len(d) == 0 || len(d) > 253 {
		return contactError("email domain must have 1 to 253 characters")
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return contactError("email domain must have at least two labels")
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return contactError("email domain has an empty, long or hyphen-edged label")
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return contactError("email domain must be ASCII letters, digits and hyphens (xn-- form for international names)")
			}
		}
	}
	if allDigits(labels[len(labels)-1]) {
		return contactError("email domain has a numeric top-level label")
	}
	return nil
}

// NormalisePhone returns the canonical, E.164 form of a phone number: '+'
// and 7 to 15 digits, the first not 0. The input must be international:
// starting with '+' or the "00" international prefix. Spaces, '-', '.',
// parentheses and a national trunk "(0)" after the country code are
// removed; letters (extensions) are refused. A mainland China mobile
// number (+86 13… to +86 19…) must have 11 national digits. Numbers are not checked
// against each country's numbering plan.
func NormalisePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	case strings.HasPrefix(s, "00"):
		s = s[2:]
	default:
		return "", contactError("phone must be international, starting with '+' or 00")
	}
	s = strings.Replace(s, "(0)", "", 1)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", contactError("phone may contain only digits, spaces, '-', '.' and parentheses")
		}
	}
	d := b.String()
	if len(d) < 7 || len(d) > 15 {
		return "", contactError("phone must have 7 to 15 digits with the country code (E.164)")
	}
	if d[0] == '0' {
		return "", contactError("phone country code cannot start with 0")
	}
	if strings.HasPrefix(d, "861") && len(d) > 3 && d[3] >= '3' && d[3] <= '9' && len(d) != 13 {
		return "", contactError("mainland China mobile numbers have 11 digits after +86")
	}
	return "+" + d, nil
}

// MaskEmail returns the display form of an email address: its first
// character, "***", and the domain ("j***@example.com").
func MaskEmail(s string) (string, error) {
	e, err := NormaliseEmail(s)
	if err != nil {
		return "", err
	}
	local, domain, _ := strings.Cut(e, "@")
	return local[:1] + "***@" + domain, nil
}

// MaskPhone returns the display form of a phone number: '+', its first two
// digits, six stars and its last four digits ("+86******1234"), or only
// the last two for numbers under 10 digits.
func MaskPhone(s string) (string, error) {
	p, err := NormalisePhone(s)
	if err != nil {
		return "", err
	}
	d := p[1:]
	tail := 4
	if len(d) < 10 {
		tail = 2
	}
	return "+" + d[:2] + "******" + d[len(d)-tail:], nil
}

// NormaliseContact normalises an email or a phone number by kind.
func NormaliseContact(kind storage.ContactKind, s string) (string, error) {
	switch kind {
	case storage.ContactEmail:
		return NormaliseEmail(s)
	case storage.ContactPhone:
		return NormalisePhone(s)
	}
	return "", contactError("kind must be email or phone")
}

// MaskContact masks an email or a phone number by kind.
func MaskContact(kind storage.ContactKind, s string) (string, error) {
	switch kind {
	case storage.ContactEmail:
		return MaskEmail(s)
	case storage.ContactPhone:
		return MaskPhone(s)
	}
	return "", contactError("kind must be email or phone")
}

// MaskAccountID returns the display form of an account ID for the "view
// holder" flow: its first two and last two characters around four stars
// ("12****89"); one on each side for IDs of 5 to 7 characters; only stars
// for shorter ones. The number of stars is fixed, so the length is not
// revealed.
func MaskAccountID(id string) string {
	r := []rune(id)
	switch n := len(r); {
	case n == 0:
		return ""
	case n <= 4:
		return "****"
	case n < 8:
		return string(r[:1]) + "****" + string(r[n-1:])
	default:
		return string(r[:2]) + "****" + string(r[n-2:])
	}
}
