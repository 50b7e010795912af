package face

import (
	"math"
	"math/rand"
	"testing"
)

// reliefTrack renders six frames of the test head (meanHead, a shape of
// its own, not the relief the cue fits) turned by yaw[f] radians, then
// moved as a picture by a homography of its own per frame, with jitter
// pixels of independent noise on every landmark (a fixed pseudo-random
// sequence per seed) and, when talk is set, the mouth (48–67) opening by
// up to 6 pixels.
func reliefTrack(yaw []float64, jitter float64, talk bool, seed int64) ([]*Landmarks, []float64) {
	xy, z := meanHead(200)
	rng := rand.New(rand.NewSource(seed))
	var lms []*Landmarks
	var eyes []float64
	for f, a := range yaw {
		lm := turned(xy, z, 200, a)
		if talk {
			open := 6 * math.Abs(math.Sin(float64(f)*1.7))
			for i := 48; i < 68; i++ {
				if lm[i].Y > xy[62].Y {
					lm[i].Y += open
				}
			}
		}
		k := float64(f)
		h := [9]float64{1 + 0.02*k, 0.03 * math.Sin(k), 5 * k, -0.02 * math.Cos(k), 1 - 0.01*k, -3 * k, 0.0002 * math.Sin(2*k), -0.0002 * k, 1}
		lm = mapped(lm, h)
		for i := range lm {
			lm[i].X += jitter * rng.NormFloat64()
			lm[i].Y += jitter * rng.NormFloat64()
		}
		lms = append(lms, lm)
		eyes = append(eyes, math.Hypot((lm[36].X+lm[39].X-lm[42].X-lm[45].X)/2, (lm[36].Y+lm[39].Y-lm[42].Y-lm[45].Y)/2))
	}
	return lms, eyes
}

// TestLandmarkRelief: with independent jitter a flat picture's landmarks
// leave the relief little to explain, whatever the jitter and however the
// mouth moves (it is not fitted); a head that turns a few degrees moves
// its nose across its eyes and scores well above every flat picture.
// (Real landmarks are not independent: see docs/face.md, "Landmark
// relief".)
func TestLandmarkRelief(t *testing.T) {
	deg := math.Pi / 180
	flat := []float64{0, 0, 0, 0, 0, 0}
	turn := []float64{0, 5 * deg, -4 * deg, 6 * deg, -5 * deg, 2 * deg} // a head that barely turns
	for _, c := range []struct {
		name     string
		yaw      []float64
		jitter   float64 // pixels; the eye distance is about 80
		talk     bool
		min, max float64
	}{
		{"one frame", flat[:1], 0, false, 0, 0},
		{"a flat picture moved, exact landmarks", flat, 0, false, 0, 0},
		{"a flat picture moved, 0.5 px jitter", flat, 0.5, false, 0, 0.3},
		{"a flat picture moved, 2 px jitter", flat, 2, false, 0, 0.3},
		{"a flat picture with a mouth that opens, 1 px jitter", flat, 1, true, 0, 0.3},
		{"a head barely turning, exact landmarks", turn, 0, false, 1, landmarkReliefCap},
		{"a head barely turning, 0.5 px jitter", turn, 0.5, false, 0.5, landmarkReliefCap},
		{"a head barely turning and talking, 0.5 px jitter", turn, 0.5, true, 0.5, landmarkReliefCap},
	} {
		for seed := int64(1); seed <= 3; seed++ {
			lms, eyes := reliefTrack(c.yaw, c.jitter, c.talk, seed)
			r := landmarkRelief(lms, eyes)
			if r < c.min || r > c.max {
				t.Errorf("%s (seed %d): landmark relief %.3f, want in [%g, %g]", c.name, seed, r, c.min, c.max)
			}
			if c.talk {
				// The mouth is not fitted: the same track with a
				// still mouth scores the same.
				lms, eyes := reliefTrack(c.yaw, c.jitter, false, seed)
				if still := landmarkRelief(lms, eyes); still != r {
					t.Errorf("%s (seed %d): %.6f, with a still mouth %.6f", c.name, seed, r, still)
				}
			}
		}
	}
}

// BenchmarkLandmarkRelief times the landmark relief of a 6-frame track
// (15 pairs, four fits each).
func BenchmarkLandmarkRelief(b *testing.B) {
	lms, eyes := reliefTrack([]float64{0, 0.08, -0.07, 0.1, -0.08, 0.03}, 0.5, false, 1)
	for i := 0; i < b.N; i++ {
		landmarkRelief(lms, eyes)
	}
}
