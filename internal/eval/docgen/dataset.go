package docgen

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/kycq/kycq/imagecheck/turbojpeg"
	"github.com/kycq/kycq/kyc/reason"
)

// Unreadable is the pseudo-defect of items whose bytes are not a usable
// image (truncated, garbage, empty, a decompression bomb).
const Unreadable Defect = "unreadable"

// Splits of a dataset: thresholds are calibrated on one and measured on
// the other.
const (
	SplitCalibrate = "calibrate"
	SplitTest      = "test"
)

// Item is one file of a dataset and its truth.
type Item struct {
	File  string `json:"file"`
	Split string `json:"split"`
	Size  Size   `json:"size,omitempty"`
	// Portrait names the DatasetSpec portrait the front carries (empty:
	// a drawn face, or none).
	Portrait string `json:"portrait,omitempty"`
	// RealFinger: see Spec.RealFinger.
	RealFinger bool `json:"real_finger,omitempty"`
	Label
	Encoding Encoding `json:"encoding"`
}

// Manifest lists a dataset's files (manifest.json in its directory).
type Manifest struct {
	Version int         `json:"version"`
	Spec    DatasetSpec `json:"spec"`
	Items   []Item      `json:"items"`
}

// DatasetSpec describes a dataset to write.
type DatasetSpec struct {
	Seed int64 `json:"seed"`
	// PerCell photos per defect and strength; Clean clean photos;
	// Unreadable broken files.
	PerCell    int `json:"per_cell"`
	Clean      int `json:"clean"`
	Unreadable int `json:"unreadable"`
	// Share12MP of the photos are 12 MP (slow to make), the rest 2 MP
	// and 1.2 MP.
	Share12MP float64 `json:"share_12mp"`
	// Size, when set, is the size of every photo (small sets for tests).
	Size Size `json:"size,omitempty"`
	// Portraits, when given, are the faces the fronts carry (each front
	// picks one), printed as a card prints them; without them fronts
	// carry a drawn face. PortraitNames records their names in the
	// manifest.
	Portraits     []Portrait `json:"-"`
	PortraitNames []string   `json:"portraits,omitempty"`
	// Defects, when given, limits the defect photos to these defects
	// (all of Defects otherwise).
	Defects []Defect `json:"defects,omitempty"`
	// Designs, when given, are the card design families the photos are
	// drawn from (each photo picks one); none: the classic card only.
	Designs []Design `json:"designs,omitempty"`
	// RealFingers draws the fingertips over corners as photographed
	// ones look (Spec.RealFinger).
	RealFingers bool `json:"real_fingers,omitempty"`
	// Workers generating in parallel (GOMAXPROCS when 0).
	Workers  int                   `json:"-"`
	Progress func(done, total int) `json:"-"`
}

// Portrait is a face photo for the fronts of a dataset.
type Portrait struct {
	Name  string
	Image image.Image
	// Person names who is shown, when known: the portraits of one person
	// share it. Empty when nobody labelled the face.
	Person string
}

// Plan lists the items of a dataset without generating them.
func Plan(ds DatasetSpec) []Item {
	var items []Item
	n := 0
	add := func(d Defect, s Strength) {
		r := newRNG(ds.Seed, uint64(n)+1000)
		it := Item{Label: Label{Seed: ds.Seed*1_000_003 + int64(n), Defect: d, Strength: s}}
		it.Split = SplitCalibrate
		if n%2 == 1 {
			it.Split = SplitTest
		}
		switch x := r.Float64(); {
		case x < ds.Share12MP:
			it.Size = Size12MP
		case x < ds.Share12MP+(1-ds.Share12MP)*0.6:
			it.Size = Size2MP
		default:
			it.Size = Size1MP
		}
		if ds.Size != "" {
			it.Size = ds.Size
		}
		it.Side = Front
		if r.IntN(10) < 4 && d != NoFace {
			it.Side = Back
		}
		if len(ds.Designs) > 0 && d != Unreadable {
			// A stream of its own, as for the portraits.
			it.Design = ds.Designs[newRNG(ds.Seed, uint64(n)+600_000).IntN(len(ds.Designs))]
		}
		if it.Side == Front && d != NoFace && d != Unreadable && len(ds.Portraits) > 0 {
			// A stream of its own: the rest of the plan does not depend
			// on the portraits available.
			it.Portrait = ds.Portraits[newRNG(ds.Seed, uint64(n)+500_000).IntN(len(ds.Portraits))].Name
		}
		it.RealFinger = ds.RealFingers && d == CutOff
		it.Encoding = Encoding{Format: JPEG, Quality: 75 + r.IntN(18), Orientation: 1}
		if it.Size == Size12MP {
			it.Encoding.Quality = 88 + r.IntN(8)
		}
		switch x := r.IntN(100); {
		case x < 8 && it.Size != Size12MP:
			it.Encoding = Encoding{Format: PNG}
		case x < 20:
			it.Encoding.Orientation = pick(r, 3, 6, 6, 8)
		case x < 28 && turbojpeg.Available:
			it.Encoding.Progressive = true
		}
		if r.IntN(100) < 12 {
			it.Label.Width = -1 // vertical frame, resolved in generate
		}
		ext := "jpg"
		if it.Encoding.Format == PNG {
			ext = "png"
		}
		name := string(d)
		if s > 0 {
			name += fmt.Sprintf("_s%d", s)
		}
		if it.Design != DesignClassic {
			name = string(it.Design) + "_" + name
		}
		it.File = fmt.Sprintf("%05d_%s.%s", n, name, ext)
		if d == Unreadable {
			it.File = fmt.Sprintf("%05d_%s.bin", n, name)
			it.Codes = []reason.Code{reason.DocUnreadable}
		}
		items = append(items, it)
		n++
	}
	for i := 0; i < ds.Clean; i++ {
		add(Clean, 0)
	}
	defects := Defects
	if len(ds.Defects) > 0 {
		defects = ds.Defects
	}
	for _, d := range defects {
		for s := Subtle; s <= Clear; s++ {
			for i := 0; i < ds.PerCell; i++ {
				add(d, s)
			}
		}
	}
	for i := 0; i < ds.Unreadable; i++ {
		add(Unreadable, 0)
	}
	return items
}

// Make generates and encodes one planned item; portraits are the
// dataset's (see DatasetSpec.Portraits).
func Make(it Item, portraits []Portrait) ([]byte, Label, error) {
	if it.Defect == Unreadable {
		return makeUnreadable(it.Seed), Label{Seed: it.Seed, Defect: Unreadable, Codes: []reason.Code{reason.DocUnreadable}}, nil
	}
	spec := Spec{Seed: it.Seed, Size: it.Size, Side: it.Side, Defect: it.Defect, Strength: it.Strength, Vertical: it.Label.Width == -1, Design: it.Design, RealFinger: it.RealFinger}
	if it.Portrait != "" {
		for _, p := range portraits {
			if p.Name == it.Portrait {
				spec.Portrait, spec.PrintedPortrait = p.Image, true
			}
		}
		if spec.Portrait == nil {
			return nil, Label{}, fmt.Errorf("docgen: no portrait %q", it.Portrait)
		}
	}
	img, lab := Generate(spec)
	data, err := Encode(img, it.Encoding)
	return data, lab, err
}

// makeUnreadable returns bytes no checker should accept: empty, garbage,
// a truncated JPEG, a text file, or a PNG header announcing a
// decompression bomb.
func makeUnreadable(seed int64) []byte {
	r := newRNG(seed, 7)
	switch r.IntN(5) {
	case 0:
		return nil
	case 1:
		b := make([]byte, 1000+r.IntN(50000))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	case 2:
		img, _ := Generate(Spec{Seed: seed, Size: SizeTest})
		data, _ := Encode(img, Encoding{Quality: 85})
		return data[:len(data)*(3+r.IntN(5))/10]
	case 3:
		return []byte("this is not an image\n")
	}
	// 100000 × 100000 pixels in the IHDR, then nothing useful.
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR")
	b = binary.BigEndian.AppendUint32(b, 100000)
	b = binary.BigEndian.AppendUint32(b, 100000)
	b = append(b, 8, 2, 0, 0, 0)
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[12:]))
	return append(b, make([]byte, 64)...)
}

// WriteDataset generates the dataset into dir (files that already exist
// with a manifest entry are kept: datasets are cached) and writes
// manifest.json.
func WriteDataset(dir string, ds DatasetSpec) (Manifest, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Manifest{}, err
	}
	ds.PortraitNames = ds.PortraitNames[:0]
	for _, p := range ds.Portraits {
		ds.PortraitNames = append(ds.PortraitNames, p.Name)
	}
	items := Plan(ds)
	workers := ds.Workers
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
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				it := &items[i]
				path := filepath.Join(dir, it.File)
				var lab Label
				var err error
				var data []byte
				if _, statErr := os.Stat(path); statErr == nil && it.Defect != Unreadable {
					// Cached: regenerate only the label (cheap: no encode)
					// would still render; instead keep the label from a
					// previous manifest when present.
					lab, err = cachedLabel(dir, *it, ds.Seed)
				}
				if lab.Defect == "" {
					data, lab, err = Make(*it, ds.Portraits)
					if err == nil {
						err = os.WriteFile(path, data, 0o644)
					}
				}
				mu.Lock()
				if err != nil && first == nil {
					first = fmt.Errorf("%s: %w", it.File, err)
				}
				split, file, size, enc := it.Split, it.File, it.Size, it.Encoding
				it.Label = lab
				it.Split, it.File, it.Size, it.Encoding = split, file, size, enc
				done++
				if ds.Progress != nil {
					ds.Progress(done, len(items))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range items {
		next <- i
	}
	close(next)
	wg.Wait()
	if first != nil {
		return Manifest{}, first
	}
	m := Manifest{Version: 1, Spec: ds, Items: items}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return m, err
	}
	return m, os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o644)
}

var (
	cacheMu  sync.Mutex
	cacheFor = map[string]map[string]Item{}
)

// cachedLabel returns the label of the planned item it from dir's existing
// manifest, when that manifest made the same item (same seed, size,
// encoding and portrait); a zero Label otherwise.
func cachedLabel(dir string, it Item, seed int64) (Label, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	items, ok := cacheFor[dir]
	if !ok {
		items = map[string]Item{}
		if m, err := ReadManifest(dir); err == nil && m.Spec.Seed == seed {
			for _, it := range m.Items {
				items[it.File] = it
			}
		}
		cacheFor[dir] = items
	}
	old, ok := items[it.File]
	if !ok || old.Seed != it.Seed || old.Size != it.Size || old.Encoding != it.Encoding || old.Portrait != it.Portrait || old.Design != it.Design {
		return Label{}, nil
	}
	return old.Label, nil
}

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return Manifest{}, err
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return Manifest{}, fmt.Errorf("docgen: %s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	if m.Version != 1 {
		return m, errors.New("docgen: unsupported manifest version")
	}
	return m, nil
}
