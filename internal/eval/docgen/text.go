package docgen

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The Go fonts (BSD licence, shipped with golang.org/x/image).
var (
	fontsOnce                       sync.Once
	fontRegular, fontBold, fontMono *opentype.Font
)

func loadFonts() {
	fontsOnce.Do(func() {
		var err error
		if fontRegular, err = opentype.Parse(goregular.TTF); err != nil {
			panic(err)
		}
		if fontBold, err = opentype.Parse(gobold.TTF); err != nil {
			panic(err)
		}
		if fontMono, err = opentype.Parse(gomono.TTF); err != nil {
			panic(err)
		}
	})
}

// drawText writes s with its baseline at (x, y), size in pixels.
func drawText(dst draw.Image, f *opentype.Font, size float64, x, y float64, c color.Color, s string) float64 {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return 0
	}
	defer face.Close()
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: face, Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(y * 64)}}
	d.DrawString(s)
	return float64(d.Dot.X)/64 - x
}

// Made-up names: syllables glued together, never a list of real people.
var (
	syllables = []string{"ka", "lo", "mi", "ren", "tas", "vel", "do", "ra", "si", "mon", "te", "bar", "lin", "qu", "zo", "fa", "ne", "hal", "ori", "vak", "stu", "pe", "gri", "dan"}
	countries = []string{"REPUBLIC OF UTOPIA", "FEDERATION OF ARCADIA", "KINGDOM OF ERIADOR", "UNITED ISLES OF NOVA", "REPUBLIC OF BORDURIA", "STATE OF SYLDAVIA"}
	codes     = []string{"UTO", "ARC", "ERI", "NOV", "BOR", "SYL"}
)

func madeUpName(r rng, parts int) string {
	var b strings.Builder
	for i := 0; i < parts; i++ {
		b.WriteString(syllables[r.IntN(len(syllables))])
	}
	return strings.ToUpper(b.String())
}

// identity is the made-up content of one card.
type identity struct {
	country, code     string
	surname, given    string
	sex               string
	birth, expiry     [3]int // y m d
	number            string
	issued, authority string
	address           string
}

func newIdentity(r rng) identity {
	k := r.IntN(len(countries))
	id := identity{
		country: countries[k], code: codes[k],
		surname: madeUpName(r, 2+r.IntN(2)),
		given:   madeUpName(r, 2) + " " + madeUpName(r, 2),
		sex:     pick(r, "F", "M"),
		birth:   [3]int{1950 + r.IntN(55), 1 + r.IntN(12), 1 + r.IntN(28)},
		expiry:  [3]int{2027 + r.IntN(10), 1 + r.IntN(12), 1 + r.IntN(28)},
	}
	const letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
	id.number = fmt.Sprintf("%c%c%07d", letters[r.IntN(len(letters))], letters[r.IntN(len(letters))], r.IntN(10000000))
	id.issued = fmt.Sprintf("%02d.%02d.%04d", 1+r.IntN(28), 1+r.IntN(12), id.expiry[0]-10)
	id.authority = "CITY OF " + madeUpName(r, 3)
	id.address = fmt.Sprintf("%d %s STREET, %s", 1+r.IntN(200), madeUpName(r, 2), madeUpName(r, 3))
	return id
}

func date(d [3]int) string { return fmt.Sprintf("%02d.%02d.%04d", d[2], d[1], d[0]) }

func yymmdd(d [3]int) string { return fmt.Sprintf("%02d%02d%02d", d[0]%100, d[1], d[2]) }

// checkDigit is the ICAO 9303 check digit (weights 7, 3, 1).
func checkDigit(s string) byte {
	w := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * w[i%3]
	}
	return byte('0' + sum%10)
}

func pad(s string, n int) string {
	s = strings.ReplaceAll(s, " ", "<")
	if len(s) >= n {
		return s[:n]
	}
	return s + strings.Repeat("<", n-len(s))
}

// mrz returns the three 30-character lines of a TD1 machine-readable zone.
func (id identity) mrz() [3]string {
	num := pad(id.number, 9)
	l1 := "I<" + id.code + num + string(checkDigit(num)) + pad("", 15)
	dob, exp := yymmdd(id.birth), yymmdd(id.expiry)
	l2 := dob + string(checkDigit(dob)) + id.sex + exp + string(checkDigit(exp)) + id.code + pad("", 11)
	comp := l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
	l2 += string(checkDigit(comp))
	l3 := pad(id.surname+"<<"+strings.ReplaceAll(id.given, " ", "<"), 30)
	return [3]string{l1, l2, l3}
}
