package privacy

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func testKeys(t *testing.T) *Keys {
	t.Helper()
	d, _ := ParseKey(strings.Repeat("11", 32))
	h, _ := ParseKey(strings.Repeat("22", 32))
	k, err := NewKeys(d, h)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := testKeys(t)
	msg := []byte(`{"full_name":"张三","id_number":"11010519491231002X"}`)
	s := k.Seal(msg, "v_1")
	if bytes.Contains(s, []byte("11010519491231002X")) {
		t.Fatal("sealed data contains the plaintext")
	}
	got, err := k.Open(s, "v_1")
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if bytes.Equal(k.Seal(msg, "v_1"), s) {
		t.Fatal("two seals of the same message are identical; nonce reuse")
	}
}

func TestOpenRefusesWrongContextTamperAndShort(t *testing.T) {
	k := testKeys(t)
	s := k.Seal([]byte("secret"), "v_1")
	cases := map[string]struct {
		data []byte
		ctx  string
	}{
		"wrong context": {s, "v_2"},
		"tampered":      {append(append([]byte(nil), s[:len(s)-1]...), s[len(s)-1]^1), "v_1"},
		"short":         {s[:5], "v_1"},
		"empty":         {nil, "v_1"},
	}
	for name, c := range cases {
		if _, err := k.Open(c.data, c.ctx); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: err = %v, want ErrOpen", name, err)
		}
	}
}

func TestHashIsKeyedAndDomainSeparated(t *testing.T) {
	k := testKeys(t)
	a := k.Hash("doc", "CN", "cn_resident_id", "11010519491231002X")
	if a != k.Hash("doc", "CN", "cn_resident_id", "11010519491231002X") {
		t.Fatal("hash not deterministic")
	}
	if a == k.Hash("contact", "CN", "cn_resident_id", "11010519491231002X") {
		t.Fatal("domains collide")
	}
	if k.Hash("doc", "ab", "c") == k.Hash("doc", "a", "bc") {
		t.Fatal("part boundaries collide")
	}
	d, _ := ParseKey(strings.Repeat("11", 32))
	h2, _ := ParseKey(strings.Repeat("33", 32))
	k2, _ := NewKeys(d, h2)
	if a == k2.Hash("doc", "CN", "cn_resident_id", "11010519491231002X") {
		t.Fatal("hash does not depend on the key")
	}
	if len(a) != 64 {
		t.Fatalf("hash length %d", len(a))
	}
}

func TestParseKey(t *testing.T) {
	for _, s := range []string{"", "zz", strings.Repeat("1", 63), "c2hvcnQ="} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted", s)
		}
	}
	if _, err := ParseKey(NewRandomKey()); err != nil {
		t.Fatal(err)
	}
	if _, err := NewKeys(make([]byte, 16), make([]byte, 32)); err == nil {
		t.Fatal("short data key accepted")
	}
}
