package docread

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc/mrz"
)

// randomMRZ returns a random zone of the kind, valid in every check digit.
func randomMRZ(rng *rand.Rand, kind string) []string {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	pick := func(set string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = set[rng.IntN(len(set))]
		}
		return string(b)
	}
	pad := func(s string, n int) string {
		if len(s) > n {
			return s[:n]
		}
		return s + strings.Repeat("<", n-len(s))
	}
	cd := func(s string) string {
		d, _ := mrz.CheckDigit(s)
		return strconv.Itoa(d)
	}
	date := func(y0 int) string {
		return fmt.Sprintf("%02d%02d%02d", (y0+rng.IntN(40))%100, 1+rng.IntN(12), 1+rng.IntN(28))
	}
	name := func(n int) string {
		return pad(pick(letters, 3+rng.IntN(8))+"<<"+pick(letters, 3+rng.IntN(7))+"<"+pick(letters, 2+rng.IntN(6)), n)
	}
	state := pick(letters, 3)
	nat := pick(letters, 3)
	num := pad(pick(alnum, 7+rng.IntN(3)), 9)
	dob, exp := date(50), date(26)
	sex := string("MFX<"[rng.IntN(4)])
	switch kind {
	case "td1":
		opt1 := pad(pick(alnum, rng.IntN(8)), 15)
		opt2 := pad("", 11)
		l1 := "I<" + state + num + cd(num) + opt1
		l2 := dob + cd(dob) + sex + exp + cd(exp) + nat + opt2
		comp := l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
		return []string{l1, l2 + cd(comp), name(30)}
	case "td2":
		opt := pad(pick(alnum, rng.IntN(5)), 7)
		l2 := num + cd(num) + nat + dob + cd(dob) + sex + exp + cd(exp) + opt
		comp := l2[0:10] + l2[13:20] + l2[21:35]
		return []string{"I<" + state + name(31), l2 + cd(comp)}
	}
	pn := pad(pick(alnum, rng.IntN(12)), 14)
	pcd := cd(pn)
	if strings.Trim(pn, "<") == "" {
		pcd = "<"
	}
	l2 := num + cd(num) + nat + dob + cd(dob) + sex + exp + cd(exp) + pn + pcd
	comp := l2[0:10] + l2[13:20] + l2[21:43]
	return []string{"P<" + state + name(39), l2 + cd(comp)}
}

func TestRandomMRZValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, kind := range []string{"td1", "td2", "td3"} {
		for range 20 {
			lines := randomMRZ(rng, kind)
			if _, err := mrz.Parse(strings.Join(lines, "\n")); err != nil {
				t.Fatalf("%s %q: %v", kind, lines, err)
			}
		}
	}
}

// TestMRZAccuracy reads random zones of every format in two photo
// conditions (a flat scan; a phone photo with tilt, a security pattern,
// noise and JPEG) and requires at least 98% of the zones exact with every
// check digit holding. DOCREAD_ACCURACY_N sets the zones per format and
// condition (default 4) for a longer measurement.
func TestMRZAccuracy(t *testing.T) {
	n := 4
	if s := os.Getenv("DOCREAD_ACCURACY_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	r := mrzReader(t)
	rng := rand.New(rand.NewPCG(20261202, 11))
	total, exact := 0, 0
	for _, kind := range []string{"td1", "td2", "td3"} {
		for _, cond := range []string{"flat", "phone"} {
			ok := 0
			for i := range n {
				lines := randomMRZ(rng, kind)
				o := sceneOpts{w: 1600, h: 1200, fill: 0.75, seed: rng.Uint64()}
				co := cardOpts{}
				if cond == "phone" {
					o.angle = rng.Float64()*30 - 15
					if i%2 == 1 {
						o.angle += 180
					}
					o.persp, o.noise, o.jpegQ, o.fill = 0.04, 8, 70, 0.55+rng.Float64()*0.3
					co.pattern = true
				}
				photo := photograph(t, renderCard(t, kind, lines, co), o)
				res, err := r.Read(context.Background(), photo, imagecheck.AnySide, Hint{})
				if err != nil {
					t.Fatal(err)
				}
				if slices.Equal(res.Data.MRZ, lines) && res.Data.ChecksValid {
					ok++
				} else {
					t.Logf("%s %s %d: read %q, want %q", kind, cond, i, res.Data.MRZ, lines)
				}
			}
			t.Logf("%s %s: %d/%d exact", kind, cond, ok, n)
			total += n
			exact += ok
		}
	}
	if rate := float64(exact) / float64(total); rate < 0.98 {
		t.Errorf("%d/%d zones exact (%.3f), want at least 0.98", exact, total, rate)
	}
}
