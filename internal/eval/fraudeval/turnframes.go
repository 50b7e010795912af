package fraudeval

import (
	"encoding/json"
	"fmt"
	"image"
	"io"
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
	// rows are the head videos' summaries (TurnRead), for the report.
	rows []TurnRead
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
	if tv.Head {
		w.rows = append(w.rows, turnRead(tv))
	}
	return w.enc.Encode(tv)
}

// TurnRead sets the turn challenge's reading of one video of the
// generated head against the generator's truth, each a turn towards the
// side asked first, measured from the start as the challenge measures
// it (the larger of the first two frames, over the sampled frames of
// the track): True the generator's yaw (degrees); TrueLM the generator's
// own landmarks read as atanh of face.JawYaw (main's turn reading until
// 7 Dec 2026: what it read of a landmark net that placed every point
// where the generator put it); Read the
// landmarks the engine found (liveness_challenge_turn); Both the
// challenge's combined track (liveness_challenge_turn_both). Rest is
// TrueLM's reading of the start frame, towards the asked side: a head
// resting turned that way is read short by the net (docs/face.md).
type TurnRead struct {
	Portrait, Case, Challenge string
	Frames                    int
	True, TrueLM, Read, Both  float64
	Rest                      float64
}

// turnRead summarises a head video's track.
func turnRead(tv TurnVideo) TurnRead {
	sign := 1.0
	if tv.Challenge == string(face.ChallengeTurnLeft) || tv.Challenge == string(face.ChallengeTurnLeftRight) {
		sign = -1
	}
	var th, tl, rd, bo []float64
	for _, f := range tv.Frames {
		if f.TrueYaw == nil || f.TrueLM == nil {
			continue
		}
		var lm face.Landmarks
		for k, p := range f.TrueLM {
			lm[k] = face.Point{X: p[0], Y: p[1]}
		}
		th = append(th, sign**f.TrueYaw)
		tl = append(tl, sign*math.Atanh(math.Max(-0.98, math.Min(0.98, face.JawYaw(&lm)))))
		rd = append(rd, sign*f.Yaw)
		bo = append(bo, f.Both)
	}
	r := TurnRead{Portrait: tv.Portrait, Case: tv.Case, Challenge: tv.Challenge, Frames: len(tv.Frames)}
	r.True, r.TrueLM, r.Read, r.Both = fromStart(th), fromStart(tl), fromStart(rd), fromStart(bo)
	if len(tl) >= 2 {
		r.Rest = math.Max(tl[0], tl[1])
	}
	return r
}

// fromStart is how far v rises above the larger of its first two values
// (0 with fewer than three), as the turn challenge measures a turn.
func fromStart(v []float64) float64 {
	if len(v) < 3 {
		return 0
	}
	hi, up := math.Max(v[0], v[1]), 0.0
	for _, x := range v[2:] {
		up = math.Max(up, x-hi)
	}
	return up
}

// printTurnReads writes the head videos' readings against the truth.
func printTurnReads(w io.Writer, rows []TurnRead) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintln(w, "| turn read against the generator | challenge | frames | true turn (°) | its landmarks read | read | read / truth | both | rest (truth, towards the asked side) |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		gain := "–" // no turn to read
		if r.TrueLM > 0 {
			gain = fmt.Sprintf("%.2f", r.Read/r.TrueLM)
		}
		fmt.Fprintf(w, "| %s %s | %s | %d | %.1f | %.3f | %.3f | %s | %.3f | %+.3f |\n", r.Portrait, r.Case, r.Challenge, r.Frames, r.True, r.TrueLM, r.Read, gain, r.Both, r.Rest)
	}
	fmt.Fprintln(w)
}

// sampledFrame is the frame of a video at rate in (of n frames) that
// ffmpeg's fps filter (rounding to the nearest, as the engine samples)
// gives as sample k at rate out: the last frame whose time, rounded to
// the output's frames, is k.
func sampledFrame(k int, out, in float64, n int) int {
	i := int(math.Ceil(in*(float64(k)+0.5)/out)) - 1
	return max(0, min(n-1, i))
}
