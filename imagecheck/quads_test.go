package imagecheck

import (
	"math"
	"runtime"
	"slices"
	"testing"
	"time"
)

// outlineInputs decodes a synthetic photo and returns what the outline
// search works on: the Hough lines, the edge map and the small image's
// size.
func outlineInputs(t testing.TB, c synthCard) ([]*line, edgeMap, int, int) {
	t.Helper()
	ws := new(workspace)
	d, err := decode(c.png(t), DefaultOptions(), ws)
	if err != nil {
		t.Fatal(err)
	}
	_, sw, sh, chans := smallPlanes(&d.p, ws)
	e := findEdges(chans, sw, sh, ws)
	return houghLines(e, ws), e, sw, sh
}

// The hypotheses rankable drops can never rank first: on photos with few
// and with many lines, the best of everything it keeps scores the same as
// the best of every hypothesis scored in full.
func TestRankableKeepsTheBest(t *testing.T) {
	cases := []struct {
		name string
		card synthCard
		less bool // a line-rich photo: most hypotheses must go
	}{
		{"plain card", synthCard{W: 1000, H: 750, X: 180, Y: 170, CW: 640, CH: 404, Radius: 24, Background: slate, Card: beige}, false},
		{"card with an inner panel", synthCard{W: 1000, H: 750, X: 180, Y: 170, CW: 640, CH: 404, Radius: 24, Panel: true, Print: true,
			PX: 200, PY: 60, PW: 390, PH: 260, Background: slate, Card: beige}, false},
		{"card on tiles", synthCard{W: 1000, H: 750, X: 170, Y: 150, CW: 640, CH: 404, Radius: 24, Tiles: 90, Background: beige, Card: slate}, true},
		{"cut-off card on small tiles", synthCard{W: 1000, H: 750, X: 500, Y: 150, CW: 640, CH: 404, Radius: 24, Tiles: 60, Background: beige, Card: slate}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines, e, w, h := outlineInputs(t, c.card)
			all := hypotheses(lines, w, h)
			want := math.Inf(-1)
			for i := range all {
				if s := fullScore(&all[i], lines, e); s > want {
					want = s
				}
			}
			kept := rankable(lines, e, w, h)
			got := math.Inf(-1)
			for i := range kept {
				if s := fullScore(&kept[i], lines, e); s > got {
					got = s
				}
			}
			if len(all) == 0 || got != want {
				t.Errorf("best score %.4f of %d kept, want %.4f of all %d", got, len(kept), want, len(all))
			}
			if c.less && 2*len(kept) > len(all) {
				t.Errorf("kept %d of %d hypotheses on a line-rich photo", len(kept), len(all))
			}
			t.Logf("kept %d of %d", len(kept), len(all))
		})
	}
}

// BenchmarkOutlineTiles is the outline search (ranking and outer edge) on
// a card lying on small tiles, where the lines make hundreds of thousands
// of pairs of pairs to try; cpu-p50-ms and cpu-max-ms are the CPU time of
// the benchmark's thread per search.
func BenchmarkOutlineTiles(b *testing.B) {
	lines, e, w, h := outlineInputs(b, synthCard{W: 1000, H: 750, X: 170, Y: 150, CW: 640, CH: 404, Radius: 24, Tiles: 45, Background: beige, Card: slate})
	n := len(hypotheses(lines, w, h))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var cpu []time.Duration
	for b.Loop() {
		t0 := cpuNow()
		if q, ok := bestQuad(lines, e, w, h); ok {
			outerQuad(q, lines, e, w, h)
		}
		cpu = append(cpu, cpuNow()-t0)
	}
	slices.Sort(cpu)
	b.ReportMetric(percentile(cpu, 50), "cpu-p50-ms")
	b.ReportMetric(percentile(cpu, 100), "cpu-max-ms")
	b.ReportMetric(float64(n), "hypotheses")
	b.ReportMetric(float64(len(lines)), "lines")
}
