// Package authenticity looks for signs that a document photo is not an
// original camera photo of the physical document (rules §10): editing
// software named in its metadata, an EXIF thumbnail that shows another
// picture, a capture time far from the upload, quantisation tables of a
// software encoder rather than a camera, a screenshot, and a region whose
// noise residual disagrees with the rest of the document (a painted or
// pasted field), located as a box.
//
// It is pure: it reads the file's bytes and the photo imagecheck already
// decoded at working resolution (imagecheck.CheckInspect), so it adds no
// decode. Each signal is a score; Verdict says what the decision should do
// with them: an unambiguous finding (an editor named in the metadata, a
// screenshot) is a rejection, a forensic-only finding goes to manual review
// with its evidence.
package authenticity

import (
	"image"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/kycq/kycq/kyc/reason"
)

// Verdict is what the findings call for.
type Verdict string

// Verdicts, from the mildest.
const (
	// Clean: nothing found.
	Clean Verdict = "clean"
	// Review: a forensic finding on an otherwise clean photo (a region
	// that disagrees, a thumbnail of another picture, an old capture): a
	// person should look at the evidence.
	Review Verdict = "review"
	// Edited: editing software is named in the metadata (doc_edited).
	Edited Verdict = "edited"
	// Screenshot: the image is a screenshot (doc_not_original).
	Screenshot Verdict = "screenshot"
)

// Signal names (Report.Scores keys, each prefixed "auth_" by callers
// that merge them with other scores).
const (
	SignalEditor      = "editor_software"    // 1 when an editor is named
	SignalAdobe       = "adobe_segments"     // 1 when Adobe APP13/APP14 segments are present
	SignalThumbnail   = "thumbnail_mismatch" // mean abs. difference (0..255) of the EXIF thumbnail and the photo
	SignalCaptureAge  = "capture_age_days"   // days between the EXIF capture time and now (negative: future)
	SignalNoCamera    = "no_camera_metadata" // 1 when no EXIF camera make/model
	SignalIJGTables   = "software_tables"    // 1 when the tables are libjpeg's standard ones (quality in SignalQuality)
	SignalQuality     = "jpeg_quality"       // the libjpeg quality the tables match, 0 when they match none
	SignalEditorQT    = "editor_tables"      // 1 when the tables are an editor's (Photoshop's settings)
	SignalScreenSize  = "screen_size"        // 1 when the size is a common screen resolution
	SignalFlatBlocks  = "flat_blocks"        // fraction of exactly flat blocks (no sensor noise)
	SignalScreenshot  = "screenshot"         // 1 when judged a screenshot
	SignalLocal       = "local_anomaly"      // fraction of the document in the largest too-smooth region
	SignalLocalResid  = "local_residual"     // that region's noise over the document's
	SignalLocalSpread = "local_spread"       // std. dev. of that region's 8×8 cell mean luma (gray levels)
	SignalLocalPatch  = "local_flat_patch"   // share of the document in that region's largest exactly flat patch
	SignalLocalRect   = "local_flat_rect"    // share of the document in the largest rectangle of exactly flat pixels (when measured)
	SignalLocalRing   = "local_flat_ring"    // the least noise, over its four sides, of the print just outside that rectangle (relative to the document's)
	SignalLocalRiser  = "local_flat_riser"   // on a coarse, flattened photo: the same for the largest such rectangle in the region, over its sides inside the document
	SignalQuantScale  = "quant_scale"        // the luma quantiser's low-frequency steps over the standard table's (1: quality 50)
	SignalLocalBlocks = "local_flat_blocks"  // share of that region's cells on JPEG blocks without AC coefficients
	SignalRestBlocks  = "rest_flat_blocks"   // the same share over the document's other cells
	// Compression history (dq.go).
	SignalDoubleJPEG = "double_jpeg"              // luma coefficients (of 15) with a double-quantisation trace
	SignalDQChroma   = "double_jpeg_chroma"       // chroma coefficients with one
	SignalDQRegion   = "single_compressed_region" // share of the document compressed once in a double-compressed photo
	SignalDQLLR      = "single_compressed_llr"    // that region's evidence per 32×32 cell (log likelihood ratio)
	SignalDQExpect   = "single_compressed_expect" // the evidence that region's values would bring compressed once (nats; the region's own evidence at most 4.5 times it to report it)
	SignalDQCoverage = "dct_coverage"             // share of the photo's block rows read (the budget)
	SignalDQNoise    = "single_compressed_noise"  // at a coarse last save: that region's noise over the document's (MaxCoarseDQNoise)
	// Colour edits (seam.go).
	SignalColourSeam       = "colour_seam"        // longest straight chroma step along the photo's rows or columns, over the document's long side
	SignalColourSeamCoarse = "colour_seam_coarse" // the same at half the chroma resolution across, averaged along (tilted axes only)
	SignalColourRect       = "colour_rect"        // a rectangle closed from a shorter run: its weakest side piece's share of the chroma offset
)

// Options are the thresholds. Zero fields take the defaults.
type Options struct {
	// MaxThumbnailDiff: mean gray difference (0..255) above which the
	// EXIF thumbnail shows another picture (default 24).
	MaxThumbnailDiff float64
	// MaxCaptureAge: how long before the upload a photo may have been
	// taken (default 30 days); a capture more than a day in the future
	// also counts.
	MaxCaptureAge time.Duration
	// MinFlatBlocks: the flat-block fraction of a screenshot (default
	// 0.08).
	MinFlatBlocks float64
	// MinLocal: the fraction of the document a too-smooth region must
	// cover to be reported (default 0.004), and MaxLocalResidual its
	// noise relative to the document's (default 0.2).
	MinLocal, MaxLocalResidual float64
	// MaxRegionResidual: the mean noise of the region, relative to the
	// document's, below which it is reported (default 0.036): paint and
	// a pasted digital picture are nearly noise-free (≤ 0.0342 on
	// development seeds 100–102), while a genuine photo downscaled by an
	// app keeps smooth patches with ≥ 0.0371 there.
	MaxRegionResidual float64
	// MaxFlatResidual and MaxFlatSpread: a region a little noisier, up to
	// MaxFlatResidual (default 0.055), is still reported when its 8×8
	// cells' mean luma varies by at most MaxFlatSpread gray levels
	// (standard deviation, default 0.6): one flat colour laid over the
	// photo, where genuine smooth patches follow the light on the card
	// (≥ 0.83 on development seeds 100–102).
	MaxFlatResidual, MaxFlatSpread float64
	// CoarseQuant and MinFlatPatch: a JPEG whose luma quantiser is at
	// least CoarseQuant times the standard table's at the low frequencies
	// (QuantScale; default 0.7, about libjpeg quality 65) erases the
	// sensor noise of a card's plain print, so a noise-free region that
	// is not one flat colour is reported there only when it holds an
	// exactly flat patch of at least MinFlatPatch of the document's
	// cells (default 0.012): paint is one colour, a genuine card's print
	// saved at quality 50–60 still steps with the light from one 8×8
	// block to the next (patches ≤
	// 0.0039 inside the regions of genuine saves at quality 50–60 on
	// development seeds 127–131, ≤ 0.0072 anywhere on such a card; paint
	// and pasted pictures re-saved at 50–60 that need one ≥ 0.018).
	CoarseQuant, MinFlatPatch float64
	// MinFlatRect and MinFlatRing: paint that the region search misses
	// (joined to the card's plain print, as a coarse re-save leaves it)
	// is still one colour laid over the card's print: the largest
	// axis-aligned rectangle of exactly flat working pixels (each equal to
	// its four neighbours), at least 16 pixels on a side, is reported when
	// it covers at least MinFlatRect of the document (default 0.01) and
	// the print just outside each of its four sides is textured, its mean
	// residual at least MinFlatRing of the document's median (default
	// 0.35): paint laid over a field is surrounded by the print it
	// interrupts, while a genuine flat area at a coarse quantiser is a
	// plain print that goes on, beyond the rectangle, as plain (flatRect).
	MinFlatRect, MinFlatRing float64
	// MinFlatRest and MinFlatShare: when the region lies on JPEG blocks
	// without AC coefficients and at least MinFlatRest of the document's
	// other cells do too (default 0.02: the photo's processing flattened
	// the card's plain print, as a downscale before a save at quality
	// 70–92 or a save at 50–60 before one at 85–92 do), either rule is
	// reported only with an exactly flat patch of at least MinFlatPatch
	// of the document and MinFlatShare of the region (default 0.25:
	// painted fields and pasted portraits ≥ 0.34 of their region,
	// genuine photos so flagged ≤ 0.18 on development seeds 140–143).
	MinFlatRest, MinFlatShare float64
	// MinCoarseRing: on a JPEG with a coarse quantiser (CoarseQuant)
	// whose region lies on flattened blocks (MinFlatRest), the region is
	// reported only when the largest rectangle of exactly flat pixels
	// among its flat cells (as for MinFlatRect) has, on each of its sides
	// that lies inside the document, print just outside with a mean
	// residual of at least MinCoarseRing of the document's median
	// (default 0.1). The quantiser cuts the light falling on a plain
	// print into terraces one DC level apart, and on an evenly lit card
	// one can be as large as paint; but it goes on, beyond a riser of
	// one level, as the same plain print (≤ 0.027 on the genuine saves
	// at quality 45–60 so flagged on development seeds 248–249), while
	// paint and a pasted picture end in their own ringing edge and the
	// print they cover (≥ 0.43 and ≥ 0.159 there).
	MinCoarseRing float64
	// MaxCoarseDQNoise: on a JPEG saved last with a coarse quantiser
	// (CoarseQuant), a single-compressed region is reported only when
	// its noise (regionNoise: the median residual of its cells over the
	// document's median) is at most MaxCoarseDQNoise (default 0.5).
	// There the first save's steps are small beside the last's and the
	// pattern is weak: a fine periodic print (a seal's rings, guilloche)
	// can bring the evidence on its own, and the region is then as
	// textured as the card. An edit that a coarse save leaves traceable
	// as compressed once is paint or a pasted digital picture, smoother
	// than the print.
	MaxCoarseDQNoise float64
	// MaxDCTBlocks is how many 8×8 blocks (all components) the
	// compression-history analysis reads of a JPEG (default 48000: all
	// of a 2 MP photo, ~17 % of a 12 MP one; about 0.07 µs of CPU per
	// block, analysis included). Without restart markers they are the
	// top rows; with them, bands of 32 pixel rows spread evenly over the
	// document's rows.
	// Negative: none.
	MaxDCTBlocks int
	// MinSeam: a straight chroma step along the photo's rows or columns
	// inside the document at least this long, as a share of the
	// document's longest side, is a recoloured field's border (default
	// 0.22: genuine photos ≤ 0.198 but for one misread outline,
	// colour changes' borders ~0.3–0.4 on development seeds 100–101,
	// 104–105 and 7301–7303). SeamStep is the least
	// chroma step of its samples (Euclidean Cb/Cr, default 4 levels),
	// MaxSeamSlope the most its position may drift per sample (default
	// 0.002, ~0.1°), and MinSeamTilt how far (degrees) the card's printed
	// lines must stay from an axis for a run along it to count without
	// the print texture on both sides (default 1.5; cardTilt, textured).
	// Negative MinSeam: no search.
	MinSeam, SeamStep, MaxSeamSlope, MinSeamTilt float64
}

func (o *Options) defaults() {
	if o.MaxThumbnailDiff == 0 {
		o.MaxThumbnailDiff = 24
	}
	if o.MaxCaptureAge == 0 {
		o.MaxCaptureAge = 30 * 24 * time.Hour
	}
	if o.MinFlatBlocks == 0 {
		o.MinFlatBlocks = 0.08
	}
	if o.MinLocal == 0 {
		o.MinLocal = 0.004
	}
	if o.MaxLocalResidual == 0 {
		o.MaxLocalResidual = 0.2
	}
	if o.MaxRegionResidual == 0 {
		o.MaxRegionResidual = 0.036
	}
	if o.MaxFlatResidual == 0 {
		o.MaxFlatResidual = 0.055
	}
	if o.MaxFlatSpread == 0 {
		o.MaxFlatSpread = 0.6
	}
	if o.CoarseQuant == 0 {
		o.CoarseQuant = 0.7
	}
	if o.MinFlatPatch == 0 {
		o.MinFlatPatch = 0.012
	}
	if o.MinFlatRect == 0 {
		o.MinFlatRect = 0.01
	}
	if o.MinFlatRing == 0 {
		o.MinFlatRing = 0.35
	}
	if o.MinFlatRest == 0 {
		o.MinFlatRest = 0.02
	}
	if o.MinFlatShare == 0 {
		o.MinFlatShare = 0.25
	}
	if o.MinCoarseRing == 0 {
		o.MinCoarseRing = 0.1
	}
	if o.MaxCoarseDQNoise == 0 {
		o.MaxCoarseDQNoise = 0.5
	}
	if o.MaxDCTBlocks == 0 {
		o.MaxDCTBlocks = 48000
	}
	if o.MinSeam == 0 {
		o.MinSeam = 0.22
	}
	if o.SeamStep == 0 {
		o.SeamStep = 4
	}
	if o.MaxSeamSlope == 0 {
		o.MaxSeamSlope = 0.002
	}
	if o.MinSeamTilt == 0 {
		o.MinSeamTilt = 1.5
	}
}

// Input is what Analyse reads.
type Input struct {
	// Data is the uploaded file.
	Data []byte
	// Work is the photo at working resolution, upright, as imagecheck
	// decoded it; Scale is original pixels per working pixel.
	Work  *image.YCbCr
	Scale float64
	// Width and Height of the original photo, upright.
	Width, Height int
	// Document is the document's quadrilateral in original pixels (nil
	// when none was found: the whole photo is searched).
	Document [][2]float64
	// Portrait is the box of the portrait's face that imagecheck found on
	// the document (Report.Face), in original pixels, upright; empty when
	// none was searched or found. The colour seam search does not take
	// the sides of the portrait's frame for a recoloured field's border.
	Portrait image.Rectangle
	// Orientation is the EXIF orientation (1..8; 0 or 1: stored
	// upright), which maps the JPEG's blocks to the upright photo.
	Orientation int
	// Now is the upload time.
	Now time.Time
}

// Report is the outcome of Analyse.
type Report struct {
	Verdict Verdict `json:"verdict"`
	// Findings name what was found, in a stable order (signal names).
	Findings []string           `json:"findings,omitempty"`
	Scores   map[string]float64 `json:"scores"`
	// Software is the editor named in the metadata, when one is.
	Software string `json:"software,omitempty"`
	// Regions are the suspicious regions, in original pixels.
	Regions []image.Rectangle `json:"regions,omitempty"`
}

// Reason is the reason code the verdict calls for ("" for Clean and
// Review: a review is not a rejection).
func (r *Report) Reason() reason.Code {
	switch r.Verdict {
	case Edited:
		return reason.DocEdited
	case Screenshot:
		return reason.DocNotOriginal
	}
	return ""
}

// Analyse runs every signal on one photo.
func Analyse(in Input, o Options) *Report {
	o.defaults()
	rep := &Report{Verdict: Clean, Scores: map[string]float64{}}
	m := parseMeta(in.Data)
	find := func(s string) {
		if !slices.Contains(rep.Findings, s) {
			rep.Findings = append(rep.Findings, s)
		}
	}

	// Metadata.
	if ed := editorName(m.software); ed != "" {
		rep.Software = ed
		rep.Scores[SignalEditor] = 1
		find(SignalEditor)
	} else {
		rep.Scores[SignalEditor] = 0
	}
	rep.Scores[SignalAdobe] = b2f(m.adobe)
	if m.adobe {
		find(SignalAdobe)
		if rep.Software == "" {
			rep.Software = "Adobe"
		}
	}
	rep.Scores[SignalNoCamera] = b2f(m.make == "" && m.model == "")
	if !m.captured.IsZero() && !in.Now.IsZero() {
		age := in.Now.Sub(m.captured)
		rep.Scores[SignalCaptureAge] = round4(age.Hours() / 24)
		if age > o.MaxCaptureAge || age < -24*time.Hour {
			find(SignalCaptureAge)
		}
	}
	if m.thumb != nil && in.Work != nil {
		if d, ok := thumbnailDiff(m.thumb, in.Work); ok {
			rep.Scores[SignalThumbnail] = round4(d)
			if d > o.MaxThumbnailDiff {
				find(SignalThumbnail)
			}
		}
	}

	// Compression.
	q := ijgQuality(m.luma)
	rep.Scores[SignalQuality] = float64(q)
	rep.Scores[SignalIJGTables] = b2f(q > 0)
	qs := QuantScale(m.luma)
	rep.Scores[SignalQuantScale] = round4(qs)
	ps := photoshopTable(m.luma)
	rep.Scores[SignalEditorQT] = b2f(ps != "")
	if ps != "" {
		find(SignalEditorQT)
		if rep.Software == "" {
			rep.Software = "Adobe Photoshop tables (" + ps + ")"
		}
	}
	var blocks *blockMap
	if m.format == "jpeg" && o.MaxDCTBlocks > 0 {
		var dq dqResult
		dq, blocks = analyseCompression(in.Data, in, in.Orientation, o.MaxDCTBlocks, qs >= o.CoarseQuant)
		if dq.measured {
			rep.Scores[SignalDoubleJPEG] = float64(dq.traces)
			rep.Scores[SignalDQChroma] = float64(dq.chroma)
			rep.Scores[SignalDQRegion] = round4(dq.share)
			rep.Scores[SignalDQLLR] = round4(dq.llr)
			rep.Scores[SignalDQExpect] = round4(dq.expect)
			rep.Scores[SignalDQCoverage] = round4(dq.covered)
			if dq.found && qs >= o.CoarseQuant && in.Work != nil {
				// A coarse last save: the region must also be smoother
				// than the card's print (MaxCoarseDQNoise).
				nr, ok := regionNoise(in.Work, in.Document, in.Scale, dq.box)
				if ok {
					rep.Scores[SignalDQNoise] = round4(nr)
				}
				dq.found = coarseDQKept(nr, ok, o)
			}
			if dq.found {
				find(SignalDQRegion)
				rep.Regions = append(rep.Regions, dq.box)
			}
		}
	}

	// Screenshots.
	screen := screenSize(in.Width, in.Height)
	rep.Scores[SignalScreenSize] = b2f(screen)
	flat := 0.0
	if in.Work != nil {
		flat = flatBlocks(in.Work)
	}
	rep.Scores[SignalFlatBlocks] = round4(flat)
	cameraless := m.make == "" && m.model == ""
	shot := cameraless && flat >= o.MinFlatBlocks && (screen || m.format == "png")
	rep.Scores[SignalScreenshot] = b2f(shot)
	if shot {
		find(SignalScreenshot)
	}

	// Local forensics.
	if in.Work != nil && !shot {
		var flat func(image.Rectangle) (bool, bool)
		if blocks != nil {
			flat = blocks.flat
		}
		lr := localAnomaly(in.Work, in.Document, in.Scale, qs >= o.CoarseQuant, flat, o)
		rep.Scores[SignalLocalBlocks] = round4(lr.quantFlat)
		rep.Scores[SignalRestBlocks] = round4(lr.restFlat)
		rep.Scores[SignalLocal] = round4(lr.frac)
		rep.Scores[SignalLocalResid] = round4(lr.resid)
		rep.Scores[SignalLocalSpread] = round4(lr.spread)
		rep.Scores[SignalLocalPatch] = round4(lr.patch)
		if lr.riserMeasured {
			rep.Scores[SignalLocalRiser] = round4(min(lr.riser, 99))
		}
		if lr.rectMeasured {
			rep.Scores[SignalLocalRect] = round4(lr.rect)
			rep.Scores[SignalLocalRing] = round4(lr.ring)
		}
		if lr.found {
			find(SignalLocal)
			rep.Regions = append(rep.Regions, lr.box)
		}
		if o.MinSeam > 0 {
			if sm := colourSeamBeside(in.Work, in.Document, in.Portrait, in.Scale, o); sm.measured {
				rep.Scores[SignalColourSeam] = round4(sm.rel)
				rep.Scores[SignalColourSeamCoarse] = round4(sm.coarse)
				rep.Scores[SignalColourRect] = round4(sm.rect.agree)
				if sm.found {
					find(SignalColourSeam)
					rep.Regions = append(rep.Regions, sm.box)
				}
			}
		}
	}

	blocks.release()

	switch {
	case shot:
		rep.Verdict = Screenshot
	case rep.Software != "":
		rep.Verdict = Edited
	case len(rep.Findings) > 0:
		rep.Verdict = Review
	}
	return rep
}

// editors are substrings (lower case) of the Software / CreatorTool of
// image editors. Camera firmware and phone OS versions are not editors;
// converters (ImageMagick) are not listed either.
var editors = []string{
	"photoshop", "lightroom", "gimp", "snapseed", "pixelmator", "affinity photo", "paint.net",
	"picsart", "canva", "photopea", "facetune", "meitu", "picmonkey", "fotor", "krita",
	"photoscape", "befunky", "polarr", "pixlr", "airbrush", "photodirector", "luminar", "capture one",
	"corel", "paintshop", "acorn", "faceapp", "inshot", "vsco",
}

// editorName returns software when it names an image editor, else "".
func editorName(software string) string {
	s := strings.ToLower(software)
	for _, e := range editors {
		if strings.Contains(s, e) {
			return software
		}
	}
	return ""
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }
