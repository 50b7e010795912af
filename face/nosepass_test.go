package face

import (
	"slices"
	"testing"
)

// TestNoseCueJudgesRelief: with the defaults, a nose cue at or above
// ClearNoseDepth (0.012) lifts the doubt of a depth cue in its band
// [MinDepth, ReviewDepth) and of one 2D floor (texture or parallax) a
// clear depth cue waived: the selfie passes outright; just under it the
// doubt stays. A nose cue at or above ReviewNoseDepth (0.007) turns the
// refusal of a depth cue under MinDepth into a doubt when the 2D cues
// passed, never into a pass, and never when a 2D floor already failed;
// just under it the face is refused. A face under both 2D floors
// (texture and parallax) whose depth cue is clear (ReviewDepth and above)
// and nose cue at or above ClearNoseDepth passes in doubt instead of
// being refused (one floor only may be waived otherwise). The rules are off with their
// threshold negative, with the nose cue off (MinNoseDepth negative) or
// with the depth check off.
func TestNoseCueJudgesRelief(t *testing.T) {
	var o Options
	o.defaults()
	if o.ClearNoseDepth != 0.012 || o.ReviewNoseDepth != 0.007 {
		t.Fatalf("defaults: ClearNoseDepth %v ReviewNoseDepth %v, want 0.012 and 0.007", o.ClearNoseDepth, o.ReviewNoseDepth)
	}
	clearOff, reviewOff, noseOff, depthOff := o, o, o, o
	clearOff.ClearNoseDepth = -1
	reviewOff.ReviewNoseDepth = -1
	noseOff.MinNoseDepth = -1
	depthOff.MinDepth, depthOff.ReviewDepth = -1, -1
	head := func(texture, parallax, depth, nose float64) *Liveness {
		l := movingHead(texture, depth)
		l.Parallax, l.NoseDepth = parallax, nose
		return l
	}
	const (
		pass   = "pass"
		doubt  = "doubt"
		refuse = "refuse"
	)
	for _, c := range []struct {
		name string
		o    Options
		l    *Liveness
		want string
	}{
		{"band, nose clear", o, head(0.5, 0.04, 0.015, 0.012), pass},
		{"band, nose just under clear", o, head(0.5, 0.04, 0.015, 0.0119), doubt},
		{"band, nose clear, rule off", clearOff, head(0.5, 0.04, 0.015, 0.03), doubt},
		{"band, nose clear, nose cue off", noseOff, head(0.5, 0.04, 0.015, 0.03), doubt},
		{"low texture waived, nose clear", o, head(0.2, 0.04, 0.05, 0.015), pass},
		{"low texture waived, nose under clear", o, head(0.2, 0.04, 0.05, 0.005), doubt},
		{"low parallax waived, nose clear", o, head(0.5, 0.015, 0.05, 0.015), pass},
		{"low texture, depth in the band, nose clear", o, head(0.2, 0.04, 0.015, 0.03), refuse},
		{"both 2D floors low, depth and nose clear", o, head(0.2, 0.015, 0.05, 0.012), doubt},
		{"both 2D floors low, depth clear, nose just under clear", o, head(0.2, 0.015, 0.05, 0.0119), refuse},
		{"both 2D floors low, depth in the band, nose clear", o, head(0.2, 0.015, 0.015, 0.03), refuse},
		{"both 2D floors low, depth and nose clear, rule off", clearOff, head(0.2, 0.015, 0.05, 0.03), refuse},
		{"no depth, nose at review", o, head(0.5, 0.04, 0.005, 0.007), doubt},
		{"no depth, nose far above clear", o, head(0.5, 0.04, 0.005, 0.05), doubt},
		{"no depth, nose just under review", o, head(0.5, 0.04, 0.005, 0.0069), refuse},
		{"no depth, low texture, nose clear", o, head(0.2, 0.04, 0.005, 0.05), refuse},
		{"no depth, low parallax, nose clear", o, head(0.5, 0.015, 0.005, 0.05), refuse},
		{"no depth, nose at review, rule off", reviewOff, head(0.5, 0.04, 0.005, 0.01), refuse},
		{"no depth, nose at review, nose cue off", noseOff, head(0.5, 0.04, 0.005, 0.01), refuse},
		{"depth check off, low texture, nose clear", depthOff, head(0.2, 0.04, 0, 0.05), refuse},
		{"still, nose clear", o, func() *Liveness { l := head(0.5, 0.04, 0.015, 0.03); l.Motion = 0.01; return l }(), refuse},
	} {
		c.o.judge(c.l, 5)
		got := refuse
		switch {
		case c.l.Live && c.l.Doubtful():
			got = doubt
		case c.l.Live:
			got = pass
		}
		if got != c.want {
			t.Errorf("%s: %s (failed %v doubts %v), want %s", c.name, got, c.l.Failed, c.l.Doubts, c.want)
		}
		if got == doubt && !slices.Equal(c.l.Doubts, []string{SignalPlanarMotion}) {
			t.Errorf("%s: doubts %v, want [planar_motion]", c.name, c.l.Doubts)
		}
	}
}
