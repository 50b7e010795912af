// Package readeval measures the document reader (package docread) on
// generated, labelled photos: for each document kind (TD1, TD2, TD3, the
// two sides of the mainland resident ID, a visual-only card) and photo
// condition (flat scan, phone photo, small ~600 px, large 12 MP; and on
// request hard print: security background, laminate and glare, ~600 px,
// JPEG 40-60) it
// reports field-level and document-level exact-match rates and which
// characters were read as which. `kycq eval read` runs it.
//
// The labels are the identities the documents print (internal/eval/docgen), so
// a match is a read of exactly what is on the card. Sets are drawn from a
// seed: DevSeeds are for developing the reader, HeldOutSeed is for the
// table that is reported and was seen by no tuning.
package readeval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/kycq/kycq/internal/eval/docgen"
)

// Seeds. Develop and tune on DevSeeds (any of them); report on
// HeldOutSeed, which must not be used for anything else.
// PreviousHeldOutSeed was the held-out seed until the MRZ reader was
// changed after a failure seen on it: it is partly seen, kept to compare.
var (
	DevSeeds            = [2]int64{1, 999} // inclusive range
	HeldOutSeed         = int64(20270101)
	PreviousHeldOutSeed = int64(20261202)
)

// Doc is a document kind as evaluated: the side of a document that a
// reader reports as one kind (kyc.Read* names).
type Doc string

// Documents evaluated.
const (
	TD1       Doc = "td1"         // the back of a TD1 ID card
	TD2       Doc = "td2"         // the front of a TD2 card
	TD3       Doc = "td3"         // a passport data page
	CNIDFront Doc = "cn_id_front" // the front of a mainland resident ID
	CNIDBack  Doc = "cn_id_back"  // its back
	Visual    Doc = "visual"      // a driving licence: no MRZ, the typed values are searched
)

// Docs lists every document kind in table order.
var Docs = []Doc{TD1, TD2, TD3, CNIDFront, CNIDBack, Visual}

// source returns the generator's kind and side for d.
func (d Doc) source() (docgen.Kind, docgen.Side, error) {
	switch d {
	case TD1:
		return docgen.KindTD1, docgen.Back, nil
	case TD2:
		return docgen.KindTD2, docgen.Front, nil
	case TD3:
		return docgen.KindTD3, docgen.Front, nil
	case CNIDFront:
		return docgen.KindCNID, docgen.Front, nil
	case CNIDBack:
		return docgen.KindCNID, docgen.Back, nil
	case Visual:
		return docgen.KindLicence, docgen.Front, nil
	}
	return "", "", fmt.Errorf("readeval: unknown document %q", d)
}

// Condition is how the document was photographed.
type Condition string

// Conditions evaluated.
const (
	Scan  Condition = "scan"  // flat-bed scan, 2 MP frame
	Phone Condition = "phone" // hand-held phone photo: tilt, perspective, shadow, noise; 2 MP
	Small Condition = "small" // phone photo with the document about 600 px wide, strong JPEG
	Large Condition = "large" // phone photo, 12 MP
	// Hard is real printing at its hardest (docgen.Spec.HardPrint:
	// rainbow and fine-line security background under every line, the
	// MRZ included, a holographic laminate and a glare patch over the
	// text), photographed by a phone at about 600 px across the document
	// and saved with strong JPEG compression (quality 40-60). Not in the
	// default set: asked for with -conditions.
	Hard Condition = "hard"
)

// Conditions lists the default conditions in table order.
var Conditions = []Condition{Scan, Phone, Small, Large}

// AllConditions lists every condition in table order: the default ones,
// then Hard.
var AllConditions = []Condition{Scan, Phone, Small, Large, Hard}

// Item is one photo of a set and its truth.
type Item struct {
	File      string          `json:"file"`
	Doc       Doc             `json:"doc"`
	Condition Condition       `json:"condition"`
	Spec      ItemSpec        `json:"spec"`
	Encoding  docgen.Encoding `json:"encoding"`
	// Identity is what the document prints.
	Identity docgen.Identity `json:"identity"`
	// MRZ is the machine-readable zone printed on the side shown.
	MRZ []string `json:"mrz,omitempty"`
}

// ItemSpec is what the generator is asked for.
type ItemSpec struct {
	Seed      int64       `json:"seed"`
	Size      docgen.Size `json:"size,omitempty"`
	Width     int         `json:"width,omitempty"`
	Height    int         `json:"height,omitempty"`
	DocPixels float64     `json:"doc_pixels,omitempty"`
	Vertical  bool        `json:"vertical,omitempty"`
	Portrait  string      `json:"portrait,omitempty"`
	HardPrint bool        `json:"hard_print,omitempty"`
}

// SetSpec describes a set to generate.
type SetSpec struct {
	Seed    int64 `json:"seed"`
	PerCell int   `json:"per_cell"` // photos per document kind and condition
	// PerCellLarge, when set, is the count for the Large condition
	// instead (12 MP photos are slow to make).
	PerCellLarge int `json:"per_cell_large,omitempty"`
	// Docs and Conditions restrict the set (all when empty).
	Docs       []Doc       `json:"docs,omitempty"`
	Conditions []Condition `json:"conditions,omitempty"`
	// Portraits are the faces the documents carry (each picks one); none:
	// drawn faces.
	Portraits []docgen.Portrait     `json:"-"`
	Workers   int                   `json:"-"` // GOMAXPROCS when 0
	Progress  func(done, total int) `json:"-"`
}

// Manifest lists a set's files (manifest.json in its directory).
type Manifest struct {
	Version int     `json:"version"`
	Spec    SetSpec `json:"spec"`
	Items   []Item  `json:"items"`
}

// Plan lists the items of a set without generating them. Every item's
// generator seed and file name follow from the set seed, its document
// kind, condition and rank in the cell, so a set restricted to some kinds
// or conditions holds the same photos as the whole set, and sets of
// different seeds share no document.
func Plan(s SetSpec) []Item {
	docs, conds := s.Docs, s.Conditions
	if len(docs) == 0 {
		docs = Docs
	}
	if len(conds) == 0 {
		conds = Conditions
	}
	var items []Item
	for _, d := range docs {
		for _, c := range conds {
			count := s.PerCell
			if c == Large && s.PerCellLarge > 0 {
				count = s.PerCellLarge
			}
			for i := 0; i < min(count, 10_000); i++ {
				seed := s.Seed*1_000_003 + int64(slices.Index(Docs, d))*100_003 + int64(slices.Index(AllConditions, c))*10_007 + int64(i)
				r := rand.New(rand.NewPCG(uint64(seed), 0x72656164))
				it := Item{Doc: d, Condition: c, Spec: ItemSpec{Seed: seed}}
				it.Encoding = docgen.Encoding{Format: docgen.JPEG, Quality: 78 + r.IntN(15)}
				switch c {
				case Scan, Phone:
					it.Spec.Size = docgen.Size2MP
				case Small:
					it.Spec.Width, it.Spec.Height = 800, 600
					it.Spec.DocPixels = 570 + float64(r.IntN(70))
					it.Encoding.Quality = 60 + r.IntN(21)
				case Large:
					it.Spec.Size = docgen.Size12MP
					it.Encoding.Quality = 85 + r.IntN(11)
				case Hard:
					it.Spec.Width, it.Spec.Height = 800, 600
					it.Spec.DocPixels = 560 + float64(r.IntN(121))
					it.Spec.HardPrint = true
					it.Encoding.Quality = 40 + r.IntN(21)
				}
				if c != Scan && r.IntN(10) == 0 {
					it.Spec.Vertical = true
				}
				if len(s.Portraits) > 0 {
					it.Spec.Portrait = s.Portraits[r.IntN(len(s.Portraits))].Name
				}
				it.File = fmt.Sprintf("%s_%s_%04d.jpg", d, c, i)
				items = append(items, it)
			}
		}
	}
	return items
}

// Make generates and encodes one planned item, filling in its truth.
func Make(it *Item, portraits []docgen.Portrait) ([]byte, error) {
	kind, side, err := it.Doc.source()
	if err != nil {
		return nil, err
	}
	cond := docgen.Phone
	if it.Condition == Scan {
		cond = docgen.Scan
	}
	spec := docgen.Spec{
		Seed: it.Spec.Seed, Size: it.Spec.Size, Width: it.Spec.Width, Height: it.Spec.Height,
		Vertical: it.Spec.Vertical, Side: side, Kind: kind, Condition: cond, DocPixels: it.Spec.DocPixels,
		HardPrint: it.Spec.HardPrint,
	}
	if it.Spec.Portrait != "" {
		for _, p := range portraits {
			if p.Name == it.Spec.Portrait {
				spec.Portrait, spec.PrintedPortrait = p.Image, true
			}
		}
		if spec.Portrait == nil {
			return nil, fmt.Errorf("readeval: no portrait %q", it.Spec.Portrait)
		}
	}
	img, lab, err := docgen.GenerateDocument(spec)
	if err != nil {
		return nil, err
	}
	it.Identity, it.MRZ = *lab.Identity, lab.MRZ
	return docgen.Encode(img, it.Encoding)
}

// WriteSet generates the set into dir and writes manifest.json. A file
// already there from a manifest of the same plan is kept (sets are
// cached). It stops, without a manifest, when ctx ends.
func WriteSet(ctx context.Context, dir string, s SetSpec) (Manifest, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Manifest{}, err
	}
	items := Plan(s)
	old := map[string]Item{}
	if m, err := ReadManifest(dir); err == nil && m.Spec.Seed == s.Seed {
		for _, it := range m.Items {
			old[it.File] = it
		}
	}
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		mu    sync.Mutex
		done  int
		first error
		wg    sync.WaitGroup
	)
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			for i := range next {
				it := &items[i]
				path := filepath.Join(dir, it.File)
				var err error
				if o, ok := old[it.File]; ok && o.Spec == it.Spec && o.Encoding == it.Encoding && o.Doc == it.Doc && exists(path) {
					it.Identity, it.MRZ = o.Identity, o.MRZ
				} else if !ok && whole(path) {
					// Left by a run that stopped before its manifest: the
					// file name fixes the generator seed and spec, and
					// the truth follows from them without rendering.
					err = truth(it)
				} else {
					var data []byte
					if data, err = Make(it, s.Portraits); err == nil {
						err = writeAtomic(path, data)
					}
				}
				mu.Lock()
				if err != nil && first == nil {
					first = fmt.Errorf("%s: %w", it.File, err)
				}
				done++
				if s.Progress != nil {
					s.Progress(done, len(items))
				}
				mu.Unlock()
			}
		})
	}
	for i := range items {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if first != nil {
		return Manifest{}, first
	}
	if err := ctx.Err(); err != nil {
		return Manifest{}, err
	}
	m := Manifest{Version: 1, Spec: s, Items: items}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return m, err
	}
	return m, os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o644)
}

// truth fills in what the item's document prints without drawing it.
func truth(it *Item) error {
	kind, side, err := it.Doc.source()
	if err != nil {
		return err
	}
	it.Identity = docgen.NewIdentity(it.Spec.Seed, kind)
	it.MRZ = nil
	if r := kind.ReadKind(side); r == "td1" || r == "td2" || r == "td3" {
		it.MRZ = it.Identity.MRZ(kind)
	}
	return nil
}

// whole reports whether the file at p is a complete JPEG.
func whole(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	_, err = jpeg.Decode(f)
	return err == nil
}

// writeAtomic writes data to p through a temporary file, so that a run
// stopped half-way never leaves a truncated photo.
func writeAtomic(p string, data []byte) error {
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return Manifest{}, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, fmt.Errorf("readeval: %s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	if m.Version != 1 {
		return m, errors.New("readeval: unsupported manifest version")
	}
	return m, nil
}
