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
	_, sw, sh, chans := smallPlanes(p, ws)
	edges := findEdges(chans, sw, sh, ws)
	lines := houghLines(edges, ws)
	for _, l := range lines {
		sup, in := l.count(-1e9, 1e9)
		t.Logf("theta %3d rho %7.1f votes %4d sup %4d in %4d", l.theta, l.rho, l.votes, sup, in)
	}
	q, ok := bestQuad(lines, sw, sh)
	t.Logf("quad %v %v score %.1f", ok, q.c, q.score)
}

func TestDebugEdges(t *testing.T) {
	path := os.Getenv("IMAGECHECK_DEBUG")
	if path == "" {
		t.Skip("set IMAGECHECK_DEBUG=FILE")
	}
	data, _ := os.ReadFile(path)
	ws := new(workspace)
	d, _ := decode(data, DefaultOptions(), ws)
	_, sw, sh, chans := smallPlanes(&d.p, ws)
	e := findEdges(chans, sw, sh, ws)
	var hist [18]int
	for _, v := range e.dir {
		if v != noEdge {
			hist[v/10]++
		}
	}
	t.Logf("%dx%d edges by 10°: %v", sw, sh, hist)
	for y := 40; y < 125; y += 8 {
		line := ""
		for x := 20; x < 60; x++ {
			v := e.dir[y*sw+x]
			if v == noEdge {
				line += "."
			} else {
				line += string(rune('a' + v/10))
			}
		}
		t.Log(line)
	}
}

func TestDebugHough(t *testing.T) {
	path := os.Getenv("IMAGECHECK_DEBUG")
	if path == "" {
		t.Skip("set IMAGECHECK_DEBUG=FILE")
	}
	data, _ := os.ReadFile(path)
	ws := new(workspace)
	d, _ := decode(data, DefaultOptions(), ws)
	_, sw, sh, chans := smallPlanes(&d.p, ws)
	e := findEdges(chans, sw, sh, ws)
	houghLines(e, ws)
	diag := int(math.Ceil(math.Hypot(float64(sw), float64(sh))))
	nr := 2*diag + 1
	acc := ws.i32[0]
	for th := 150; th < 180; th += 3 {
		best, br := int32(0), 0
		for r := 0; r < nr; r++ {
			if acc[th*nr+r] > best {
				best, br = acc[th*nr+r], r-diag
			}
		}
		t.Logf("theta %d max %d at rho %d", th, best, br)
	}
}
