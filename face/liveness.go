package face

import (
	"math"
	"slices"
)

// Liveness is the liveness evidence a selfie video gives. It tells a
// recording of a live, moving person from a still picture turned into a
// video or a frozen stream, and from a printed photo or a screen moved in
// front of the camera (they move as a plane); with a challenge, from a
// recording made before the instruction was known. It does not detect a
// replayed video of the person's real head, a mask or a deepfake (see
// docs/face.md).
type Liveness struct {
	// Live is the decision: enough distinct frames, natural motion, one
	// identity throughout.
	Live bool `json:"live"`
	// Frames is the number of usable frames with a face.
	Frames int `json:"frames"`
	// Change is the mean absolute difference between consecutive face
	// chips, in gray levels (0 for a still picture).
	Change float64 `json:"change"`
	// Motion is the mean landmark displacement between consecutive frames,
	// as a fraction of the eye distance.
	Motion float64 `json:"motion"`
	// NonRigid is the landmark residual left after the best similarity
	// transform between consecutive frames, as a fraction of the eye
	// distance: expression and out-of-plane head turns raise it; a flat
	// picture moved in its own plane leaves only noise. Reported, not
	// decided on.
	NonRigid float64 `json:"non_rigid"`
	// Parallax is the planar-motion score (see parallax): how far, as a
	// fraction of the eye distance, the landmarks of the most turned frame
	// are from any homography of the other frames. A flat picture or screen
	// moved in front of the camera leaves only landmark noise.
	Parallax float64 `json:"parallax"`
	// Texture is the texture cue (see textureAndDepth): the difference,
	// in units of the face's contrast, left between the face chips of two
	// frames once the best homography has brought one onto the other. A
	// flat picture leaves noise and compression; a turning head does not
	// fit one warp.
	Texture float64 `json:"texture"`
	// Depth is the depth cue (see textureAndDepth): how much of the
	// texture cue's residual, in the same units, a head's relief explains
	// once it may move the pixels on top of the homography. A flat picture
	// or screen, however moved, lit or banded, gives about 0; a turning
	// head a good part of its texture cue.
	Depth float64 `json:"depth"`
	// TrackDepth is, under a turn challenge, the depth cue read over the
	// challenge's whole track (trackDepth: every frame with a face, also
	// those followed through a lost detection or failing a quality gate,
	// often the frames nearest profile, where a head's relief shows most),
	// each frame judged by its pairs with the frames near it in the track
	// (trackDepthReach); the depth rule judges the larger of Depth and
	// TrackDepth. 0 without a turn challenge.
	TrackDepth float64 `json:"track_depth,omitempty"`
	// NoseDepth is the nose cue (see textureDepthNose): how much of the
	// texture cue's residual, in the same units, the nose explains once
	// the pixels may already move by the head-wide curve of the relief (a
	// cylinder across the face). A print bent around a cylinder has that
	// curve and no nose, and gives about 0 where its depth cue is a
	// head's; a turning head keeps its nose parallax.
	NoseDepth float64 `json:"nose_depth"`
	// CylinderDepth is the cylinder cue (see textureDepthNose): what the
	// head-wide curve alone (a cylinder across the face, no nose)
	// explains of the texture cue's residual, read as Depth is. A print
	// bent around a cylinder fits it better than a head's relief
	// (CylinderDepth above Depth), most heads the other way round. 0
	// with the nose cue off. Reported, not decided on (docs/face.md, "A
	// bent print: the cylinder fits better than a head").
	CylinderDepth float64 `json:"cylinder_depth,omitempty"`
	// RingFollow is the ring cue (see ringFollow): over pairs of frames,
	// the median share of the textured blocks of a ring around the face
	// (1.8–3.2 face half-widths) that the face's own motion explains
	// better than the background's (the frame border's shift). The
	// surroundings of a face in a print or on a screen move with it (near
	// 1); the background behind a real head does not (near 0).
	// RingPairs is how many pairs voted; 0 when the cue abstained (no
	// texture around the face, or a face that did not move against its
	// background), and then RingFollow is 0 and tells nothing.
	RingFollow float64 `json:"ring_follow"`
	RingPairs  int     `json:"ring_pairs"`
	// Screen is the screen cue: the median over the frames of the face
	// chip's colour moiré (chromaMoire), the false colour a screen's
	// subpixels leave once filmed.
	Screen float64 `json:"screen"`
	// IdentitySpread is the largest descriptor distance between two frames
	// (a face swapped mid-video raises it past ~0.6).
	IdentitySpread float64 `json:"identity_spread"`
	// Failed names the liveness signals that failed (Signal*), in the
	// order checked: what liveness_failed stands for.
	Failed []string `json:"failed,omitempty"`
	// Doubts names the liveness signals that passed, but only just: a
	// depth cue in [MinDepth, ReviewDepth), or a texture cue under
	// MinTexture or a parallax under MinParallax with a clear depth cue,
	// is SignalPlanarMotion in doubt.
	// A selfie that is Live with doubts is not approved on its own: the
	// face result is Borderline (manual review).
	Doubts []string `json:"doubts,omitempty"`
	// Challenge is the instruction the applicant was given (empty for
	// none) and ChallengeMet whether the landmark track shows it done.
	Challenge    Challenge `json:"challenge,omitempty"`
	ChallengeMet bool      `json:"challenge_met,omitempty"`
	// Problems names the failed conditions.
	Problems []string `json:"problems,omitempty"`

	// frames are the frames judged (liveness's, in time order) and
	// shifts the depth cue's relief shift of each pair of them
	// (textureDepthShifts): a turn challenge reads the head's turn from
	// them too (reliefTrackOf).
	frames []*faceInfo
	shifts []pairShift
	// track is, under a turn challenge, the pair fits over the
	// challenge's track of trackLen frames (trackShifts), which
	// TrackDepth and the challenge's relief track read.
	track    []pairShift
	trackLen int
	// turn is, under a turn challenge, each frame of its track as the
	// challenge read it (TurnTrack).
	turn []TurnFrame
}

// TurnFrame is one frame of a turn challenge's track as the challenge
// read it, for evaluations that set the reading against a generator's
// known pose (Liveness.TurnTrack).
type TurnFrame struct {
	// Index is the frame's position among the sampled frames.
	Index int
	// LM are the frame's landmarks (detected, weak or followed).
	LM Landmarks
	// Yaw is the landmarks' reading (turnYaw), positive towards the
	// image's right; Relief the relief track's (reliefTrackOf; NaN for a
	// frame it misses), about the sine of the yaw turned since the first
	// frame; Both the two combined towards the first side asked, in
	// units of the turn the challenge needs (bothTrack).
	Yaw, Relief, Both float64
	// Followed and Weak tell how the face was found: followed through a
	// lost detection (trackFace), or a detection under
	// Options.DetectScore taken for the face of the frames around it.
	Followed, Weak bool
}

// TurnTrack is the turn challenge's track as it was read, one TurnFrame
// per frame with a face in time order; nil without a turn challenge.
func (l *Liveness) TurnTrack() []TurnFrame { return l.turn }

// Liveness signals: the stable names of what made liveness fail, reported
// in Liveness.Failed and as scores liveness_signal_<name> = 1.
const (
	// SignalFewFrames: too few frames with a usable face.
	SignalFewFrames = "few_frames"
	// SignalNoMovement: no natural movement (a still or frozen picture).
	SignalNoMovement = "no_movement"
	// SignalPlanarMotion: the face moves as a plane (a photo or a screen
	// moved in front of the camera).
	SignalPlanarMotion = "planar_motion"
	// SignalScreen: the frames show a screen (refresh banding, moiré).
	SignalScreen = "screen"
	// SignalChallenge: the instruction given was not carried out.
	SignalChallenge = "challenge"
	// SignalIdentityChange: the face changes identity between frames.
	SignalIdentityChange = "identity_change"
)

// identitySpreadMax is the descriptor distance beyond which two frames
// show different people (dlib's same-person radius).
const identitySpreadMax = 0.6

// liveness judges the usable frames, in time order.
func (e *Engine) liveness(frames []*faceInfo) *Liveness { return e.livenessOf(frames, nil) }

// livenessOf is liveness for a selfie under a turn challenge whose track
// (every frame with a face, time order; nil for none) also gives the
// depth cue (TrackDepth).
func (e *Engine) livenessOf(frames, track []*faceInfo) *Liveness {
	l := &Liveness{Frames: len(frames)}
	pairs := 0
	for i := 1; i < len(frames); i++ {
		a, b := frames[i-1], frames[i]
		l.Change += meanAbsDiff(a.gray, b.gray)
		eye := (a.Quality.EyeDistance + b.Quality.EyeDistance) / 2
		l.Motion += landmarkShift(&a.LM, &b.LM) / eye
		l.NonRigid += similarityResidual(&a.LM, &b.LM) / eye
		pairs++
	}
	if pairs > 0 {
		l.Change /= float64(pairs)
		l.Motion /= float64(pairs)
		l.NonRigid /= float64(pairs)
	}
	lms := make([]*Landmarks, len(frames))
	eyes := make([]float64, len(frames))
	for i, f := range frames {
		lms[i], eyes[i] = &f.LM, f.Quality.EyeDistance
	}
	l.Parallax = parallax(lms, eyes)
	chips := make([][]uint8, len(frames))
	chipLMs := make([]*Landmarks, len(frames))
	for i, f := range frames {
		chips[i] = f.gray
		chipLMs[i] = chipLandmarks(&f.LM, chipSize)
	}
	l.Texture, l.Depth, l.NoseDepth, l.CylinderDepth, l.shifts = textureDepthNose(chips, chipLMs, chipSize, e.opts.MinNoseDepth > 0)
	l.RingFollow, l.RingPairs = ringFollow(frames)
	l.frames = frames
	if track != nil {
		l.track, l.trackLen = trackShifts(track, l), len(track)
		l.TrackDepth = trackDepth(len(track), l.track)
	}
	moire := make([]float64, len(frames))
	for i, f := range frames {
		moire[i] = f.moire
	}
	if len(moire) > 0 {
		l.Screen = median(moire)
	}
	for i := range frames {
		for j := i + 1; j < len(frames); j++ {
			l.IdentitySpread = math.Max(l.IdentitySpread, distance(frames[i].Desc[:], frames[j].Desc[:]))
		}
	}
	e.opts.judge(l, pairs)
	return l
}

// judge applies the liveness rules to the measured l (pairs is the
// number of consecutive frame pairs measured): it sets Failed, Problems,
// Doubts and Live.
func (o *Options) judge(l *Liveness, pairs int) {
	fail := func(signal, problem string) {
		l.Problems = append(l.Problems, problem)
		if !slices.Contains(l.Failed, signal) {
			l.Failed = append(l.Failed, signal)
		}
	}
	if l.Frames < o.MinLiveFrames {
		fail(SignalFewFrames, "too few frames with a usable face")
	}
	still := false
	if pairs > 0 && l.Change < o.MinFrameChange {
		fail(SignalNoMovement, "frames do not change: a still picture")
		still = true
	}
	if pairs > 0 && l.Motion < o.MinMotion {
		fail(SignalNoMovement, "the face does not move")
		still = true
	}
	// Planar motion only means something when there is motion. The
	// landmarks' parallax under MinParallax refuses unless the depth cue
	// is clear and the texture cue is not also low: a head that barely
	// turned leaves landmark parallax within the landmarks' jitter
	// (replays reach 0.06 by jitter alone), while its relief still shows
	// in the pixels, which no replay came near (docs/face.md, "Varied
	// genuine heads"); a person decides. One 2D floor may be waived by
	// the depth cue; both only when the nose cue too is clearly a head's
	// (ClearNoseDepth; docs/face.md, "A clear nose lifts a relief
	// doubt"), and then a person decides.
	lowTexture := pairs > 0 && !still && l.Texture < o.MinTexture
	lowParallax := pairs > 0 && !still && l.Parallax < o.MinParallax
	noseOn := o.MinNoseDepth > 0 && o.MinDepth >= 0
	noseClear := noseOn && o.ClearNoseDepth > 0 && l.NoseDepth >= o.ClearNoseDepth
	bothWaived := lowParallax && lowTexture && o.depthClear(l.Depth) && noseClear
	if lowParallax && (lowTexture || !o.depthClear(l.Depth)) && !bothWaived {
		fail(SignalPlanarMotion, "the face moves as a flat picture: no parallax")
		lowParallax = false
	}
	// A texture cue under MinTexture refuses unless the depth cue is on
	// and clear (at or above ReviewDepth): then the little that no
	// homography explains is what a head's relief explains, which no
	// replay on the development seeds came near (docs/face.md, "Low
	// texture, clear depth"), and a person decides.
	if lowTexture && !o.depthClear(l.Depth) {
		fail(SignalPlanarMotion, "the face is one picture warped from frame to frame")
		lowTexture = false
	}
	// Under a turn challenge the depth rule reads the relief over the
	// challenge's whole track too (TrackDepth): the frames nearest
	// profile, which the detector or the quality gates drop from
	// liveness's frames, are where a head's relief shows most, and a flat
	// picture has none in any frame (docs/face.md, "Turn challenge: the
	// face followed to its turn"). It waives no 2D floor above.
	//
	// The nose cue is a second 3D cue no replay on the development seeds
	// came near (docs/face.md, "A clear nose lifts a relief doubt"): at
	// ReviewNoseDepth and above it sends a face whose depth cue is under
	// MinDepth, its 2D cues passed, to a person instead of refusing it;
	// at ClearNoseDepth and above it lifts the doubt below, unless both
	// 2D floors were waived.
	depth := math.Max(l.Depth, l.TrackDepth)
	noseReview := noseOn && o.ReviewNoseDepth > 0 && l.NoseDepth >= o.ReviewNoseDepth
	planar := slices.Contains(l.Failed, SignalPlanarMotion)
	if pairs > 0 && !still && depth < o.MinDepth {
		if noseReview && !planar {
			l.Doubts = append(l.Doubts, SignalPlanarMotion)
		} else {
			fail(SignalPlanarMotion, "the face turns as a flat picture: no relief parallax")
		}
	} else if pairs > 0 && !still && (depth < o.ReviewDepth || lowTexture || lowParallax) && !planar && (!noseClear || bothWaived) {
		// The doubt band: the head turned, but only just (docs/face.md,
		// "Depth cue"), or it moved too little for the texture cue or
		// the landmarks' parallax while its relief showed, so a person
		// decides.
		l.Doubts = append(l.Doubts, SignalPlanarMotion)
	}
	// A head-wide curve without a nose is a print bent around a
	// cylinder: its depth cue may be a head's, its nose cue is not
	// (docs/face.md, "A bent print: the nose beyond a cylinder"). The
	// cue's margin to genuine heads is thin (the lowest genuine head on
	// the development seeds 0.0029 against MinNoseDepth 0.0025), so it
	// puts planar motion in doubt and a person decides; it never
	// refuses, nor waives another check. The rule reads liveness's
	// frames, so it judges only a depth cue read there (not one a turn
	// challenge's track carried).
	if pairs > 0 && !still && o.MinDepth >= 0 && o.MinNoseDepth > 0 && l.Depth >= o.MinDepth && l.NoseDepth < o.MinNoseDepth &&
		!slices.Contains(l.Failed, SignalPlanarMotion) && !slices.Contains(l.Doubts, SignalPlanarMotion) {
		l.Doubts = append(l.Doubts, SignalPlanarMotion)
	}
	// The ring around a face in a print moves with the face, the
	// background behind a head does not (docs/face.md, "A bent print: the
	// ring around the face"). A selfie that would pass whose ring cue,
	// measured, is at or above MaxRingFollow has planar motion in doubt;
	// the cue never refuses, and abstains without texture around the face.
	if pairs > 0 && !still && o.MaxRingFollow > 0 && l.RingPairs >= ringMinPairs && l.RingFollow >= o.MaxRingFollow &&
		len(l.Problems) == 0 && !slices.Contains(l.Doubts, SignalPlanarMotion) {
		l.Doubts = append(l.Doubts, SignalPlanarMotion)
	}
	if pairs > 0 && o.MaxScreen > 0 && l.Screen > o.MaxScreen {
		fail(SignalScreen, "the face is shown on a screen: colour moiré")
	}
	if l.IdentitySpread > identitySpreadMax {
		fail(SignalIdentityChange, "the face changes identity between frames")
	}
	l.Live = len(l.Problems) == 0
}

// depthClear reports a depth cue that stands for a head even under a low
// texture cue: the depth check on (MinDepth not negative) and the cue at
// or above ReviewDepth (at or above MinDepth when there is no band).
func (o *Options) depthClear(depth float64) bool {
	return o.MinDepth >= 0 && depth >= math.Max(o.MinDepth, o.ReviewDepth)
}

// Doubtful reports a selfie that passed liveness with a signal in doubt:
// it goes to manual review, neither approved nor refused.
func (l *Liveness) Doubtful() bool {
	return l != nil && l.Live && len(l.Doubts) > 0
}

// meanAbsDiff is the mean absolute difference of two equal-length images.
func meanAbsDiff(a, b []uint8) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	s := 0
	for i := range a {
		d := int(a[i]) - int(b[i])
		if d < 0 {
			d = -d
		}
		s += d
	}
	return float64(s) / float64(len(a))
}

// landmarkShift is the mean distance a landmark moves between two frames.
func landmarkShift(a, b *Landmarks) float64 {
	s := 0.0
	for i := range a {
		s += math.Hypot(a[i].X-b[i].X, a[i].Y-b[i].Y)
	}
	return s / float64(len(a))
}

// similarityResidual fits the similarity transform taking a's landmarks
// onto b's by least squares and returns the RMS distance left.
func similarityResidual(a, b *Landmarks) float64 {
	var ax, ay, bx, by float64
	n := float64(len(a))
	for i := range a {
		ax += a[i].X
		ay += a[i].Y
		bx += b[i].X
		by += b[i].Y
	}
	ax, ay, bx, by = ax/n, ay/n, bx/n, by/n
	var sxx, sab, sba float64
	for i := range a {
		x, y := a[i].X-ax, a[i].Y-ay
		u, v := b[i].X-bx, b[i].Y-by
		sxx += x*x + y*y
		sab += x*u + y*v
		sba += x*v - y*u
	}
	if sxx == 0 {
		return 0
	}
	p, q := sab/sxx, sba/sxx
	var r float64
	for i := range a {
		x, y := a[i].X-ax, a[i].Y-ay
		u, v := p*x-q*y+bx, q*x+p*y+by
		r += (u-b[i].X)*(u-b[i].X) + (v-b[i].Y)*(v-b[i].Y)
	}
	return math.Sqrt(r / n)
}
