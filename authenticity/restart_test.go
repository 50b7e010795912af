package authenticity

import (
	"bytes"
	"image"
	"os/exec"
	"slices"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/systest/testenv"
)

// withRestarts adds restart markers to a JPEG losslessly (jpegtran
// -restart, e.g. "1" for one per MCU row, "5B" for one per 5 MCUs), as
// many phone cameras write them.
func withRestarts(t testing.TB, data []byte, every string) []byte {
	t.Helper()
	tran, err := exec.LookPath("jpegtran")
	if err != nil {
		testenv.Unavailable(t, "jpegtran (libjpeg-turbo-progs, scripts/setup.d/45-forensics-tools.sh)", err)
	}
	cmd := exec.Command(tran, "-restart", every, "-copy", "all")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("jpegtran: %v", err)
	}
	if !bytes.Contains(out, []byte{0xFF, 0xDD}) {
		t.Fatal("jpegtran wrote no restart interval")
	}
	return out
}

// TestReadSampledRows: with restart markers, the rows a picker chooses
// are read by seeking, and hold exactly what a read of the whole photo
// holds at those rows; without them the reader reads from the top.
func TestReadSampledRows(t *testing.T) {
	plain := jpegOf(t, noisy(320, 480, 5), 90) // 20×30 MCUs of 16×16
	want := []int{0, 3, 4, 5, 17, 29}
	pick := func(mcuh, my, budget int) []int {
		if mcuh != 16 || my != 30 || budget != 6 {
			t.Errorf("picker asked for %d rows of %d pixels out of %d", budget, mcuh, my)
		}
		return want
	}
	for _, every := range []string{"1", "7B", "40B"} {
		data := withRestarts(t, plain, every)
		full, err := readCoefficients(data, 0, nil)
		if err != nil {
			t.Fatal(every, err)
		}
		if full.sampled || len(full.mcuRows) != 30 {
			t.Fatalf("%s: whole read held %d rows (sampled %v)", every, len(full.mcuRows), full.sampled)
		}
		part, err := readCoefficients(data, 6*20*6, pick)
		if err != nil {
			t.Fatal(every, err)
		}
		if !part.sampled || !slices.Equal(part.mcuRows, want) {
			t.Fatalf("%s: held rows %v (sampled %v), want %v", every, part.mcuRows, part.sampled, want)
		}
		for k := range part.comps {
			p, f := &part.comps[k], &full.comps[k]
			n := p.bw * p.v * nfreq // values per MCU row
			for i, y := range want {
				if !slices.Equal(p.c[i*n:(i+1)*n], f.c[y*n:(y+1)*n]) {
					t.Errorf("restart every %s: component %d, MCU row %d differs from the whole read", every, k, y)
				}
			}
		}
	}
	// No restart markers: the top rows.
	top, err := readCoefficients(plain, 6*20*6, pick)
	if err != nil {
		t.Fatal(err)
	}
	if top.sampled || !slices.Equal(top.mcuRows, []int{0, 1, 2, 3, 4, 5}) {
		t.Errorf("without markers held %v (sampled %v)", top.mcuRows, top.sampled)
	}
}

// TestDocumentRows: the picker reads whole cells over the document's
// rows, spread when the budget is short, and maps an EXIF turn.
func TestDocumentRows(t *testing.T) {
	in := Input{Width: 640, Height: 960, Document: [][2]float64{{100, 320}, {500, 320}, {500, 640}, {100, 640}}}
	rows := documentRows(in, 1)(16, 60, 100)
	// Cells of 32 px: rows 320..640 are bands 10..19, MCU rows 20..39.
	if len(rows) != 20 || rows[0] != 20 || rows[19] != 39 {
		t.Errorf("document rows %v", rows)
	}
	rows = documentRows(in, 1)(16, 60, 4)
	if len(rows) != 4 || rows[0]%2 != 0 || rows[1] != rows[0]+1 || rows[0] < 20 || rows[3] > 39 {
		t.Errorf("spread rows %v", rows)
	}
	// Orientation 6 (stored 960×640, turned a quarter): the upright
	// document's columns 100..500 are stored rows 640-500..640-100 =
	// 140..540, bands 4..16, MCU rows 8..33.
	rows = documentRows(in, 6)(16, 40, 100)
	if len(rows) != 26 || rows[0] != 8 || rows[25] != 33 {
		t.Errorf("turned rows %v", rows)
	}
}

// TestRegionBelowBudget: a field recoloured between two saves below the
// rows the budget reaches from the top is found when the photo has
// restart markers (the reader seeks to the document's rows), and not
// without them.
func TestRegionBelowBudget(t *testing.T) {
	base, _ := docgen.Generate(docgen.Spec{Seed: 2, Size: docgen.Size2MP})
	box := image.Rect(704, 512, 1024, 608)
	recolour := recolourField(box)
	plain := resaved(t, base, 60, 90, recolour)
	doc := [][2]float64{{560, 420}, {1180, 420}, {1180, 700}, {560, 700}}
	o := Options{MaxDCTBlocks: 22 * 100 * 6} // 22 of 75 MCU rows: the top 352 pixel rows
	for _, c := range []struct {
		name       string
		data       []byte
		wantRegion bool
	}{
		{"no restart markers", plain, false},
		{"a restart marker per MCU row", withRestarts(t, plain, "1"), true},
	} {
		rep := Analyse(Input{Data: c.data, Width: 1600, Height: 1200, Scale: 1, Document: doc}, o)
		region := false
		for _, r := range rep.Regions {
			region = region || r.Overlaps(box)
		}
		if region != c.wantRegion || rep.Scores[SignalDQCoverage] > 0.3 {
			t.Errorf("%s: region %v %v (coverage %v), want %v", c.name, region, rep.Regions, rep.Scores[SignalDQCoverage], c.wantRegion)
		}
	}
}
