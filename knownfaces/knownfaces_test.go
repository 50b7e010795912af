package knownfaces

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/threadcpu"
)

// randomFace is a descriptor like dlib's: 128 values of about ±0.1.
func randomFace(r *rand.Rand) []float32 {
	d := make([]float32, Dim)
	for i := range d {
		d[i] = float32(r.NormFloat64() * 0.09)
	}
	return d
}

// near returns d moved by a random offset of about the given length.
func near(r *rand.Rand, d []float32, dist float64) []float32 {
	out := slices.Clone(d)
	s := dist / math.Sqrt(Dim)
	for i := range out {
		out[i] += float32(r.NormFloat64() * s)
	}
	return out
}

func exactDistance(a, b []float32) float64 {
	s := 0.0
	for i := range a {
		d := float64(a[i] - b[i])
		s += d * d
	}
	return math.Sqrt(s)
}

func TestDotsKernelsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 37
	codes := make([]int8, n*Dim)
	for i := range codes {
		codes[i] = int8(r.IntN(255) - 127)
	}
	codes[0], codes[1] = -128, 127 // the extremes
	var q [Dim]int16
	for i := range q {
		q[i] = int16(r.IntN(255) - 127)
	}
	want := make([]int32, n)
	for i := range want {
		for j := 0; j < Dim; j++ {
			want[i] += int32(codes[i*Dim+j]) * int32(q[j])
		}
	}
	got := make([]int32, n)
	dotsGo(codes, &q, got)
	if !slices.Equal(got, want) {
		t.Fatalf("dotsGo differs: %v vs %v", got[:4], want[:4])
	}
	clear(got)
	dots(codes, &q, got)
	if !slices.Equal(got, want) {
		t.Fatalf("dots (avx2=%v) differs: %v vs %v", useAVX2, got[:4], want[:4])
	}
}

func TestExactSearch(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := NewExact(0)
	x.chunk = 7 // several chunks, and a partial one
	faces := map[string][]float32{}
	for i := 0; i < 200; i++ {
		id := fmt.Sprintf("acct-%03d", i)
		faces[id] = randomFace(r)
		if err := x.Put(Entry{AccountID: id, DocKey: "doc-" + id, Descriptor: faces[id]}); err != nil {
			t.Fatal(err)
		}
	}
	if x.Len() != 200 {
		t.Fatalf("Len %d", x.Len())
	}
	// A new selfie of acct-042: found first, with the right distance and
	// document; the rest are far.
	probe := near(r, faces["acct-042"], 0.3)
	ms, err := x.Search(probe, 3, 0.6)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].AccountID != "acct-042" || ms[0].DocHash != HashDocKey("doc-acct-042") {
		t.Fatalf("search: %+v", ms)
	}
	if want := exactDistance(probe, faces["acct-042"]); math.Abs(ms[0].Distance-want) > 0.01 {
		t.Errorf("distance %.4f, exact %.4f", ms[0].Distance, want)
	}
	// The k nearest agree with a brute-force float search.
	all, err := x.Search(probe, 5, math.Inf(1))
	if err != nil {
		t.Fatal(err)
	}
	type pair struct {
		id string
		d  float64
	}
	var ref []pair
	for id, f := range faces {
		ref = append(ref, pair{id, exactDistance(probe, f)})
	}
	sort.Slice(ref, func(i, j int) bool { return ref[i].d < ref[j].d })
	for i, m := range all {
		if m.AccountID != ref[i].id {
			t.Errorf("rank %d: %s (%.4f), float search %s (%.4f)", i, m.AccountID, m.Distance, ref[i].id, ref[i].d)
		}
	}
	// Replace, delete, and bad input.
	if err := x.Put(Entry{AccountID: "acct-042", DocKey: "doc-new", Descriptor: randomFace(r)}); err != nil {
		t.Fatal(err)
	}
	if ms, _ := x.Search(probe, 1, 0.6); len(ms) != 0 || x.Len() != 200 {
		t.Errorf("after replacing acct-042's face: %+v, len %d", ms, x.Len())
	}
	x.Delete("acct-007")
	x.Delete("nobody")
	if x.Len() != 199 {
		t.Errorf("Len after delete %d", x.Len())
	}
	if ms, _ := x.Search(faces["acct-007"], 1, 0.3); len(ms) != 0 {
		t.Errorf("a deleted face was found: %+v", ms)
	}
	if ms, _ := x.Search(faces["acct-199"], 1, 0.3); len(ms) != 1 || ms[0].AccountID != "acct-199" {
		t.Errorf("the row moved by the delete: %+v", ms)
	}
	for _, bad := range []Entry{
		{AccountID: "", Descriptor: randomFace(r)},
		{AccountID: "a", Descriptor: make([]float32, 10)},
		{AccountID: "a", Descriptor: append(make([]float32, Dim-1), float32(math.NaN()))},
	} {
		if err := x.Put(bad); err == nil {
			t.Errorf("Put(%q, %d values) accepted", bad.AccountID, len(bad.Descriptor))
		}
	}
	if _, err := x.Search(make([]float32, 3), 1, 1); err == nil {
		t.Error("a short probe must be an error")
	}
	if x.Len() != 199 {
		t.Errorf("bad input changed the index: %d", x.Len())
	}
}

// BenchmarkSearch1M searches one face among 1,000,000 on one core and
// reports the latency percentiles and the index's memory.
func BenchmarkSearch1M(b *testing.B) {
	runtime.GOMAXPROCS(1)
	r := rand.New(rand.NewPCG(5, 6))
	const n = 1_000_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := NewExact(n)
	d := make([]float32, Dim)
	for i := 0; i < n; i++ {
		for j := range d {
			d[j] = float32(r.NormFloat64() * 0.09)
		}
		if err := x.Put(Entry{AccountID: fmt.Sprintf("acct-%07d", i), DocKey: "k", Descriptor: d}); err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			// Put scans for the account: fill the rest directly below.
			break
		}
	}
	// Filling through Put would scan for each account (quadratic): the
	// rows are appended as Put appends them.
	row := make([]int8, Dim)
	for i := 1; i < n; i++ {
		for j := range d {
			d[j] = float32(r.NormFloat64() * 0.09)
		}
		s, nn := quantise(d, row)
		id := fmt.Sprintf("acct-%07d", i)
		x.codes = append(x.codes, row...)
		x.scales, x.norms = append(x.scales, s), append(x.norms, nn)
		x.accts, x.ids, x.docs = append(x.accts, hash64(id)), append(x.ids, id), append(x.docs, hash64("k"))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	mb := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
	probe := randomFace(r)
	// Wall time suffers from whatever else the machine runs; the thread's
	// CPU time (getrusage of this locked thread) is what one search costs
	// one core. Both are reported.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var lat, cpu []time.Duration
	b.ResetTimer()
	for b.Loop() {
		c0 := threadcpu.Now()
		t0 := time.Now()
		if _, err := x.Search(probe, 5, 0.6); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		cpu = append(cpu, threadcpu.Now()-c0)
	}
	b.StopTimer()
	report := func(v []time.Duration, unit string) {
		slices.Sort(v)
		pct := func(p float64) float64 {
			return float64(v[min(len(v)-1, int(p*float64(len(v))))].Microseconds()) / 1000
		}
		b.ReportMetric(pct(0.5), "p50-"+unit)
		b.ReportMetric(pct(0.9), "p90-"+unit)
		b.ReportMetric(pct(0.99), "p99-"+unit)
		b.ReportMetric(float64(v[len(v)-1].Microseconds())/1000, "max-"+unit)
	}
	report(lat, "ms")
	report(cpu, "cpu-ms")
	b.ReportMetric(mb, "index-MB")
	runtime.KeepAlive(x)
}
