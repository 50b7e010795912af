package kyc

import (
	"errors"
	"strings"
	"testing"

	"github.com/kycq/kycq/storage"
)

func TestNormaliseEmail(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"John.Doe@Example.COM", "john.doe@example.com"},
		{"  a@b.co ", "a@b.co"},
		{"a+tag@example.com", "a+tag@example.com"},
		{"o'brien@example.ie", "o'brien@example.ie"},
		{"x@example.com.", "x@example.com"},
		{"x@xn--fiqs8s.cn", "x@xn--fiqs8s.cn"},
		{"x@sub-domain.example.co.uk", "x@sub-domain.example.co.uk"},
	} {
		got, err := NormaliseEmail(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormaliseEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{
		"", "plain", "@example.com", "a@", "a@@example.com", "a@b@example.com", "a@localhost",
		".a@example.com", "a.@example.com", "a..b@example.com", "a b@example.com", "a@exa mple.com",
		"a@-example.com", "a@example-.com", "a@example..com", "a@example.123", "用户@example.com",
		"a@例子.中国", "a\"b@example.com", "a@exam\nple.com", strings.Repeat("a", 65) + "@example.com",
		"a@" + strings.Repeat("b", 64) + ".com", "a@" + strings.Repeat("b.", 130) + "com",
	} {
		if got, err := NormaliseEmail(in); !errors.Is(err, ErrContact) || got != "" {
			t.Errorf("NormaliseEmail(%q) = %q, %v; want ErrContact", in, got, err)
		}
	}
}

func TestNormalisePhone(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"+86 138 0013 8000", "+8613800138000"},
		{"+86-138-0013-8000", "+8613800138000"},
		{"008613800138000", "+8613800138000"},
		{"+44 (0) 20 7946 0000", "+442079460000"},
		{"+1 (415) 555-2671", "+14155552671"},
		{"+852 9123 4567", "+85291234567"},
		{"+86 10 6552 9988", "+861065529988"},
		{" +6831234 ", "+6831234"},
	} {
		got, err := NormalisePhone(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalisePhone(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{
		"", "13800138000", "0138 0013 8000", "+", "+123456", "+1234567890123456", "+0 123 4567",
		"+86 138 0013 800", "+86 138 0013 80000", "+1 415 555 2671 ext 2", "+1 415 555 2671x2",
		"＋8613800138000", "+86 １３８00138000", "+1/415/555/2671",
	} {
		if got, err := NormalisePhone(in); !errors.Is(err, ErrContact) || got != "" {
			t.Errorf("NormalisePhone(%q) = %q, %v; want ErrContact", in, got, err)
		}
	}
}

func TestMasks(t *testing.T) {
	for _, tc := range []struct {
		kind storage.ContactKind
		in   string
		want string
	}{
		{storage.ContactEmail, "John.Doe@Example.com", "j***@example.com"},
		{storage.ContactEmail, "a@example.com", "a***@example.com"},
		{storage.ContactPhone, "+86 138 0013 1234", "+86******1234"},
		{storage.ContactPhone, "+1 415 555 2671", "+14******2671"},
		{storage.ContactPhone, "+683 1234", "+68******34"},
	} {
		got, err := MaskContact(tc.kind, tc.in)
		if err != nil || got != tc.want {
			t.Errorf("MaskContact(%s, %q) = %q, %v; want %q", tc.kind, tc.in, got, err, tc.want)
		}
	}
	if _, err := MaskEmail("nope"); !errors.Is(err, ErrContact) {
		t.Error("MaskEmail accepted an invalid address")
	}
	if _, err := MaskPhone("12345"); !errors.Is(err, ErrContact) {
		t.Error("MaskPhone accepted an invalid number")
	}
	if _, err := MaskContact("fax", "+8613800138000"); !errors.Is(err, ErrContact) {
		t.Error("MaskContact accepted an unknown kind")
	}
	if _, err := NormaliseContact("fax", "+8613800138000"); !errors.Is(err, ErrContact) {
		t.Error("NormaliseContact accepted an unknown kind")
	}
	for _, tc := range []struct{ in, want string }{
		{"", ""}, {"1", "****"}, {"1234", "****"}, {"12345", "1****5"}, {"1234567", "1****7"},
		{"12345678", "12****78"}, {"35123456789", "35****89"}, {"用户账号一二三四", "用户****三四"},
	} {
		if got := MaskAccountID(tc.in); got != tc.want {
			t.Errorf("MaskAccountID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestContactErrorsHideValues(t *testing.T) {
	for _, in := range []string{"secret.person@@example.com", "+86 secret 1234"} {
		_, err := NormaliseContact(storage.ContactEmail, in)
		_, err2 := NormalisePhone(in)
		for _, e := range []error{err, err2} {
			if e != nil && strings.Contains(e.Error(), "secret") {
				t.Errorf("error quotes the input: %v", e)
			}
		}
	}
}

// FuzzNormaliseContact checks the contact normalisers never panic, are
// idempotent and that their masks never reveal the whole value.
func FuzzNormaliseContact(f *testing.F) {
	for _, s := range []string{"John.Doe@Example.COM", "+86 138 0013 8000", "0044 (0) 20 7946 0000", "a@b", "", "+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if e, err := NormaliseEmail(s); err == nil {
			if again, err := NormaliseEmail(e); err != nil || again != e {
				t.Fatalf("email not idempotent: %q", e)
			}
			if m, _ := MaskEmail(s); !strings.Contains(m, "***@") {
				t.Fatalf("email mask reveals the address")
			}
		}
		if p, err := NormalisePhone(s); err == nil {
			if again, err := NormalisePhone(p); err != nil || again != p {
				t.Fatalf("phone not idempotent: %q", p)
			}
			if m, _ := MaskPhone(s); !strings.Contains(m, "******") || m == p {
				t.Fatalf("phone mask reveals the number")
			}
		}
	})
}
