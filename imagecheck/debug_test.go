package imagecheck

import (
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
