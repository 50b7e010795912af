package docread

import (
	"context"
	"image"
	"maps"
	"testing"

	"github.com/kycq/kycq/imagecheck"
)

// renderLicence renders a driving-licence-like card without an MRZ.
func renderLicence(t testing.TB, lines []string) *image.Gray {
	t.Helper()
	g := renderCard(t, "td1", nil, cardOpts{noText: true})
	sans := face(t, loadFont(t, notoCJKPath), 30)
	for i, l := range lines {
		drawText(g, sans, 40, 80+float64(i)*60, l)
	}
	return g
}

func TestSearchTyped(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		hint Hint
		want map[string]bool
	}{
		{"all found with separators", "1. MUSTERMANN\n2. ERIKA\n3. 12.08.1964 BERLIN\n5. B072RRE2I55",
			Hint{DocumentNumber: "B072RRE2I55", BirthDate: "1964-08-12", Name: "Erika Mustermann"},
			map[string]bool{FoundNumber: true, FoundBirthDate: true, FoundName: true}},
		{"confusions forgiven", "NO 8O72RRE21S5 DOB 12/08/1964", Hint{DocumentNumber: "B072RRE2I55", BirthDate: "1964-08-12"},
			map[string]bool{FoundNumber: true, FoundBirthDate: true}},
		{"other values not found", "1. MUSTERMANN 2. ERIKA 3. 12.08.1964", Hint{DocumentNumber: "X1234567", BirthDate: "1983-01-02", Name: "John Smith"},
			map[string]bool{FoundNumber: false, FoundBirthDate: false, FoundName: false}},
		{"month abbreviation", "DATE OF BIRTH 05 MAR 1990", Hint{BirthDate: "1990-03-05"}, map[string]bool{FoundBirthDate: true}},
		{"han name", "姓名 陳大文 出生日期 1990年3月5日", Hint{Name: "陳大文", BirthDate: "1990-03-05"}, map[string]bool{FoundName: true, FoundBirthDate: true}},
		{"accents", "MÜLLER JOSÉ", Hint{Name: "Muller Jose"}, map[string]bool{FoundName: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := searchTyped(tc.text, tc.hint); !maps.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReadVisualPhoto(t *testing.T) {
	r := fullReader(t)
	card := renderLicence(t, []string{"DRIVING LICENCE", "1. MUSTERMANN", "2. ERIKA", "3. 12.08.1964 BERLIN", "5. B072RRE2I55"})
	photo := photograph(t, card, sceneOpts{w: 1400, h: 1000, fill: 0.75, angle: 5, seed: 9, jpegQ: 85})
	for _, tc := range []struct {
		name string
		hint Hint
		want map[string]bool
	}{
		{"typed as printed", Hint{IDType: "driving_licence", DocumentNumber: "B072RRE2I55", BirthDate: "1964-08-12", Name: "ERIKA MUSTERMANN"},
			map[string]bool{FoundNumber: true, FoundBirthDate: true, FoundName: true}},
		{"typed otherwise", Hint{IDType: "driving_licence", DocumentNumber: "L56764528", BirthDate: "1983-08-12", Name: "JOHN SMITH"},
			map[string]bool{FoundNumber: false, FoundBirthDate: false, FoundName: false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Read(context.Background(), photo, imagecheck.Front, tc.hint)
			if err != nil {
				t.Fatal(err)
			}
			if res.Data.Kind != "visual" || !maps.Equal(res.Data.Found, tc.want) {
				t.Errorf("kind %q found %v, want %v", res.Data.Kind, res.Data.Found, tc.want)
			}
			if res.Data.DocumentNumber != "" || res.Data.Name != "" || res.Data.BirthDate != "" {
				t.Error("a visual read filled a field")
			}
		})
	}
}
