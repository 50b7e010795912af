package authenticity

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/systest/testenv"
)

// corpusJPEG is one photo of the reader's test corpus.
type corpusJPEG struct {
	name string
	data []byte
	// in is what the region search knows of the photo (its size and a
	// document quadrilateral in the middle).
	in Input
}

// readerCorpus is a set of JPEGs of every kind the reader meets: real
// photos (Go's image/jpeg test pictures in every chroma subsampling,
// progressive, with restart markers, gray, CMYK; the repository's two
// portrait photos and its restart-marker test photo) and generated card
// photos saved once and twice (around a recoloured field), by Go's
// encoder and by libjpeg-turbo's cjpeg (4:4:4, 4:2:2, optimised
// Huffman tables, gray), given restart markers or turned progressive by
// jpegtran, at 2 MP and, unless short, 12 MP.
func readerCorpus(t *testing.T) []corpusJPEG {
	t.Helper()
	var out []corpusJPEG
	add := func(name string, data []byte) {
		cfg, err := jpegSize(data)
		w, h := cfg.X, cfg.Y
		if err != nil {
			w, h = 640, 480
		}
		doc := [][2]float64{{0.2 * float64(w), 0.25 * float64(h)}, {0.8 * float64(w), 0.25 * float64(h)}, {0.8 * float64(w), 0.75 * float64(h)}, {0.2 * float64(w), 0.75 * float64(h)}}
		out = append(out, corpusJPEG{name, data, Input{Data: data, Width: w, Height: h, Scale: 1, Document: doc}})
	}
	// Real photos.
	goData := filepath.Join(runtime.GOROOT(), "src", "image", "testdata")
	files, _ := filepath.Glob(filepath.Join(goData, "*.jpeg"))
	if len(files) < 20 {
		testenv.Unavailable(t, "Go's image test pictures ($GOROOT/src/image/testdata)", fmt.Errorf("%d JPEGs in %s", len(files), goData))
	}
	files = append(files, "../internal/eval/sample/faces/collins.jpg", "../internal/eval/sample/faces/hopper.jpg", "../imagecheck/turbojpeg/testdata/restart.jpg")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		add(filepath.Base(f), data)
	}
	// Card photos.
	base, _ := docgen.Generate(docgen.Spec{Seed: 2, Size: docgen.Size2MP})
	double := resaved(t, base, 60, 90, nil)
	edited := resaved(t, base, 60, 90, recolourField(image.Rect(704, 512, 1024, 608)))
	add("card q90", jpegOf(t, base, 90))
	add("card q60 then q90", double)
	add("card q60, recoloured, q90", edited)
	add("card q60, recoloured, q90, restart every row", withRestarts(t, edited, "1"))
	add("card q60, recoloured, q90, restart every 7 MCUs", withRestarts(t, edited, "7B"))
	add("card q60 then q90, progressive", jpegtranArgs(t, double, "-progressive"))
	rgba := image.NewRGBA(base.Bounds())
	draw.Draw(rgba, rgba.Rect, base, image.Point{}, draw.Src)
	for _, args := range [][]string{
		{"-quality", "92", "-sample", "1x1"},
		{"-quality", "88", "-sample", "2x1"},
		{"-quality", "85", "-optimize"},
		{"-quality", "90", "-sample", "1x1", "-restart", "2"},
		{"-quality", "90", "-grayscale"},
	} {
		add("cjpeg "+strings.Join(args, " "), cjpeg(t, rgba, args...))
	}
	// Saved twice with libjpeg-turbo at 4:4:4, optimised tables.
	once := jpegOf(t, rgba, 70)
	add("card Go q70 then cjpeg q90 4:4:4 optimised", cjpeg(t, decodeRGBA(t, once), "-quality", "90", "-sample", "1x1", "-optimize"))
	if !testing.Short() {
		big, _ := docgen.Generate(docgen.Spec{Seed: 3, Size: docgen.Size12MP})
		b12 := jpegOf(t, big, 90)
		add("12 MP card q90", b12)
		add("12 MP card q90, restart every row", withRestarts(t, b12, "1"))
	}
	return out
}

// jpegSize reads the size in a JPEG's frame header.
func jpegSize(data []byte) (image.Point, error) {
	for i := 2; i+9 < len(data); {
		if data[i] != 0xFF {
			break
		}
		mk, n := data[i+1], int(data[i+2])<<8|int(data[i+3])
		if mk >= 0xC0 && mk <= 0xCF && mk != 0xC4 && mk != 0xC8 && mk != 0xCC {
			return image.Pt(int(data[i+7])<<8|int(data[i+8]), int(data[i+5])<<8|int(data[i+6])), nil
		}
		i += 2 + n
	}
	return image.Point{}, errors.New("no frame header")
}

func decodeRGBA(t *testing.T, data []byte) *image.RGBA {
	t.Helper()
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(src.Bounds())
	draw.Draw(rgba, rgba.Rect, src, image.Point{}, draw.Src)
	return rgba
}

// cjpeg saves img with libjpeg-turbo's cjpeg and the given options.
func cjpeg(t *testing.T, img *image.RGBA, args ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath("cjpeg")
	if err != nil {
		testenv.Unavailable(t, "cjpeg (libjpeg-turbo-progs, scripts/setup.d/45-forensics-tools.sh)", err)
	}
	var ppm bytes.Buffer
	fmt.Fprintf(&ppm, "P6\n%d %d\n255\n", img.Rect.Dx(), img.Rect.Dy())
	for i := 0; i < len(img.Pix); i += 4 {
		ppm.Write(img.Pix[i : i+3])
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin = &ppm
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cjpeg %v: %v", args, err)
	}
	return out
}

// jpegtranArgs runs jpegtran with the given options on data.
func jpegtranArgs(t *testing.T, data []byte, args ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath("jpegtran")
	if err != nil {
		testenv.Unavailable(t, "jpegtran (libjpeg-turbo-progs, scripts/setup.d/45-forensics-tools.sh)", err)
	}
	cmd := exec.Command(bin, append(args, "-copy", "all")...)
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("jpegtran %v: %v", args, err)
	}
	return out
}

// compareReaders reads data with the reader and with the reference
// (refReadCoefficients, the reader before it was made faster) and
// returns how they differ ("" when not at all): the same error, or the
// same coefficients, rows, histograms and compression-history result.
func compareReaders(data []byte, in Input, maxBlocks int, pick rowPicker) (string, *coefImage) {
	want, werr := refReadCoefficients(data, maxBlocks, pick)
	got, gerr := readCoefficients(data, maxBlocks, pick)
	if (werr != nil) != (gerr != nil) || (werr != nil && !errors.Is(gerr, werr)) {
		return fmt.Sprintf("error %v, reference %v", gerr, werr), nil
	}
	if werr != nil {
		return "", nil
	}
	if got.width != want.width || got.height != want.height || got.hmax != want.hmax || got.vmax != want.vmax ||
		got.my != want.my || got.sampled != want.sampled || !slices.Equal(got.mcuRows, want.mcuRows) || len(got.comps) != len(want.comps) {
		return fmt.Sprintf("geometry %d×%d %d,%d rows %v of %d sampled %v, reference %d×%d %d,%d rows %v of %d sampled %v",
			got.width, got.height, got.hmax, got.vmax, got.mcuRows, got.my, got.sampled,
			want.width, want.height, want.hmax, want.vmax, want.mcuRows, want.my, want.sampled), nil
	}
	for k := range got.comps {
		g, w := &got.comps[k], &want.comps[k]
		if g.h != w.h || g.v != w.v || g.bw != w.bw || g.bh != w.bh || g.rows != w.rows || g.q != w.q {
			return fmt.Sprintf("component %d: %+v, reference %+v", k, [6]int{g.h, g.v, g.bw, g.bh, g.rows}, [6]int{w.h, w.v, w.bw, w.bh, w.rows}), nil
		}
		if i := slices.Compare(g.c, w.c); i != 0 || len(g.c) != len(w.c) {
			for j := range min(len(g.c), len(w.c)) {
				if g.c[j] != w.c[j] {
					return fmt.Sprintf("component %d: block %d coefficient %d is %d, reference %d", k, j/nfreq, j%nfreq, g.c[j], w.c[j]), nil
				}
			}
			return fmt.Sprintf("component %d: %d values, reference %d", k, len(g.c), len(w.c)), nil
		}
		if gh, wh := dqHistograms(g), refDQHistograms(w); !reflect.DeepEqual(gh, wh) {
			return fmt.Sprintf("component %d: histograms differ", k), nil
		}
	}
	if g, w := analyseCoefficients(got, in, 1, false, dqHistograms), analyseCoefficients(want, in, 1, false, refDQHistograms); g != w {
		return fmt.Sprintf("compression history %+v, reference %+v", g, w), nil
	}
	return "", got
}

// TestReaderMatchesReference: on every photo of the corpus, whole, at
// the default budget and at a small one, read from the top and (with
// restart markers) at the document's rows, the reader returns exactly
// what the reference reader returns: the same error, coefficients,
// histograms and double-compression scores.
func TestReaderMatchesReference(t *testing.T) {
	var read, sampled, unsupported, double, regions, subs int
	seen := map[string]bool{}
	for _, c := range readerCorpus(t) {
		for _, budget := range []int{0, 48000, 6000} {
			for _, pick := range []rowPicker{nil, documentRows(c.in, 1)} {
				diff, img := compareReaders(c.data, c.in, budget, pick)
				if diff != "" {
					t.Errorf("%s, budget %d, picker %v: %s", c.name, budget, pick != nil, diff)
					continue
				}
				if img == nil {
					unsupported++
					continue
				}
				read++
				if img.sampled {
					sampled++
				}
				if len(img.comps) == 3 {
					seen[fmt.Sprintf("%dx%d,%dx%d", img.comps[0].h, img.comps[0].v, img.comps[1].h, img.comps[1].v)] = true
				}
				r := analyseCoefficients(img, c.in, 1, false, dqHistograms)
				if r.double {
					double++
				}
				if r.found {
					regions++
				}
				// The next reads get these buffers back, not cleared.
				img.release()
			}
		}
	}
	subs = len(seen)
	t.Logf("%d reads (%d sampled at restart markers, %d double-compressed, %d with a region), %d unsupported, %d subsamplings", read, sampled, double, regions, unsupported, subs)
	// The corpus must exercise what it is meant to.
	if sampled == 0 || double == 0 || regions == 0 || unsupported == 0 || subs < 5 {
		t.Errorf("the corpus misses a case: %d sampled, %d double, %d regions, %d unsupported, %d subsamplings", sampled, double, regions, unsupported, subs)
	}
}
