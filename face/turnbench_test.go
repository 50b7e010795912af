package face

import (
	"context"
	"math"
	"testing"

	"github.com/kycq/kycq/internal/eval/headmotion"
)

// BenchmarkTurnChallengeVideo is a whole selfie video recorded under the
// turn challenge (the plain head of face.jpg turning left, every sampled
// frame analysed): networks, liveness cues, the challenge.
func BenchmarkTurnChallengeVideo(b *testing.B) {
	needFFmpeg(b)
	e := benchEngine(b)
	doc := readPhoto(b, "face-detect.jpg")
	video := headVideo(b, e, "face.jpg", headmotion.TurnLeft, 2)
	ctx := context.Background()
	b.ReportAllocs()
	s0, c0 := cpuTimes()
	for b.Loop() {
		res, err := e.MatchVideoChallenge(ctx, doc, video, ChallengeTurnLeft)
		if err != nil || res.Liveness == nil || !res.Liveness.ChallengeMet {
			b.Fatalf("%v %+v", err, res)
		}
	}
	reportCPU(b, s0, c0)
}

// BenchmarkTurnChallengeJudge is the liveness judgement and the turn
// challenge of a 12-frame track (a textured chip turning by its relief)
// whose frames 6 and 7 liveness did not judge (followed through a lost
// detection, as near profile): the challenge fits their 21 pairs itself.
func BenchmarkTurnChallengeJudge(b *testing.B) {
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	track := liveTrack(12)
	for k, fi := range track {
		s := 14 * math.Sin(math.Pi*float64(k)/11)
		fi.gray = texturedChip(chipSize, reliefWarp(-s, 0, identity))
	}
	var judged []*faceInfo
	for k, fi := range track {
		if k != 6 && k != 7 {
			judged = append(judged, fi)
		}
	}
	s0, c0 := cpuTimes()
	for b.Loop() {
		l := e.liveness(judged)
		verifyChallenge(ChallengeTurnRight, track, 4, l, map[string]float64{})
	}
	reportCPU(b, s0, c0)
}
