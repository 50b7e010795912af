package imagecheck

import (
	"math"
	"math/rand/v2"
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
			outerQuad(q, lines, e, w, h, nil, 1)
		}
		cpu = append(cpu, cpuNow()-t0)
	}
	slices.Sort(cpu)
	b.ReportMetric(percentile(cpu, 50), "cpu-p50-ms")
	b.ReportMetric(percentile(cpu, 100), "cpu-max-ms")
	b.ReportMetric(float64(n), "hypotheses")
	b.ReportMetric(float64(len(lines)), "lines")
}

// eachHypothesis skips pairs of pairs by tables and tests side lengths
// before corners; the hypotheses must be those of making every pair of
// pairs in full, in the same order with the same features: on the
// synthetic photos of TestRankableKeepsTheBest (few lines, an inner
// panel, tiles, a cut-off card on small tiles: sides on the frame)
// and on lines drawn at random, hypothesis by hypothesis.
func TestEachHypothesisAsMadeInFull(t *testing.T) {
	inFull := func(lines []*line, w, h int) []hypothesis {
		var out []hypothesis
		_, pairs := parallelPairs(lines, w, h)
		for i := range pairs {
			for j := i + 1; j < len(pairs); j++ {
				P, Q := pairs[i], pairs[j]
				if angleDiff(P.a.theta, Q.a.theta) < 50 || angleDiff(P.b.theta, Q.b.theta) < 50 ||
					angleDiff(P.a.theta, Q.b.theta) < 50 || angleDiff(P.b.theta, Q.a.theta) < 50 {
					continue
				}
				if hy, ok := makeHypothesis(P.a, Q.a, P.b, Q.b, w, h); ok {
					out = append(out, hy)
				}
			}
		}
		return out
	}
	same := func(t *testing.T, lines []*line, w, h int) int {
		t.Helper()
		got, want := hypotheses(lines, w, h), inFull(lines, w, h)
		if len(got) != len(want) {
			t.Fatalf("%d hypotheses, want %d", len(got), len(want))
		}
		for i := range got {
			// (each call makes its own frame edges: compare those by value)
			for k, l := range got[i].q.side {
				if m := want[i].q.side[k]; l.frame && m.frame && l.theta == m.theta && l.rho == m.rho {
					got[i].q.side[k] = m
				}
			}
			if got[i] != want[i] {
				t.Fatalf("hypothesis %d: %+v, want %+v", i, got[i], want[i])
			}
		}
		return len(got)
	}
	cards := []synthCard{
		{W: 1000, H: 750, X: 180, Y: 170, CW: 640, CH: 404, Radius: 24, Background: slate, Card: beige},
		{W: 1000, H: 750, X: 180, Y: 170, CW: 640, CH: 404, Radius: 24, Panel: true, Print: true,
			PX: 200, PY: 60, PW: 390, PH: 260, Background: slate, Card: beige},
		{W: 1000, H: 750, X: 170, Y: 150, CW: 640, CH: 404, Radius: 24, Tiles: 90, Background: beige, Card: slate},
		{W: 1000, H: 750, X: 500, Y: 150, CW: 640, CH: 404, Radius: 24, Tiles: 60, Background: beige, Card: slate},
	}
	total := 0
	for _, c := range cards {
		lines, _, w, h := outlineInputs(t, c)
		total += same(t, lines, w, h)
	}
	// Lines at random angles and offsets added to the small tiles' (each
	// with the support profile of one of those: the counts need not
	// match the edges to compare).
	lines, _, w, h := outlineInputs(t, cards[3])
	rng := rand.New(rand.NewPCG(16, 1))
	for round := 0; round < 4; round++ {
		ls := append([]*line(nil), lines...)
		for k := 0; k < 24; k++ {
			o := *lines[rng.IntN(len(lines))]
			o.theta = rng.IntN(180)
			s, c := math.Sincos(float64(o.theta) * math.Pi / 180)
			o.nx, o.ny = c, s
			o.rho = rng.Float64() * float64(max(w, h))
			ls = append(ls, &o)
		}
		total += same(t, ls, w, h)
	}
	if total < 1000 {
		t.Errorf("only %d hypotheses compared", total)
	}
	t.Logf("%d hypotheses compared", total)
}

// sidesPlausible is fillHypothesis's test of the side lengths alone
// (side i and i+2 are opposite).
func TestSidesPlausible(t *testing.T) {
	cases := []struct {
		length [4]float64
		framed bool
		want   bool
	}{
		{[4]float64{100, 64, 100, 64}, false, true},  // aspect 1.5625
		{[4]float64{64, 100, 64, 100}, false, true},  // the same, turned
		{[4]float64{100, 80, 100, 80}, false, false}, // 1.25: too square
		{[4]float64{100, 40, 100, 40}, false, false}, // 2.5: too long
		{[4]float64{100, 40, 100, 40}, true, true},   // a cut-off document may show a strip
		{[4]float64{100, 37, 100, 37}, true, false},  // 2.70: too thin even so
		{[4]float64{100, 64, 50, 64}, false, false},  // opposite sides 0.5 apart
		{[4]float64{100, 50, 60, 50}, false, true},   // 0.6 apart: alike enough (aspect 1.6)
		{[4]float64{100, 60, 100, 30}, true, false},  // opposite sides 0.5 apart, framed too
	}
	for _, c := range cases {
		if got := sidesPlausible(c.length, c.framed); got != c.want {
			t.Errorf("%v framed %v: %v, want %v", c.length, c.framed, got, c.want)
		}
	}
}

// TestSlantedOutline: a pale rectangle whole on a dark 200×150 photo,
// its aspect that of a passport page or a card foreshortened by a slant
// (or of neither), is found whole, its own four sides, or not.
func TestSlantedOutline(t *testing.T) {
	const w, h = 200, 150
	cases := []struct {
		name           string
		x0, y0, x1, y1 int // the painted rectangle: columns x0..x1-1, rows y0..y1-1
		want           bool
	}{
		{"a card seen square on (1.58)", 25, 28, 175, 123, true},
		{"a passport page, its long side foreshortened by a fifth (1.16)", 34, 18, 166, 132, true},
		{"a card, its short side foreshortened by a fifth (2.0)", 20, 35, 180, 115, true},
		{"a square box (1.0)", 45, 15, 155, 125, false},
		{"a strip (2.5)", 12, 45, 187, 115, false},
	}
	for _, c := range cases {
		chans := paintPlanes(w, h, func(x, y int) [3]byte {
			if x >= c.x0 && x < c.x1 && y >= c.y0 && y < c.y1 {
				return [3]byte{200, 128, 128}
			}
			return [3]byte{60, 128, 128}
		})
		e := findEdges(chans, w, h, new(workspace))
		q, found := bestQuad(houghLines(e, new(workspace)), e, w, h)
		want := [4][2]float64{{float64(c.x0), float64(c.y0)}, {float64(c.x1), float64(c.y0)}, {float64(c.x1), float64(c.y1)}, {float64(c.x0), float64(c.y1)}}
		got := found && !runsOut(q, w, h)
		for _, p := range want {
			near := false
			for _, r := range q.c {
				near = near || math.Hypot(r[0]-p[0]+0.5, r[1]-p[1]+0.5) <= 2
			}
			got = got && near
		}
		if got != c.want {
			t.Errorf("%s: found whole %v, want %v (found %v: %v)", c.name, got, c.want, found, q.c)
		}
	}
}

// TestSlantedBoxOnCutOffCard: a card running out of the photo's left
// edge, with a portrait-shaped box printed on it (aspect 1.24, a slant's
// aspect, a quarter of what shows of the card, or three quarters): the
// outline chosen still runs out of the frame when the box is small; it
// is the box when the box covers most of what shows of the card
// (slantMinCovered: slantedInside cannot tell such a panel from a
// slanted document on a sheet).
func TestSlantedBoxOnCutOffCard(t *testing.T) {
	const w, h = 200, 150
	cases := []struct {
		name           string
		x0, y0, x1, y1 int // the box
		runsOut        bool
	}{
		{"a portrait, a quarter of the card", 20, 45, 62, 97, true},
		{"a panel, three quarters of the card", 5, 28, 135, 133, false},
	}
	for _, c := range cases {
		chans := paintPlanes(w, h, func(x, y int) [3]byte {
			switch {
			case x >= c.x0 && x < c.x1 && y >= c.y0 && y < c.y1:
				return [3]byte{110, 128, 128}
			case x < 150 && y >= 20 && y < 140:
				return [3]byte{200, 128, 128}
			}
			return [3]byte{60, 128, 128}
		})
		e := findEdges(chans, w, h, new(workspace))
		q, found := bestQuad(houghLines(e, new(workspace)), e, w, h)
		if !found || runsOut(q, w, h) != c.runsOut {
			t.Errorf("%s: found %v, runs out %v, want %v (%v)", c.name, found, found && runsOut(q, w, h), c.runsOut, q.c)
		}
	}
}

// TestFaintSides: a pale card lying partly on a white sheet of its own
// tone, partly on a dark table, its top side showing a step only where it
// leaves the sheet (a quarter of its length): no hypothesis backed over
// sideMinSup on every side is the card's outline, and one backed over
// faintMinSup is. On the table alone there is no outline either way.
func TestFaintSides(t *testing.T) {
	const w, h = 200, 150
	card := [4][2]float64{{40, 30}, {159.5, 30}, {159.5, 109.5}, {40, 109.5}}
	near := func(hs []hypothesis) bool {
		for _, hy := range hs {
			if qdistTest(hy.q.c, card) <= 3 {
				return true
			}
		}
		return false
	}
	const (
		sheet  = iota // a card partly on a white sheet
		blank         // the table alone
		whole         // the card on the table
		sheets        // four pale patches, each over the middle of a side
	)
	for _, c := range []struct {
		name  string
		scene int
	}{
		{"a card partly on a white sheet", sheet},
		{"the table alone", blank},
		{"the card on the table", whole},
		{"a card whose every side fades into a pale patch in its middle", sheets},
	} {
		chans := paintPlanes(w, h, func(x, y int) [3]byte {
			v := byte(70)
			if c.scene == blank {
				return [3]byte{v, 128, 128}
			}
			in := func(cx, cy, a, b float64) bool {
				dx, dy := (float64(x)-cx)/a, (float64(y)-cy)/b
				return dx*dx+dy*dy < 1
			}
			switch c.scene {
			case sheet:
				if in(75, 10, 60, 50) {
					v = 200 // the sheet (an oval: no straight edge)
				}
			case sheets:
				// Pale patches centred on the sides, fading out
				// smoothly (no edge of their own): the card's edge shows
				// no step over the middle of each side.
				r := 1.0
				for _, o := range [4][4]float64{{100, 30, 40, 10}, {100, 110, 40, 10}, {40, 70, 10, 27}, {160, 70, 10, 27}} {
					dx, dy := (float64(x)-o[0])/o[2], (float64(y)-o[1])/o[3]
					r = min(r, math.Sqrt(dx*dx+dy*dy))
				}
				v = byte(200 - 130*math.Max(0, math.Min(1, (r-0.5)/0.5)))
			}
			if x >= 40 && x < 160 && y >= 30 && y < 110 {
				v = 200 // the card, of the sheet's tone
			}
			return [3]byte{v, 128, 128}
		})
		ws := new(workspace)
		e := findEdges(chans, w, h, ws)
		lines := houghLines(e, ws)
		q, found, faint := findQuad(lines, e, w, h)
		switch c.scene {
		case blank:
			if found {
				t.Errorf("%s: outline %v, want none", c.name, q.c)
			}
		case whole:
			if !found || faint || qdistTest(q.c, card) > 3 {
				t.Errorf("%s: outline %v (found %v, faint %v), want the card, firmly backed", c.name, q.c, found, faint)
			}
		case sheet:
			if near(rankableIn(lines, e, w, h, sideMinSup)) {
				t.Errorf("%s: the card's outline backed over sideMinSup", c.name)
			}
			if !near(rankableIn(lines, e, w, h, faintMinSup)) {
				t.Errorf("%s: the card's outline not found backed over faintMinSup", c.name)
			}
		case sheets:
			if !found || !faint || qdistTest(q.c, card) > 3 {
				t.Errorf("%s: outline %v (found %v, faint %v), want the card, faintly backed", c.name, q.c, found, faint)
			}
		}
	}
}
