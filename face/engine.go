package face

import (
	"errors"
	"fmt"
	"image"
	"runtime"
	"time"

	"github.com/kycq/kycq/face/model"
	"github.com/kycq/kycq/face/nn"
)

// Calibrated defaults (see docs/face.md for the evaluation behind them).
const (
	// DefaultThreshold is the similarity at and above which a selfie
	// matches the document (descriptor distance 0.54): the equal-error
	// point of `kycq eval face`, rounded. Similarity 0.5 would be dlib's
	// usual distance 0.6, which lets ~3.6% of that set's impostors through.
	DefaultThreshold = 0.55
	// DefaultBorderline is the margin around the threshold within which a
	// decision goes to manual review.
	DefaultBorderline = 0.05
	// DefaultMinParallax is the planar-motion score below which a moving
	// selfie is refused as a flat picture. It was 0.022 until 3 Dec 2026,
	// in the gap `kycq eval fraud` measured then between replayed photos
	// and heads turning; on the development seeds of that day genuine
	// heads went down to 0.020 while most moving replays were above 0.018
	// anyway and are refused by the texture cue (docs/face.md).
	DefaultMinParallax = 0.018
	// DefaultMinTexture is the texture cue (Liveness.Texture) below which
	// a moving selfie is refused as a flat picture: it sits in the gap
	// `kycq eval fraud` measures on its development seeds between replayed
	// photos (≤ 0.227) and heads turning (≥ 0.247) (docs/face.md). It was
	// 0.32 until 3 Dec 2026, when the cue took the largest per-frame
	// median instead of the second largest. Filmed screens reach past it
	// (0.19–0.31 on seeds 7319 and 7329, one at 0.996 on seed 7312); the
	// depth cue (DefaultMinDepth) refuses them. Under it, a clear depth
	// cue (DefaultReviewDepth and above) sends the selfie to manual review
	// instead of refusing it: on the development seeds no replay under it
	// reached a tenth of that depth, while genuine heads that hardly moved
	// did (docs/face.md, "Low texture, clear depth").
	DefaultMinTexture = 0.24
	// DefaultMinDepth is the depth cue (Liveness.Depth) below which a
	// moving selfie is refused as a flat picture, and DefaultReviewDepth
	// the one below which a selfie that passes every liveness signal goes
	// to manual review (the doubt band [MinDepth, ReviewDepth)). On the
	// development seeds of `kycq eval fraud` (3 Dec 2026) every replay,
	// filmed screens included, scored at most 0.0035 and genuine heads at
	// least 0.0215 (blinking) and 0.059 (natural motion) (docs/face.md,
	// "Depth cue"). Until then the doubt band was on the texture cue,
	// [0.24, 0.32).
	DefaultMinDepth    = 0.01
	DefaultReviewDepth = 0.02
	// DefaultMinNoseDepth is the nose cue (Liveness.NoseDepth) below
	// which a moving selfie whose depth cue passed is in doubt as a bent
	// print (manual review). On development seeds 164-167 (7 Dec 2026) the genuine heads
	// liveness did not refuse otherwise scored at least 0.0029, and 45 of
	// 48 bent prints at most 0.0036 (docs/face.md, "A bent print: the
	// nose beyond a cylinder").
	DefaultMinNoseDepth = 0.0025
	// DefaultClearNoseDepth is the nose cue at or above which a selfie
	// that passed liveness in doubt only for its relief (the depth cue in
	// its doubt band, or one 2D floor waived by a clear depth cue) passes
	// outright: a second 3D cue stands for a head. On development seeds
	// 176-178 (7 Dec 2026) no replay of any kind scored more than 0.0053
	// (docs/face.md, "A clear nose lifts a relief doubt").
	DefaultClearNoseDepth = 0.012
	// RingFollowReview is the ring cue (Liveness.RingFollow) at or above
	// which an operator who turns the ring rule on (MaxRingFollow) sends
	// a selfie that passed to review: on the development seeds genuine
	// heads whose ring was at least a quarter in the frame read at most
	// 0.61, the bent print that passed 0.78 (docs/face.md, "A bent print:
	// the ring around the face"). The rule is off by default
	// (DefaultMaxRingFollow): it caught 1 of 9 passing bent prints there,
	// and the hair and shoulders of a real head, which move with it, were
	// not measured.
	RingFollowReview = 0.7
	// DefaultMaxRingFollow leaves the ring rule off; the cue is measured
	// and reported (liveness_ring_follow) all the same.
	DefaultMaxRingFollow = -1
	// DefaultReviewNoseDepth is the nose cue at or above which a moving
	// selfie whose depth cue is under MinDepth (and whose 2D cues passed)
	// goes to manual review instead of being refused (same section).
	DefaultReviewNoseDepth = 0.007
	// DefaultMaxScreen is the screen cue (Liveness.Screen) above which a
	// selfie is taken for a face shown on a screen: 0, off. On the
	// development seed of kycq eval fraud genuine selfies from colour-noisy
	// photos reached 0.51 and filmed screens started at 0.39, so the cue is
	// reported, not decided on (the texture cue refuses those screens).
	DefaultMaxScreen = 0.0
	// DefaultDetectScore is the detector confidence a face needs.
	DefaultDetectScore = 0.5
)

// Options configure an Engine. The zero value of every field means its
// default.
type Options struct {
	// Threshold is the similarity needed for a match (default
	// DefaultThreshold); Borderline the margin around it that sends the
	// decision to manual review (default DefaultBorderline).
	Threshold, Borderline float64
	// DetectScore is the detector confidence a face needs (default 0.5).
	DetectScore float64
	// DetectInput is the detector's input side, a multiple of 32: 416 for
	// documents and photos (default); VideoDetectInput for video frames,
	// where the face is large (default 320).
	DetectInput, VideoDetectInput int

	// Frames is how many video frames are scored (default 6); SampleFPS
	// the rate frames are taken from the video at (default 4), over at most
	// MaxSeconds of it (default 8).
	Frames     int
	SampleFPS  float64
	MaxSeconds float64
	// FrameSide is the long side video frames are scaled down to (default 480).
	FrameSide int
	// FFmpeg is the ffmpeg binary (default "ffmpeg" on PATH); FFmpegTimeout
	// bounds one extraction (default 20s); FFmpegThreads its threads
	// (default 1).
	FFmpeg        string
	FFmpegTimeout time.Duration
	FFmpegThreads int

	// MaxPixels refuses larger images from their header (default 40 MP);
	// MaxFileBytes larger selfie files (default 64 MiB).
	MaxPixels    int
	MaxFileBytes int64

	// Quality gates for selfie faces: the minimum eye distance in pixels
	// (default 24), the face's mean brightness range 0..255 (default 45 to
	// 225) and the minimum sharpness (variance of the chip's Laplacian,
	// default 12).
	MinEyeDistance               float64
	MinBrightness, MaxBrightness float64
	MinSharpness                 float64
	// MaxMisfit is the largest landmark misfit (Quality.Misfit, chip
	// pixels) a selfie face may have: beyond it the face is turned too far
	// or not understood (default 8).
	MaxMisfit float64

	// Liveness (video only): the minimum frames with a usable face
	// (default 3), the minimum mean change between consecutive face chips
	// (gray levels, default 2: frozen or repeated frames) and the minimum
	// mean landmark motion between them (fraction of the eye distance,
	// default 0.023: it sits in the gap `kycq eval face` measures between
	// moving and motionless selfies); both must be met. DisableLiveness
	// skips the decision (scores are still reported).
	MinLiveFrames   int
	MinFrameChange  float64
	MinMotion       float64
	DisableLiveness bool
	// MinParallax is the planar-motion score (Liveness.Parallax) a moving
	// face needs: below it the landmarks move as a plane, as those of a
	// photo or screen held to the camera do (default
	// DefaultMinParallax). Since 6 Dec 2026 a face under it whose depth
	// cue is clear and texture cue not under MinTexture passes in doubt
	// (manual review) instead.
	MinParallax float64
	// MinTexture is the texture cue (Liveness.Texture) a moving face
	// needs: below it the face chips of every frame are one picture up to
	// a homography (default DefaultMinTexture). Since 3 Dec 2026 a face
	// under it whose depth cue is clear (at or above ReviewDepth, the
	// depth check on) is not refused but passes in doubt (manual review).
	MinTexture float64
	// MinDepth is the depth cue (Liveness.Depth) a moving face needs:
	// below it a head's relief explains nothing of how the frames differ
	// (default DefaultMinDepth; a negative value turns the check off).
	// ReviewDepth is the depth cue under which a face that passes
	// liveness is only doubtful: from MinDepth up to it, the selfie goes
	// to manual review (Liveness.Doubts, Result.Borderline) (default
	// DefaultReviewDepth; a value at or below MinDepth leaves no band).
	MinDepth, ReviewDepth float64
	// MinNoseDepth is the nose cue (Liveness.NoseDepth) a moving face
	// needs when the depth check is on: below it the frames differ as a
	// sheet bent around a cylinder does, and planar motion is in doubt
	// (default DefaultMinNoseDepth; a negative value turns the check off).
	MinNoseDepth float64
	// ClearNoseDepth is the nose cue at or above which a doubt of the
	// depth cue's band, or of a 2D floor a clear depth cue waived, is
	// lifted (default DefaultClearNoseDepth; negative, off).
	// ReviewNoseDepth is the nose cue at or above which a depth cue under
	// MinDepth puts planar motion in doubt instead of failing it (default
	// DefaultReviewNoseDepth; negative, off). Both need the nose cue on
	// (MinNoseDepth above 0).
	ClearNoseDepth, ReviewNoseDepth float64
	// MaxRingFollow is the ring cue (Liveness.RingFollow) at or above
	// which a selfie that passed liveness, the cue measured, has planar
	// motion in doubt: the surroundings of the face moved with it, as a
	// print's do (default DefaultMaxRingFollow, off; RingFollowReview is
	// the development seeds' value; negative, off). It never refuses.
	MaxRingFollow float64
	// MaxScreen is the screen cue (Liveness.Screen) above which the face
	// is taken to be shown on a screen (default DefaultMaxScreen; 0 off).
	MaxScreen float64

	// AcceptStillImage lets a matching still-image selfie pass without
	// manual review (by default it is Borderline: no liveness evidence).
	AcceptStillImage bool
}

func (o *Options) defaults() {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	defi := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Threshold, DefaultThreshold)
	def(&o.Borderline, DefaultBorderline)
	def(&o.DetectScore, DefaultDetectScore)
	defi(&o.DetectInput, 416)
	defi(&o.VideoDetectInput, 320)
	defi(&o.Frames, 6)
	def(&o.SampleFPS, 4)
	def(&o.MaxSeconds, 8)
	defi(&o.FrameSide, 480)
	if o.FFmpeg == "" {
		o.FFmpeg = "ffmpeg"
	}
	if o.FFmpegTimeout == 0 {
		o.FFmpegTimeout = 20 * time.Second
	}
	defi(&o.FFmpegThreads, 1)
	defi(&o.MaxPixels, 40_000_000)
	if o.MaxFileBytes == 0 {
		o.MaxFileBytes = 64 << 20
	}
	def(&o.MinEyeDistance, 24)
	def(&o.MinBrightness, 45)
	def(&o.MaxBrightness, 225)
	def(&o.MinSharpness, 12)
	def(&o.MaxMisfit, 8)
	defi(&o.MinLiveFrames, 3)
	def(&o.MinFrameChange, 2)
	def(&o.MinMotion, 0.023)
	def(&o.MinParallax, DefaultMinParallax)
	def(&o.MinTexture, DefaultMinTexture)
	def(&o.MinDepth, DefaultMinDepth)
	def(&o.ReviewDepth, DefaultReviewDepth)
	def(&o.MinNoseDepth, DefaultMinNoseDepth)
	def(&o.ClearNoseDepth, DefaultClearNoseDepth)
	def(&o.MaxRingFollow, DefaultMaxRingFollow)
	def(&o.ReviewNoseDepth, DefaultReviewNoseDepth)
	def(&o.MaxScreen, DefaultMaxScreen)
}

func (o *Options) validate() error {
	switch {
	case o.Threshold <= 0 || o.Threshold >= 1:
		return fmt.Errorf("face: threshold %v outside (0, 1)", o.Threshold)
	case o.Borderline < 0 || o.Borderline >= 0.5:
		return fmt.Errorf("face: borderline margin %v outside [0, 0.5)", o.Borderline)
	case o.DetectScore <= 0 || o.DetectScore >= 1:
		return fmt.Errorf("face: detection score %v outside (0, 1)", o.DetectScore)
	case o.DetectInput%32 != 0 || o.DetectInput < 128 || o.DetectInput > 1024,
		o.VideoDetectInput%32 != 0 || o.VideoDetectInput < 128 || o.VideoDetectInput > 1024:
		return errors.New("face: detector input must be a multiple of 32 in [128, 1024]")
	case o.Frames < 1 || o.Frames > 32:
		return fmt.Errorf("face: frames %d outside [1, 32]", o.Frames)
	case o.SampleFPS <= 0 || o.SampleFPS > 30 || o.MaxSeconds <= 0 || o.MaxSeconds > 60:
		return errors.New("face: sample rate must be in (0, 30] fps over (0, 60] seconds")
	case o.FrameSide < 160 || o.FrameSide > 1920:
		return fmt.Errorf("face: frame side %d outside [160, 1920]", o.FrameSide)
	case o.FFmpegThreads < 1 || o.FFmpegThreads > 16:
		return fmt.Errorf("face: ffmpeg threads %d outside [1, 16]", o.FFmpegThreads)
	}
	return nil
}

// Engine detects, aligns and describes faces and matches selfies against
// documents. It is safe for concurrent use.
type Engine struct {
	opts Options
	nets *model.Nets
	// free keeps idle workspaces (a bounded free list rather than a
	// sync.Pool, which the garbage collector empties: a workspace holds
	// megabytes of activations worth keeping).
	free chan *workspace
}

// workspace is one goroutine's scratch: the activation arena and the
// buffers of one image's analysis.
type workspace struct {
	ar    nn.Arena
	rs    resizer
	cands []model.Candidate
	dets  []Detection
	img   rgbImage
	rot   rgbImage // a rotated document
	rot2  rgbImage // a rotated candidate region
	tile  rgbImage // a tile of a document
	small rgbImage // a large document reduced
	chip  []uint8
	gray  []uint8 // the chip's luma
}

// New returns an Engine using the embedded model weights; nothing is read
// from disk or the network.
func New(opts Options) (*Engine, error) {
	opts.defaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	nets, err := model.Load()
	if err != nil {
		return nil, err
	}
	return &Engine{opts: opts, nets: nets, free: make(chan *workspace, max(4, 2*runtime.GOMAXPROCS(0)))}, nil
}

// Options returns the engine's options with defaults filled in.
func (e *Engine) Options() Options { return e.opts }

func (e *Engine) get() *workspace {
	select {
	case ws := <-e.free:
		return ws
	default:
		return &workspace{chip: make([]uint8, chipSize*chipSize*3), gray: make([]uint8, chipSize*chipSize)}
	}
}

func (e *Engine) put(ws *workspace) {
	select {
	case e.free <- ws:
	default: // enough idle ones: let this one go
	}
}

// Detect finds the faces in img scoring above the configured detection
// score, best first; when the whole image shows no confident face it also
// searches overlapping tiles (small portraits on document photos). The
// detector's input is trimmed to the image (detectTrimmed): a landscape
// document view of 416×262 costs 416×288 of network, not 416×416. img is
// not kept.
func (e *Engine) Detect(img image.Image) ([]Detection, error) {
	if img == nil {
		return nil, errors.New("face: nil image")
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || b.Dx() > e.opts.MaxPixels/max(b.Dy(), 1) {
		return nil, fmt.Errorf("face: image %d×%d outside the pixel limit", b.Dx(), b.Dy())
	}
	ws := e.get()
	defer e.put(ws)
	var dets []Detection
	if y, ok := img.(*image.YCbCr); ok && y.SubsampleRatio == image.YCbCrSubsampleRatio420 && unscaledWhole(b.Dx(), b.Dy(), e.opts.DetectInput) {
		// imagecheck's document views: the input straight from the
		// planes, the same values as through the RGB image.
		dets = e.detectFilled(ws, b.Dx(), b.Dy(), e.opts.DetectInput, e.opts.DetectScore, true, func(in nn.Tensor) {
			fill420(y, model.DetectorMean, in)
		})
	} else {
		ws.img.from(img)
		dets = e.detectWide(ws, &ws.img, e.opts.DetectInput, e.opts.DetectScore, true)
	}
	for i := range dets {
		dets[i].Box = dets[i].Box.Add(b.Min)
		dets[i].X += float64(b.Min.X)
		dets[i].Y += float64(b.Min.Y)
	}
	return dets, nil
}
