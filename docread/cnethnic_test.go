package docread

import (
	"context"
	"strings"
	"testing"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

// TestReadCNFrontEthnicities reads fronts whose ethnicity has one, two
// and three characters (a sex line as wide as 男 民族 维吾尔): the name is
// the name line's, not the sex line's, and every field is read.
func TestReadCNFrontEthnicities(t *testing.T) {
	r := fullReader(t)
	for i, tc := range []struct {
		eth  string
		o    sceneOpts
		want kyc.DocumentRead
	}{
		{"彝", sceneOpts{w: 1200, h: 900, fill: 0.8, seed: 21, angle: 3, jpegQ: 80, noise: 4},
			kyc.DocumentRead{Name: "李娜", Sex: "F", BirthDate: "1985-11-02", DocumentNumber: "110101198511020024"}},
		{"蒙古", sceneOpts{w: 1200, h: 900, fill: 0.75, seed: 22, angle: -4, persp: 0.03, jpegQ: 75, noise: 4},
			kyc.DocumentRead{Name: "王刚", Sex: "M", BirthDate: "1990-03-07", DocumentNumber: "110101199003074514"}},
		{"土家", sceneOpts{w: 1200, h: 900, fill: 0.8, seed: 23, angle: 180, jpegQ: 80},
			kyc.DocumentRead{Name: "张伟", Sex: "M", BirthDate: "1990-03-07", DocumentNumber: "110101199003074514"}},
		{"维吾尔", sceneOpts{w: 1200, h: 900, fill: 0.8, seed: 24, angle: 5, jpegQ: 80, noise: 4},
			kyc.DocumentRead{Name: "马丽", Sex: "F", BirthDate: "1985-11-02", DocumentNumber: "110101198511020024"}},
	} {
		w := tc.want
		y, m, d := w.BirthDate[:4], strings.TrimLeft(w.BirthDate[5:7], "0"), strings.TrimLeft(w.BirthDate[8:], "0")
		sex := map[string]string{"M": "男", "F": "女"}[w.Sex]
		f := cnFront{w.Name, sex, tc.eth, y, m, d, []string{"北京市东城区景山前街", "4号院2号楼"}, w.DocumentNumber}
		res, err := r.Read(context.Background(), photograph(t, renderCNFront(t, f, i%2 == 0), tc.o), imagecheck.Front, cnHint)
		if err != nil {
			t.Fatal(err)
		}
		got := res.Data
		if got.Name != w.Name || got.Sex != w.Sex || got.Ethnicity != tc.eth || got.BirthDate != w.BirthDate ||
			got.DocumentNumber != w.DocumentNumber || !got.Readable {
			t.Errorf("%s: read %q %s %q %s %s readable %t; want %q %s %q %s %s", tc.eth, got.Name, got.Sex, got.Ethnicity, got.BirthDate,
				got.DocumentNumber, got.Readable, w.Name, w.Sex, tc.eth, w.BirthDate, w.DocumentNumber)
		}
	}
}
