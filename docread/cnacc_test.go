package docread

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc/cnid"
)

// randomCNFront returns a random front: a name of common surnames and
// given-name characters, a valid number whose birth date and sex agree
// with the printed ones, and an address.
func randomCNFront(rng *rand.Rand) cnFront {
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文")
	cities := []string{"北京市东城区", "上海市浦东新区", "广州市天河区", "成都市武侯区", "杭州市西湖区"}
	streets := []string{"景山前街", "人民路", "建设大道", "中山南路", "解放西路"}
	name := string(surnames[rng.IntN(len(surnames))])
	for range 1 + rng.IntN(2) {
		name += string(given[rng.IntN(len(given))])
	}
	born := time.Date(1950+rng.IntN(55), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	region := []string{"110101", "310115", "440106", "510107", "330106"}[rng.IntN(5)]
	seq := rng.IntN(1000)
	body := region + born.Format("20060102") + fmt.Sprintf("%03d", seq)
	c, _ := cnid.CheckChar(body)
	sex := "女"
	if seq%2 == 1 {
		sex = "男"
	}
	return cnFront{
		name: name, sex: sex, ethnicity: []string{"汉", "回", "满", "蒙古", "壮"}[rng.IntN(5)],
		year: strconv.Itoa(born.Year()), month: strconv.Itoa(int(born.Month())), day: strconv.Itoa(born.Day()),
		address: []string{cities[rng.IntN(len(cities))] + streets[rng.IntN(len(streets))], fmt.Sprintf("%d号院%d号楼", 1+rng.IntN(99), 1+rng.IntN(20))},
		number:  body + string(c),
	}
}

// TestCNIDAccuracy reads random mainland ID fronts and backs in two
// photo conditions and requires every key field exact on at least 98%
// of them. DOCREAD_CN_ACCURACY_N sets the cards per side and condition
// (default 2: Tesseract is slow on a loaded test machine).
func TestCNIDAccuracy(t *testing.T) {
	n := 2
	if s := os.Getenv("DOCREAD_CN_ACCURACY_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	r := fullReader(t)
	rng := rand.New(rand.NewPCG(20261202, 31))
	total, exact := 0, 0
	for _, cond := range []string{"flat", "phone"} {
		okF, okB := 0, 0
		for i := range n {
			o := sceneOpts{w: 1600, h: 1200, fill: 0.8, seed: rng.Uint64()}
			if cond == "phone" {
				o.angle, o.persp, o.noise, o.jpegQ, o.fill = rng.Float64()*16-8, 0.03, 6, 75, 0.65+rng.Float64()*0.2
				if i%2 == 1 {
					o.angle += 180
				}
			}
			f := randomCNFront(rng)
			res, err := r.Read(context.Background(), photograph(t, renderCNFront(t, f, cond == "phone"), o), imagecheck.Front, cnHint)
			if err != nil {
				t.Fatal(err)
			}
			d := res.Data
			want := fmt.Sprintf("%s|%s|%s|%s|%s", f.number, f.name, map[string]string{"男": "M", "女": "F"}[f.sex], f.ethnicity,
				fmt.Sprintf("%s-%02s-%02s", f.year, pad2(f.month), pad2(f.day)))
			got := fmt.Sprintf("%s|%s|%s|%s|%s", d.DocumentNumber, d.Name, d.Sex, d.Ethnicity, d.BirthDate)
			if got == want && d.ChecksValid {
				okF++
			} else {
				t.Logf("front %s %d: got %s want %s", cond, i, got, want)
			}
			from := time.Date(2005+rng.IntN(15), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
			validity, wantTo := from.Format("2006.01.02")+"-长期", ""
			if rng.IntN(3) > 0 {
				to := from.AddDate(10+10*rng.IntN(2), 0, 0)
				validity, wantTo = from.Format("2006.01.02")+"-"+to.Format("2006.01.02"), to.Format(time.DateOnly)
			}
			res, err = r.Read(context.Background(), photograph(t, renderCNBack(t, "某市公安局", validity, cond == "phone"), o), imagecheck.Back, cnHint)
			if err != nil {
				t.Fatal(err)
			}
			if b := res.Data; b.IssueDate == from.Format(time.DateOnly) && b.ExpiryDate == wantTo && b.LongTerm == (wantTo == "") {
				okB++
			} else {
				t.Logf("back %s %d: got %s %s %t want %s", cond, i, b.IssueDate, b.ExpiryDate, b.LongTerm, validity)
			}
		}
		t.Logf("%s: front %d/%d, back %d/%d exact", cond, okF, n, okB, n)
		total += 2 * n
		exact += okF + okB
	}
	if rate := float64(exact) / float64(total); rate < 0.98 {
		t.Errorf("%d/%d sides exact (%.3f), want at least 0.98", exact, total, rate)
	}
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
