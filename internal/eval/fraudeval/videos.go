package fraudeval

import (
	"context"
	"fmt"
	"image"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/internal/eval/headmotion"
	"github.com/kycq/kycq/internal/eval/sample"
)

// VideoRow is one line of the selfie video table.
type VideoRow struct {
	Attack string `json:"attack"`
	// Challenge is the instruction the video was judged under.
	Challenge string `json:"challenge,omitempty"`
	// HeldOut marks a design the liveness checks were not developed on.
	HeldOut bool `json:"held_out,omitempty"`
	N       int  `json:"n"`
	// Refused counts the videos liveness refused (for genuine selfies:
	// the false alarms).
	Refused int     `json:"refused"`
	Rate    float64 `json:"rate"`
	// Review counts the videos liveness passed in doubt (a depth cue in
	// its doubt band: manual review, face.Liveness.Doubtful) and Passed
	// those it passed outright (approved, were the face to match):
	// Refused + Review + Passed = N.
	Review int `json:"review"`
	Passed int `json:"passed"`
	// Signals counts, per liveness signal, the videos it failed; no_face
	// those without a face in any frame (refused before liveness).
	Signals map[string]int `json:"signals,omitempty"`
	// Scores holds the range (min, max) of each liveness score.
	Scores map[string][2]float64 `json:"scores,omitempty"`
}

// videoScores are the liveness scores whose ranges the report gives.
var videoScores = []string{"liveness_motion", "liveness_parallax", "liveness_texture", "liveness_depth", "liveness_track_depth", "liveness_screen", "liveness_challenge_turn", "liveness_challenge_turn_relief", "liveness_challenge_turn_both",
	"liveness_challenge_turn_first", "liveness_challenge_turn_second",
	"liveness_challenge_blink_dark", "liveness_challenge_blink_change", "liveness_challenge_blink_peak", "liveness_challenge_blink_sustained"}

// videoCase is one kind of selfie video the evaluation renders and judges.
type videoCase struct {
	name      string
	challenge face.Challenge
	genuine   bool
	replay    VideoAttack
	// recorded judges the genuine selfie (a live head that does not
	// blink) under the challenge: a real recording made before the
	// instruction was known, which only the challenge can refuse.
	recorded bool
	// turn judges the video under a turn drawn per video from its seed
	// (turnOf) instead of challenge; other under the opposite turn.
	turn, other bool
	// two makes the drawn turn a two-step one (twoStepOf; other: the
	// opposite order), its key ending in "/two_step".
	two bool
	// video names the case whose video this one judges (empty: its
	// own, or as recorded and replay say).
	video string
}

// The turn challenge's cases (docs/face.md, "Turn challenge on varied
// heads"): a genuine head turning as asked, a recording of a genuine
// head that does not turn or turns the other way, and a printed photo
// tilted about its vertical axis towards the asked side.
const (
	GenuineTurn        = "genuine_turn"
	ReplayRecordedNone = "replay_recorded_no_turn"
	ReplayRecordedTurn = "replay_recorded_other_turn"
	ReplayTilted       = "replay_tilted_photo"
	// ReplayRecordedOne is, under a two-step turn, a recording of a
	// genuine one-step turn to the first side asked (genuine_turn's
	// video): the first turn met, the second never made.
	ReplayRecordedOne = "replay_recorded_one_turn"
)

// twoStepSuffix ends the key of a case judged under a two-step turn
// drawn per video (genuine_turn/two_step).
const twoStepSuffix = "/two_step"

// twoStepOf is the two-step turn whose first turn is first.
func twoStepOf(first face.Challenge) face.Challenge {
	if first == face.ChallengeTurnLeft {
		return face.ChallengeTurnLeftRight
	}
	return face.ChallengeTurnRightLeft
}

// turnOf is the turn challenge drawn for the video of seed.
func turnOf(seed int64) face.Challenge {
	if rand.New(rand.NewPCG(uint64(seed), 0x7a4e)).IntN(2) == 0 {
		return face.ChallengeTurnLeft
	}
	return face.ChallengeTurnRight
}

// oppositeTurn is the other turn.
func oppositeTurn(c face.Challenge) face.Challenge {
	if c == face.ChallengeTurnLeft {
		return face.ChallengeTurnRight
	}
	return face.ChallengeTurnLeft
}

// challengeOf is the challenge the case judges the video of seed under.
func (c videoCase) challengeOf(seed int64) face.Challenge {
	switch {
	case c.turn && c.two && c.other:
		return twoStepOf(oppositeTurn(turnOf(seed)))
	case c.turn && c.two:
		return twoStepOf(turnOf(seed))
	case c.turn && c.other:
		return oppositeTurn(turnOf(seed))
	case c.turn:
		return turnOf(seed)
	}
	return c.challenge
}

// ReplayBent names a printed photo bent around a vertical cylinder, moved
// and turned in front of the camera (BentPhotoVideo): the flat replay
// whose pixels a head's relief explains best.
const ReplayBent = "replay_bent_photo"

// ReplayRecorded names the genuine head video (no blink) replayed under
// the blink challenge.
const ReplayRecorded = "replay_recorded_head"

// videoCases lists the videos rendered for every portrait.
func videoCases() []videoCase {
	cs := []videoCase{
		{name: "genuine_selfie", genuine: true},
		{name: "genuine_blink", genuine: true, challenge: face.ChallengeBlink},
	}
	for _, a := range VideoAttacks() {
		cs = append(cs, videoCase{name: string(a), replay: a})
	}
	cs = append(cs, videoCase{name: ReplayBent})
	return append(cs, videoCase{name: string(ReplayZoomPan), replay: ReplayZoomPan, challenge: face.ChallengeBlink},
		videoCase{name: ReplayRecorded, recorded: true, challenge: face.ChallengeBlink},
		videoCase{name: GenuineTurn, genuine: true, turn: true},
		videoCase{name: string(ReplayZoomPan), replay: ReplayZoomPan, challenge: face.ChallengeTurnLeft},
		videoCase{name: string(ReplayZoomPan), replay: ReplayZoomPan, challenge: face.ChallengeTurnRight},
		videoCase{name: ReplayRecordedNone, recorded: true, turn: true},
		videoCase{name: ReplayRecordedTurn, turn: true, other: true, video: GenuineTurn},
		videoCase{name: ReplayTilted, turn: true},
		// The two-step turn's cases (docs/face.md, "Two-step turn
		// challenge"): the genuine two-step turn (its own video, the
		// order drawn per video, the first side turnOf's), a still
		// photo, a recording that does not turn (as long as the
		// genuine's video), recordings of a one-step turn and of the
		// two-step turn in the other order, and a photo tilted one
		// way then the other.
		videoCase{name: GenuineTurn, genuine: true, turn: true, two: true},
		videoCase{name: string(ReplayZoomPan), replay: ReplayZoomPan, challenge: face.ChallengeTurnLeftRight},
		videoCase{name: ReplayRecordedNone, recorded: true, turn: true, two: true},
		videoCase{name: ReplayRecordedOne, turn: true, two: true, video: GenuineTurn},
		videoCase{name: ReplayRecordedTurn, turn: true, other: true, two: true, video: GenuineTurn + "_two_step"},
		videoCase{name: ReplayTilted, turn: true, two: true})
}

// file is the base name of the case's own video: its name, and
// "_two_step" for a two-step case's.
func (c videoCase) file() string {
	if c.two {
		return c.name + "_two_step"
	}
	return c.name
}

type videoRows struct {
	cases []videoCase
	rs    []VideoRow
}

// key names the case for Config.Videos: its row name, with "/" and the
// challenge when it is judged under one (replay_still_photo/blink).
func (c videoCase) key() string {
	if c.two {
		return c.name + twoStepSuffix
	}
	if c.challenge == face.NoChallenge || c.turn {
		return c.name
	}
	return c.name + "/" + string(c.challenge)
}

// newVideoRows starts the rows of the cases named in only (nil: all). A
// name is a case's key, or a row name that is no case's key for the one
// case of that name (genuine_blink, replay_recorded_head).
func newVideoRows(only []string) (*videoRows, error) {
	v := &videoRows{}
	all := videoCases()
	selects := func(n string, c videoCase) bool {
		return n == c.key() || (n == c.name && !slices.ContainsFunc(all, func(o videoCase) bool { return o.key() == n }))
	}
	for _, n := range only {
		if !slices.ContainsFunc(all, func(c videoCase) bool { return selects(n, c) }) {
			return nil, fmt.Errorf("fraudeval: no selfie video case %q", n)
		}
	}
	for _, c := range all {
		if len(only) == 0 || slices.ContainsFunc(only, func(n string) bool { return selects(n, c) }) {
			v.cases = append(v.cases, c)
		}
	}
	for _, c := range v.cases {
		ch := string(c.challenge)
		if c.turn {
			ch = "turn"
		}
		if c.two {
			ch = "two_step"
		}
		v.rs = append(v.rs, VideoRow{Attack: c.name, Challenge: ch, HeldOut: !c.genuine && !c.recorded && c.replay != "" && c.replay.HeldOut(),
			Signals: map[string]int{}, Scores: map[string][2]float64{}})
	}
	return v, nil
}

// judge renders every video case of one portrait, judges it with the
// production engine and adds it to the rows; it returns the descriptor
// of the genuine selfie (nil when none) for the known-faces search.
func (v *videoRows) judge(ctx context.Context, eng *face.Engine, cfg Config, dir string, i int, name string, frame image.Image, seed int64, rep *Report, tw *turnWriter) ([]float32, error) {
	var desc []float32
	zero := make([]float32, 128)
	rendered := map[string]bool{}
	for k, c := range v.cases {
		ch := c.challengeOf(seed)
		path := filepath.Join(dir, fmt.Sprintf("%02d-%s.mp4", i, c.file()))
		// A recorded head is the genuine selfie's video (without a blink
		// or a turn), a replay judged under a challenge the replay's
		// video, and a case naming another's video that video.
		switch {
		case c.video != "":
			path = filepath.Join(dir, fmt.Sprintf("%02d-%s.mp4", i, c.video))
		case c.recorded && c.two:
			// As long as the live answer to a two-step turn.
			path = filepath.Join(dir, fmt.Sprintf("%02d-genuine_selfie_two_step.mp4", i))
		case c.recorded:
			path = filepath.Join(dir, fmt.Sprintf("%02d-genuine_selfie.mp4", i))
		case !c.genuine && c.challenge != face.NoChallenge:
			path = filepath.Join(dir, fmt.Sprintf("%02d-%s.mp4", i, c.replay))
		}
		// A video of the generated head: what it does, for how long.
		head := c.genuine || c.recorded || strings.HasPrefix(c.video, GenuineTurn)
		motion, seconds := ch, 0.0
		switch {
		case c.recorded:
			motion = face.NoChallenge // a recording that does not blink or turn
			if c.two {
				seconds = headmotion.TwoStepSeconds
			}
		case c.video == GenuineTurn:
			motion = turnOf(seed) // the genuine turn's video
		case c.video == GenuineTurn+"_two_step":
			motion = twoStepOf(turnOf(seed)) // the genuine two-step turn's
		}
		if !rendered[path] && !(cfg.Reuse && fileExists(path)) {
			var data []byte
			var err error
			switch {
			case head:
				vary, verr := headmotion.ParseVariation(cfg.Head, seed)
				if verr != nil {
					return nil, verr
				}
				data, err = sample.HeadVideoVarySeconds(ctx, cfg.FFmpeg, frame, string(motion), seed, vary, seconds)
			case c.name == ReplayBent:
				data, err = BentPhotoVideo(ctx, cfg.FFmpeg, frame, seed)
			case c.name == ReplayTilted && c.two:
				data, err = TiltedTwoWayPhotoVideo(ctx, cfg.FFmpeg, frame, seed, ch == face.ChallengeTurnRightLeft)
			case c.name == ReplayTilted:
				data, err = TiltedPhotoVideo(ctx, cfg.FFmpeg, frame, seed, ch == face.ChallengeTurnRight)
			default:
				data, err = ReplayVideo(ctx, cfg.FFmpeg, c.replay, frame, seed)
			}
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", c.name, name, err)
			}
			if err := os.WriteFile(path, data, 0o644); err != nil {
				return nil, err
			}
		}
		rendered[path] = true
		s, err := eng.AnalyzeSelfieChallenge(ctx, path, ch)
		if err != nil {
			return nil, err
		}
		res, err := eng.Compare(zero, s)
		if err != nil {
			return nil, err
		}
		if tw != nil && ch.IsTurn() && res.Liveness != nil {
			var truth *headTruth
			if head {
				vary, verr := headmotion.ParseVariation(cfg.Head, seed)
				if verr != nil {
					return nil, verr
				}
				truth = &headTruth{frame: frame, motion: motion, seed: seed, vary: vary, seconds: seconds}
			}
			if err := tw.write(name, c.key(), ch, seed, res.Liveness.TurnTrack(), eng.Options().SampleFPS, truth); err != nil {
				return nil, err
			}
		}
		r := &v.rs[k]
		r.N++
		live := res.Liveness != nil && res.Liveness.Live
		doubtful := res.Liveness.Doubtful()
		switch {
		case !live:
			r.Refused++
		case doubtful:
			r.Review++
		default:
			r.Passed++
		}
		for _, f := range failedOf(res) {
			r.Signals[f]++
		}
		if res.Liveness == nil {
			r.Signals["no_face"]++ // no face in any frame: refused before liveness
		}
		for _, sc := range videoScores {
			if x, ok := res.Scores[sc]; ok {
				old, seen := r.Scores[sc]
				if !seen {
					old = [2]float64{math.Inf(1), math.Inf(-1)}
				}
				r.Scores[sc] = [2]float64{math.Min(old[0], x), math.Max(old[1], x)}
			}
		}
		par := res.Scores["liveness_parallax"]
		if ch == face.NoChallenge {
			if c.genuine {
				widen(&rep.GenuineParallax, par)
				desc = res.Descriptor
			} else if c.replay == ReplayZoomPan {
				widen(&rep.ReplayParallax, par)
			}
		}
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "%-24s %-26s %-10s live=%-5v doubt=%-5v parallax=%.4f texture=%.4f depth=%.4f tdepth=%.4f nose=%.4f screen=%.4f blink=%.3f/%.3f/%.3f turn=%.3f relief=%.3f both=%.3f first=%.3f second=%.3f failed=%v cyl=%.4f ring=%.3f/%.0f\n",
				name, c.name, ch, live, doubtful, par, res.Scores["liveness_texture"], res.Scores["liveness_depth"], res.Scores["liveness_track_depth"], res.Scores["liveness_nose_depth"], res.Scores["liveness_screen"],
				res.Scores["liveness_challenge_blink_dark"], res.Scores["liveness_challenge_blink_change"], res.Scores["liveness_challenge_blink_peak"], res.Scores["liveness_challenge_turn"], res.Scores["liveness_challenge_turn_relief"], res.Scores["liveness_challenge_turn_both"], res.Scores["liveness_challenge_turn_first"], res.Scores["liveness_challenge_turn_second"], failedOf(res), res.Scores["liveness_cylinder_depth"], res.Scores["liveness_ring_follow"], res.Scores["liveness_ring_pairs"])
		}
	}
	return desc, nil
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// rows returns the finished rows.
func (v *videoRows) rows() []VideoRow {
	for k := range v.rs {
		r := &v.rs[k]
		r.Rate = round4(float64(r.Refused) / float64(max(r.N, 1)))
		for sc, mm := range r.Scores {
			r.Scores[sc] = [2]float64{round4(mm[0]), round4(mm[1])}
		}
	}
	return slices.Clone(v.rs)
}

// printVideos writes the selfie video table and the score ranges.
func (rep *Report) printVideos(w io.Writer) {
	fmt.Fprintln(w, "| selfie videos | challenge | held-out design | n | refused | rate | to review | passed | failed signals |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	for _, r := range rep.Videos {
		var sig []string
		for s, n := range r.Signals {
			sig = append(sig, fmt.Sprintf("%s %d", s, n))
		}
		sort.Strings(sig)
		ho := ""
		if r.HeldOut {
			ho = "yes"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %d | %d | %.3f | %d | %d | %s |\n", r.Attack, r.Challenge, ho, r.N, r.Refused, r.Rate, r.Review, r.Passed, strings.Join(sig, ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "| score ranges (min..max) | %s |\n", strings.Join(videoScores, " | "))
	fmt.Fprintf(w, "|---|%s\n", strings.Repeat("---|", len(videoScores)))
	for _, r := range rep.Videos {
		var cells []string
		for _, sc := range videoScores {
			mm, ok := r.Scores[sc]
			if !ok {
				cells = append(cells, "")
				continue
			}
			cells = append(cells, fmt.Sprintf("%.3f..%.3f", mm[0], mm[1]))
		}
		name := r.Attack
		if r.Challenge != "" {
			name += " (" + r.Challenge + ")"
		}
		fmt.Fprintf(w, "| %s | %s |\n", name, strings.Join(cells, " | "))
	}
	fmt.Fprintln(w)
}
