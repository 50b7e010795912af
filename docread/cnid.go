package docread

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/cnid"
)

// The mainland China resident ID (second generation, 85.6 × 54 mm) is
// read on the straightened card, upright: the front's 18-character
// number from the band under the portrait (Tesseract, English model),
// the name, sex, ethnicity, date of birth and address from the block of
// labelled lines left of the portrait (Tesseract, simplified Chinese);
// the back's validity period from its lower band. The upright
// orientation is the one whose band holds what the side must hold (a
// number passing MOD 11-2, a validity period); a portrait-shaped card is
// turned a quarter first.

// cnCardWidth is the width the card is read at: about 25 pixels of text
// height, where Tesseract is fastest for no loss.
const cnCardWidth = 640

// Bands of the upright card, as fractions of its width and height.
var (
	cnNumberBand = [4]float64{0, 0.74, 1, 1}    // the number line
	cnTextBlock  = [4]float64{0, 0, 0.65, 0.76} // name, sex, ethnicity, birth, address
	cnBackBand   = [4]float64{0, 0.78, 1, 1}    // the validity line
	cnBackWide   = [4]float64{0, 0.6, 1, 1}     // issuer and validity, when the line sits higher
)

// band crops b out of p and cleans it for Tesseract: the ink well below
// its neighbourhood is kept, specks smaller than a stroke's dot dropped,
// and the rest made white (a security pattern's light lines, noise).
func band(p *plane, b [4]float64) *plane {
	c := p.crop(int(b[0]*float64(p.w)), int(b[1]*float64(p.h)), int(b[2]*float64(p.w)), int(b[3]*float64(p.h)))
	ink := binarise(c, 16)
	for _, k := range components(ink, c.w, c.h) {
		if k.n >= 6 || k.size() >= 4 {
			continue
		}
		for y := k.y0; y < k.y1; y++ {
			for x := k.x0; x < k.x1; x++ {
				ink[y*c.w+x] = false
			}
		}
	}
	for i, k := range ink {
		if !k {
			c.pix[i] = 255
		}
	}
	return c
}

// cnCard returns the card to read, landscape, at cnCardWidth: the
// straightened outline, or the whole photo when none was found.
func (s *source) cnCard() (*plane, mapping) {
	var c *plane
	var m mapping
	if s.hasDoc {
		c, m = s.card()
	} else {
		c, m = s.p, s.toPhoto
	}
	if c.h > c.w {
		w, h := float64(c.w), float64(c.h)
		c = c.rot90(1)
		inner := m
		// Clockwise quarter: (x, y) of the turned card is (y, h-1-x)... of
		// the original: x' = h-1-y, y' = x, so x = y', y = h-1-x'.
		m = func(x, y float64) (float64, float64) { return inner(y, h-1-x) }
		_ = w
	}
	if c.w != cnCardWidth {
		k := float64(c.w) / cnCardWidth
		nh := max(1, int(float64(c.h)/k))
		c = warp(c, [4][2]float64{{0, 0}, {float64(c.w), 0}, {float64(c.w), float64(c.h)}, {0, float64(c.h)}}, cnCardWidth, nh)
		inner := m
		m = func(x, y float64) (float64, float64) { return inner((x+0.5)*k-0.5, (y+0.5)*k-0.5) }
	}
	return c, m
}

// turned returns the card and its mapping after a half turn.
func turned(c *plane, m mapping) (*plane, mapping) {
	w, h := float64(c.w), float64(c.h)
	return c.rot90(2), func(x, y float64) (float64, float64) { return m(w-1-x, h-1-y) }
}

func (r *Reader) readCNID(ctx context.Context, src *source, side imagecheck.Side, res *Result) error {
	if r.tess == nil {
		res.Data = kyc.DocumentRead{Expected: true}
		return nil
	}
	tm := timings(res.Timings)
	t := time.Now()
	card, m := src.cnCard()
	t = tm.lap("straighten", t)
	tp, err := r.tess.get()
	if err != nil {
		return err
	}
	defer r.tess.put(tp)
	defer tm.lap("ocr", t)
	d := kyc.DocumentRead{Expected: true}
	for turn := range 2 {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c, cm := card, m
		if turn == 1 {
			c, cm = turned(card, m)
		}
		var ok bool
		if side != imagecheck.Back {
			ok = readCNFront(ctx, tp, c, &d)
		}
		if !ok && side != imagecheck.Front && ctx.Err() == nil {
			ok = readCNBack(tp, c, &d)
		}
		if ok {
			res.Zone = quadToPoints([4][2]float64{{0, 0}, {float64(c.w), 0}, {float64(c.w), float64(c.h)}, {0, float64(c.h)}}, cm)
			break
		}
	}
	res.Data = d
	return nil
}

// readCNFront reads the front of an upright card into d and reports
// whether the number was found.
func readCNFront(ctx context.Context, tp *tessPair, c *plane, d *kyc.DocumentRead) bool {
	nb := band(c, cnNumberBand)
	txt := tp.eng.recognise(nb.pix, nb.w, nb.h, psmSingleBlock, "")
	num, ok := findCNNumber(txt)
	if !ok {
		return false
	}
	d.Kind = kyc.ReadCNIDFront
	d.DocumentNumber = num
	if ctx.Err() == nil {
		tb := band(c, cnTextBlock)
		txt := tp.chi.recognise(tb.pix, tb.w, tb.h, psmSingleBlock, "")
		parseCNFront(txt, d)
	}
	n, err := cnid.Parse(num)
	d.ChecksValid = err == nil
	if d.ChecksValid {
		switch born := n.Birth.Format(time.DateOnly); {
		case d.BirthDate == "":
			// The printed date was not recognised: the number, read from
			// the same card, carries it.
			d.BirthDate = born
		case d.BirthDate != born:
			d.ChecksValid = false
		}
	}
	d.Readable = d.ChecksValid
	return true
}

// readCNBack reads the validity period of an upright back into d and
// reports whether it was found.
func readCNBack(tp *tessPair, c *plane, d *kyc.DocumentRead) bool {
	var from, to string
	var long, ok bool
	for _, b := range [][4]float64{cnBackBand, cnBackWide} {
		bb := band(c, b)
		if from, to, long, ok = findValidity(tp.chi.recognise(bb.pix, bb.w, bb.h, psmSingleBlock, "")); ok {
			break
		}
	}
	if !ok {
		return false
	}
	d.Kind = kyc.ReadCNIDBack
	d.IssueDate, d.ExpiryDate, d.LongTerm = from, to, long
	d.ChecksValid = long || to > from
	d.Readable = d.ChecksValid
	return true
}

// digitLike maps the letters Tesseract confuses with digits in a field
// that holds only digits.
var digitLike = strings.NewReplacer("O", "0", "o", "0", "D", "0", "Q", "0", "I", "1", "l", "1", "|", "1",
	"Z", "2", "z", "2", "S", "5", "s", "5", "B", "8", "G", "6", "b", "6", "g", "9", "x", "X")

// findCNNumber finds an 18-character resident ID number in recognised
// text. Words that are mostly digits have their digit-like letters mapped
// back and are joined with their neighbours of the same kind (Tesseract
// may split a number); every 18-character window of such a run is tried,
// one passing MOD 11-2 first, else a run of exactly 18.
func findCNNumber(text string) (string, bool) {
	var fallback string
	for _, line := range strings.Split(text, "\n") {
		var runs []string
		cur := ""
		for _, w := range strings.Fields(line) {
			m := digitLike.Replace(strings.Map(dropPunct, w))
			if numeric(m) {
				cur += m
				continue
			}
			if cur != "" {
				runs = append(runs, cur)
			}
			cur = ""
		}
		if cur != "" {
			runs = append(runs, cur)
		}
		for _, run := range runs {
			for i := 0; i+18 <= len(run); i++ {
				w := run[i : i+18]
				if strings.IndexByte(w[:17], 'X') >= 0 {
					continue
				}
				if _, err := cnid.Parse(w); err == nil {
					return w, true
				}
			}
			if len(run) == 18 && fallback == "" {
				fallback = run
			}
		}
	}
	return fallback, fallback != ""
}

// dropPunct drops the marks noise and security patterns add to a word.
func dropPunct(r rune) rune {
	if strings.ContainsRune(".,-_°'\"“”‘’:;`~*", r) {
		return -1
	}
	return r
}

// numeric reports whether w is digits, with 'X' allowed last.
func numeric(w string) bool {
	for i := 0; i < len(w); i++ {
		if !(w[i] >= '0' && w[i] <= '9' || w[i] == 'X' && i == len(w)-1) {
			return false
		}
	}
	return w != ""
}

// Patterns of the front's lines, after spaces and stray quotes are
// removed.
var (
	cnBirthRe = regexp.MustCompile(`(\d{4})年(\d{1,2})月(\d{1,2})`)
	cnStrip   = strings.NewReplacer(" ", "", "\u3000", "", "“", "", "”", "", "\"", "", "'", "", "‘", "", "’", "",
		"|", "", ":", "", "：", "", "_", "", "、", "", "，", "", ",", "")
)

// cnLabels are the front's labels, in the card's order.
var cnLabels = []string{"姓名", "性别", "出生", "住址", "公民身份"}

// labelled returns the label the line carries and what follows it; noise
// may precede the label.
func labelled(l string) (string, string) {
	for _, lab := range cnLabels {
		if i := strings.Index(l, lab); i >= 0 && i <= 6 {
			return lab, l[i+len(lab):]
		}
	}
	return "", l
}

// parseCNFront fills name, sex, ethnicity, birth date and address from the
// text block's lines, by their labels.
func parseCNFront(text string, d *kyc.DocumentRead) {
	var addr []string
	inAddr := false
	for _, raw := range strings.Split(text, "\n") {
		l := cnStrip.Replace(strings.TrimSpace(raw))
		if l == "" {
			continue
		}
		lab, rest := labelled(l)
		switch lab {
		case "姓名":
			d.Name = onlyHan(rest)
		case "性别":
			sex, eth, _ := strings.Cut(rest, "民族")
			switch {
			case strings.Contains(sex, "男"):
				d.Sex = "M"
			case strings.Contains(sex, "女"):
				d.Sex = "F"
			}
			d.Ethnicity = ethnicity(onlyHan(eth))
		case "出生":
			rest = strings.ReplaceAll(digitLike.Replace(rest), "了", "7")
			if m := cnBirthRe.FindStringSubmatch(rest); m != nil {
				if t, err := time.Parse("2006-1-2", m[1]+"-"+m[2]+"-"+m[3]); err == nil {
					d.BirthDate = t.Format(time.DateOnly)
				}
			}
		case "住址":
			addr = append(addr, addressPart(rest))
		case "":
			if inAddr {
				addr = append(addr, addressPart(rest))
			}
		}
		inAddr = lab == "住址" || lab == "" && inAddr
	}
	d.Address = strings.Join(addr, "")
}

// addressPart keeps the Han characters, letters and digits of an address
// line, and hyphens between digits (building-unit-room).
func addressPart(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		switch {
		case unicode.Is(unicode.Han, r), r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case r == '-' && i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cnEthnicities are the 56 ethnic groups recognised by the state, as
// printed on the card.
var cnEthnicities = strings.Fields(`汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲
	高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克
	俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺`)

// ethnicity returns the longest ethnic group s starts with, or s when
// none does.
func ethnicity(s string) string {
	best := ""
	for _, e := range cnEthnicities {
		if strings.HasPrefix(s, e) && len(e) > len(best) {
			best = e
		}
	}
	if best == "" {
		return s
	}
	return best
}

var cnValidityRe = regexp.MustCompile(`(\d{4})\.?(\d{2})\.?(\d{2})[-—–~至]+(?:(\d{4})\.?(\d{2})\.?(\d{2})|(长期))`)

// findValidity finds "YYYY.MM.DD-YYYY.MM.DD" or "YYYY.MM.DD-长期".
func findValidity(text string) (from, to string, longTerm, ok bool) {
	for _, raw := range strings.Split(text, "\n") {
		l := digitLike.Replace(cnStrip.Replace(raw))
		l = strings.NewReplacer("·", ".", "。", ".", ",", ".").Replace(l)
		m := cnValidityRe.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		f, err := time.Parse("20060102", m[1]+m[2]+m[3])
		if err != nil {
			continue
		}
		if m[7] != "" {
			return f.Format(time.DateOnly), "", true, true
		}
		e, err := time.Parse("20060102", m[4]+m[5]+m[6])
		if err != nil {
			continue
		}
		return f.Format(time.DateOnly), e.Format(time.DateOnly), false, true
	}
	return "", "", false, false
}

// onlyHan keeps the Han characters (and the middle dot of transcribed
// names) of s.
func onlyHan(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Han, r) || r == '·' {
			return r
		}
		return -1
	}, s)
}
