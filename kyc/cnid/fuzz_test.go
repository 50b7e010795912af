package cnid

import (
	"testing"
	"time"
)

// FuzzParse checks that Parse never panics and that what it accepts is a
// consistent number. Seeds: testdata/fuzz/FuzzParse and the examples.
func FuzzParse(f *testing.F) {
	for _, s := range []string{gbBeijing, gbGuangdong, "110105491231002", "110105 19491231 002x", "", "X"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			return
		}
		if len(n.Number) != 18 {
			t.Fatalf("length %d", len(n.Number))
		}
		if c, err := CheckChar(n.Number[:17]); err != nil || c != n.Number[17] {
			t.Fatal("accepted a wrong check character")
		}
		if n.Birth.Format("20060102") != n.Number[6:14] || n.Birth.Location() != time.UTC {
			t.Fatal("birth date does not round-trip")
		}
		if !provinces[n.Region[:2]] {
			t.Fatal("accepted a non-mainland address code")
		}
		if again, err := Parse(n.Number); err != nil || again != n {
			t.Fatal("normalised form does not parse to itself")
		}
	})
}
