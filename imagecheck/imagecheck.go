// Package imagecheck runs the document photo quality checks of rules §2 on
// one uploaded photo: it decodes the JPEG or PNG (refusing what it cannot
// decode safely), finds the document's quadrilateral, and scores
// resolution, sharpness, glare, corner visibility, colour, exposure, signs
// of a recapture (a photo of a screen) and, on the front, the portrait.
//
// Check is pure (no I/O beyond decoding the bytes it is given),
// deterministic, safe for concurrent use, and never panics. JPEGs are
// decoded with libjpeg-turbo, scaled in the DCT domain to about
// Options.WorkSize pixels on the long side, straight into Y/Cb/Cr planes;
// builds without cgo (or with the noturbo tag) decode with image/jpeg and
// reduce with a box filter, and reach the same verdicts.
package imagecheck

import (
	"encoding/json"
	"fmt"
	"image"
	"slices"
	"time"

	"github.com/kycq/kycq/kyc/reason"
)

// Side is the side of the document a photo shows.
type Side int

// Sides. The zero value means unknown: every check but the portrait runs.
const (
	AnySide Side = iota
	Front
	Back
)

func (s Side) String() string {
	switch s {
	case Front:
		return "front"
	case Back:
		return "back"
	}
	return "any"
}

// MarshalText implements encoding.TextMarshaler.
func (s Side) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSide parses "front", "back" or "" / "any".
func ParseSide(s string) (Side, error) {
	switch s {
	case "front":
		return Front, nil
	case "back":
		return Back, nil
	case "", "any":
		return AnySide, nil
	}
	return AnySide, fmt.Errorf("imagecheck: unknown side %q (want front or back)", s)
}

// FaceBox is a face found by a FaceDetector, in the coordinates of the
// image passed to DetectFaces (in a Report: of the original upright photo).
type FaceBox struct {
	Rect  image.Rectangle `json:"rect"`
	Score float64         `json:"score"`
}

// FaceDetector finds faces. Check passes it the document cut out of the
// photo and rectified upright (about 416 pixels wide), or the whole photo
// at working resolution when no document outline was found, as an
// *image.YCbCr sharing pooled buffers: the detector must not keep it after
// DetectFaces returns. Boxes are in the coordinates of the image passed.
type FaceDetector interface {
	DetectFaces(img image.Image) ([]FaceBox, error)
}

// Options configure Check. Start from DefaultOptions.
type Options struct {
	Side Side `json:"side"`
	// FaceDetector finds the portrait on the front; nil: doc_no_face is
	// not evaluated.
	FaceDetector FaceDetector `json:"-"`
	// MaxPixels refuses larger images from their header, before any
	// pixel memory is allocated (a decompression bomb).
	MaxPixels int `json:"max_pixels"`
	// WorkSize is the long side, in pixels, the photo is decoded to
	// (the nearest reduction by 1, 2, 4 or 8).
	WorkSize   int        `json:"work_size"`
	Thresholds Thresholds `json:"thresholds"`

	// PureGo decodes JPEGs with image/jpeg even in a build with
	// libjpeg-turbo, to compare the two decode paths.
	PureGo bool `json:"-"`
	// ExactProgressive decodes every scan of a progressive JPEG; by
	// default a photo reduced by 4 or more is decoded without its final
	// luma refinement scans (see dropFinalLuma), about half the work.
	ExactProgressive bool `json:"-"`
	// LibjpegIDCT decodes baseline JPEGs with libjpeg-turbo's own scaled
	// decode; by default a single-scan baseline JPEG reduced by 4 or 8
	// goes through the reduced decoder (turbojpeg.DecodeScaled: a faster
	// Huffman decoder that computes the reduced pixels straight from the
	// coefficients, within ±2 levels of libjpeg-turbo's), libjpeg-turbo
	// taking whatever that one refuses.
	LibjpegIDCT bool `json:"-"`
	// MaxDecodeBytes bounds the pixel memory one decode may take, counted
	// from the header after the depth and channels of the pixels (see
	// decodeCost); an upload that would need more is doc_unreadable.
	// Zero: the default.
	MaxDecodeBytes int64 `json:"max_decode_bytes,omitempty"`
	// Budgets is the time, in milliseconds, each stage of Report.Timings
	// may take (keys as there): CPU time of the check's thread where it
	// is measured (Report.CPU), else wall time; a stage over its budget
	// is named in Report.OverBudget. Nil: DefaultBudgets; a stage missing
	// from the map has no budget.
	Budgets map[string]float64 `json:"budgets_ms,omitempty"`
}

// DefaultBudgets returns the stage budgets of DefaultOptions, in
// milliseconds of one core, set from BenchmarkDistribution's 12 MP
// baseline q85–95 photos on the project's machine (docs/imagecheck.md,
// "Speed"): decode and document together within the 50 ms the whole
// report may take at the 99th percentile. The slowest of those photos
// (a 4.8 MB q 95 file), q 96+ and progressive 12 MP JPEGs go over the
// decode budget; a front whose portrait is searched tile by tile over
// the face budget.
func DefaultBudgets() map[string]float64 {
	return map[string]float64{
		"decode":    40,
		"document":  10,
		"blur":      2,
		"exposure":  1,
		"glare":     2,
		"colour":    1,
		"recapture": 2,
		"face":      60,
		"inspect":   10,
		"total":     100,
	}
}

// Thresholds are the pass/fail limits of the checks. Each is named after
// the score it bounds (see Report.Scores); they were calibrated on the
// calibration split of the synthetic dataset (docs/imagecheck.md).
type Thresholds struct {
	// MinResolution: the document's long side, in original pixels.
	MinResolution float64 `json:"min_resolution"`
	// MaxBlur: the re-blur blur measure of the document, 0 (sharp) to 1.
	MaxBlur float64 `json:"max_blur"`
	// MaxBlurDoubt: above MaxBlur and up to this, the re-blur measure is
	// in doubt and the document is blurred only if its edges are also
	// wider than MaxEdgeWidth.
	MaxBlurDoubt float64 `json:"max_blur_doubt"`
	// MaxEdgeWidth: the median width of the document's strong edges, in
	// working pixels (a Gaussian blur of σ gives about 2.5 σ).
	MaxEdgeWidth float64 `json:"max_edge_width"`
	// MaxBlurPlain: above MaxBlurDoubt and up to this, on a photo worked
	// at its full resolution, the re-blur measure is still in doubt (a
	// sharp card of large plain panels can score this high), and the
	// document is blurred only if its edges are also wider than
	// MaxEdgeWidthPlain, a stricter limit than MaxEdgeWidth.
	MaxBlurPlain float64 `json:"max_blur_plain"`
	// MaxEdgeWidthPlain: the median width of the strong edges, in working
	// pixels, above which a document in MaxBlurPlain's band is blurred.
	MaxEdgeWidthPlain float64 `json:"max_edge_width_plain"`
	// MaxEdgeWidthSharp: the median width of the strong edges met in the
	// re-blur measure's pass (the wider of the two directions), in
	// working pixels, above which a document is blurred whatever the
	// re-blur measure reads (a card whose detail is all soft print and
	// flat ground reads sharp to it however defocused).
	MaxEdgeWidthSharp float64 `json:"max_edge_width_sharp"`
	// MaxBlurMotion: how much wider, in working pixels, the document's
	// strong edges may be along the rows than along the columns, or the
	// other way (a motion blur widens one direction only).
	MaxBlurMotion float64 `json:"max_blur_motion"`
	// MaxGlare: the largest saturated highlight, as a fraction of the
	// document's area.
	MaxGlare float64 `json:"max_glare"`
	// MinCorners: the visibility of the worst corner, 0 (outside the
	// frame or covered) to 1.
	MinCorners float64 `json:"min_corners"`
	// MinColour: how far the document's chromaticity strays from one
	// colour cast (root mean square, in percent of luma; see
	// colourfulness).
	MinColour float64 `json:"min_colour"`
	// MinColourDoubt: from MinColour up to this, the colour measure is in
	// doubt and the document is grey only if its chroma also keeps within
	// MinColourTone of one cast at each luma.
	MinColourDoubt float64 `json:"min_colour_doubt"`
	// MinColourTone: how far the document's chroma strays from its
	// typical chromaticity at each luma level (root mean square, in
	// percent of luma; see colourTone).
	MinColourTone float64 `json:"min_colour_tone"`
	// MinColourStrong: from MinColourDoubt up to this, the document may
	// still be a grey copy under a strong light, whose cast the tone
	// curve's shoulder weakens on its white paper far more than on its
	// toner: on a document whose median luma is at least strongCastLuma
	// it is grey only if colour_cast (colour_tone less the chroma's
	// rounding and noise) is below MinColourCast.
	MinColourStrong float64 `json:"min_colour_strong"`
	// MinColourCast: how far the document's chroma strays from its
	// typical chromaticity at each luma level beyond two chroma levels
	// (root mean square, in percent of luma; see colourTone).
	MinColourCast float64 `json:"min_colour_cast"`
	// MinBrightness: the median luma of the document, 0..255.
	MinBrightness float64 `json:"min_brightness"`
	// MaxClipped: the fraction of the document's pixels at or near white.
	MaxClipped float64 `json:"max_clipped"`
	// MaxRecapture: the strength of a periodic (moiré) pattern common to
	// the whole document.
	MaxRecapture float64 `json:"max_recapture"`
	// MinFace: the best face score on the document.
	MinFace float64 `json:"min_face"`
	// ConfirmFace: a face the detector scores below this on the whole
	// document must be found again when the document is searched tile by
	// tile (emblems and seals can score as high as 0.6).
	ConfirmFace float64 `json:"confirm_face"`
}

// DefaultOptions returns the production options.
func DefaultOptions() Options {
	return Options{
		MaxPixels:      60_000_000,
		WorkSize:       1000,
		MaxDecodeBytes: DefaultMaxDecodeBytes,
		Budgets:        DefaultBudgets(),
		Thresholds: Thresholds{
			MinResolution:     600,
			MaxBlur:           0.265,
			MaxBlurDoubt:      0.29,
			MaxEdgeWidth:      2.8,
			MaxBlurPlain:      0.35,
			MaxEdgeWidthPlain: 2.5,
			MaxEdgeWidthSharp: 3.0,
			MaxBlurMotion:     1.0,
			MaxGlare:          0.015,
			MinCorners:        0.85,
			MinColour:         1.1,
			MinColourDoubt:    2.2,
			MinColourTone:     0.7,
			MinColourStrong:   6,
			MinColourCast:     0.25,
			MinBrightness:     80,
			MaxClipped:        0.15,
			MaxRecapture:      15,
			MinFace:           0.5,
			ConfirmFace:       0.65,
		},
	}
}

// Check names (CheckResult.Name) and score keys (Report.Scores).
const (
	CheckDecode     = "decode"
	CheckResolution = "resolution"
	CheckBlur       = "blur"
	// CheckBlurEdgeWidth is reported only when blur is in one of its doubt
	// bands (up to MaxBlurDoubt, or MaxBlurPlain with a stricter limit).
	CheckBlurEdgeWidth = "blur_edge_width"
	CheckBlurMotion    = "blur_motion"
	// CheckBlurWideEdges is the median width of the strong edges met in
	// blur's pass (0 with too few of them to say).
	CheckBlurWideEdges = "blur_wide_edges"
	CheckGlare         = "glare"
	CheckCorners       = "corners"
	CheckColour        = "colour"
	// CheckColourTone is reported only when colour is in its doubt band.
	CheckColourTone = "colour_tone"
	// CheckColourCast is reported only when colour is between its doubt
	// band and MinColourStrong.
	CheckColourCast = "colour_cast"
	CheckBrightness = "brightness"
	CheckClipped    = "clipped"
	CheckRecapture  = "recapture"
	CheckFace       = "face"
)

// CheckResult is the outcome of one check.
type CheckResult struct {
	Name      string  `json:"name"`
	Score     float64 `json:"score"`
	Threshold float64 `json:"threshold"`
	// PassIf is ">=" or "<=": how Score must compare to Threshold.
	PassIf string      `json:"pass_if"`
	Pass   bool        `json:"pass"`
	Code   reason.Code `json:"code"`
	// Detail says why a check could not be evaluated normally.
	Detail string `json:"detail,omitempty"`
}

// Point is a position in pixels.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Report is the result of Check. Geometry (Document, Glare, Face) is in
// pixels of the original photo, upright (EXIF orientation applied).
type Report struct {
	OK      bool               `json:"ok"`
	Reasons []reason.Code      `json:"reasons"`
	Scores  map[string]float64 `json:"scores"`
	Checks  []CheckResult      `json:"checks"`

	Format string `json:"format,omitempty"` // "jpeg" or "png"
	// Width and Height of the original photo, upright.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
	// DecodedWidth and DecodedHeight: the working resolution.
	DecodedWidth  int `json:"decoded_width,omitempty"`
	DecodedHeight int `json:"decoded_height,omitempty"`
	// Scale is original pixels per working pixel.
	Scale       float64 `json:"scale,omitempty"`
	Orientation int     `json:"orientation,omitempty"` // EXIF 1..8
	Progressive bool    `json:"progressive,omitempty"`
	Decoder     string  `json:"decoder,omitempty"` // "turbojpeg" or "go"

	// Document is the detected document: top-left, top-right,
	// bottom-right, bottom-left (as seen in the photo); nil when none was
	// found.
	Document []Point `json:"document,omitempty"`
	// Glare lists the saturated highlights on the document.
	Glare []image.Rectangle `json:"glare,omitempty"`
	// Face is the best face found on the document, if searched.
	Face *FaceBox `json:"face,omitempty"`

	// Error is why the photo is unreadable (safe to log: no content).
	Error string `json:"error,omitempty"`
	// Timings in milliseconds per stage ("decode", "document", ...,
	// "total"); informative only.
	Timings map[string]float64 `json:"timings_ms,omitempty"`
	// CPU is the CPU time, in milliseconds, the check's thread spent in
	// each stage of Timings (Linux; nil elsewhere): the stage's own work,
	// whatever else the machine runs. Work a stage hands to other
	// goroutines is not in it.
	CPU map[string]float64 `json:"cpu_ms,omitempty"`
	// OverBudget names the stages that took longer than their budget
	// (Options.Budgets): in CPU time where CPU is measured, else in wall
	// time; in the order of the pipeline. Informative only: a slow stage
	// changes no verdict.
	OverBudget []string `json:"over_budget,omitempty"`
}

// stageOrder is the order of the pipeline's stages in Report.OverBudget.
var stageOrder = []string{"decode", "document", "blur", "exposure", "glare", "colour", "recapture", "face", "inspect", "total"}

// Stages returns the names of the pipeline's stages (the keys of
// Report.Timings), in the order they run; "total" is the whole check.
func Stages() []string { return slices.Clone(stageOrder) }

// overBudget returns the stages of timings over their budget, in
// pipeline order (then any other stage, by name).
func overBudget(timings, budgets map[string]float64) []string {
	var out []string
	for _, st := range stageOrder {
		if b, ok := budgets[st]; ok && timings[st] > b {
			out = append(out, st)
		}
	}
	var rest []string
	for st, b := range budgets {
		if !slices.Contains(stageOrder, st) && timings[st] > b {
			rest = append(rest, st)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// Check runs every check on one uploaded photo.
func Check(data []byte, opts Options) Report { return CheckInspect(data, opts, nil) }

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func unreadableReport(why string) Report {
	r := Report{Error: why}
	r.Checks = []CheckResult{{Name: CheckDecode, Score: 0, Threshold: 1, PassIf: ">=", Pass: false, Code: reason.DocUnreadable}}
	r.finish()
	return r
}

// finish derives OK, Reasons and Scores from Checks.
func (r *Report) finish() {
	r.Scores = make(map[string]float64, len(r.Checks))
	r.Reasons = r.Reasons[:0]
	seen := map[reason.Code]bool{}
	for _, c := range r.Checks {
		r.Scores[c.Name] = c.Score
		if !c.Pass && !seen[c.Code] {
			seen[c.Code] = true
			r.Reasons = append(r.Reasons, c.Code)
		}
	}
	if r.Reasons == nil {
		r.Reasons = []reason.Code{}
	}
	r.OK = len(r.Reasons) == 0
}

// Failed reports whether code is among the report's reasons.
func (r *Report) Failed(code reason.Code) bool {
	for _, c := range r.Reasons {
		if c == code {
			return true
		}
	}
	return false
}

// String renders the report as JSON.
func (r Report) String() string {
	b, _ := json.Marshal(r)
	return string(b)
}

func result(name string, score, threshold float64, atLeast bool, code reason.Code) CheckResult {
	score = round4(score)
	c := CheckResult{Name: name, Score: score, Threshold: threshold, Code: code}
	if atLeast {
		c.PassIf, c.Pass = ">=", score >= threshold
	} else {
		c.PassIf, c.Pass = "<=", score <= threshold
	}
	return c
}

func round4(v float64) float64 {
	if v != v { // NaN
		return 0
	}
	return float64(int64(v*10000+sign(v)*0.5)) / 10000
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}
