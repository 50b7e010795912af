package imagecheck

import (
	"math"
	"os"
	"testing"
)

func TestDebugDocument(t *testing.T) {
	path := os.Getenv("IMAGECHECK_DEBUG")
	if path == "" {
		t.Skip("set IMAGECHECK_DEBUG=FILE")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ws := new(workspace)
	d, err := decode(data, DefaultOptions(), ws)
	if err != nil {
		t.Fatal(err)
	}
	p := &d.p
	sf := max(1, int(math.Round(float64(max(p.w, p.h))/smallSize)))
	sw, sh := (p.w+sf-1)/sf, (p.h+sf-1)/sf
	small := ws.b(bufSmall, sw*sh)
	resample(p.y, p.w, p.h, p.ys, small, sw, sh, sw, sf, 1)
	edges := findEdges(small, sw, sh, ws)
	lines := houghLines(edges, ws)
	for _, l := range lines {
		sup, in := l.count(-1e9, 1e9)
		t.Logf("theta %3d rho %7.1f votes %4d sup %4d in %4d", l.theta, l.rho, l.votes, sup, in)
	}
	q, ok := bestQuad(lines, sw, sh)
	t.Logf("quad %v %v score %.1f", ok, q.c, q.score)
}
