// Package knownfaces searches a new face against the faces already
// verified (rules §10: one person behind many accounts).
//
// Index is the interface the decision path uses; Exact is the default: an
// exact, in-memory nearest-neighbour search over int8-quantised
// descriptors (one 128-byte row per account, a per-row scale and squared
// norm), scanned with an AVX2 int8 dot-product kernel. 1,000,000 faces
// take about 150 MB and one search scans them in a few milliseconds on
// one core (BenchmarkSearch1M). A vector database can implement Index
// when one process can no longer hold the faces.
//
// Descriptors are biometric data: the index holds them unsealed in memory
// only; the store keeps them sealed (storage.KnownFaces).
package knownfaces

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"sync"
)

// Dim is the descriptor length (face/model.DescriptorLen).
const Dim = 128

// Entry is one known face.
type Entry struct {
	AccountID string
	// DocKey is the document key of the approval the face comes from.
	DocKey     string
	Descriptor []float32
}

// Match is one search result.
type Match struct {
	AccountID string
	// DocHash is a 64-bit hash of the entry's document key (see
	// HashDocKey): compare it to tell the same document from another.
	DocHash uint64
	// Distance is the Euclidean descriptor distance (face's scale: 0.6 is
	// dlib's same-person radius), from the quantised descriptors.
	Distance float64
}

// Index is a searchable set of known faces, one per account. Its methods
// are safe for concurrent use.
type Index interface {
	// Put adds the account's face, replacing the one it had.
	Put(e Entry) error
	// Delete removes the account's face (nothing when it has none).
	Delete(accountID string)
	// Search returns up to k faces nearest to the descriptor, nearest
	// first, whose distance is at most maxDistance.
	Search(descriptor []float32, k int, maxDistance float64) ([]Match, error)
	// Len is the number of faces.
	Len() int
}

// HashDocKey is the 64-bit hash the index keeps of a document key.
func HashDocKey(docKey string) uint64 { return hash64(docKey) }

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// Exact is the exact in-memory Index.
type Exact struct {
	mu     sync.RWMutex
	codes  []int8    // Dim per row
	scales []float32 // value = code * scale
	norms  []float32 // squared norm of the original descriptor
	accts  []uint64  // hash of the account ID, scanned by Put and Delete
	ids    []string
	docs   []uint64
	// chunk is the number of rows scored per kernel call (a cache-sized
	// block of dot products).
	chunk int
}

// NewExact returns an empty exact index with room for n faces.
func NewExact(n int) *Exact {
	return &Exact{
		codes: make([]int8, 0, n*Dim), scales: make([]float32, 0, n), norms: make([]float32, 0, n),
		accts: make([]uint64, 0, n), ids: make([]string, 0, n), docs: make([]uint64, 0, n), chunk: 4096,
	}
}

var _ Index = (*Exact)(nil)

// checkDescriptor refuses a descriptor of the wrong length or with a
// non-finite value.
func checkDescriptor(d []float32) error {
	if len(d) != Dim {
		return fmt.Errorf("knownfaces: descriptor has %d values, want %d", len(d), Dim)
	}
	for _, v := range d {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return errors.New("knownfaces: descriptor holds a non-finite value")
		}
	}
	return nil
}

// quantise maps d to int8 codes with one scale (max |v| → 127) and
// returns the scale and d's squared norm.
func quantise(d []float32, codes []int8) (scale, norm float32) {
	var m float32
	for _, v := range d {
		m = max(m, float32(math.Abs(float64(v))))
		norm += v * v
	}
	if m == 0 {
		clear(codes)
		return 0, 0
	}
	scale = m / 127
	for i, v := range d {
		codes[i] = int8(math.Round(float64(v / scale)))
	}
	return scale, norm
}

// find returns the row of the account, or -1.
func (x *Exact) find(accountID string) int {
	h := hash64(accountID)
	for i, a := range x.accts {
		if a == h && x.ids[i] == accountID {
			return i
		}
	}
	return -1
}

// Put implements Index.
func (x *Exact) Put(e Entry) error {
	if e.AccountID == "" {
		return errors.New("knownfaces: an entry needs an account")
	}
	if err := checkDescriptor(e.Descriptor); err != nil {
		return err
	}
	var row [Dim]int8
	scale, norm := quantise(e.Descriptor, row[:])
	x.mu.Lock()
	defer x.mu.Unlock()
	if i := x.find(e.AccountID); i >= 0 {
		copy(x.codes[i*Dim:], row[:])
		x.scales[i], x.norms[i], x.docs[i] = scale, norm, hash64(e.DocKey)
		return nil
	}
	x.codes = append(x.codes, row[:]...)
	x.scales = append(x.scales, scale)
	x.norms = append(x.norms, norm)
	x.accts = append(x.accts, hash64(e.AccountID))
	x.ids = append(x.ids, e.AccountID)
	x.docs = append(x.docs, hash64(e.DocKey))
	return nil
}

// Delete implements Index: the last row moves into the deleted one.
func (x *Exact) Delete(accountID string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	i := x.find(accountID)
	if i < 0 {
		return
	}
	last := len(x.ids) - 1
	copy(x.codes[i*Dim:(i+1)*Dim], x.codes[last*Dim:])
	x.scales[i], x.norms[i], x.accts[i], x.ids[i], x.docs[i] = x.scales[last], x.norms[last], x.accts[last], x.ids[last], x.docs[last]
	x.codes = x.codes[:last*Dim]
	x.scales, x.norms, x.accts, x.ids, x.docs = x.scales[:last], x.norms[:last], x.accts[:last], x.ids[:last], x.docs[:last]
	x.ids = slices.Clip(x.ids) // let the deleted string go on the next append
}

// Len implements Index.
func (x *Exact) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.ids)
}

// Search implements Index: every row is scored (an exact search).
func (x *Exact) Search(d []float32, k int, maxDistance float64) ([]Match, error) {
	if err := checkDescriptor(d); err != nil {
		return nil, err
	}
	if k <= 0 {
		return nil, nil
	}
	var row [Dim]int8
	qs, qn := quantise(d, row[:])
	var q [Dim]int16
	for i, c := range row {
		q[i] = int16(c)
	}
	maxD2 := float32(maxDistance * maxDistance)
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := len(x.ids)
	chunk := max(x.chunk, 1)
	buf := make([]int32, min(chunk, n))
	type cand struct {
		i  int
		d2 float32
	}
	best := make([]cand, 0, k+1)
	for start := 0; start < n; start += chunk {
		m := min(chunk, n-start)
		out := buf[:m]
		dots(x.codes[start*Dim:(start+m)*Dim], &q, out)
		for j, dot := range out {
			i := start + j
			d2 := qn + x.norms[i] - 2*qs*x.scales[i]*float32(dot)
			if d2 > maxD2 || (len(best) == k && d2 >= best[k-1].d2) {
				continue
			}
			// Insert in order (k is small).
			p := len(best)
			for p > 0 && best[p-1].d2 > d2 {
				p--
			}
			best = slices.Insert(best, p, cand{i, d2})
			if len(best) > k {
				best = best[:k]
			}
		}
	}
	out := make([]Match, len(best))
	for j, c := range best {
		out[j] = Match{AccountID: x.ids[c.i], DocHash: x.docs[c.i], Distance: math.Sqrt(float64(max(c.d2, 0)))}
	}
	return out, nil
}
