package readeval

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/mrz"
)

func TestConfusions(t *testing.T) {
	for _, c := range []struct {
		want, got string
		pairs     map[[2]string]int
	}{
		{"L898902C3", "L898902C3", map[[2]string]int{}},
		{"L898902C3", "L89B9O2C3", map[[2]string]int{{"8", "B"}: 1, {"0", "O"}: 1}},
		{"ERIKSSON", "ERIKSON", map[[2]string]int{{"S", ""}: 1}},
		{"ANNA", "ANNNA", map[[2]string]int{{"", "N"}: 1}},
		{"王伟", "王讳", map[[2]string]int{{"伟", "讳"}: 1}},
		{"1974-08-12", "", map[[2]string]int{{"1", ""}: 2, {"9", ""}: 1, {"7", ""}: 1, {"4", ""}: 1, {"-", ""}: 2, {"0", ""}: 1, {"8", ""}: 1, {"2", ""}: 1}},
	} {
		if got := confusions(c.want, c.got); !maps.Equal(got, c.pairs) {
			t.Errorf("confusions(%q, %q) = %v, want %v", c.want, c.got, got, c.pairs)
		}
	}
}

// Scoring on literal outcomes: a perfect read, a wrong kind, a wrong
// digit, a failed read, and a visual card with one value not found.
func TestScore(t *testing.T) {
	id := docgen.Identity{DocumentCode: "I", Issuer: "UTO", Nationality: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
		Sex: "F", BirthDate: "1974-08-12", ExpiryDate: "2032-04-15", Number: "D23145890"}
	perfect := kyc.DocumentRead{Kind: "td1", Readable: true, ChecksValid: true, DocumentNumber: "D23145890", Surname: "ERIKSSON",
		GivenNames: "ANNA MARIA", Nationality: "UTO", Issuer: "UTO", BirthDate: "1974-08-12", ExpiryDate: "2032-04-15", Sex: "F"}
	wrongDigit := perfect
	wrongDigit.DocumentNumber = "D23I45890" // and the checks said valid: a false valid
	wrongKind := perfect
	wrongKind.Kind = "td2"
	item := func(file string, d Doc) Item { return Item{File: file, Doc: d, Condition: Phone, Identity: id} }
	outs := []Outcome{
		{Item: item("a", TD1), Read: perfect},
		{Item: item("b", TD1), Read: wrongKind},
		{Item: item("c", TD1), Read: wrongDigit},
		{Item: item("d", TD1), Err: errors.New("docread: time budget exceeded")},
		{Item: item("e", Visual), Read: kyc.DocumentRead{Kind: "visual", Found: map[string]bool{"document_number": true, "birth_date": true, "name": true}}},
		{Item: item("f", Visual), Read: kyc.DocumentRead{Kind: "visual", Found: map[string]bool{"document_number": true, "name": true}}},
	}
	rep := Score(outs)
	td1 := rep.Cells[TD1][Phone]
	if td1.N != 4 || td1.KindOK != 2 || td1.DocOK != 1 || td1.Errors != 1 || td1.FalseValid != 1 ||
		td1.FieldOK["document_number"] != 2 || td1.FieldOK["surname"] != 3 {
		t.Errorf("td1 cell %+v", td1)
	}
	if strings.Join(td1.Failures, " ") != "b c d" {
		t.Errorf("td1 failures %v", td1.Failures)
	}
	vis := rep.Cells[Visual][Phone]
	if vis.N != 2 || vis.DocOK != 1 || vis.FieldOK["birth_date"] != 1 || vis.FieldOK["name"] != 2 {
		t.Errorf("visual cell %+v", vis)
	}
	if !maps.Equal(rep.Confusions, map[[2]string]int{{"1", "I"}: 1}) {
		t.Errorf("confusions %v", rep.Confusions)
	}
	var buf bytes.Buffer
	rep.WriteTable(&buf, 5)
	for _, want := range []string{"td1", "phone", "0.250", `"1" -> "I"  1`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
	buf.Reset()
	rep.WriteMarkdown(&buf)
	for _, want := range []string{"| td1 | – | 0.25 (1/4) | – | – | 1 | document_number 0.50 |", "| visual | – | 0.50 (1/2) | – | – | 0 | birth_date 0.50 |"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, buf.String())
		}
	}
}

// Plans are reproducible, and the held-out set shares no generator seed
// with any development set.
func TestPlanSeeds(t *testing.T) {
	a := Plan(SetSpec{Seed: HeldOutSeed, PerCell: 3})
	b := Plan(SetSpec{Seed: HeldOutSeed, PerCell: 3})
	if len(a) != len(Docs)*len(Conditions)*3 {
		t.Fatalf("%d items", len(a))
	}
	held := map[int64]bool{}
	for i := range a {
		if a[i].File != b[i].File || a[i].Spec != b[i].Spec || a[i].Encoding != b[i].Encoding {
			t.Fatalf("item %d differs between two plans", i)
		}
		held[a[i].Spec.Seed] = true
	}
	for s := DevSeeds[0]; s <= DevSeeds[1]; s++ {
		for _, it := range Plan(SetSpec{Seed: s, PerCell: 3}) {
			if held[it.Spec.Seed] {
				t.Fatalf("dev seed %d shares generator seed %d with the held-out set", s, it.Spec.Seed)
			}
		}
	}
	// A subset holds the same photos as the whole set.
	whole := map[string]ItemSpec{}
	for _, it := range a {
		whole[it.File] = it.Spec
	}
	sub := Plan(SetSpec{Seed: HeldOutSeed, PerCell: 3, PerCellLarge: 2, Docs: []Doc{TD3, Visual}, Conditions: []Condition{Large, Small}})
	if len(sub) != 2*(2+3) {
		t.Fatalf("subset of %d items", len(sub))
	}
	for _, it := range sub {
		if spec, ok := whole[it.File]; !ok || spec != it.Spec {
			t.Errorf("%s: %+v in the subset, %+v (%v) in the whole set", it.File, it.Spec, spec, ok)
		}
	}
	if _, err := ParseDocs("td1,passport"); err == nil {
		t.Error("unknown kind accepted")
	}
	if cs, err := ParseConditions("scan, large"); err != nil || len(cs) != 2 {
		t.Errorf("conditions %v %v", cs, err)
	}
	// Hard print is asked for by name; adding it changed no other item.
	if cs, err := ParseConditions("hard"); err != nil || len(cs) != 1 || cs[0] != Hard {
		t.Errorf("conditions %v %v", cs, err)
	}
	hard := Plan(SetSpec{Seed: HeldOutSeed, PerCell: 3, Conditions: []Condition{Hard}})
	if len(hard) != len(Docs)*3 {
		t.Fatalf("%d hard items", len(hard))
	}
	for _, it := range hard {
		if _, ok := whole[it.File]; ok || !it.Spec.HardPrint || it.Encoding.Quality < 40 || it.Encoding.Quality > 60 ||
			it.Spec.DocPixels < 560 || it.Spec.DocPixels > 680 || held[it.Spec.Seed] {
			t.Errorf("hard item %s: %+v %+v", it.File, it.Spec, it.Encoding)
		}
	}
}

// A small set is written with its truth: files exist, MRZs parse and
// match the identity; writing again reuses the files.
func TestWriteSet(t *testing.T) {
	if err := docgen.DocumentFonts(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	spec := SetSpec{Seed: 3, PerCell: 1, Conditions: []Condition{Scan, Small}, Workers: 2}
	m, err := WriteSet(context.Background(), dir, spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Items) != len(Docs)*2 {
		t.Fatalf("%d items", len(m.Items))
	}
	for _, it := range m.Items {
		fi, err := os.Stat(filepath.Join(dir, it.File))
		if err != nil || fi.Size() < 5000 {
			t.Fatalf("%s: %v", it.File, err)
		}
		if it.Identity.Number == "" || it.Identity.BirthDate == "" {
			t.Errorf("%s: no identity", it.File)
		}
		switch it.Doc {
		case TD1, TD2, TD3:
			p, err := mrz.Parse(strings.Join(it.MRZ, "\n"))
			if err != nil || p.DocumentNumber != it.Identity.Number {
				t.Errorf("%s: MRZ %v", it.File, err)
			}
		default:
			if it.MRZ != nil {
				t.Errorf("%s: an MRZ on a %s", it.File, it.Doc)
			}
		}
	}
	// Written again, with its manifest and without (a run stopped before
	// writing it), every file is kept and its truth is the same.
	stat := func() map[string]int64 {
		out := map[string]int64{}
		for _, it := range m.Items {
			fi, _ := os.Stat(filepath.Join(dir, it.File))
			out[it.File] = fi.ModTime().UnixNano()
		}
		return out
	}
	before := stat()
	for _, dropManifest := range []bool{false, true} {
		if dropManifest {
			os.Remove(filepath.Join(dir, "manifest.json"))
		}
		m2, err := WriteSet(context.Background(), dir, spec)
		if err != nil {
			t.Fatal(err)
		}
		for i := range m.Items {
			if m2.Items[i].Identity != m.Items[i].Identity || !slices.Equal(m2.Items[i].MRZ, m.Items[i].MRZ) {
				t.Fatalf("item %d changed when cached (manifest dropped: %v)", i, dropManifest)
			}
		}
		if !maps.Equal(stat(), before) {
			t.Fatalf("files rewritten (manifest dropped: %v)", dropManifest)
		}
	}
}

// A read vouched for (Readable, checks valid) with a wrong field no
// check digit protects is valid but wrong for an MRZ: a nationality, a
// name, a sex. The same read not Readable is a retake, not counted.
func TestScoreVouchedUnchecked(t *testing.T) {
	id := docgen.Identity{DocumentCode: "I", Issuer: "UTO", Nationality: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA",
		Sex: "F", BirthDate: "1974-08-12", ExpiryDate: "2032-04-15", Number: "D23145890"}
	perfect := kyc.DocumentRead{Kind: "td1", Readable: true, ChecksValid: true, DocumentNumber: "D23145890", Surname: "ERIKSSON",
		GivenNames: "ANNA MARIA", Nationality: "UTO", Issuer: "UTO", BirthDate: "1974-08-12", ExpiryDate: "2032-04-15", Sex: "F"}
	nat := perfect
	nat.Nationality = "UYO"
	name := perfect
	name.GivenNames = "ANNA MARIK"
	sex := perfect
	sex.Sex = "M"
	both := nat
	both.BirthDate = "1974-08-13"
	retake := nat
	retake.Readable = false
	issuer := perfect
	issuer.Issuer = "UYO" // not a key field
	item := func(file string, d Doc) Item { return Item{File: file, Doc: d, Condition: Hard, Identity: id} }
	outs := []Outcome{
		{Item: item("a", TD1), Read: perfect},
		{Item: item("b", TD1), Read: nat},
		{Item: item("c", TD1), Read: name},
		{Item: item("d", TD1), Read: sex},
		{Item: item("e", TD1), Read: both},
		{Item: item("f", TD1), Read: retake},
		{Item: item("g", TD1), Read: issuer},
	}
	c := Score(outs).Cells[TD1][Hard]
	if c.N != 7 || c.FalseValid != 4 || c.FalseValidUnchecked != 3 || c.DocOK != 2 {
		t.Errorf("td1: n %d, valid but wrong %d (unchecked %d), exact %d; want 7, 4 (3), 2", c.N, c.FalseValid, c.FalseValidUnchecked, c.DocOK)
	}
	var buf bytes.Buffer
	Score(outs).WriteTable(&buf, 0)
	if !strings.Contains(buf.String(), "of which unchecked") {
		t.Errorf("table lacks the unchecked column:\n%s", buf.String())
	}
}

// A mainland front vouched for with its name wrong is valid but wrong
// (unchecked) when the reader was sure of the wrong character or the
// name's length differs; a character marked unsure is not vouched for.
// The sex and birth date, held to the number, count as checked.
func TestScoreVouchedFrontName(t *testing.T) {
	cid := docgen.Identity{Name: "李芳浩", Sex: "F", BirthDate: "1990-03-07", Number: "110101199003074528"}
	front := kyc.DocumentRead{Kind: "cn_id_front", Readable: true, ChecksValid: true, Name: "李芳浩", Sex: "F",
		BirthDate: "1990-03-07", DocumentNumber: "110101199003074528"}
	with := func(name string, alts []string) kyc.DocumentRead {
		r := front
		r.Name, r.NameAlternatives = name, alts
		return r
	}
	sex := front
	sex.Sex = "M"
	retake := with("芳浩", nil)
	retake.Readable = false
	for _, tc := range []struct {
		read             kyc.DocumentRead
		wrong, unchecked int
	}{
		{front, 0, 0},
		{with("李芳浩", []string{"", "", "活"}), 0, 0},      // right, one character unsure
		{with("李芳活", nil), 1, 1},                        // a character misread, sure
		{with("李芳活", []string{"", "", "浩"}), 0, 0},      // misread and marked unsure
		{with("李芳活", []string{"", "芬", ""}), 1, 1},      // unsure at another character
		{with("芳浩", nil), 1, 1},                         // the first character lost
		{with("芳浩", []string{"", ""}), 1, 1},            // lost, the rest sure
		{with("李芳浩了", []string{"", "", "", "?"}), 1, 1}, // a character added
		{sex, 1, 0},
		{retake, 0, 0},
	} {
		c := Score([]Outcome{{Item: Item{File: "f", Doc: CNIDFront, Condition: Hard, Identity: cid}, Read: tc.read}}).Cells[CNIDFront][Hard]
		if c.FalseValid != tc.wrong || c.FalseValidUnchecked != tc.unchecked {
			t.Errorf("%s %q sex %s: valid but wrong %d (unchecked %d), want %d (%d)", tc.read.Name, tc.read.NameAlternatives,
				tc.read.Sex, c.FalseValid, c.FalseValidUnchecked, tc.wrong, tc.unchecked)
		}
	}
}

// A round trip through the real reader (its MRZ recogniser): every photo
// is read as its kind and some documents are read exactly, each compared
// with what the card prints. Reads whose check digits hold on a wrong
// value are counted by Score (FalseValid) and reported by kycq eval read.
func TestRoundTripThroughReader(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and reads photos")
	}
	// A generous budget: the test is about what is read, and a loaded
	// machine must not turn slowness into read errors.
	rd, err := docread.New(docread.Options{NoTesseract: true, Budget: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	dir := t.TempDir()
	m, err := WriteSet(context.Background(), dir, SetSpec{Seed: DevSeeds[0], PerCell: 3, Docs: []Doc{TD1, TD2, TD3}, Conditions: []Condition{Scan, Phone}, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	outs, err := Evaluate(context.Background(), dir, m, rd, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	exact := 0
	for _, o := range outs {
		if o.Err != nil {
			t.Errorf("%s: %v", o.Item.File, o.Err)
			continue
		}
		if o.Read.Kind != string(o.Item.Doc) {
			t.Errorf("%s: read as %q", o.Item.File, o.Read.Kind)
		}
	}
	rep := Score(outs)
	for _, d := range []Doc{TD1, TD2, TD3} {
		for _, c := range []Condition{Scan, Phone} {
			exact += rep.Cells[d][c].DocOK
		}
	}
	if exact == 0 {
		t.Errorf("no document of %d read exactly", len(outs))
	}
}

// nameReader is a Reader that reads every photo as one mainland front
// whose name is read, and uncertain at its last character, the same way
// whatever is typed, except that a typed name equal to accept is added
// to that character's alternatives (as docread's reading restricted to
// the typed name does when the line shows it).
type nameReader struct{ read, accept string }

func (n nameReader) Read(_ context.Context, _ []byte, _ imagecheck.Side, h docread.Hint) (*docread.Result, error) {
	alts := make([]string, len([]rune(n.read)))
	alts[len(alts)-1] = "?"
	if h.Name == n.accept {
		alts[len(alts)-1] = string([]rune(n.accept)[len(alts)-1])
	}
	return &docread.Result{Data: kyc.DocumentRead{Kind: kyc.ReadCNIDFront, Name: n.read, NameAlternatives: alts}}, nil
}

// The typed names of a mainland front: the holder's, another person's
// and a relative's, each compared with what the reader read with it as
// the hint, and counted per cell.
func TestCompareNames(t *testing.T) {
	id := docgen.NewIdentity(3, docgen.KindCNID)
	it := Item{File: "f", Doc: CNIDFront, Condition: Small, Identity: id, Spec: ItemSpec{Seed: 11}}
	rs := []rune(id.Name)
	misread := string(rs[:len(rs)-1]) + "讲"
	for _, tc := range []struct {
		name string
		r    nameReader
		want map[string]kyc.NameMatch
	}{
		// One Han character apart is a person's decision (kyc.CompareReadName):
		// a relative's name, and a holder's name misread at one character.
		{"read exactly", nameReader{read: id.Name}, map[string]kyc.NameMatch{TypedOwn: kyc.NameAgrees, TypedOther: kyc.NameDiffers, TypedRelative: kyc.NameUncertain}},
		{"misread, the holder's name fits", nameReader{read: misread, accept: id.Name},
			map[string]kyc.NameMatch{TypedOwn: kyc.NameUncertain, TypedOther: kyc.NameDiffers, TypedRelative: kyc.NameUncertain}},
		{"misread, the holder's name does not fit", nameReader{read: misread},
			map[string]kyc.NameMatch{TypedOwn: kyc.NameUncertain, TypedOther: kyc.NameDiffers, TypedRelative: kyc.NameUncertain}},
		{"misread twice, the holder's name does not fit", nameReader{read: "讲" + string(rs[1:len(rs)-1]) + "讲"},
			map[string]kyc.NameMatch{TypedOwn: kyc.NameDiffers, TypedOther: kyc.NameDiffers, TypedRelative: kyc.NameDiffers}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := tc.r.Read(context.Background(), nil, imagecheck.Front, Hint(it))
			o := Outcome{Item: it, Read: res.Data}
			compareNames(context.Background(), tc.r, nil, imagecheck.Front, &o)
			if !maps.Equal(o.Names, tc.want) {
				t.Errorf("names %v, want %v", o.Names, tc.want)
			}
			c := Score([]Outcome{o}).Cells[CNIDFront][Small]
			for kind, m := range tc.want {
				if c.Names[kind][m] != 1 {
					t.Errorf("cell counts %v", c.Names)
				}
			}
			var buf bytes.Buffer
			Score([]Outcome{o}).WriteTable(&buf, 0)
			if !strings.Contains(buf.String(), "mainland names typed vs read") {
				t.Errorf("table lacks the names:\n%s", buf.String())
			}
		})
	}
}
