package docread

import (
	"image"
	"testing"
)

// cnFront and cnBack are the fields of a test mainland ID.
type cnFront struct {
	name, sex, ethnicity string
	year, month, day     string
	address              []string
	number               string
}

// renderCNFront renders the portrait side of a second-generation resident
// ID (85.6 × 54 mm at 10 pixels per millimetre) in the card's layout:
// labels on the left, the portrait on the right, the number at the
// bottom.
func renderCNFront(t testing.TB, f cnFront, pattern bool) *image.Gray {
	t.Helper()
	g := renderCard(t, "td1", nil, cardOpts{pattern: pattern, noText: true})
	cjk := loadFont(t, notoCJKPath)
	label := face(t, cjk, 30)
	value := face(t, cjk, 36)
	num := face(t, loadFont(t, ocrbSharpPath), 40)
	drawText(g, label, 50, 95, "姓 名")
	drawText(g, value, 160, 95, f.name)
	drawText(g, label, 50, 170, "性 别")
	drawText(g, value, 160, 170, f.sex)
	drawText(g, label, 290, 170, "民 族")
	drawText(g, value, 400, 170, f.ethnicity)
	drawText(g, label, 50, 245, "出 生")
	drawText(g, value, 160, 245, f.year+" 年 "+f.month+" 月 "+f.day+" 日")
	drawText(g, label, 50, 320, "住 址")
	for i, l := range f.address {
		drawText(g, value, 160, 320+float64(i)*50, l)
	}
	drawText(g, label, 50, 470, "公民身份号码")
	drawText(g, num, 300, 472, f.number)
	return g
}

// renderCNBack renders the issuer side: title, issuing authority and the
// validity period.
func renderCNBack(t testing.TB, issuer, validity string, pattern bool) *image.Gray {
	t.Helper()
	g := renderCard(t, "td1", nil, cardOpts{pattern: pattern, noText: true})
	cjk := loadFont(t, notoCJKPath)
	title := face(t, cjk, 48)
	label := face(t, cjk, 30)
	value := face(t, cjk, 34)
	drawText(g, title, 300, 110, "中华人民共和国")
	drawText(g, title, 260, 220, "居 民 身 份 证")
	drawText(g, label, 130, 400, "签发机关")
	drawText(g, value, 280, 400, issuer)
	drawText(g, label, 130, 470, "有效期限")
	drawText(g, value, 280, 470, validity)
	return g
}
