package face

import (
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
)

// movingHead is the measured liveness of a moving face that passes every
// signal but the texture cue, which the cases set.
func movingHead(texture float64) *Liveness {
	return &Liveness{Frames: 6, Change: 6, Motion: 0.05, Parallax: 0.04, Texture: texture, Screen: 0.3, IdentitySpread: 0.2}
}

// TestTextureDoubtBand: with the default options (MinTexture 0.24,
// ReviewTexture 0.32), a texture cue under MinTexture fails planar_motion,
// one in [0.24, 0.32) passes liveness in doubt, one at 0.32 or above
// passes; the doubt is not added to a face whose planar motion already
// failed (by its parallax) nor to a still face; ReviewTexture at
// MinTexture leaves no band.
func TestTextureDoubtBand(t *testing.T) {
	var o Options
	o.defaults()
	if o.MinTexture != 0.24 || o.ReviewTexture != 0.32 {
		t.Fatalf("defaults: MinTexture %v ReviewTexture %v, want 0.24 and 0.32", o.MinTexture, o.ReviewTexture)
	}
	noBand := o
	noBand.ReviewTexture = noBand.MinTexture
	tests := []struct {
		name     string
		o        Options
		l        *Liveness
		live     bool
		failed   []string
		doubts   []string
		doubtful bool
	}{
		{"under MinTexture", o, movingHead(0.2399), false, []string{SignalPlanarMotion}, nil, false},
		{"at MinTexture", o, movingHead(0.24), true, nil, []string{SignalPlanarMotion}, true},
		{"just under ReviewTexture", o, movingHead(0.3199), true, nil, []string{SignalPlanarMotion}, true},
		{"at ReviewTexture", o, movingHead(0.32), true, nil, nil, false},
		{"well above", o, movingHead(0.9), true, nil, nil, false},
		{"in the band, no parallax", o, func() *Liveness { l := movingHead(0.3); l.Parallax = 0.01; return l }(),
			false, []string{SignalPlanarMotion}, nil, false},
		{"in the band, another person mid-video", o, func() *Liveness { l := movingHead(0.3); l.IdentitySpread = 0.7; return l }(),
			false, []string{SignalIdentityChange}, []string{SignalPlanarMotion}, false},
		{"in the band, still", o, func() *Liveness { l := movingHead(0.3); l.Motion = 0.01; return l }(),
			false, []string{SignalNoMovement}, nil, false},
		{"no band", noBand, movingHead(0.3), true, nil, nil, false},
	}
	for _, tt := range tests {
		l := tt.l
		tt.o.judge(l, 5)
		if l.Live != tt.live || !slices.Equal(l.Failed, tt.failed) || !slices.Equal(l.Doubts, tt.doubts) || l.Doubtful() != tt.doubtful {
			t.Errorf("%s: live=%v failed=%v doubts=%v doubtful=%v, want %v %v %v %v", tt.name,
				l.Live, l.Failed, l.Doubts, l.Doubtful(), tt.live, tt.failed, tt.doubts, tt.doubtful)
		}
	}
}

// TestDoubtBorderline: a matching selfie whose liveness is in doubt is
// Borderline (manual review) and reports liveness_doubt_planar_motion; a
// result that fails for another reason (face_mismatch) stays a plain
// failure; one live without doubt stays a plain pass; with liveness
// disabled the doubt is reported but decides nothing.
func TestDoubtBorderline(t *testing.T) {
	var o Options
	o.defaults()
	judged := func(texture float64) *Liveness {
		l := movingHead(texture)
		o.judge(l, 5)
		return l
	}
	off := o
	off.DisableLiveness = true
	tests := []struct {
		name       string
		o          Options
		l          *Liveness
		reasons    []reason.Code
		borderline bool
		doubtScore bool
	}{
		{"match, texture in the band", o, judged(0.30), nil, true, true},
		{"match, texture above", o, judged(0.40), nil, false, false},
		{"mismatch, texture in the band", o, judged(0.30), []reason.Code{reason.FaceMismatch}, false, true},
		{"liveness disabled", off, judged(0.30), nil, false, true},
	}
	for _, tt := range tests {
		e := &Engine{opts: tt.o}
		res := &Result{Liveness: tt.l, Reasons: tt.reasons, OK: len(tt.reasons) == 0, Scores: map[string]float64{}}
		e.doubt(res)
		_, scored := res.Scores["liveness_doubt_planar_motion"]
		if res.Borderline != tt.borderline || scored != tt.doubtScore || res.OK != (len(tt.reasons) == 0) {
			t.Errorf("%s: borderline=%v doubt score=%v ok=%v, want %v %v %v", tt.name, res.Borderline, scored, res.OK,
				tt.borderline, tt.doubtScore, len(tt.reasons) == 0)
		}
	}
}
