package imagecheck

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kycq/kycq/internal/eval/docgen"
)

// The outline ranker's weights (featureWeights) are fitted on labelled
// photos written by docgen (kycq eval docs -generate), and checked on
// others:
//
//	KYCQ_FIT_TRAIN=DIR[,DIR...] KYCQ_FIT_VAL=DIR[,DIR...] go test ./imagecheck -run TestFitOutlineWeights -v
//
// It prints the weights as Go and, for both sets, how often the
// best-ranked hypothesis is the true outline (overlap ≥ 0.9), with the
// current weights and with the fitted ones. The small planes of each
// photo are cached in DIR/small/.

// fitPhoto is one photo's hypotheses with their features and overlap
// with the true outline.
type fitPhoto struct {
	group string // "clean/BACKGROUND" or "defect/DEFECT"
	hyps  []hypothesis
	iou   []float64
}

// fitLoad decodes (or reads from the cache) the small planes of every
// photo of the datasets in dirs and computes every hypothesis. Screen
// recaptures are left out (their true outline is the card on the screen,
// the finder outlines the screen) and so are the low-resolution ones.
func fitLoad(t *testing.T, dirs string) []fitPhoto {
	var out []fitPhoto
	var mu sync.Mutex
	for _, dir := range strings.Split(dirs, ",") {
		m, err := docgen.ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		cache := filepath.Join(dir, "small")
		if err := os.MkdirAll(cache, 0o755); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		ch := make(chan docgen.Item)
		for w := 0; w < 2; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ws := new(workspace)
				for it := range ch {
					ph, ok := fitPhotoOf(dir, cache, it, ws)
					if ok {
						mu.Lock()
						out = append(out, ph)
						mu.Unlock()
					}
				}
			}()
		}
		for _, it := range m.Items {
			switch it.Defect {
			case docgen.Unreadable, docgen.LowRes, docgen.NotOriginal:
				continue
			}
			ch <- it
		}
		close(ch)
		wg.Wait()
	}
	return out
}

func fitPhotoOf(dir, cache string, it docgen.Item, ws *workspace) (fitPhoto, bool) {
	cf := filepath.Join(cache, it.File+".bin")
	b, err := os.ReadFile(cf)
	if err != nil {
		data, err := os.ReadFile(filepath.Join(dir, it.File))
		if err != nil {
			return fitPhoto{}, false
		}
		d, err := decode(data, DefaultOptions(), ws)
		if err != nil {
			return fitPhoto{}, false
		}
		sf, sw, sh, chans := smallPlanes(&d.p, ws)
		k := float64(d.w) / float64(d.p.w) * float64(sf) // original pixels per small pixel
		b = binary.LittleEndian.AppendUint32(nil, uint32(sw))
		b = binary.LittleEndian.AppendUint32(b, uint32(sh))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(k))
		for c := 0; c < 3; c++ {
			b = append(b, chans[c]...)
		}
		os.WriteFile(cf, b, 0o644)
	}
	sw := int(binary.LittleEndian.Uint32(b))
	sh := int(binary.LittleEndian.Uint32(b[4:]))
	k := math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))
	var chans [3][]byte
	for c := 0; c < 3; c++ {
		chans[c] = append([]byte(nil), b[16+c*sw*sh:16+(c+1)*sw*sh]...)
	}
	var truth [4][2]float64
	for i, q := range it.Quad {
		truth[i] = [2]float64{(q[0]+0.5)/k - 0.5, (q[1]+0.5)/k - 0.5}
	}
	e := findEdges(chans, sw, sh, ws)
	lines := houghLines(e, ws)
	ph := fitPhoto{group: "defect/" + string(it.Defect)}
	if it.Defect == docgen.Clean {
		ph.group = "clean/" + it.Background
	}
	ph.hyps = hypotheses(lines, sw, sh)
	for i := range ph.hyps {
		h := &ph.hyps[i]
		costlyFeatures(h, lines, e)
		ph.iou = append(ph.iou, Overlap(h.q.c, truth, float64(sw), float64(sh)))
	}
	return ph, true
}

// fitWeights maximises the mean log-probability of the good hypotheses
// (overlap ≥ 0.9) under a softmax of the weighted features, over the
// photos that have one (Adam, 400 full-batch steps), pulled towards
// prior by an L2 penalty of strength l2.
func fitWeights(photos []fitPhoto, start, prior [numFeatures]float64, l2 float64) [numFeatures]float64 {
	wv := start
	var m1, m2 [numFeatures]float64
	const lr = 0.05
	for it := 1; it <= 400; it++ {
		var g [numFeatures]float64
		np := 0
		for _, ph := range photos {
			sc := make([]float64, len(ph.hyps))
			mx, pos := math.Inf(-1), false
			for i, h := range ph.hyps {
				for k := range wv {
					sc[i] += wv[k] * h.f[k]
				}
				mx = math.Max(mx, sc[i])
				pos = pos || ph.iou[i] >= 0.9
			}
			if !pos {
				continue
			}
			np++
			var z, zp float64
			for i := range sc {
				sc[i] = math.Exp(sc[i] - mx)
				z += sc[i]
				if ph.iou[i] >= 0.9 {
					zp += sc[i]
				}
			}
			for i, h := range ph.hyps {
				d := sc[i] / z
				if ph.iou[i] >= 0.9 {
					d -= sc[i] / zp
				}
				for k := range g {
					g[k] += d * h.f[k]
				}
			}
		}
		for k := range g {
			g[k] = g[k]/float64(max(1, np)) + l2*(wv[k]-prior[k])
			m1[k] = 0.9*m1[k] + 0.1*g[k]
			m2[k] = 0.999*m2[k] + 0.001*g[k]*g[k]
			mh := m1[k] / (1 - math.Pow(0.9, float64(it)))
			vh := m2[k] / (1 - math.Pow(0.999, float64(it)))
			wv[k] -= lr * mh / (math.Sqrt(vh) + 1e-8)
		}
	}
	return wv
}

// rankAccuracy prints, per group, how often the best-ranked hypothesis
// overlaps the true outline by 0.9 or more.
func rankAccuracy(name string, photos []fitPhoto, wv [numFeatures]float64) {
	type acc struct{ n, ok int }
	res := map[string]*acc{}
	for _, ph := range photos {
		best, bs := -1, math.Inf(-1)
		for i, h := range ph.hyps {
			s := 0.0
			for k := range wv {
				s += wv[k] * h.f[k]
			}
			if s > bs {
				best, bs = i, s
			}
		}
		ok := best >= 0 && ph.iou[best] >= 0.9
		for _, k := range []string{ph.group, strings.Split(ph.group, "/")[0], "all"} {
			if res[k] == nil {
				res[k] = &acc{}
			}
			res[k].n++
			if ok {
				res[k].ok++
			}
		}
	}
	var keys []string
	for k := range res {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("%s: outline found (overlap ≥ 0.9)\n", name)
	for _, k := range keys {
		fmt.Printf("  %-22s %4d/%4d %.3f\n", k, res[k].ok, res[k].n, float64(res[k].ok)/float64(res[k].n))
	}
}

func TestFitOutlineWeights(t *testing.T) {
	train, val := os.Getenv("KYCQ_FIT_TRAIN"), os.Getenv("KYCQ_FIT_VAL")
	if train == "" {
		t.Skip("set KYCQ_FIT_TRAIN (and KYCQ_FIT_VAL) to datasets written by kycq eval docs -generate")
	}
	tr := fitLoad(t, train)
	var va []fitPhoto
	if val != "" {
		va = fitLoad(t, val)
	}
	rankAccuracy("training set, current weights", tr, featureWeights)
	if va != nil {
		rankAccuracy("validation set, current weights", va, featureWeights)
	}
	// KYCQ_FIT_L2=X starts from the current weights and pulls towards
	// them with strength X (a refit that keeps what the photos do not
	// contradict); without it, from zero with a little L2 towards zero.
	var start, prior [numFeatures]float64
	l2 := 0.001
	if v := os.Getenv("KYCQ_FIT_L2"); v != "" {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatal(err)
		}
		start, prior, l2 = featureWeights, featureWeights, x
	}
	wv := fitWeights(tr, start, prior, l2)
	fmt.Println("fitted weights:")
	fmt.Println("var featureWeights = [numFeatures]float64{")
	for k := range wv {
		fmt.Printf("\t// %s\n\t%.3f,\n", featureNames[k], wv[k])
	}
	fmt.Println("}")
	rankAccuracy("training set, fitted weights", tr, wv)
	if va != nil {
		rankAccuracy("validation set, fitted weights", va, wv)
	}
}
