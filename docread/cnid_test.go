package docread

import (
	"context"
	"testing"
	"time"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

func fullReader(t testing.TB) *Reader {
	t.Helper()
	r, err := New(Options{Budget: time.Minute}) // a loaded test machine: speed is measured by the benchmarks
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

var cnHint = Hint{IDType: string(kyc.CNResidentID), Country: "CN"}

func TestReadCNIDPhotos(t *testing.T) {
	r := fullReader(t)
	front := cnFront{"张伟", "男", "汉", "1990", "3", "7", []string{"北京市东城区景山前街", "4号院2号楼"}, "110101199003074514"}
	for _, tc := range []struct {
		name string
		o    sceneOpts
		pat  bool
	}{
		{"flat", sceneOpts{w: 1200, h: 900, fill: 0.8, seed: 2}, false},
		{"tilted jpeg pattern", sceneOpts{w: 1600, h: 1200, fill: 0.7, seed: 3, angle: 7, persp: 0.04, jpegQ: 80, noise: 4}, true},
		{"upside down", sceneOpts{w: 1200, h: 900, fill: 0.8, seed: 4, angle: 180}, false},
		{"quarter turn", sceneOpts{w: 900, h: 1200, fill: 0.7, seed: 5, angle: 90}, false},
	} {
		t.Run("front "+tc.name, func(t *testing.T) {
			photo := photograph(t, renderCNFront(t, front, tc.pat), tc.o)
			res, err := r.Read(context.Background(), photo, imagecheck.Front, cnHint)
			if err != nil {
				t.Fatal(err)
			}
			d := res.Data
			want := kyc.DocumentRead{Kind: kyc.ReadCNIDFront, Expected: true, Readable: true, ChecksValid: true,
				DocumentNumber: front.number, Name: "张伟", Sex: "M", Ethnicity: "汉", BirthDate: "1990-03-07",
				Address: "北京市东城区景山前街4号院2号楼"}
			if d.Kind != want.Kind || d.DocumentNumber != want.DocumentNumber || d.Name != want.Name || d.Sex != want.Sex ||
				d.Ethnicity != want.Ethnicity || d.BirthDate != want.BirthDate || d.Address != want.Address ||
				d.Readable != want.Readable || d.ChecksValid != want.ChecksValid {
				t.Errorf("read %+v\nwant %+v", d, want)
			}
			t.Logf("timings %v", res.Timings)
		})
	}
	for _, tc := range []struct {
		name, validity string
		from, to       string
		long           bool
		o              sceneOpts
	}{
		{"dated", "2010.05.12-2030.05.12", "2010-05-12", "2030-05-12", false, sceneOpts{w: 1200, h: 900, fill: 0.8, seed: 6, angle: -4, jpegQ: 85}},
		{"long term", "2015.01.20-长期", "2015-01-20", "", true, sceneOpts{w: 1200, h: 900, fill: 0.8, seed: 7, angle: 180}},
	} {
		t.Run("back "+tc.name, func(t *testing.T) {
			photo := photograph(t, renderCNBack(t, "北京市公安局东城分局", tc.validity, true), tc.o)
			res, err := r.Read(context.Background(), photo, imagecheck.Back, cnHint)
			if err != nil {
				t.Fatal(err)
			}
			d := res.Data
			if d.Kind != kyc.ReadCNIDBack || d.IssueDate != tc.from || d.ExpiryDate != tc.to || d.LongTerm != tc.long || !d.Readable {
				t.Errorf("read %+v", d)
			}
			t.Logf("timings %v", res.Timings)
		})
	}
}

func TestNamesAgree(t *testing.T) {
	for _, tc := range []struct {
		name  string
		alts  []string
		later string
		want  bool
	}{
		{"王", []string{"?"}, "遇天到", true},           // nothing sure: nothing binds
		{"王", nil, "王文", true},                      // a character dropped
		{"王", nil, "遇天到", false},                    // the sure surname not read again
		{"王文", []string{"", "?"}, "王丈", true},       // differs only where unsure
		{"王文", []string{"", ""}, "王丈", false},       // differs where sure
		{"欧阳文", []string{"", "", ""}, "欧阳文艳", true}, // the later reading longer
		{"文王", nil, "王文", false},                    // order kept
		{"", nil, "王文", true},
	} {
		if got := namesAgree(kyc.DocumentRead{Name: tc.name, NameAlternatives: tc.alts}, tc.later); got != tc.want {
			t.Errorf("namesAgree(%q %q, %q) = %v, want %v", tc.name, tc.alts, tc.later, got, tc.want)
		}
	}
}
