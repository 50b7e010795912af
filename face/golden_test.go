package face

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/kycq/kycq/face/model"
	"github.com/kycq/kycq/face/nn"
	"github.com/kycq/kycq/internal/systest/testenv"
)

// The golden outputs in testdata/golden.json come from face-api's own
// JavaScript (testdata/ref/golden.js, TF.js CPU backend) run on inputs this
// file writes; `make face-golden` regenerates them:
//
//	go test ./face -run TestWriteRef -write-ref DIR
//	node face/testdata/ref/golden.js DIR > face/testdata/golden.json
var writeRef = flag.String("write-ref", "", "write the reference inputs for testdata/ref/golden.js to this directory")

// goldenScore is the detection threshold the photo goldens use.
const goldenScore = 0.4

// goldenPhotos are the cached photos the goldens cover.
var goldenPhotos = []string{"face.jpg", "face-detect.jpg", "astronaut.png", "grace_hopper_512x512.jpg", "pigo-sample.jpg", "sample1.jpg", "sample5.jpg"}

type golden struct {
	Generator string `json:"generator"`
	Synthetic struct {
		Detector   []float64 `json:"detector"`
		Landmarks  []float64 `json:"landmarks"`
		Recognizer []float64 `json:"recognizer"`
	} `json:"synthetic"`
	Photos []struct {
		File   string `json:"file"`
		SHA256 string `json:"sha256"`
		Faces  []struct {
			Box       []float64 `json:"box"`
			Score     float64   `json:"score"`
			Landmarks []float64 `json:"landmarks"`
		} `json:"faces"`
		Chips []struct {
			SHA256     string    `json:"sha256"`
			Descriptor []float64 `json:"descriptor"`
		} `json:"chips"`
	} `json:"photos"`
}

func loadGolden(t *testing.T) *golden {
	t.Helper()
	data, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return &g
}

// syntheticImage is a deterministic w×h RGB noise image (xorshift32).
func syntheticImage(w, h int, seed uint32) *rgbImage {
	img := &rgbImage{W: w, H: h, Pix: make([]uint8, w*h*3)}
	x := seed
	for i := range img.Pix {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		img.Pix[i] = uint8(x >> 24)
	}
	return img
}

// rawTensor normalizes an RGB image of exactly the net's size.
func rawTensor(ar *nn.Arena, img *rgbImage, mean [3]float32) nn.Tensor {
	t := ar.Tensor(img.H, img.W, 3)
	for i, v := range img.Pix {
		t.Data[i] = (float32(v) - mean[i%3]) / 255
	}
	return t
}

func maxDiff(got []float32, want []float64) float64 {
	m := 0.0
	for i := range want {
		m = math.Max(m, math.Abs(float64(got[i])-want[i]))
	}
	return m
}

var synDetector, synLandmarks, synRecognizer = syntheticImage(416, 416, 1), syntheticImage(112, 112, 2), syntheticImage(150, 150, 3)

func TestGoldenSynthetic(t *testing.T) {
	g := loadGolden(t)
	nets, err := model.Load()
	if err != nil {
		t.Fatal(err)
	}
	var ar nn.Arena
	grid := nets.Detector.Forward(&ar, rawTensor(&ar, synDetector, model.DetectorMean))
	var lm [136]float32
	nets.Landmarks.Forward(&ar, rawTensor(&ar, synLandmarks, model.FaceMean), lm[:])
	var desc [128]float32
	nets.Recognizer.Forward(&ar, rawTensor(&ar, synRecognizer, model.FaceMean), desc[:])
	for _, c := range []struct {
		name string
		got  []float32
		want []float64
		tol  float64
	}{
		{"detector grid (13×13×25 logits)", grid.Data, g.Synthetic.Detector, 1e-4},
		{"landmarks (136 relative coordinates)", lm[:], g.Synthetic.Landmarks, 1e-5},
		{"descriptor (128 values)", desc[:], g.Synthetic.Recognizer, 1e-5},
	} {
		if len(c.got) != len(c.want) {
			t.Fatalf("%s: %d values, golden has %d", c.name, len(c.got), len(c.want))
		}
		d := maxDiff(c.got, c.want)
		t.Logf("%s: max |Go - face-api| = %.2g", c.name, d)
		if d > c.tol {
			t.Errorf("%s: max difference %.3g > %g", c.name, d, c.tol)
		}
	}
}

// photoChips runs the Go pipeline on one photo: detections, landmarks and
// the aligned chips.
func photoChips(e *Engine, img *rgbImage) ([]Detection, []Landmarks, [][]uint8) {
	ws := e.get()
	defer e.put(ws)
	dets := e.detect(ws, img, 416, goldenScore)
	var lms []Landmarks
	var chips [][]uint8
	for _, d := range dets {
		lm, ok := e.landmarks(ws, img, d)
		if !ok {
			continue
		}
		c := make([]uint8, chipSize*chipSize*3)
		chip(img, chipTransform(&lm, chipSize), chipSize, c)
		lms = append(lms, lm)
		chips = append(chips, c)
	}
	return dets, lms, chips
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestGoldenPhotos(t *testing.T) {
	g := loadGolden(t)
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Photos) == 0 {
		t.Fatal("golden.json has no photos")
	}
	var boxD, scoreD, lmD, descD float64
	nDesc := 0
	for _, p := range g.Photos {
		data, err := os.ReadFile(filepath.Join(photoDir(), p.File))
		if err != nil {
			testenv.Unavailable(t, "face photos (scripts/setup.d/40-face-photos.sh fetches them)", err)
		}
		if sha(data) != p.SHA256 {
			t.Fatalf("%s: not the photo the goldens were made from", p.File)
		}
		var img rgbImage
		if err := decodeImage(data, 40e6, &img); err != nil {
			t.Fatal(err)
		}
		dets, lms, chips := photoChips(e, &img)
		if len(dets) != len(p.Faces) {
			t.Errorf("%s: Go finds %d faces, face-api %d", p.File, len(dets), len(p.Faces))
			continue
		}
		for i, f := range p.Faces {
			d := dets[i]
			for k, v := range []float64{d.X, d.Y, d.W, d.H} {
				boxD = math.Max(boxD, math.Abs(v-f.Box[k]))
			}
			scoreD = math.Max(scoreD, math.Abs(d.Score-f.Score))
			// face-api crops at the floored box origin but shifts the
			// landmarks by the unfloored one; the Go side uses the crop's
			// true origin, so add the fraction back before comparing.
			fx, fy := d.X-math.Floor(math.Max(d.X, 0)), d.Y-math.Floor(math.Max(d.Y, 0))
			for k := range lms[i] {
				lmD = math.Max(lmD, math.Abs(lms[i][k].X+fx-f.Landmarks[2*k]))
				lmD = math.Max(lmD, math.Abs(lms[i][k].Y+fy-f.Landmarks[2*k+1]))
			}
		}
		if len(chips) != len(p.Chips) {
			t.Fatalf("%s: %d chips, golden has %d", p.File, len(chips), len(p.Chips))
		}
		for i, c := range p.Chips {
			if sha(chips[i]) != c.SHA256 {
				t.Errorf("%s chip %d: the Go alignment changed since the goldens were made (make face-golden)", p.File, i)
				continue
			}
			var ar nn.Arena
			in := ar.Tensor(chipSize, chipSize, 3)
			chipTensor(chips[i], in)
			var desc [128]float32
			e.nets.Recognizer.Forward(&ar, in, desc[:])
			descD = math.Max(descD, maxDiff(desc[:], c.Descriptor))
			nDesc++
		}
	}
	t.Logf("%d photos, %d descriptors: max |Go - face-api|: box %.2g px, score %.2g, landmarks %.2g px, descriptor %.2g", len(g.Photos), nDesc, boxD, scoreD, lmD, descD)
	for _, c := range []struct {
		name     string
		got, tol float64
	}{{"box (px)", boxD, 1e-2}, {"score", scoreD, 1e-4}, {"landmarks (px)", lmD, 2e-2}, {"descriptor", descD, 1e-5}} {
		if c.got > c.tol {
			t.Errorf("%s: max difference %.3g > %g", c.name, c.got, c.tol)
		}
	}
}

// TestWriteRef writes the inputs golden.js reads (only with -write-ref).
func TestWriteRef(t *testing.T) {
	if *writeRef == "" {
		t.Skip("only with -write-ref DIR (make face-golden)")
	}
	dir := *writeRef
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	type chipRef struct {
		Raw    string `json:"raw"`
		SHA256 string `json:"sha256"`
	}
	type photoRef struct {
		File          string    `json:"file"`
		SHA256        string    `json:"sha256"`
		Raw           string    `json:"raw"`
		Width, Height int       `json:"-"`
		W             int       `json:"width"`
		H             int       `json:"height"`
		Chips         []chipRef `json:"chips"`
	}
	idx := struct {
		ScoreThreshold float64           `json:"score_threshold"`
		Synthetic      map[string]string `json:"synthetic"`
		Photos         []photoRef        `json:"photos"`
	}{ScoreThreshold: goldenScore, Synthetic: map[string]string{
		"detector":   write("syn-detector.rgb", synDetector.Pix),
		"landmarks":  write("syn-landmarks.rgb", synLandmarks.Pix),
		"recognizer": write("syn-recognizer.rgb", synRecognizer.Pix),
	}}
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range goldenPhotos {
		data, err := os.ReadFile(filepath.Join(photoDir(), name))
		if err != nil {
			t.Fatal(err)
		}
		var img rgbImage
		if err := decodeImage(data, 40e6, &img); err != nil {
			t.Fatal(err)
		}
		p := photoRef{File: name, SHA256: sha(data), Raw: write(name+".rgb", img.Pix), W: img.W, H: img.H}
		_, _, chips := photoChips(e, &img)
		for i, c := range chips {
			p.Chips = append(p.Chips, chipRef{Raw: write(fmt.Sprintf("%s.chip%d.rgb", name, i), c), SHA256: sha(c)})
		}
		idx.Photos = append(idx.Photos, p)
	}
	b, _ := json.MarshalIndent(idx, "", "  ")
	write("index.json", b)
}
