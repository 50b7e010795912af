package face

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/kycq/kycq/face/model"
	"github.com/kycq/kycq/kyc/reason"
)

// MatchVideo matches the selfie video at videoPath (mp4, mov or webm)
// against the portrait on the document front photo (JPEG or PNG bytes).
func (e *Engine) MatchVideo(ctx context.Context, docImage []byte, videoPath string) (*Result, error) {
	return e.match(ctx, docImage, videoPath, nil, true)
}

// MatchImage matches a still selfie (JPEG or PNG bytes) against the
// document front photo: the degraded fallback when no video is available.
// Without liveness evidence a match is Borderline (manual review) unless
// Options.AcceptStillImage is set.
func (e *Engine) MatchImage(ctx context.Context, docImage, selfieImage []byte) (*Result, error) {
	return e.match(ctx, docImage, "", selfieImage, false)
}

func (e *Engine) match(ctx context.Context, docImage []byte, videoPath string, selfieImage []byte, video bool) (*Result, error) {
	start := time.Now()
	res := e.newResult()
	ref := e.documentRef(docImage, res)
	if ref == nil {
		return e.finish(res, start), nil
	}
	var s *Selfie
	var err error
	if video {
		s, err = e.AnalyzeSelfie(ctx, videoPath, "video/mp4")
	} else {
		s, err = e.analyzeStill(ctx, selfieImage)
	}
	if err != nil {
		return nil, err
	}
	return e.compare(ref, s, res, start), nil
}

// MatchDescriptor matches a fresh selfie file (a video, or a still image;
// contentType decides, e.g. "video/mp4" or "image/jpeg") against a stored
// descriptor: the "view holder" flow.
func (e *Engine) MatchDescriptor(ctx context.Context, ref []float32, selfiePath, contentType string) (*Result, error) {
	start := time.Now()
	if err := checkDescriptor(ref); err != nil {
		return nil, err
	}
	s, err := e.AnalyzeSelfie(ctx, selfiePath, contentType)
	if err != nil {
		return nil, err
	}
	return e.compare(ref, s, e.newResult(), start), nil
}

func checkDescriptor(ref []float32) error {
	if len(ref) != model.DescriptorLen {
		return fmt.Errorf("face: descriptor has %d values, want %d", len(ref), model.DescriptorLen)
	}
	for _, v := range ref {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return errors.New("face: descriptor holds a non-finite value")
		}
	}
	return nil
}

// DocumentDescriptor returns the descriptor of the portrait on a document
// photo, or a Result saying why there is none (desc nil).
func (e *Engine) DocumentDescriptor(docImage []byte) (desc []float32, res *Result) {
	start := time.Now()
	res = e.newResult()
	desc = e.documentRef(docImage, res)
	return desc, e.finish(res, start)
}

// Selfie is an analysed selfie (the faces of its sampled frames, or of a
// still image), ready to be compared with one or more references.
type Selfie struct {
	video     bool
	challenge Challenge
	// fps is the rate the frames were sampled at.
	fps     float64
	sampled int
	faces   []*faceInfo
	idx     []int
	reasons []reason.Code
	scores  map[string]float64
	timings Timings
}

// track returns the landmarks of every frame with a face, in time order
// (usable by the quality gates or not: a turned head may fail them).
func (s *Selfie) track() []*faceInfo {
	type at struct {
		i  int
		lm *faceInfo
	}
	var t []at
	for k, fi := range s.faces {
		if fi.Found {
			t = append(t, at{s.idx[k], fi})
		}
	}
	slices.SortFunc(t, func(a, b at) int { return a.i - b.i })
	out := make([]*faceInfo, len(t))
	for k := range t {
		out[k] = t[k].lm
	}
	return out
}

// atSampleRate returns the analysed faces and their frame indices, thinned
// to about fps when the video was sampled faster (for a blink challenge):
// matching and the motion measures of liveness keep the spacing between
// frames they were set for.
func (s *Selfie) atSampleRate(fps float64) ([]*faceInfo, []int) {
	stride := 1
	if fps > 0 && s.fps > fps {
		stride = int(math.Round(s.fps / fps))
	}
	if stride <= 1 {
		return s.faces, s.idx
	}
	var faces []*faceInfo
	var idx []int
	for k, i := range s.idx {
		if i%stride == 0 {
			faces = append(faces, s.faces[k])
			idx = append(idx, i)
		}
	}
	return faces, idx
}

// Compare scores an analysed selfie against a reference descriptor.
func (e *Engine) Compare(ref []float32, s *Selfie) (*Result, error) {
	if err := checkDescriptor(ref); err != nil {
		return nil, err
	}
	return e.compare(ref, s, e.newResult(), time.Now()), nil
}

func (e *Engine) compare(ref []float32, s *Selfie, res *Result, start time.Time) *Result {
	for k, v := range s.scores {
		res.Scores[k] = v
	}
	for _, c := range s.reasons {
		res.addReason(c)
	}
	res.Timings.Decode += s.timings.Decode
	res.Timings.Selfie = s.timings.Selfie
	var track []*faceInfo // the challenge's track, built once for liveness and the challenge
	if s.challenge != NoChallenge {
		track = s.track()
	}
	if len(s.faces) > 0 || len(s.reasons) == 0 {
		faces, idx := s.atSampleRate(e.opts.SampleFPS)
		var turn []*faceInfo // only a turn's track gives liveness a depth cue of its own
		if s.challenge.IsTurn() {
			turn = track
		}
		e.score(res, ref, faces, idx, s.sampled, s.video, turn)
	}
	if l := res.Liveness; l != nil {
		if s.challenge != NoChallenge && !verifyChallenge(s.challenge, track, s.fps, l, res.Scores) {
			l.Failed = append(l.Failed, SignalChallenge)
			l.Problems = append(l.Problems, "the challenge was not carried out")
			l.Live = false
			res.Scores["liveness"] = 0
			if !e.opts.DisableLiveness && !slices.Contains(res.Reasons, reason.FaceTimeout) {
				res.addReason(reason.LivenessFailed)
			}
		}
		if len(l.turn) == len(track) {
			at := make(map[*faceInfo]int, len(s.faces))
			for k, fi := range s.faces {
				at[fi] = s.idx[k]
			}
			for i, fi := range track {
				l.turn[i].Index = at[fi]
			}
		}
		// Only the challenge reads the frames and their fits: the
		// result does not keep them.
		l.frames, l.shifts, l.track = nil, nil, nil
		for _, f := range l.Failed {
			res.Scores["liveness_signal_"+f] = 1
		}
		e.doubt(res)
	}
	if !s.video && res.OK && !e.opts.AcceptStillImage {
		res.Borderline = true
	}
	if len(res.Reasons) > 0 {
		res.OK = false
	}
	return e.finish(res, start)
}

// doubt reports a liveness in doubt (Liveness.Doubtful) as the scores
// liveness_doubt_<signal> = 1 and, for a result that would pass, sends it
// to manual review (Borderline). A result failed for another reason stays
// failed: Borderline on it would turn a rejection into a review.
func (e *Engine) doubt(res *Result) {
	l := res.Liveness
	if !l.Doubtful() {
		return
	}
	for _, d := range l.Doubts {
		res.Scores["liveness_doubt_"+d] = 1
	}
	if !e.opts.DisableLiveness && len(res.Reasons) == 0 {
		res.Borderline = true
	}
}

// AnalyzeSelfie reads a selfie file, a video or a still image as
// contentType says, and analyses its faces.
func (e *Engine) AnalyzeSelfie(ctx context.Context, path, contentType string) (*Selfie, error) {
	if !strings.HasPrefix(contentType, "video/") {
		data, tooBig, err := readLimited(path, e.opts.MaxFileBytes)
		if err != nil {
			return nil, err
		}
		if tooBig {
			return &Selfie{reasons: []reason.Code{reason.FaceNotFound}, scores: map[string]float64{"selfie_too_large": 1, "still_image": 1}}, nil
		}
		return e.analyzeStill(ctx, data)
	}
	return e.analyzeVideo(ctx, path, NoChallenge, e.opts.SampleFPS)
}

// analyzeVideo reads a selfie video and analyses its faces, sampled at
// fps: Options.Frames usable ones, or under a challenge c every sampled
// frame (analyzeFrames).
func (e *Engine) analyzeVideo(ctx context.Context, path string, c Challenge, fps float64) (*Selfie, error) {
	s := &Selfie{video: true, fps: fps, scores: map[string]float64{}}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("face: selfie video: %w", err)
	}
	if st.Size() > e.opts.MaxFileBytes || !st.Mode().IsRegular() {
		s.reasons = append(s.reasons, reason.FaceTimeout)
		s.scores["selfie_too_large"] = 1
		return s, nil
	}
	t0 := time.Now()
	frames, err := e.extractFramesAt(ctx, path, fps)
	s.timings.Decode = ms(time.Since(t0))
	switch {
	case errors.Is(err, errVideoTimeout), errors.Is(err, errNoVideo):
		s.reasons = append(s.reasons, reason.FaceTimeout)
		s.scores["frames_sampled"] = 0
		return s, nil
	case err != nil:
		return nil, err
	}
	s.sampled = len(frames)
	s.scores["frames_sampled"] = float64(len(frames))
	if len(frames) < e.opts.MinLiveFrames {
		s.reasons = append(s.reasons, reason.FaceTimeout)
	}

	t1 := time.Now()
	ws := e.get()
	defer e.put(ws)
	if s.faces, s.idx, err = e.analyzeFrames(ctx, ws, frames, c); err != nil {
		return nil, err
	}
	s.timings.Selfie = ms(time.Since(t1))
	return s, nil
}

// analyzeFrames analyses frames in frameOrder until Options.Frames of them
// are usable, or under a challenge c every frame, in time order, following
// the face through the frames where the detector lost it (trackFace, as
// far as followRadius(c) allows). Every frame gets a whole-frame detection at the same input
// size: following the face through a crop instead would be ~40 ms faster
// per video, but its boxes (and so its landmarks) shift with the crop's
// scale, which the evaluation showed reads as motion to liveness.
func (e *Engine) analyzeFrames(ctx context.Context, ws *workspace, frames []rgbImage, c Challenge) ([]*faceInfo, []int, error) {
	all := c != NoChallenge
	var faces []*faceInfo
	var idx []int
	usable := 0
	order := frameOrder(len(frames), e.opts.Frames)
	if all {
		order = make([]int, len(frames))
		for i := range order {
			order[i] = i
		}
	}
	for _, i := range order {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if !all && usable >= e.opts.Frames {
			break
		}
		fi := e.analyzeVideoFrame(ws, &frames[i], nearestFace(faces, idx, i))
		if all && !fi.Found && len(faces) > 0 {
			fi = e.trackFaceUpTo(ws, &frames[i], faces[len(faces)-1], followRadius(c), followMax(c))
		}
		faces = append(faces, &fi)
		idx = append(idx, i)
		if e.problem(&fi) == "" {
			usable++
		}
		if all && fi.Found && len(faces) > 1 && !slices.ContainsFunc(faces[:len(faces)-1], found) {
			e.followBack(ws, frames, faces)
		}
	}
	return faces, idx, nil
}

func found(fi *faceInfo) bool { return fi.Found }

// followBack goes back, under a challenge, from the video's first face
// (the last of faces, the frames before it all lost) over the frames
// before it, taking a weak detection on that face as analyzeFrames does
// forwards (analyzeVideoFrame). Unlike forwards, a frame without one is
// not followed (trackFace): on the development seeds following back made
// a recording that does not turn read as one (docs/face.md). Without
// it a turn whose frames at rest the detector scores under
// Options.DetectScore has its track begin mid-turn, at the first
// confident frame (docs/face.md, "Turn challenge: the rest followed
// back"). faces[k] is frame k's, as analyzeFrames analyses every frame in
// time order under a challenge.
//
// The reference is that first face for every frame: a frame before it
// had no detection over Options.DetectScore (or it would have been the
// first face), so analysed again it can only turn weak, and a weak face
// is never a reference (nearestFace).
func (e *Engine) followBack(ws *workspace, frames []rgbImage, faces []*faceInfo) {
	first := faces[len(faces)-1]
	for k := len(faces) - 2; k >= 0; k-- {
		*faces[k] = e.analyzeVideoFrame(ws, &frames[k], first)
	}
}

// weakDetectScore is the detector confidence at which a video frame's
// face is still taken when no detection reaches Options.DetectScore, if
// it is the face the video's other frames show (see analyzeVideoFrame).
const weakDetectScore = 0.3

// analyzeVideoFrame analyses one video frame. Its main face comes from
// the detections reaching Options.DetectScore; when there are none, from
// the weaker ones (down to weakDetectScore) that lie on ref's face (IoU
// at least 0.5 with its box), ref being the confidently detected face of
// the nearest frame already analysed (nil for none): such a face is kept
// only when its landmarks lie as a face's (PlausibleLayout) and its
// descriptor is ref's person's (within half the identity spread).
// The detector's confidence in a small or blurred face wavers from frame
// to frame around its threshold (0.30–0.87 on one development video), and
// a frame it loses is a frame the liveness cues do not see: with half the
// frames lost, those left bunch in time, the head hardly moves between
// them, and a genuine head reads as planar. The weak detections come out
// of the same detector pass, so the confident faces are unchanged.
func (e *Engine) analyzeVideoFrame(ws *workspace, img *rgbImage, ref *faceInfo) faceInfo {
	dets := e.detect(ws, img, e.opts.VideoDetectInput, min(weakDetectScore, e.opts.DetectScore))
	strong := 0
	for strong < len(dets) && dets[strong].Score > e.opts.DetectScore {
		strong++ // dets come best first
	}
	if strong > 0 || ref == nil || len(dets) == 0 {
		return e.describe(ws, img, dets[:strong], true)
	}
	var near []Detection
	for _, d := range dets {
		if iou(d, ref.Det) >= 0.5 {
			near = append(near, d)
		}
	}
	if len(near) == 0 {
		return faceInfo{}
	}
	fi := e.describe(ws, img, near, true)
	if !fi.Found || !PlausibleLayout(&fi.LM, fi.Det.Box, fi.Quality.Misfit) ||
		distance(fi.Desc[:], ref.Desc[:]) > identitySpreadMax/2 {
		return faceInfo{}
	}
	fi.weak = true
	return fi
}

// nearestFace returns, among faces (analysed frames idx), the confidently
// detected face of the frame nearest frame i, or nil.
func nearestFace(faces []*faceInfo, idx []int, i int) *faceInfo {
	var best *faceInfo
	bd := 0
	for k, fi := range faces {
		if !fi.Found || fi.weak || fi.tracked > 0 {
			continue
		}
		if d := max(idx[k]-i, i-idx[k]); best == nil || d < bd {
			best, bd = fi, d
		}
	}
	return best
}

// trackMax is how many frames in a row (at BlinkFPS, 0.5 s) a face the
// detector lost is followed from the last box it found.
const trackMax = 5

// followMax is how many frames in a row trackFace follows under
// challenge c: trackMax, and twice that under a two-step turn (2.5 s at
// the default SampleFPS). A two-step turn keeps the head away from
// frontal for its first turn, the swing across and the second turn, up
// to about 2.8 s, and the swing blurs it: on development seed 208 the
// detector scored one genuine head under its threshold for 8 sampled
// frames in a row (0.25–0.46), trackMax ran out after 5 and the second
// turn's peak was missing from the track (docs/face.md, "Two-step turn
// challenge"). One-step turns and blinks keep trackMax.
func followMax(c Challenge) int {
	if c.twoStep() {
		return 2 * trackMax
	}
	return trackMax
}

// followRadius is how far (descriptor distance) a face followed through a
// lost detection (trackFace) may be from the frame before it under
// challenge c. A blink hardly changes the descriptor: half the same-person
// radius. A head turning 30–40° towards profile, which is where the
// detector loses it, changes it more from one sampled frame to the next
// (0.29–0.46 on the development turns the detector lost, docs/face.md,
// "Turn challenge: the face followed to its turn"), and with half the
// radius the turn's peak was dropped from the track: the same-person
// radius of the video's frames (identitySpreadMax). The followed frames
// only feed the challenge's track, never matching or the liveness cues.
func followRadius(c Challenge) float64 {
	if c.IsTurn() {
		return identitySpreadMax
	}
	return identitySpreadMax / 2
}

// trackFace follows, through a frame where the detector found no face,
// the face of the frame before (prev): the landmarks are looked for in
// prev's box, as the head moves little between two sampled frames. The
// detector scores a face with shut eyes lower, and a small face can drop
// under its threshold for the frames of a blink, which the blink
// challenge needs to see. The face is kept only when its landmarks fit a
// face (the quality gate's misfit) and its descriptor is within radius of
// prev's (followRadius); it is marked tracked, so matching and the motion
// cues never use it (Engine.problem), only the challenge's track.
func (e *Engine) trackFace(ws *workspace, img *rgbImage, prev *faceInfo, radius float64) faceInfo {
	return e.trackFaceUpTo(ws, img, prev, radius, trackMax)
}

// trackFaceUpTo is trackFace following at most most frames in a row
// (followMax).
func (e *Engine) trackFaceUpTo(ws *workspace, img *rgbImage, prev *faceInfo, radius float64, most int) faceInfo {
	if !prev.Found || prev.tracked >= most {
		return faceInfo{}
	}
	fi := e.describe(ws, img, []Detection{prev.Det}, true)
	if !fi.Found || fi.Quality.Misfit > e.opts.MaxMisfit || distance(fi.Desc[:], prev.Desc[:]) > radius {
		return faceInfo{}
	}
	fi.tracked = prev.tracked + 1
	return fi
}

// analyzeStill analyses a still selfie image.
func (e *Engine) analyzeStill(ctx context.Context, data []byte) (*Selfie, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := &Selfie{sampled: 1, scores: map[string]float64{"still_image": 1}}
	t0 := time.Now()
	ws := e.get()
	defer e.put(ws)
	if err := decodeImage(data, e.opts.MaxPixels, &ws.img); err != nil {
		s.reasons = append(s.reasons, reason.FaceNotFound)
		s.scores["selfie_unreadable"] = 1
		return s, nil
	}
	s.timings.Decode = ms(time.Since(t0))
	t1 := time.Now()
	fi := e.analyze(ws, &ws.img, e.opts.DetectInput, false)
	s.timings.Selfie = ms(time.Since(t1))
	s.faces = []*faceInfo{&fi}
	s.idx = []int{0}
	return s, nil
}

func (e *Engine) newResult() *Result {
	return &Result{Distance: -1, Threshold: e.opts.Threshold, Reasons: []reason.Code{}, Scores: map[string]float64{}}
}

// documentRef finds the portrait on the document and returns its
// descriptor, or nil after recording why there is none.
func (e *Engine) documentRef(doc []byte, res *Result) []float32 {
	t0 := time.Now()
	ws := e.get()
	defer e.put(ws)
	if err := decodeImage(doc, e.opts.MaxPixels, &ws.img); err != nil {
		res.addReason(reason.FaceNotFound)
		res.Scores["doc_unreadable"] = 1
		return nil
	}
	res.Timings.Decode += ms(time.Since(t0))
	t1 := time.Now()
	fi := e.analyzeDocument(ws, &ws.img)
	res.Timings.Document = ms(time.Since(t1))
	if !fi.Found {
		res.addReason(reason.FaceNotFound)
		res.Scores["doc_face_score"] = 0
		return nil
	}
	res.Document = faceReport(&fi)
	res.Scores["doc_face_score"] = round4(fi.Det.Score)
	return slices.Clone(fi.Desc[:])
}

// frameOrder lists the frames to try: want frames spread evenly over n,
// then the ones between them, up to twice want in all.
func frameOrder(n, want int) []int {
	seen := make([]bool, n)
	var order []int
	add := func(i int) {
		if i >= 0 && i < n && !seen[i] {
			seen[i] = true
			order = append(order, i)
		}
	}
	spread := func(k int) {
		if k == 1 {
			add(n / 2)
			return
		}
		for j := 0; j < k; j++ {
			add(int(math.Round(float64(j) * float64(n-1) / float64(k-1))))
		}
	}
	spread(min(want, n))
	spread(min(2*want, n))
	return order[:min(len(order), 2*want)]
}

// score turns the analysed selfie faces into the decision. idx gives each
// face's frame index (for reports); sampled is the number of frames the
// selfie had; track, under a turn challenge, the challenge's track, over
// which liveness also reads the depth cue (livenessOf; nil otherwise).
func (e *Engine) score(res *Result, ref []float32, faces []*faceInfo, idx []int, sampled int, video bool, track []*faceInfo) {
	var used []*faceInfo
	found := 0
	var dists []float64
	for k, fi := range faces {
		fr := FrameReport{Index: idx[k], Face: faceReport(fi)}
		if video {
			fr.Time = round4(float64(idx[k]) / e.opts.SampleFPS)
		}
		if fi.Found {
			found++
		}
		if p := e.problem(fi); p != "" {
			fr.Problem = p
		} else {
			fr.Usable = true
			d := distance(fi.Desc[:], ref)
			fr.Distance = round4(d)
			dists = append(dists, d)
			used = append(used, fi)
		}
		res.Frames = append(res.Frames, fr)
	}
	slices.SortFunc(res.Frames, func(a, b FrameReport) int { return a.Index - b.Index })
	res.Scores["frames_scored"] = float64(len(faces))
	res.Scores["frames_with_face"] = float64(found)
	res.Scores["frames_used"] = float64(len(used))
	if len(used) == 0 {
		switch {
		case sampled == 0:
			res.addReason(reason.FaceTimeout)
		case found == 0:
			res.addReason(reason.FaceNotFound)
		default:
			res.addReason(reason.FacePoorQuality)
		}
		return
	}

	// The descriptor kept for the holder is the mean over usable frames;
	// the decision uses the median distance, robust to one bad frame.
	desc := make([]float32, model.DescriptorLen)
	for _, fi := range used {
		for i, v := range fi.Desc {
			desc[i] += v / float32(len(used))
		}
	}
	res.Descriptor = desc
	d := median(dists)
	res.Distance = round4(d)
	res.Similarity = round4(Similarity(d))
	res.Scores["distance"] = res.Distance
	res.Scores["similarity"] = res.Similarity
	var scores, eyes, bright, sharp []float64
	for _, fi := range used {
		scores = append(scores, fi.Det.Score)
		eyes = append(eyes, fi.Quality.EyeDistance)
		bright = append(bright, fi.Quality.Brightness)
		sharp = append(sharp, fi.Quality.Sharpness)
	}
	res.Scores["selfie_face_score"] = round4(median(scores))
	res.Scores["eye_distance"] = round4(median(eyes))
	res.Scores["brightness"] = round4(median(bright))
	res.Scores["sharpness"] = round4(median(sharp))

	if video {
		// Liveness looks at the usable frames in time order.
		ordered := slices.Clone(used)
		pos := map[*faceInfo]int{}
		for k, fi := range faces {
			pos[fi] = idx[k]
		}
		slices.SortFunc(ordered, func(a, b *faceInfo) int { return pos[a] - pos[b] })
		l := e.livenessOf(ordered, track)
		res.Liveness = l
		res.Scores["liveness"] = b2f(l.Live)
		res.Scores["liveness_change"] = round4(l.Change)
		res.Scores["liveness_motion"] = round4(l.Motion)
		res.Scores["liveness_non_rigid"] = round4(l.NonRigid)
		res.Scores["liveness_parallax"] = round4(l.Parallax)
		res.Scores["liveness_texture"] = round4(l.Texture)
		res.Scores["liveness_depth"] = round4(l.Depth)
		res.Scores["liveness_nose_depth"] = round4(l.NoseDepth)
		res.Scores["liveness_cylinder_depth"] = round4(l.CylinderDepth)
		if l.RingPairs > 0 {
			res.Scores["liveness_ring_follow"] = round4(l.RingFollow)
		}
		res.Scores["liveness_ring_pairs"] = float64(l.RingPairs)
		if track != nil {
			res.Scores["liveness_track_depth"] = round4(l.TrackDepth)
		}
		res.Scores["liveness_screen"] = round4(l.Screen)
		res.Scores["identity_spread"] = round4(l.IdentitySpread)
		if !l.Live && !e.opts.DisableLiveness && !slices.Contains(res.Reasons, reason.FaceTimeout) {
			res.addReason(reason.LivenessFailed)
		}
	}

	thr := e.opts.Threshold
	if res.Similarity < thr {
		res.addReason(reason.FaceMismatch)
	}
	res.Borderline = math.Abs(res.Similarity-thr) < e.opts.Borderline
	res.OK = len(res.Reasons) == 0
}

func (e *Engine) finish(res *Result, start time.Time) *Result {
	res.Timings.Total = ms(time.Since(start))
	res.Scores["threshold"] = e.opts.Threshold
	order := map[reason.Code]int{reason.FaceTimeout: 0, reason.FaceNotFound: 1, reason.FacePoorQuality: 2, reason.LivenessFailed: 3, reason.FaceMismatch: 4}
	slices.SortStableFunc(res.Reasons, func(a, b reason.Code) int { return order[a] - order[b] })
	return res
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// readLimited reads a file of at most limit bytes; tooBig reports a larger
// one (not read).
func readLimited(path string, limit int64) (data []byte, tooBig bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, fmt.Errorf("face: selfie: %w", err)
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, false, fmt.Errorf("face: selfie: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, true, nil
	}
	return data, false, nil
}
