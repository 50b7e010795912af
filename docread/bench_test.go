package docread

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/threadcpu"
	"github.com/kycq/kycq/kyc"
)

// The benchmarks measure on 12 MP (4000×3000) JPEG photos of a document
// filling 60% of the frame, tilted: run them with
//
//	go test ./docread -run '^$' -bench . -benchtime 20x
//
// Each whole-read benchmark reports ms/op and the p50/p90/p99/max over
// its iterations, which cycle through a set of photos.

type benchPhoto struct {
	data  []byte
	lines []string
}

var (
	benchOnce   sync.Once
	benchPhotos []benchPhoto
)

// mrzBenchSet renders eight 12 MP photos: TD1, TD2, TD3 and back, each at
// two tilts, with noise and JPEG compression.
func mrzBenchSet(b *testing.B) []benchPhoto {
	benchOnce.Do(func() {
		sets := []struct {
			kind  string
			lines []string
		}{{"td3", td3Specimen}, {"td1", td1Specimen}, {"td2", td2Specimen}, {"td3", td3Specimen}}
		for i, s := range sets {
			for j, angle := range []float64{-6, 9} {
				card := renderCard(b, s.kind, s.lines, cardOpts{pattern: i%2 == 1})
				o := sceneOpts{w: 4000, h: 3000, fill: 0.6, angle: angle + float64(i)*90*float64(j), noise: 6, jpegQ: 88, seed: uint64(10*i + j)}
				benchPhotos = append(benchPhotos, benchPhoto{photograph(b, card, o), s.lines})
			}
		}
	})
	return benchPhotos
}

// percentiles reports p50/p90/p99/max of ds in milliseconds.
func percentiles(b *testing.B, ds []time.Duration, prefix string) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	q := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(ds)))) - 1
		return float64(ds[max(0, i)].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.5), prefix+"p50_ms")
	b.ReportMetric(q(0.9), prefix+"p90_ms")
	b.ReportMetric(q(0.99), prefix+"p99_ms")
	b.ReportMetric(q(1), prefix+"max_ms")
}

// decodedPlanes decodes the set once, as the reader does.
func decodedPlanes(b *testing.B) []*plane {
	var ps []*plane
	for _, ph := range mrzBenchSet(b) {
		d, err := imagecheck.Decode(ph.data, workSize, 0)
		if err != nil {
			b.Fatal(err)
		}
		ps = append(ps, planeFromGray(d.Gray))
	}
	return ps
}

// BenchmarkLocate: the MRZ locator on decoded 12 MP photos (reduction,
// binarisation, components, direction, lines, groups).
func BenchmarkLocate(b *testing.B) {
	ps := decodedPlanes(b)
	m := newCPUMeter()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := ps[i%len(ps)]
		m.begin()
		c := locateMRZ(p.half())
		m.end()
		if len(c) == 0 {
			b.Fatal("nothing located")
		}
	}
	m.report(b)
}

// BenchmarkRecognise: classifying the located zone's cells in both
// reading directions, decoding and repairing.
func BenchmarkRecognise(b *testing.B) {
	ps := decodedPlanes(b)
	var cands []mrzCandidate
	for _, p := range ps {
		c := locateMRZ(p.half())
		if len(c) == 0 {
			b.Fatal("nothing located")
		}
		cands = append(cands, c[0].scaled(2))
	}
	now := time.Now()
	m := newCPUMeter()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := i % len(ps)
		m.begin()
		_, ok := recogniseMRZ(context.Background(), ps[k], cands[k], now)
		m.end()
		if !ok {
			b.Fatal("not recognised")
		}
	}
	m.report(b)
}

// BenchmarkParse: class-constrained decoding with a check-digit repair,
// then the fields and the verification of every check digit.
func BenchmarkParse(b *testing.B) {
	seen := []string{td3Specimen[0], "L898902G36UTO7408122F1204159ZE184226B<<<<<10"}
	sc := scoresFor(seen, map[[2]int]map[byte]float32{{1, 7}: {'C': 0.85}})
	now := time.Now()
	for b.Loop() {
		lines, _ := decodeMRZ(kyc.ReadTD3, sc, true)
		if !mrzRead(kyc.ReadTD3, lines, now).ChecksValid {
			b.Fatal("not repaired")
		}
	}
}

// BenchmarkReadMRZ12MP: the whole read of a 12 MP JPEG, decode included;
// beyond_decode_ms is what the reader adds to imagecheck's decode.
func BenchmarkReadMRZ12MP(b *testing.B) {
	set := mrzBenchSet(b)
	r, err := New(Options{NoTesseract: true})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var total, beyond []time.Duration
	m := newCPUMeter()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ph := set[i%len(set)]
		m.begin()
		res, err := r.Read(context.Background(), ph.data, imagecheck.AnySide, Hint{})
		m.end()
		if err != nil {
			b.Fatal(err)
		}
		if !slices.Equal(res.Data.MRZ, ph.lines) {
			b.Fatalf("photo %d misread: %q (timings %v)", i%len(set), res.Data.MRZ, res.Timings)
		}
		t := res.Timings
		total = append(total, time.Duration(t["total"]*1e6))
		beyond = append(beyond, time.Duration((t["total"]-t["decode"]-t["document"])*1e6))
	}
	percentiles(b, total, "")
	percentiles(b, beyond, "beyond_decode_")
	m.report(b)
}

// BenchmarkReadMRZ12MPBeyondDecode: the reader's own work on a 12 MP
// photo already decoded (the plane, locate, recognise, parse, and the
// straightened card when the zone needs it), in thread CPU: what
// ReadMRZ12MP's beyond_decode_* measure in wall time, which a loaded
// machine inflates.
func BenchmarkReadMRZ12MPBeyondDecode(b *testing.B) {
	set := mrzBenchSet(b)
	r, err := New(Options{NoTesseract: true})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	decs := make([]*imagecheck.Decoded, len(set))
	for i, ph := range set {
		if decs[i], err = imagecheck.Decode(ph.data, workSize, 0); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Now()
	m := newCPUMeter()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := i % len(set)
		dec := decs[k]
		m.begin()
		src := &source{p: planeFromGray(dec.Gray), scale: dec.Scale}
		if len(dec.Document) == 4 {
			src.hasDoc = true
			for j, c := range dec.Document {
				src.doc[j] = [2]float64{c.X, c.Y}
			}
		}
		res := &Result{Timings: timings{}}
		err := r.readMRZ(context.Background(), src, now, res)
		m.end()
		if err != nil {
			b.Fatal(err)
		}
		if !slices.Equal(res.Data.MRZ, set[k].lines) {
			b.Fatalf("photo %d misread: %q", k, res.Data.MRZ)
		}
	}
	m.report(b)
}

// BenchmarkDecode12MP: imagecheck's decode and outline of the same
// photos, to subtract from BenchmarkReadMRZ12MP's cpu_ms.
func BenchmarkDecode12MP(b *testing.B) {
	set := mrzBenchSet(b)
	m := newCPUMeter()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.begin()
		_, err := imagecheck.Decode(set[i%len(set)].data, workSize, 0)
		m.end()
		if err != nil {
			b.Fatal(err)
		}
	}
	m.report(b)
}

// BenchmarkReadCNID: front and back of a mainland ID, 12 MP JPEGs, read
// through libtesseract; one op is both sides.
func BenchmarkReadCNID(b *testing.B) {
	front := cnFront{"张伟", "男", "汉", "1990", "3", "7", []string{"北京市东城区景山前街", "4号院2号楼"}, "110101199003074514"}
	o := sceneOpts{w: 4000, h: 3000, fill: 0.6, angle: 4, noise: 4, jpegQ: 88, seed: 5}
	fp := photograph(b, renderCNFront(b, front, true), o)
	bp := photograph(b, renderCNBack(b, "北京市公安局东城分局", "2010.05.12-2030.05.12", true), o)
	r, err := New(Options{Budget: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	// readPair reads both sides and returns the reader's own timings:
	// the whole reads and the reads beyond decode and outline (ms).
	readPair := func() (tt, bd float64) {
		for _, side := range []struct {
			photo []byte
			side  imagecheck.Side
		}{{fp, imagecheck.Front}, {bp, imagecheck.Back}} {
			res, err := r.Read(context.Background(), side.photo, side.side, cnHint)
			if err != nil {
				b.Fatal(err)
			}
			if !res.Data.Readable {
				b.Fatalf("%v side unread", side.side)
			}
			tt += res.Timings["total"]
			bd += res.Timings["total"] - res.Timings["decode"] - res.Timings["document"]
		}
		return tt, bd
	}
	// The process's first pair is cold (the recognisers' buffers and
	// ONNX Runtime's shapes set up), paid once by a worker, not per
	// card: it is read before the timed loop and reported apart.
	_, first := readPair()
	var total, beyond, proc, dec []time.Duration
	m := newCPUMeter()
	b.ResetTimer()
	for b.Loop() {
		m.begin()
		p0 := processCPU()
		tt, bd := readPair()
		m.end()
		proc = append(proc, processCPU()-p0)
		// The decode's share, measured apart on the same thread.
		d0 := threadcpu.Now()
		for _, ph := range [][]byte{fp, bp} {
			if _, err := imagecheck.Decode(ph, workSize, 0); err != nil {
				b.Fatal(err)
			}
		}
		dec = append(dec, threadcpu.Now()-d0)
		total = append(total, time.Duration(tt*1e6))
		beyond = append(beyond, time.Duration(bd*1e6))
	}
	percentiles(b, total, "")
	percentiles(b, beyond, "beyond_decode_")
	percentiles(b, proc, "proc_cpu_")
	percentiles(b, dec, "decode_cpu_")
	m.report(b)
	b.ReportMetric(first, "first_beyond_decode_ms")
}

// BenchmarkMRZEngines compares, on the located zones of the set, this
// package's OCR-B recogniser with Tesseract's English model (whitelisted
// to the MRZ alphabet, one line at a time): ms per zone and the share of
// lines recognised exactly before any check-digit repair.
func BenchmarkMRZEngines(b *testing.B) {
	ps := decodedPlanes(b)
	set := mrzBenchSet(b)
	type zone struct {
		p     *plane
		lines []textLine
		truth []string
	}
	var zones []zone
	for i, p := range ps {
		c := locateMRZ(p.half())
		if len(c) == 0 {
			b.Fatal("nothing located")
		}
		h, ok := recogniseMRZ(context.Background(), p, c[0].scaled(2), time.Now())
		if !ok {
			b.Fatal("not recognised")
		}
		// The reading direction and cells the reader settled on.
		zones = append(zones, zone{p, zoneLines(p, c[0].scaled(2), h), set[i].lines})
	}
	b.Run("own", func(b *testing.B) {
		exact, n := 0, 0
		m := newCPUMeter()
		for i := 0; b.Loop(); i++ {
			z := zones[i%len(zones)]
			m.begin()
			var got []string
			for _, l := range z.lines {
				sc, _, _ := scoreLine(z.p, l, l.n)
				var s strings.Builder
				for j := range sc {
					s.WriteByte(ranked(&sc[j], clsAny)[0].ch)
				}
				got = append(got, s.String())
			}
			m.end()
			for k := range got {
				if got[k] == z.truth[k] {
					exact++
				}
				n++
			}
		}
		b.ReportMetric(float64(exact)/float64(n), "lines_exact")
		m.report(b)
	})
	b.Run("tesseract", func(b *testing.B) {
		r, err := New(Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		tp, _ := r.tess.get()
		defer r.tess.put(tp)
		exact, n := 0, 0
		m := newCPUMeter()
		for i := 0; b.Loop(); i++ {
			z := zones[i%len(zones)]
			m.begin()
			var got []string
			for _, l := range z.lines {
				strip := lineStrip(z.p, l, 24)
				got = append(got, strings.ReplaceAll(tp.eng.recognise(strip.pix, strip.w, strip.h, psmSingleLine, mrzAlphabet), " ", ""))
			}
			m.end()
			for k := range got {
				if got[k] == z.truth[k] {
					exact++
				}
				n++
			}
		}
		b.ReportMetric(float64(exact)/float64(n), "lines_exact")
		m.report(b)
	})
}

// zoneLines returns the candidate's lines in the reading direction and
// with the cells the recogniser chose.
func zoneLines(p *plane, c mrzCandidate, h mrzHit) []textLine {
	cells := len(h.lines[0])
	best, bestScore := []textLine(nil), math.Inf(-1)
	for _, rev := range []bool{false, true} {
		ls := slices.Clone(c.lines)
		if rev {
			slices.Reverse(ls)
			for i := range ls {
				ls[i] = ls[i].reversed()
			}
		}
		var total float64
		for i := range ls {
			var s float64
			_, ls[i], s = scoreLine(p, ls[i], cells)
			total += s
		}
		if total > bestScore {
			best, bestScore = ls, total
		}
	}
	return best
}

// lineStrip samples a line upright into a strip whose pitch is px pixels,
// with a margin of one pitch.
func lineStrip(p *plane, l textLine, px int) *plane {
	w, h := (l.n+2)*px, 2*px
	out := newPlane(w, h)
	for y := 0; y < h; y++ {
		t := (float64(y)+0.5)/float64(px) - 1
		for x := 0; x < w; x++ {
			s := (float64(x)+0.5)/float64(px) - 1.5
			cx, cy, ux, uy := l.centre(s)
			out.pix[y*w+x] = byte(p.at(cx-t*uy, cy+t*ux) + 0.5)
		}
	}
	return out
}

func ExampleResult_LogSafe() {
	res := &Result{Data: kyc.DocumentRead{Kind: kyc.ReadTD3, Expected: true, Readable: true, ChecksValid: true, Surname: "ERIKSSON"},
		Timings: map[string]float64{"total": 21.5}}
	fmt.Println(res)
	// Output: docread.Result{kind="td3" expected=true readable=true checks_valid=true ms=21.5}
}
