// Package faceeval measures face matching on real face photos: each face
// is rendered into a synthetic ID card photo (internal/eval/docgen; small,
// desaturated, printed-looking, JPEG) and into selfie videos made with
// ffmpeg (zoom, sway, roll, light change, noise; and a motionless one for
// liveness). Genuine pairs match a card with a selfie of the same person,
// impostor pairs a card with a selfie of someone else. The photos come
// from scripts/setup.d/40-face-photos.sh; the set is small (see faces).
package faceeval

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/kyc/reason"
)

// Config configures Run.
type Config struct {
	Photos    string  // directory of the cached photos
	Threshold float64 // similarity threshold; 0 = the engine's default
	Seed      int64
	Limit     int    // use only the first Limit faces (0 = all)
	Keep      string // directory to keep the generated cards and videos ("" = a temporary one)
	FFmpeg    string
	Progress  io.Writer // one line per face; nil = quiet
}

// Pair is one scored (card, selfie) pair.
type Pair struct {
	Doc, Selfie string // face identities (Identity@photo)
	Genuine     bool
	CrossPhoto  bool // genuine, from two different photos of the person
	Similarity  float64
	OK          bool
	Borderline  bool // within the margin of the threshold: manual review
	Reasons     []reason.Code
}

// ROCPoint is the error rates at one threshold.
type ROCPoint struct {
	Threshold float64 `json:"threshold"`
	FMR       float64 `json:"fmr"`
	FNMR      float64 `json:"fnmr"`
}

// Report is the evaluation's outcome.
type Report struct {
	Threshold  float64 `json:"threshold"`
	Margin     float64 `json:"borderline_margin"`
	Faces      int     `json:"faces"`
	Identities int     `json:"identities"`
	Photos     int     `json:"photos"`
	Genuine    int     `json:"genuine_pairs"`
	CrossPhoto int     `json:"cross_photo_genuine_pairs"`
	Impostor   int     `json:"impostor_pairs"`
	// FMR and FNMR are the biometric error rates at the threshold
	// (similarity alone); FalseMatches/FalseNonMatches count them.
	FMR, FNMR                     float64
	FalseMatches, FalseNonMatches int
	// RejectedGenuine is the end-to-end rate: genuine selfies refused for
	// any reason (mismatch, quality, liveness).
	RejectedGenuine float64 `json:"rejected_genuine"`
	// Decisions with the borderline band: impostors accepted without
	// review, impostors and genuine pairs sent to manual review, genuine
	// accepted without review.
	ImpostorAutoAccepted, ImpostorReview, GenuineReview, GenuineAutoAccepted int
	// EER is the equal error rate and the threshold it occurs at.
	EER, EERThreshold float64
	ROC               []ROCPoint `json:"roc"`
	// Score statistics.
	GenuineMin, GenuineMedian, ImpostorMax, ImpostorMedian float64
	// Liveness: moving genuine selfies judged live, motionless ones refused.
	LiveMoving, Moving, RefusedStill, Still int
	// Liveness figures (min, max) of the moving and the motionless
	// selfies, for calibration.
	MovingChange, MovingMotion, StillChange, StillMotion [2]float64
	// MovingParallax and MovingTexture are the replay cues' ranges on the
	// moving selfies; MovingFailed counts the liveness signals that
	// refused one (its false alarms).
	MovingParallax, MovingTexture [2]float64
	MovingFailed                  map[string]int
	// DocFaceFound counts cards whose portrait was found.
	DocFaceFound int
	// MeanMatchMS is the mean time of one video match (card + 6 frames),
	// ffmpeg decoding included.
	MeanMatchMS float64
	Pairs       []Pair `json:"-"`
	ReasonCount map[reason.Code]int
}

type instance struct {
	labelled
	key    string
	ref    []float32
	moving *face.Selfie
	still  *face.Selfie
	ms     float64
}

// Run generates the data set and scores it.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.FFmpeg == "" {
		cfg.FFmpeg = "ffmpeg"
	}
	if err := face.CheckFFmpeg(cfg.FFmpeg); err != nil {
		return nil, err
	}
	eng, err := face.New(face.Options{Threshold: cfg.Threshold, FFmpeg: cfg.FFmpeg})
	if err != nil {
		return nil, err
	}
	// Locating the labelled faces in the source photos is data
	// preparation, with a looser detector.
	finder, err := face.New(face.Options{DetectScore: 0.35})
	if err != nil {
		return nil, err
	}
	dir := cfg.Keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "kycq-face-eval-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}

	list := faces
	if cfg.Limit > 0 && cfg.Limit < len(list) {
		list = list[:cfg.Limit]
	}
	photos := map[string]image.Image{}
	dets := map[string][]face.Detection{}
	var insts []*instance
	for i, f := range list {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		img, ok := photos[f.Photo]
		if !ok {
			if img, err = loadPhoto(filepath.Join(cfg.Photos, f.Photo)); err != nil {
				return nil, err
			}
			photos[f.Photo] = img
			if dets[f.Photo], err = finder.Detect(img); err != nil {
				return nil, err
			}
		}
		box, ok := findFace(dets[f.Photo], f.CX, f.CY)
		if !ok {
			return nil, fmt.Errorf("faceeval: no face near (%d, %d) in %s: not the photos this table labels", f.CX, f.CY, f.Photo)
		}
		// Mask the other labelled faces of the photo (not every
		// detection: the looser finder also returns a few non-faces).
		var others []image.Rectangle
		for _, o := range faces {
			if o.Photo == f.Photo && o != f {
				if b, ok := findFace(dets[f.Photo], o.CX, o.CY); ok {
					others = append(others, b)
				}
			}
		}
		img = maskOthers(img, others, box)
		in := &instance{labelled: f, key: f.Identity + "@" + f.Photo}
		seed := cfg.Seed*1000 + int64(i)
		doc, err := renderDocument(cropAround(img, box, 2.0, 1.25), seed)
		if err != nil {
			return nil, err
		}
		if cfg.Keep != "" {
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d-card.jpg", i)), doc, 0o644)
		}
		selfieCrop := toFrame(cropAround(img, box, 2.8, 4.0/3))
		lm, found, err := finder.FindLandmarks(selfieCrop)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, fmt.Errorf("faceeval: no landmarks for %s", in.key)
		}
		mv, err := renderVideo(ctx, cfg.FFmpeg, dir, fmt.Sprintf("%02d-moving", i), selfieCrop, &lm, moving, seed)
		if err != nil {
			return nil, err
		}
		sv, err := renderVideo(ctx, cfg.FFmpeg, dir, fmt.Sprintf("%02d-still", i), selfieCrop, nil, still, seed)
		if err != nil {
			return nil, err
		}
		t0 := time.Now()
		in.ref, _ = eng.DocumentDescriptor(doc)
		if in.moving, err = eng.AnalyzeSelfie(ctx, mv, "video/mp4"); err != nil {
			return nil, err
		}
		in.ms = float64(time.Since(t0).Microseconds()) / 1000
		if in.still, err = eng.AnalyzeSelfie(ctx, sv, "video/mp4"); err != nil {
			return nil, err
		}
		insts = append(insts, in)
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "face %2d/%d %-28s card face %-5v %6.0f ms\n", i+1, len(list), in.key, in.ref != nil, in.ms)
		}
	}
	return score(eng, insts)
}

func loadPhoto(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("faceeval: %w (scripts/setup.d/40-face-photos.sh fetches the photos)", err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	return img, err
}

// findFace returns the detection whose center is nearest (cx, cy), within
// 40 pixels.
func findFace(dets []face.Detection, cx, cy int) (image.Rectangle, bool) {
	best, bd := image.Rectangle{}, 40.0
	for _, d := range dets {
		x := float64(d.Box.Min.X+d.Box.Max.X) / 2
		y := float64(d.Box.Min.Y+d.Box.Max.Y) / 2
		if dist := math.Hypot(x-float64(cx), y-float64(cy)); dist < bd {
			best, bd = d.Box, dist
		}
	}
	return best, !best.Empty()
}

func score(eng *face.Engine, insts []*instance) (*Report, error) {
	thr := eng.Options().Threshold
	rep := &Report{Threshold: thr, Margin: eng.Options().Borderline, Faces: len(insts), ReasonCount: map[reason.Code]int{}}
	ids := map[string]bool{}
	photos := map[string]bool{}
	var gen, imp []float64
	rejected := 0
	for _, r := range []*[2]float64{&rep.MovingChange, &rep.MovingMotion, &rep.StillChange, &rep.StillMotion, &rep.MovingParallax, &rep.MovingTexture} {
		*r = [2]float64{math.Inf(1), math.Inf(-1)}
	}
	for _, in := range insts {
		ids[in.Identity] = true
		photos[in.Photo] = true
		if in.ref != nil {
			rep.DocFaceFound++
		}
		rep.MeanMatchMS += in.ms / float64(len(insts))
	}
	rep.Identities, rep.Photos = len(ids), len(photos)
	for _, d := range insts {
		for _, s := range insts {
			if isUncertain(d.Identity, s.Identity) {
				continue
			}
			p := Pair{Doc: d.key, Selfie: s.key, Genuine: d.Identity == s.Identity}
			p.CrossPhoto = p.Genuine && d.Photo != s.Photo
			if d.ref != nil {
				res, err := eng.Compare(d.ref, s.moving)
				if err != nil {
					return nil, err
				}
				p.Similarity, p.OK, p.Borderline, p.Reasons = res.Similarity, res.OK, res.Borderline, res.Reasons
			} else {
				p.Reasons = []reason.Code{reason.FaceNotFound}
			}
			switch {
			case p.Genuine && p.Borderline:
				rep.GenuineReview++
			case p.Genuine && p.OK:
				rep.GenuineAutoAccepted++
			case !p.Genuine && p.Borderline:
				rep.ImpostorReview++
			case !p.Genuine && p.OK:
				rep.ImpostorAutoAccepted++
			}
			if p.Genuine {
				gen = append(gen, p.Similarity)
				if !p.OK {
					rejected++
				}
				if p.Similarity < thr {
					rep.FalseNonMatches++
				}
				if p.CrossPhoto {
					rep.CrossPhoto++
				}
				for _, c := range p.Reasons {
					rep.ReasonCount[c]++
				}
			} else {
				imp = append(imp, p.Similarity)
				if p.Similarity >= thr {
					rep.FalseMatches++
				}
			}
			rep.Pairs = append(rep.Pairs, p)
		}
		// Liveness on the card's own selfies.
		if d.ref != nil {
			mres, _ := eng.Compare(d.ref, d.moving)
			sres, _ := eng.Compare(d.ref, d.still)
			rep.Moving++
			if l := mres.Liveness; l != nil {
				if l.Live {
					rep.LiveMoving++
				}
				if l.Frames >= 2 {
					widen(&rep.MovingChange, l.Change)
					widen(&rep.MovingMotion, l.Motion)
					widen(&rep.MovingParallax, l.Parallax)
					widen(&rep.MovingTexture, l.Texture)
				}
				for _, f := range l.Failed {
					if rep.MovingFailed == nil {
						rep.MovingFailed = map[string]int{}
					}
					rep.MovingFailed[f]++
				}
			}
			rep.Still++
			if l := sres.Liveness; l == nil || !l.Live {
				rep.RefusedStill++
			}
			if l := sres.Liveness; l != nil && l.Frames >= 2 {
				widen(&rep.StillChange, l.Change)
				widen(&rep.StillMotion, l.Motion)
			}
		}
	}
	for _, r := range []*[2]float64{&rep.MovingChange, &rep.MovingMotion, &rep.StillChange, &rep.StillMotion, &rep.MovingParallax, &rep.MovingTexture} {
		if math.IsInf(r[0], 1) {
			*r = [2]float64{}
		}
	}
	rep.Genuine, rep.Impostor = len(gen), len(imp)
	if len(gen) == 0 || len(imp) == 0 {
		return nil, errors.New("faceeval: need both genuine and impostor pairs")
	}
	rep.FNMR = float64(rep.FalseNonMatches) / float64(len(gen))
	rep.FMR = float64(rep.FalseMatches) / float64(len(imp))
	rep.RejectedGenuine = float64(rejected) / float64(len(gen))
	sort.Float64s(gen)
	sort.Float64s(imp)
	rep.GenuineMin, rep.GenuineMedian = gen[0], gen[len(gen)/2]
	rep.ImpostorMax, rep.ImpostorMedian = imp[len(imp)-1], imp[len(imp)/2]
	rates := func(t float64) (fmr, fnmr float64) {
		a := sort.SearchFloat64s(imp, t) // impostors below t
		b := sort.SearchFloat64s(gen, t) // genuine below t
		return float64(len(imp)-a) / float64(len(imp)), float64(b) / float64(len(gen))
	}
	for t := 0.30; t <= 0.701; t += 0.05 {
		fmr, fnmr := rates(t)
		rep.ROC = append(rep.ROC, ROCPoint{Threshold: math.Round(t*100) / 100, FMR: fmr, FNMR: fnmr})
	}
	// Equal error rate: sweep every score as a threshold.
	rep.EER = 1
	for _, t := range append(slices.Clone(gen), imp...) {
		fmr, fnmr := rates(t)
		if e := math.Max(fmr, fnmr); e < rep.EER {
			rep.EER, rep.EERThreshold = e, t
		}
	}
	return rep, nil
}

// widen extends the range r to cover v.
func widen(r *[2]float64, v float64) {
	r[0] = math.Min(r[0], v)
	r[1] = math.Max(r[1], v)
}
