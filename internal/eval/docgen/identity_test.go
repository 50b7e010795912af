package docgen

import (
	"crypto/sha256"
	"fmt"
	"image"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/kyc/cnid"
	"github.com/kycq/kycq/kyc/mrz"
)

// The specimens of ICAO Doc 9303 part 5 (TD1) and part 6 (TD2): the same
// identity printed by the generator gives the standard's lines exactly.
func TestMRZSpecimens(t *testing.T) {
	anna := Identity{
		DocumentCode: "I", Issuer: "UTO", Nationality: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
		Sex: "F", BirthDate: "1974-08-12", ExpiryDate: "2012-04-15", Number: "D23145890",
	}
	for _, c := range []struct {
		kind Kind
		want []string
	}{
		{KindTD1, []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"}},
		{KindTD2, []string{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"}},
		// TD3 with an empty personal number: composite computed by hand.
		{KindTD3, []string{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<<<<<<<<06"}},
		{KindCNID, nil},
		{KindLicence, nil},
	} {
		if got := anna.MRZ(c.kind); !slices.Equal(got, c.want) {
			t.Errorf("%s: MRZ\n%q, want\n%q", c.kind, got, c.want)
		}
	}
}

// Every generated MRZ parses with kyc/mrz, every check digit holding, and
// says what the label says.
func TestGeneratedMRZParses(t *testing.T) {
	for _, k := range []Kind{KindTD1, KindTD2, KindTD3} {
		for seed := int64(1); seed <= 60; seed++ {
			id := NewIdentity(seed, k)
			lines := id.MRZ(k)
			m, err := mrz.Parse(strings.Join(lines, "\n"))
			if err != nil {
				t.Fatalf("%s seed %d: %v", k, seed, err)
			}
			yy := func(d string) string { return d[2:4] + d[5:7] + d[8:10] }
			got := []string{m.DocumentCode, m.IssuingState, m.Nationality, m.DocumentNumber, m.BirthDate, m.ExpiryDate, string(m.Sex),
				strings.Join(m.Primary, " "), strings.Join(m.Secondary, " ")}
			want := []string{id.DocumentCode, id.Issuer, id.Nationality, id.Number, yy(id.BirthDate), yy(id.ExpiryDate), id.Sex,
				strings.ReplaceAll(id.Surname, "-", " "), id.GivenNames}
			if !slices.Equal(got, want) || m.NameFull {
				t.Errorf("%s seed %d: parsed %q, want %q (name full %v)", k, seed, got, want, m.NameFull)
			}
		}
	}
}

// The example of GB 11643-1999: 北京市朝阳区, born 1949-12-31, sequence 002.
func TestCNNumberExample(t *testing.T) {
	if got := cnNumber("110105", "1949-12-31", "002"); got != "11010519491231002X" {
		t.Errorf("cnNumber = %s, want 11010519491231002X", got)
	}
}

// A generated mainland ID number passes MOD 11-2, embeds the birth date
// and sex printed, and the validity period is the one the holder's age at
// issue gives.
// cnLeapSeed is an identity whose card the generator once gave 20 years
// the day before the holder's 26th birthday: its age at issue was taken
// from the day of the year (11 identities of seeds 1 to 200000 broke
// article 5 so).
const cnLeapSeed = 46391

func TestCNIdentity(t *testing.T) {
	longTerm := 0
	for seed := int64(1); seed <= 200; seed++ {
		id := NewIdentity(seed, KindCNID)
		if seed == 1 {
			// A leap year's day of the year is a day off after
			// February: the age was once taken from it.
			id = NewIdentity(cnLeapSeed, KindCNID)
		}
		n, err := cnid.Parse(id.Number)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if n.Birth.Format(time.DateOnly) != id.BirthDate {
			t.Errorf("seed %d: number says born %v, card %s", seed, n.Birth, id.BirthDate)
		}
		if n.Male() != (id.Sex == "M") {
			t.Errorf("seed %d: number and sex disagree", seed)
		}
		if id.Name == "" || id.Ethnicity == "" || id.Address == "" || id.Authority == "" {
			t.Errorf("seed %d: empty field in %+v", seed, id)
		}
		birth, _ := time.Parse(time.DateOnly, id.BirthDate)
		issue, _ := time.Parse(time.DateOnly, id.IssueDate)
		age := cnid.Age(birth, issue)
		want := ""
		switch {
		case age >= 46:
			want = "长期"
			longTerm++
		case age >= 26:
			want = issue.AddDate(20, 0, 0).Format("2006.01.02")
		case age >= 16:
			want = issue.AddDate(10, 0, 0).Format("2006.01.02")
		}
		if got := CNValidity(id); got != issue.Format("2006.01.02")+"-"+want || id.LongTerm != (want == "长期") {
			t.Errorf("seed %d: age %d at issue, validity %q", seed, age, got)
		}
	}
	if longTerm == 0 || longTerm == 200 {
		t.Errorf("%d long-term cards of 200", longTerm)
	}
}

// A mismatched card differs from the identity in the field asked for and
// nowhere else (a mainland ID's number follows its birth date).
func TestMismatched(t *testing.T) {
	for _, k := range []Kind{KindTD1, KindCNID} {
		id := NewIdentity(5, k)
		for _, f := range MismatchFields {
			m, err := id.Mismatched(f, 9)
			if err != nil {
				t.Fatal(err)
			}
			diff := map[string]bool{
				FieldName:   m.Surname != id.Surname || m.Name != id.Name || m.GivenNames != id.GivenNames,
				FieldNumber: m.Number != id.Number,
				FieldBirth:  m.BirthDate != id.BirthDate,
				FieldExpiry: m.ExpiryDate != id.ExpiryDate || m.LongTerm != id.LongTerm,
			}
			if !diff[f] {
				t.Errorf("%s %s: unchanged", k, f)
			}
			for g, d := range diff {
				if d && g != f && !(k == KindCNID && f == FieldBirth && g == FieldNumber) {
					t.Errorf("%s %s: %s changed too", k, f, g)
				}
			}
			if k == KindCNID {
				n, err := cnid.Parse(m.Number)
				if err != nil || n.Birth.Format(time.DateOnly) != m.BirthDate {
					t.Errorf("%s: inconsistent mainland card %v", f, err)
				}
			}
			if k == KindTD1 {
				if _, err := mrz.Parse(strings.Join(m.MRZ(k), "\n")); err != nil {
					t.Errorf("%s: %v", f, err)
				}
			}
		}
	}
	if _, err := NewIdentity(1, KindTD1).Mismatched("sex", 1); err == nil {
		t.Error("unknown field accepted")
	}
}

func TestReadKind(t *testing.T) {
	for _, c := range []struct {
		k    Kind
		side Side
		want string
	}{
		{KindTD1, Front, "visual"}, {KindTD1, Back, "td1"}, {KindTD2, Front, "td2"}, {KindTD2, Back, "visual"},
		{KindTD3, Front, "td3"}, {KindCNID, Front, "cn_id_front"}, {KindCNID, Back, "cn_id_back"}, {KindLicence, Front, "visual"},
	} {
		if got := c.k.ReadKind(c.side); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.k, c.side, got, c.want)
		}
	}
}

// The same spec gives the same photo and label; another seed another
// identity.
func TestGenerateDocumentDeterministic(t *testing.T) {
	if err := DocumentFonts(); err != nil {
		t.Fatal(err) // scripts/setup.sh installs them: never skip
	}
	spec := Spec{Seed: 4, Kind: KindTD3, Size: SizeTest}
	a, la, err := GenerateDocument(spec)
	if err != nil {
		t.Fatal(err)
	}
	b, lb, _ := GenerateDocument(spec)
	if sha256.Sum256(a.Pix) != sha256.Sum256(b.Pix) || *la.Identity != *lb.Identity || la.Quad != lb.Quad {
		t.Fatal("same spec, different photo")
	}
	if !slices.Equal(la.MRZ, la.Identity.MRZ(KindTD3)) || la.Read != "td3" {
		t.Errorf("label MRZ %q read %q", la.MRZ, la.Read)
	}
	spec.Seed = 5
	_, lc, _ := GenerateDocument(spec)
	if lc.Identity.Number == la.Identity.Number {
		t.Error("another seed, same document number")
	}
	// A given identity is printed as given.
	id := NewIdentity(77, KindTD1)
	_, ld, err := GenerateDocument(Spec{Seed: 4, Kind: KindTD1, Side: Back, Size: SizeTest, Condition: Scan, Identity: &id})
	if err != nil || *ld.Identity != id || !slices.Equal(ld.MRZ, id.MRZ(KindTD1)) {
		t.Errorf("given identity not printed: %v %+v", err, ld)
	}
	if _, _, err := GenerateDocument(Spec{Seed: 1, Kind: KindTD3, Side: Back}); err == nil {
		t.Error("a passport back was generated")
	}
}

// A relative's name keeps every character but the last, which is
// another common given-name character.
func TestRelativeName(t *testing.T) {
	for seed := int64(1); seed <= 50; seed++ {
		id := NewIdentity(seed, KindCNID)
		got := []rune(id.RelativeName(seed))
		want := []rune(id.Name)
		if len(got) != len(want) || string(got[:len(got)-1]) != string(want[:len(want)-1]) || got[len(got)-1] == want[len(want)-1] {
			t.Fatalf("seed %d: relative of %q is %q", seed, id.Name, string(got))
		}
	}
	if got := NewIdentity(1, KindTD1).RelativeName(1); got != "" {
		t.Errorf("relative name of a Latin identity: %q", got)
	}
}

// HardPrint changes how the document looks, never what it prints or
// where it lies; without it a photo is what it was before the option
// existed (hashes taken before it was added).
func TestHardPrint(t *testing.T) {
	if err := DocumentFonts(); err != nil {
		t.Fatal(err) // scripts/setup.sh installs them: never skip
	}
	for _, c := range []struct {
		spec   Spec
		before string
	}{
		{Spec{Seed: 4, Kind: KindTD3, Size: SizeTest}, "478fd88e1b9044be664022830866cfa41082d6ce381f454b25d6abc7086a0cb4"},
		{Spec{Seed: 9, Kind: KindCNID, Side: Back, Size: SizeTest}, "ea0731f17a96ef288a7d145929546638ca25ca04447b34c7797b927c70df7bb0"},
	} {
		a, la, err := GenerateDocument(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", sha256.Sum256(a.Pix)); got != c.before {
			t.Errorf("%s %s: photo changed without HardPrint (%s)", c.spec.Kind, c.spec.Side, got)
		}
		hs := c.spec
		hs.HardPrint = true
		b, lb, err := GenerateDocument(hs)
		if err != nil {
			t.Fatal(err)
		}
		if *la.Identity != *lb.Identity || la.Quad != lb.Quad || !slices.Equal(la.MRZ, lb.MRZ) {
			t.Errorf("%s: hard print changed the label", c.spec.Kind)
		}
		// The background under the text is busier: more of the card's
		// pixels differ from their right neighbour by a visible step.
		if e, f := edgeShare(a, la.Quad), edgeShare(b, lb.Quad); f < e*1.2 {
			t.Errorf("%s: hard print not busier (edge share %.3f -> %.3f)", c.spec.Kind, e, f)
		}
	}
}

// edgeShare is the share of pixels inside quad's bounding box, shrunk by
// a quarter, whose luma steps by more than 12 to the right neighbour.
func edgeShare(img *image.RGBA, q [4][2]float64) float64 {
	x0, y0, x1, y1 := bounds(q)
	dx, dy := (x1-x0)/4, (y1-y0)/4
	n, k := 0, 0
	luma := func(x, y int) int {
		o := y*img.Stride + 4*x
		return (299*int(img.Pix[o]) + 587*int(img.Pix[o+1]) + 114*int(img.Pix[o+2])) / 1000
	}
	for y := int(y0 + dy); y < int(y1-dy); y++ {
		for x := int(x0 + dx); x < int(x1-dx); x++ {
			n++
			if d := luma(x+1, y) - luma(x, y); d > 12 || d < -12 {
				k++
			}
		}
	}
	return float64(k) / float64(max(n, 1))
}
