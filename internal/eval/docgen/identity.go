package docgen

import (
	"fmt"
	"strings"
	"time"

	"github.com/kycq/kycq/kyc/cnid"
	"github.com/kycq/kycq/kyc/mrz"
)

// Kind is the kind of document a photo shows. The zero value is the
// made-up card of the image-check sets (KindCard); the other kinds print
// exactly their Identity, machine-readable zone included, and need the
// fonts of DocumentFonts.
type Kind string

// Kinds of document.
const (
	KindCard    Kind = ""        // the image-check card: drawn fields, Go Mono MRZ on some cards
	KindTD1     Kind = "td1"     // ID-1 identity card: visual zone on the front, 3×30 MRZ on the back
	KindTD2     Kind = "td2"     // ID-2 card (105 × 74 mm): visual zone and 2×36 MRZ on the front
	KindTD3     Kind = "td3"     // passport data page (ID-3, 125 × 88 mm) with its 2×44 MRZ
	KindCNID    Kind = "cn_id"   // mainland China 2nd-generation resident ID: front and back
	KindLicence Kind = "licence" // a driving licence: visual zone only, no MRZ
)

// Kinds lists the kinds that print an Identity.
var Kinds = []Kind{KindTD1, KindTD2, KindTD3, KindCNID, KindLicence}

// ParseKind returns the kind named s ("td1", "td2", "td3", "cn_id",
// "licence").
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("docgen: unknown document kind %q (have td1, td2, td3, cn_id, licence)", s)
}

// Sides returns the sides of a kind that exist: a passport data page and
// a licence's front only.
func (k Kind) Sides() []Side {
	switch k {
	case KindTD3, KindLicence:
		return []Side{Front}
	}
	return []Side{Front, Back}
}

// ReadKind is the kind a perfect reader reports for side of a document of
// kind k (the kyc.Read* names): the side with the machine-readable zone
// gives its format, the mainland ID its side, anything else "visual".
func (k Kind) ReadKind(side Side) string {
	switch {
	case k == KindTD1 && side == Back:
		return "td1"
	case k == KindTD2 && side == Front:
		return "td2"
	case k == KindTD3:
		return "td3"
	case k == KindCNID && side == Front:
		return "cn_id_front"
	case k == KindCNID && side == Back:
		return "cn_id_back"
	}
	return "visual"
}

// Identity is what a document prints. Latin names are in capitals A–Z
// with spaces (and hyphens) only; dates are YYYY-MM-DD. It is invented:
// no real person, name or number.
type Identity struct {
	DocumentCode string `json:"document_code,omitempty"` // of the MRZ: "ID", "I", "AC", "P"
	Issuer       string `json:"issuer,omitempty"`        // ICAO code of the issuing state ("D", "UTO")
	Country      string `json:"country,omitempty"`       // the issuing state's name, as printed
	Nationality  string `json:"nationality,omitempty"`   // ICAO code
	Surname      string `json:"surname,omitempty"`
	GivenNames   string `json:"given_names,omitempty"`
	// Name is the name in Chinese characters (mainland ID).
	Name       string `json:"name,omitempty"`
	Sex        string `json:"sex"` // "M" or "F"
	BirthDate  string `json:"birth_date"`
	ExpiryDate string `json:"expiry_date,omitempty"` // empty when LongTerm
	IssueDate  string `json:"issue_date,omitempty"`
	LongTerm   bool   `json:"long_term,omitempty"` // 长期: a mainland ID without end date
	Number     string `json:"document_number"`
	Ethnicity  string `json:"ethnicity,omitempty"` // mainland ID: 汉, 回, ...
	Address    string `json:"address,omitempty"`
	Authority  string `json:"authority,omitempty"`
}

// FullName is the Latin name as an applicant types it: given names, then
// the surname.
func (id Identity) FullName() string {
	return strings.TrimSpace(id.GivenNames + " " + id.Surname)
}

// refDate is the day the generator treats as today: identities are valid
// on it and for at least a year after, whatever the clock says, so that a
// seed always gives the same card.
var refDate = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// The made-up issuing states of the generated documents (ICAO's own
// specimen state Utopia among them).
var states = []struct{ name, code string }{
	{"REPUBLIC OF UTOPIA", "UTO"}, {"FEDERATION OF ARCADIA", "ARC"}, {"KINGDOM OF ERIADOR", "ERI"},
	{"UNITED ISLES OF NOVA", "NOV"}, {"REPUBLIC OF BORDURIA", "BOR"}, {"STATE OF SYLDAVIA", "SYL"},
}

// NewIdentity draws an invented identity for a document of kind k from
// seed: the same seed and kind always give the same identity. The Latin
// name always fits the kind's MRZ name field untruncated.
func NewIdentity(seed int64, k Kind) Identity {
	r := newRNG(seed, 201)
	if k == KindCNID {
		return newCNIdentity(r)
	}
	st := states[r.IntN(len(states))]
	id := Identity{Issuer: st.code, Country: st.name, Nationality: st.code, Sex: pick(r, "F", "M")}
	switch k {
	case KindTD3:
		id.DocumentCode = "P"
	case KindTD2:
		id.DocumentCode = pick(r, "I", "AC")
	case KindLicence:
		id.DocumentCode = ""
	default:
		id.DocumentCode = pick(r, "I", "ID")
	}
	if r.IntN(5) == 0 {
		// A foreigner's document (a residence permit, say).
		id.Nationality = states[r.IntN(len(states))].code
	}
	room := nameRoom(k)
	for {
		id.Surname = latinName(r, 2+r.IntN(3))
		if r.IntN(8) == 0 {
			id.Surname += pick(r, " ", "-") + latinName(r, 2+r.IntN(2))
		}
		id.GivenNames = latinName(r, 2+r.IntN(2))
		if r.IntN(3) == 0 {
			id.GivenNames += " " + latinName(r, 2+r.IntN(2))
		}
		if len(id.Surname)+2+len(id.GivenNames) <= room {
			break
		}
	}
	birth := time.Date(1950+r.IntN(56), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	expiry := refDate.AddDate(1, 0, r.IntN(9*365))
	id.BirthDate, id.ExpiryDate = birth.Format(time.DateOnly), expiry.Format(time.DateOnly)
	id.IssueDate = expiry.AddDate(-10, 0, 1).Format(time.DateOnly)
	id.Number = documentNumber(r)
	id.Authority = "CITY OF " + latinName(r, 3)
	id.Address = fmt.Sprintf("%d %s STREET, %s", 1+r.IntN(200), latinName(r, 2), latinName(r, 3))
	return id
}

// nameRoom is the length of the kind's MRZ name field.
func nameRoom(k Kind) int {
	switch k {
	case KindTD2:
		return 31
	case KindTD3:
		return 39
	}
	return 30
}

// latinName glues consonant–vowel syllables into a made-up name using the
// whole alphabet, so that every letter is printed now and then.
func latinName(r rng, syl int) string {
	const cons, vows = "BCDFGHJKLMNPQRSTVWXYZ", "AEIOUY"
	var b strings.Builder
	for i := 0; i < syl; i++ {
		b.WriteByte(cons[r.IntN(len(cons))])
		b.WriteByte(vows[r.IntN(len(vows)-1)])
		if r.IntN(4) == 0 {
			b.WriteByte("NRLSKMX"[r.IntN(7)])
		}
	}
	return b.String()
}

// documentNumber is nine characters in the MRZ alphabet: letters that
// look like digits (O, I) are left out, as issuers do.
func documentNumber(r rng) string {
	const letters, alnum = "CFGHJKLMNPRTVWXYZ", "0123456789CFGHJKLMNPRTVWXYZ"
	b := []byte{letters[r.IntN(len(letters))]}
	for len(b) < 9 {
		if r.IntN(3) == 0 {
			b = append(b, alnum[r.IntN(len(alnum))])
		} else {
			b = append(b, byte('0'+r.IntN(10)))
		}
	}
	return string(b)
}

// MRZ returns the lines of the machine-readable zone document kind k
// prints for id (TD1: 3×30, TD2: 2×36, TD3: 2×44), every check digit
// computed with kyc/mrz; nil for kinds without one.
func (id Identity) MRZ(k Kind) []string {
	yy := func(d string) string { return d[2:4] + d[5:7] + d[8:10] }
	dob, exp := yy(id.BirthDate), yy(id.ExpiryDate)
	num := pad(id.Number, 9)
	name := pad(strings.ReplaceAll(id.Surname, "-", " ")+"<<"+strings.ReplaceAll(id.GivenNames, "-", " "), nameRoom(k))
	code := pad(id.DocumentCode, 2)
	sex := id.Sex
	switch k {
	case KindTD1:
		l1 := code + pad(id.Issuer, 3) + num + cd(num) + pad("", 15)
		l2 := dob + cd(dob) + sex + exp + cd(exp) + pad(id.Nationality, 3) + pad("", 11)
		l2 += cd(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
		return []string{l1, l2, name}
	case KindTD2:
		l1 := code + pad(id.Issuer, 3) + name
		l2 := num + cd(num) + pad(id.Nationality, 3) + dob + cd(dob) + sex + exp + cd(exp) + pad("", 7)
		l2 += cd(l2[0:10] + l2[13:20] + l2[21:35])
		return []string{l1, l2}
	case KindTD3:
		l1 := code + pad(id.Issuer, 3) + name
		opt := pad("", 14)
		l2 := num + cd(num) + pad(id.Nationality, 3) + dob + cd(dob) + sex + exp + cd(exp) + opt + cd(opt)
		l2 += cd(l2[0:10] + l2[13:20] + l2[21:43])
		return []string{l1, l2}
	}
	return nil
}

// cd is the ICAO 9303 check digit of s as a character.
func cd(s string) string {
	d, err := mrz.CheckDigit(s)
	if err != nil {
		panic("docgen: " + err.Error()) // identities are built in the MRZ alphabet
	}
	return string(rune('0' + d))
}

// Fields a mismatched card may change (the names of kyc.DocumentRead's
// JSON fields).
const (
	FieldName   = "name"
	FieldNumber = "document_number"
	FieldBirth  = "birth_date"
	FieldExpiry = "expiry_date"
)

// MismatchFields lists the fields Mismatched can change.
var MismatchFields = []string{FieldName, FieldNumber, FieldBirth, FieldExpiry}

// Mismatched returns a copy of id that differs in field only (drawn from
// seed): a card printing it, submitted with id, is an attack the checks
// must refuse (rules §8). A mainland ID stays internally consistent: a
// different date of birth is also embedded in its number, as on another
// person's card.
func (id Identity) Mismatched(field string, seed int64) (Identity, error) {
	r := newRNG(seed, 202)
	out := id
	cn := id.Name != ""
	switch field {
	case FieldName:
		for out.Surname == id.Surname && out.Name == id.Name {
			if cn {
				other := newCNIdentity(r)
				out.Name, out.Surname, out.GivenNames = other.Name, other.Surname, other.GivenNames
			} else {
				out.Surname = latinName(r, 2+r.IntN(2))
			}
		}
	case FieldNumber:
		for out.Number == id.Number {
			if cn {
				out.Number = cnNumber(id.Number[:6], id.BirthDate, id.Number[14:16]+string(rune('0'+(int(id.Number[16]-'0')+2)%10)))
			} else {
				out.Number = documentNumber(r)
			}
		}
	case FieldBirth:
		b, err := time.Parse(time.DateOnly, id.BirthDate)
		if err != nil {
			return id, fmt.Errorf("docgen: birth date: %w", err)
		}
		out.BirthDate = b.AddDate(1+r.IntN(8), r.IntN(12), r.IntN(28)).Format(time.DateOnly)
		if cn {
			out.Number = cnNumber(id.Number[:6], out.BirthDate, id.Number[14:17])
		}
	case FieldExpiry:
		e := refDate
		if !id.LongTerm {
			var err error
			if e, err = time.Parse(time.DateOnly, id.ExpiryDate); err != nil {
				return id, fmt.Errorf("docgen: expiry date: %w", err)
			}
		}
		out.LongTerm = false
		out.ExpiryDate = e.AddDate(1+r.IntN(4), 0, 1+r.IntN(300)).Format(time.DateOnly)
	default:
		return id, fmt.Errorf("docgen: cannot mismatch field %q (have %v)", field, MismatchFields)
	}
	return out, nil
}

// Mainland ID content. The regions are real address codes with the names
// of their districts and police branches (public administrative data);
// everything personal is drawn at random.
var (
	cnRegions = []struct{ code, place, authority string }{
		{"110105", "北京市朝阳区", "北京市公安局朝阳分局"},
		{"110108", "北京市海淀区", "北京市公安局海淀分局"},
		{"310104", "上海市徐汇区", "上海市公安局徐汇分局"},
		{"440305", "广东省深圳市南山区", "深圳市公安局南山分局"},
		{"440106", "广东省广州市天河区", "广州市公安局天河分局"},
		{"330106", "浙江省杭州市西湖区", "杭州市公安局西湖分局"},
		{"510107", "四川省成都市武侯区", "成都市公安局武侯区分局"},
		{"420106", "湖北省武汉市武昌区", "武汉市公安局武昌分局"},
		{"320102", "江苏省南京市玄武区", "南京市公安局玄武分局"},
		{"610113", "陕西省西安市雁塔区", "西安市公安局雁塔分局"},
	}
	cnSurnames = []struct{ han, pinyin string }{
		{"王", "WANG"}, {"李", "LI"}, {"张", "ZHANG"}, {"刘", "LIU"}, {"陈", "CHEN"}, {"杨", "YANG"},
		{"黄", "HUANG"}, {"赵", "ZHAO"}, {"吴", "WU"}, {"周", "ZHOU"}, {"徐", "XU"}, {"孙", "SUN"},
		{"马", "MA"}, {"朱", "ZHU"}, {"胡", "HU"}, {"郭", "GUO"}, {"何", "HE"}, {"高", "GAO"},
		{"林", "LIN"}, {"罗", "LUO"}, {"欧阳", "OUYANG"},
	}
	cnGiven = []struct{ han, pinyin string }{
		{"伟", "WEI"}, {"芳", "FANG"}, {"娜", "NA"}, {"敏", "MIN"}, {"静", "JING"}, {"丽", "LI"},
		{"强", "QIANG"}, {"磊", "LEI"}, {"军", "JUN"}, {"洋", "YANG"}, {"勇", "YONG"}, {"艳", "YAN"},
		{"杰", "JIE"}, {"娟", "JUAN"}, {"涛", "TAO"}, {"明", "MING"}, {"超", "CHAO"}, {"秀", "XIU"},
		{"霞", "XIA"}, {"平", "PING"}, {"刚", "GANG"}, {"英", "YING"}, {"华", "HUA"}, {"建", "JIAN"},
		{"国", "GUO"}, {"文", "WEN"}, {"红", "HONG"}, {"玉", "YU"}, {"兰", "LAN"}, {"志", "ZHI"},
		{"海", "HAI"}, {"斌", "BIN"}, {"宇", "YU"}, {"浩", "HAO"}, {"晨", "CHEN"}, {"欣", "XIN"},
		{"雨", "YU"}, {"婷", "TING"}, {"鑫", "XIN"}, {"博", "BO"}, {"慧", "HUI"}, {"嘉", "JIA"},
	}
	cnEthnicities = []string{"汉", "汉", "汉", "汉", "汉", "汉", "汉", "回", "满", "壮", "蒙古", "苗", "土家", "维吾尔", "彝", "藏"}
	cnStreets     = []string{"建设路", "人民路", "解放路", "中山路", "和平街", "文化路", "长江路", "幸福里", "朝阳北路", "学院路", "南京东路", "东风大街"}
)

// newCNIdentity draws a mainland resident ID: a Chinese name (and its
// pinyin as the Latin name), a number whose birth date and sex agree with
// the card, and the validity period the law gives the holder's age at
// issue (under 16: 5 years; 16–25: 10; 26–45: 20; 46 and over: long-term).
func newCNIdentity(r rng) Identity {
	reg := cnRegions[r.IntN(len(cnRegions))]
	sur := cnSurnames[r.IntN(len(cnSurnames))]
	id := Identity{Issuer: "CHN", Nationality: "CHN", Country: "中华人民共和国", Surname: sur.pinyin, Name: sur.han}
	var given []string
	for i := 0; i < 1+r.IntN(2); i++ {
		g := cnGiven[r.IntN(len(cnGiven))]
		id.Name += g.han
		given = append(given, g.pinyin)
	}
	id.GivenNames = strings.Join(given, "")
	birth := time.Date(1950+r.IntN(56), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	id.BirthDate = birth.Format(time.DateOnly)
	seq := r.IntN(1000)
	id.Number = cnNumber(reg.code, id.BirthDate, fmt.Sprintf("%03d", seq))
	id.Sex = "F"
	if seq%2 == 1 {
		id.Sex = "M"
	}
	id.Ethnicity = cnEthnicities[r.IntN(len(cnEthnicities))]
	id.Address = fmt.Sprintf("%s%s%d号", reg.place, cnStreets[r.IntN(len(cnStreets))], 1+r.IntN(300))
	if r.IntN(2) == 0 {
		id.Address += fmt.Sprintf("%d栋%d单元%d室", 1+r.IntN(30), 1+r.IntN(6), 100*(1+r.IntN(25))+1+r.IntN(4))
	}
	id.Authority = reg.authority
	for try := 0; ; try++ {
		issue := refDate.AddDate(0, 0, -30-r.IntN(20*365))
		if issue.Before(birth.AddDate(16, 0, 0)) {
			issue = birth.AddDate(16, 0, r.IntN(365))
		}
		// The age on the day of issue, by month and day (the day of the
		// year is a day off after February in a leap year).
		age := issue.Year() - birth.Year()
		if issue.Month() < birth.Month() || issue.Month() == birth.Month() && issue.Day() < birth.Day() {
			age--
		}
		id.IssueDate = issue.Format(time.DateOnly)
		if age >= 46 {
			id.LongTerm, id.ExpiryDate = true, ""
			return id
		}
		years := 20
		switch {
		case age < 16:
			years = 5
		case age < 26:
			years = 10
		}
		exp := issue.AddDate(years, 0, 0)
		id.ExpiryDate = exp.Format(time.DateOnly)
		if exp.After(refDate.AddDate(1, 0, 0)) || try > 50 {
			return id
		}
	}
}

// cnNumber builds an 18-character citizen identity number from its
// region code, birth date (YYYY-MM-DD) and 3-digit sequence, with its
// MOD 11-2 check character.
func cnNumber(region, birth, seq string) string {
	body := region + strings.ReplaceAll(birth, "-", "") + seq
	c, err := cnid.CheckChar(body)
	if err != nil {
		panic("docgen: " + err.Error())
	}
	return body + string(c)
}

// RelativeName returns a mainland name that differs from id.Name in its
// last character only (drawn from seed), another common given-name
// character: a relative's name, the hardest mismatch for a name read
// without a check character. Empty when id has no Chinese name.
func (id Identity) RelativeName(seed int64) string {
	rs := []rune(id.Name)
	if len(rs) < 2 {
		return ""
	}
	r := newRNG(seed, 203)
	last := rs[len(rs)-1]
	for {
		g := []rune(cnGiven[r.IntN(len(cnGiven))].han)[0]
		if g != last {
			rs[len(rs)-1] = g
			return string(rs)
		}
	}
}
