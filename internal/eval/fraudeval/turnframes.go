package fraudeval

import (
	"encoding/json"
	"image"
	"math"
	"os"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/internal/eval/headmotion"
	"github.com/kycq/kycq/internal/eval/sample"
)

// TurnVideo is one video judged under a turn challenge as the challenge
// read it, frame by frame, beside what the generator did where it knows
// (Config.TurnFrames): one JSON line each.
type TurnVideo struct {
	Portrait  string `json:"portrait"`
	Case      string `json:"case"`
	Challenge string `json:"challenge"`
	Seed      int64  `json:"seed"`
	// Motion is what the generated head does ("" natural, or the
	// challenge its video answers); empty with Head false (a replayed
	// photo: no truth).
	Motion string `json:"motion,omitempty"`
	Head   bool   `json:"head"`
	// FPS is the video's frame rate (head videos).
	FPS    float64     `json:"fps,omitempty"`
	Frames []TurnFrame `json:"frames"`
}

// TurnFrame is one frame of the challenge's track (face.TurnFrame), with
// the generator's truth for a head video: the video frame the sampled
// frame is, its yaw (degrees, positive towards the image's right) and
// where the generator put the 68 landmarks.
type TurnFrame struct {
	Index    int            `json:"index"`
	Yaw      float64        `json:"yaw"`
	Relief   *float64       `json:"relief"`
	Both     float64        `json:"both"`
	Followed bool           `json:"followed,omitempty"`
	Weak     bool           `json:"weak,omitempty"`
	LM       [68][2]float64 `json:"lm"`
	// Truth (head videos only).
	VideoFrame int             `json:"video_frame,omitempty"`
	TrueYaw    *float64        `json:"true_yaw,omitempty"`
	TrueLM     *[68][2]float64 `json:"true_lm,omitempty"`
}

// headTruth is what a head video was rendered from (sample.HeadSpec).
type headTruth struct {
	frame   image.Image
	motion  face.Challenge
	seed    int64
	vary    *headmotion.Variation
	seconds float64
}

type turnWriter struct {
	f   *os.File
	enc *json.Encoder
}

func openTurnFrames(path string) (*turnWriter, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &turnWriter{f: f, enc: json.NewEncoder(f)}, nil
}

func (w *turnWriter) close() error {
	if w == nil {
		return nil
	}
	return w.f.Close()
}

// write records one video's track (sampled at fps) and, with truth, the
// generator's pose and landmarks at each sampled frame.
func (w *turnWriter) write(portrait, key string, ch face.Challenge, seed int64, track []face.TurnFrame, fps float64, truth *headTruth) error {
	tv := TurnVideo{Portrait: portrait, Case: key, Challenge: string(ch), Seed: seed, Head: truth != nil}
	var poses []headmotion.Pose
	var lms [][68][2]float64
	if truth != nil {
		lm, spec, err := sample.HeadSpec(truth.frame, string(truth.motion), truth.seed, truth.vary, truth.seconds)
		if err != nil {
			return err
		}
		if lms, err = headmotion.FrameLandmarks(truth.frame, lm, spec); err != nil {
			return err
		}
		poses = headmotion.Poses(spec)
		tv.Motion = string(truth.motion)
		sec := spec.Seconds
		if sec <= 0 {
			sec = 3
			if spec.Motion == headmotion.TurnLeftRight || spec.Motion == headmotion.TurnRightLeft {
				sec = headmotion.TwoStepSeconds
			}
		}
		tv.FPS = math.Round(float64(len(poses)) / sec)
	}
	for _, f := range track {
		tf := TurnFrame{Index: f.Index, Yaw: f.Yaw, Both: f.Both, Followed: f.Followed, Weak: f.Weak}
		if !math.IsNaN(f.Relief) {
			r := f.Relief
			tf.Relief = &r
		}
		for k, p := range f.LM {
			tf.LM[k] = [2]float64{p.X, p.Y}
		}
		if truth != nil && len(poses) > 0 {
			i := sampledFrame(f.Index, fps, tv.FPS, len(poses))
			y := poses[i].Yaw * 180 / math.Pi
			tf.VideoFrame, tf.TrueYaw, tf.TrueLM = i, &y, &lms[i]
		}
		tv.Frames = append(tv.Frames, tf)
	}
	return w.enc.Encode(tv)
}

// sampledFrame is the frame of a video at rate in (of n frames) that
// ffmpeg's fps filter (rounding to the nearest, as the engine samples)
// gives as sample k at rate out: the last frame whose time, rounded to
// the output's frames, is k.
func sampledFrame(k int, out, in float64, n int) int {
	i := int(math.Ceil(in*(float64(k)+0.5)/out)) - 1
	return max(0, min(n-1, i))
}
