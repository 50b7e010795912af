package imagecheck

import (
	"image"
	"reflect"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
)

// TestCheckInspectIsCheck: CheckInspect reports what Check does, for good
// and bad input, and hands inspect the working-resolution photo once.
func TestCheckInspectIsCheck(t *testing.T) {
	good, _ := photo(t, docgen.Spec{Seed: 4}, docgen.Encoding{})
	for _, c := range []struct {
		name  string
		data  []byte
		calls int
	}{
		{"a card photo", good, 1},
		{"not an image", []byte("hello"), 0},
		{"a truncated JPEG", good[:len(good)/3], -1}, // decodes or not; either way the reports agree
	} {
		want := Check(c.data, DefaultOptions())
		calls := 0
		var size image.Point
		got := CheckInspect(c.data, DefaultOptions(), func(work *image.YCbCr, rep *Report) {
			calls++
			size = work.Rect.Size()
			if rep.DecodedWidth != size.X || rep.DecodedHeight != size.Y {
				t.Errorf("%s: work %v, report says %d×%d", c.name, size, rep.DecodedWidth, rep.DecodedHeight)
			}
		})
		want.Timings, got.Timings = nil, nil
		want.CPU, got.CPU = nil, nil
		want.OverBudget, got.OverBudget = nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: CheckInspect\n%+v\nCheck\n%+v", c.name, got, want)
		}
		if c.calls >= 0 && calls != c.calls {
			t.Errorf("%s: inspect called %d times, want %d", c.name, calls, c.calls)
		}
	}
}
