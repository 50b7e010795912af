package face

import (
	"slices"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
)

// movingHead is the measured liveness of a moving face that passes every
// signal but the texture and depth cues, which the cases set. Its nose
// cue (0.005) is past MinNoseDepth and under ReviewNoseDepth and
// ClearNoseDepth: it neither adds nor lifts a doubt.
func movingHead(texture, depth float64) *Liveness {
	return &Liveness{Frames: 6, Change: 6, Motion: 0.05, Parallax: 0.04, Texture: texture, Depth: depth, NoseDepth: 0.005, Screen: 0.3, IdentitySpread: 0.2}
}

// TestDepthDoubtBand: with the default options (MinTexture 0.24, MinDepth
// 0.01, ReviewDepth 0.02), a depth cue under MinDepth fails planar_motion;
// a depth cue in [0.01, 0.02) passes liveness in doubt, one at 0.02 or
// above passes, whatever the texture cue above MinTexture (the doubt band
// was [0.24, 0.32) on the texture cue before). A texture cue under
// MinTexture fails planar_motion unless the depth cue is clear (0.02 and
// above; MinDepth when there is no band), when it passes in doubt (since
// 3 Dec 2026, later; it failed whatever the depth before), and always fails with the
// depth cue off. The doubt is not added to a face whose planar motion
// already failed (by its parallax) nor to a still face; ReviewDepth at
// MinDepth leaves no band, and negative thresholds turn the depth cue off.
// A parallax under MinParallax likewise passes in doubt with a clear depth
// cue (since 6 Dec 2026), unless the texture cue is under MinTexture too.
func TestDepthDoubtBand(t *testing.T) {
	var o Options
	o.defaults()
	if o.MinTexture != 0.24 || o.MinDepth != 0.01 || o.ReviewDepth != 0.02 {
		t.Fatalf("defaults: MinTexture %v MinDepth %v ReviewDepth %v, want 0.24, 0.01 and 0.02", o.MinTexture, o.MinDepth, o.ReviewDepth)
	}
	noBand := o
	noBand.ReviewDepth = noBand.MinDepth
	off := o
	off.MinDepth, off.ReviewDepth = -1, -1
	tests := []struct {
		name     string
		o        Options
		l        *Liveness
		live     bool
		failed   []string
		doubts   []string
		doubtful bool
	}{
		{"texture under MinTexture, depth just under ReviewDepth", o, movingHead(0.2399, 0.0199), false, []string{SignalPlanarMotion}, nil, false},
		{"texture under MinTexture, depth in the band", o, movingHead(0.2399, 0.015), false, []string{SignalPlanarMotion}, nil, false},
		{"texture under MinTexture, depth at ReviewDepth", o, movingHead(0.2399, 0.02), true, nil, []string{SignalPlanarMotion}, true},
		{"texture under MinTexture, depth clear", o, movingHead(0.17, 0.06), true, nil, []string{SignalPlanarMotion}, true},
		{"texture under MinTexture, depth clear, no parallax", o, func() *Liveness { l := movingHead(0.17, 0.06); l.Parallax = 0.01; return l }(),
			false, []string{SignalPlanarMotion}, nil, false},
		{"texture under MinTexture, depth clear, still", o, func() *Liveness { l := movingHead(0.17, 0.06); l.Change = 0.1; return l }(),
			false, []string{SignalNoMovement}, nil, false},
		{"texture under MinTexture, depth clear, no band", noBand, movingHead(0.17, 0.015), true, nil, []string{SignalPlanarMotion}, true},
		{"texture under MinTexture, depth cue off", off, movingHead(0.17, 0.06), false, []string{SignalPlanarMotion}, nil, false},
		{"depth under MinDepth", o, movingHead(0.9, 0.0099), false, []string{SignalPlanarMotion}, nil, false},
		{"both under", o, movingHead(0.2, 0.001), false, []string{SignalPlanarMotion}, nil, false},
		{"at MinDepth", o, movingHead(0.9, 0.01), true, nil, []string{SignalPlanarMotion}, true},
		{"just under ReviewDepth", o, movingHead(0.9, 0.0199), true, nil, []string{SignalPlanarMotion}, true},
		{"at ReviewDepth", o, movingHead(0.9, 0.02), true, nil, nil, false},
		{"texture in the old band, depth well above", o, movingHead(0.26, 0.1), true, nil, nil, false},
		{"at MinTexture, depth well above", o, movingHead(0.24, 0.1), true, nil, nil, false},
		{"in the band, no parallax", o, func() *Liveness { l := movingHead(0.5, 0.015); l.Parallax = 0.01; return l }(),
			false, []string{SignalPlanarMotion}, nil, false},
		{"in the band, another person mid-video", o, func() *Liveness { l := movingHead(0.5, 0.015); l.IdentitySpread = 0.7; return l }(),
			false, []string{SignalIdentityChange}, []string{SignalPlanarMotion}, false},
		{"in the band, still", o, func() *Liveness { l := movingHead(0.5, 0.015); l.Motion = 0.01; return l }(),
			false, []string{SignalNoMovement}, nil, false},
		{"no band", noBand, movingHead(0.5, 0.015), true, nil, nil, false},
		{"depth cue off", off, movingHead(0.5, 0), true, nil, nil, false},
		// The landmarks' parallax floor (0.018) is waived, in doubt, by a
		// clear depth cue when the texture cue is not low too.
		{"parallax under MinParallax, depth clear", o, func() *Liveness { l := movingHead(0.28, 0.027); l.Parallax = 0.0169; return l }(),
			true, nil, []string{SignalPlanarMotion}, true},
		{"parallax under MinParallax, depth at ReviewDepth", o, func() *Liveness { l := movingHead(0.5, 0.02); l.Parallax = 0.017; return l }(),
			true, nil, []string{SignalPlanarMotion}, true},
		{"parallax under MinParallax, depth just under ReviewDepth", o, func() *Liveness { l := movingHead(0.5, 0.0199); l.Parallax = 0.017; return l }(),
			false, []string{SignalPlanarMotion}, nil, false},
		{"parallax under MinParallax, depth clear, depth cue off", off, func() *Liveness { l := movingHead(0.5, 0.06); l.Parallax = 0.01; return l }(),
			false, []string{SignalPlanarMotion}, nil, false},
		{"parallax under MinParallax, depth clear, still", o, func() *Liveness { l := movingHead(0.5, 0.06); l.Parallax = 0.01; l.Motion = 0.01; return l }(),
			false, []string{SignalNoMovement}, nil, false},
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
	judged := func(depth float64) *Liveness {
		l := movingHead(0.5, depth)
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
		{"match, depth in the band", o, judged(0.015), nil, true, true},
		{"match, depth above", o, judged(0.1), nil, false, false},
		{"mismatch, depth in the band", o, judged(0.015), []reason.Code{reason.FaceMismatch}, false, true},
		{"liveness disabled", off, judged(0.015), nil, false, true},
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
