package docread

import (
	"context"
	"testing"

	"github.com/kycq/kycq/imagecheck"
)

func mrzReader(t testing.TB) *Reader {
	t.Helper()
	r, err := New(Options{NoTesseract: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

func TestReadMRZPhotos(t *testing.T) {
	r := mrzReader(t)
	base := sceneOpts{w: 1600, h: 1200, fill: 0.7, seed: 1}
	for _, tc := range []struct {
		name  string
		kind  string
		lines []string
		card  cardOpts
		mod   func(o *sceneOpts)
	}{
		{"td3 flat", "td3", td3Specimen, cardOpts{}, func(o *sceneOpts) {}},
		{"td1 flat", "td1", td1Specimen, cardOpts{}, func(o *sceneOpts) {}},
		{"td2 flat", "td2", td2Specimen, cardOpts{}, func(o *sceneOpts) {}},
		{"td1 rotated 90", "td1", td1Specimen, cardOpts{}, func(o *sceneOpts) { o.angle = 90; o.fill = 0.5 }},
		{"td3 rotated 180", "td3", td3Specimen, cardOpts{}, func(o *sceneOpts) { o.angle = 180 }},
		{"td1 rotated 270", "td1", td1Specimen, cardOpts{}, func(o *sceneOpts) { o.angle = 270; o.fill = 0.5 }},
		{"td3 skew 13", "td3", td3Specimen, cardOpts{}, func(o *sceneOpts) { o.angle = 13; o.fill = 0.6 }},
		{"td1 skew -25 perspective", "td1", td1Specimen, cardOpts{}, func(o *sceneOpts) { o.angle = -25; o.persp = 0.08; o.fill = 0.5 }},
		{"td1 security pattern", "td1", td1Specimen, cardOpts{pattern: true}, func(o *sceneOpts) { o.angle = 4 }},
		{"td3 noisy jpeg", "td3", td3Specimen, cardOpts{pattern: true}, func(o *sceneOpts) { o.noise = 12; o.jpegQ = 60; o.angle = -6 }},
		{"td1 low resolution", "td1", td1Specimen, cardOpts{}, func(o *sceneOpts) { o.w, o.h = 800, 600; o.fill = 0.75; o.jpegQ = 80; o.angle = 3 }},
		{"td3 small in frame", "td3", td3Specimen, cardOpts{}, func(o *sceneOpts) { o.w, o.h = 3000, 2250; o.fill = 0.3; o.jpegQ = 85; o.angle = 8 }},
		{"td1 blurred", "td1", td1Specimen, cardOpts{}, func(o *sceneOpts) { o.blur = true; o.angle = 2; o.noise = 5 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := base
			tc.mod(&o)
			photo := photograph(t, renderCard(t, tc.kind, tc.lines, tc.card), o)
			res, err := r.Read(context.Background(), photo, imagecheck.AnySide, Hint{})
			if err != nil {
				t.Fatal(err)
			}
			d := res.Data
			if d.Kind != tc.kind {
				t.Fatalf("kind %q, want %q (timings %v)", d.Kind, tc.kind, res.Timings)
			}
			for i := range tc.lines {
				if i < len(d.MRZ) && d.MRZ[i] != tc.lines[i] {
					t.Errorf("line %d\n got %s\nwant %s", i, d.MRZ[i], tc.lines[i])
				}
			}
			if !d.Readable || !d.ChecksValid {
				t.Errorf("readable %t, checks valid %t", d.Readable, d.ChecksValid)
			}
			if len(res.Zone) != 4 {
				t.Errorf("zone %v", res.Zone)
			}
			t.Logf("timings %v", res.Timings)
		})
	}
}
