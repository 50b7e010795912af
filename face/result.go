package face

import (
	"math"
	"time"

	"github.com/kycq/kycq/kyc/reason"
)

// DistanceScale maps a descriptor distance d to a similarity
// 1 - d/DistanceScale, clamped to [0, 1]: dlib's same-person radius 0.6
// becomes similarity 0.5.
const DistanceScale = 1.2

// Similarity converts a descriptor distance to a similarity in [0, 1].
func Similarity(d float64) float64 {
	return math.Min(1, math.Max(0, 1-d/DistanceScale))
}

// Result is the outcome of one match.
type Result struct {
	// OK is the decision at the threshold: the faces match and nothing
	// (quality, liveness) failed. Borderline marks a similarity within the
	// margin of the threshold, or a still-image selfie: manual review.
	OK         bool `json:"ok"`
	Borderline bool `json:"borderline"`
	// Similarity is in [0, 1] (see Similarity); Distance the combined
	// descriptor distance it comes from (-1 when no pair was scored).
	Similarity float64 `json:"similarity"`
	Distance   float64 `json:"distance"`
	// Threshold is the similarity the decision used.
	Threshold float64 `json:"threshold"`
	// Reasons are the rules' §4 codes, in a stable order.
	Reasons []reason.Code `json:"reasons"`
	// Scores are the figures behind the decision, by snake_case name.
	Scores map[string]float64 `json:"scores"`
	// Descriptor is the selfie's descriptor (the mean over the usable
	// frames); nil when no usable face was found. It is biometric data:
	// keep it sealed, never log it.
	Descriptor []float32 `json:"-"`
	// Document describes the portrait found on the document (nil for
	// MatchDescriptor, or when none was found).
	Document *FaceReport `json:"document,omitempty"`
	// Frames describes every scored frame (one entry for a still image).
	Frames []FrameReport `json:"frames,omitempty"`
	// Liveness is the video's liveness evidence (nil for a still image).
	Liveness *Liveness `json:"liveness,omitempty"`
	// Timings break the time spent down.
	Timings Timings `json:"timings_ms"`
}

// FaceReport describes the main face of one image.
type FaceReport struct {
	// Rotation is the clockwise turn, in degrees, the image needed for the
	// face to be upright (documents only).
	Rotation int `json:"rotation,omitempty"`
	// Box is the face's bounding box: x0, y0, x1, y1 in image pixels.
	Box     [4]int  `json:"box"`
	Score   float64 `json:"score"`
	Faces   int     `json:"faces"`
	Quality Quality `json:"quality"`
}

// FrameReport describes one frame of the selfie.
type FrameReport struct {
	// Index is the frame's position among the sampled frames; Time its
	// approximate time in the video, in seconds.
	Index int     `json:"index"`
	Time  float64 `json:"time"`
	// Face is nil when no face was found.
	Face *FaceReport `json:"face,omitempty"`
	// Usable tells whether the frame passed the quality gates; Problem
	// names the gate it failed.
	Usable  bool   `json:"usable"`
	Problem string `json:"problem,omitempty"`
	// Distance to the reference (document or stored descriptor), when
	// usable.
	Distance float64 `json:"distance,omitempty"`
}

// Timings are in milliseconds.
type Timings struct {
	Decode   float64 `json:"decode"`
	Document float64 `json:"document"`
	Selfie   float64 `json:"selfie"`
	Total    float64 `json:"total"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// addReason appends c once.
func (r *Result) addReason(c reason.Code) {
	for _, have := range r.Reasons {
		if have == c {
			return
		}
	}
	r.Reasons = append(r.Reasons, c)
}

func faceReport(fi *faceInfo) *FaceReport {
	if !fi.Found {
		return nil
	}
	b := fi.Det.Box
	return &FaceReport{Rotation: fi.Rotation, Box: [4]int{b.Min.X, b.Min.Y, b.Max.X, b.Max.Y}, Score: round4(fi.Det.Score), Faces: fi.Faces, Quality: fi.Quality.rounded()}
}

func (q Quality) rounded() Quality {
	return Quality{EyeDistance: round4(q.EyeDistance), Brightness: round4(q.Brightness), Background: round4(q.Background), Sharpness: round4(q.Sharpness), Misfit: round4(q.Misfit)}
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }
