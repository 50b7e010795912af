package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/storage"
)

// Applicant is one synthetic application: a fresh account, basic info and
// the files uploaded for it.
type Applicant struct {
	Account string
	Info    api.BasicInfo
	Files   map[storage.Slot]client.File
}

// Source makes the i-th applicant of a run. It is called from many
// goroutines at once.
type Source func(i int) (Applicant, error)

// PoolOptions say how SampleSource makes its applicants.
type PoolOptions struct {
	// Pool is how many distinct file sets (ID card photos and selfie
	// video) are made up front; applicants take them in turn. Each costs
	// about a second of ffmpeg. Default 4.
	Pool int
	// Seed varies the accounts, documents and file sets of a run; runs
	// against one database need different seeds.
	Seed int64
	// FFmpeg is the ffmpeg binary making the selfie videos ("ffmpeg" when
	// empty).
	FFmpeg string
}

// SampleSource makes realistic applicants with internal/eval/sample: it
// renders Pool selfie videos up front, each of one of the bundled
// public-domain portraits (the expensive part, about a second of ffmpeg
// each), then gives every applicant an account of its own, a pooled
// selfie and an ID card of its own carrying the same face: basic info
// from sample.InfoOf with a document number no other applicant of the run
// holds, and document photos (sample.Documents) printing exactly that
// info, since kycq reads the document and holds the info to it. So
// applicants neither compete for one document (the second would be
// rejected as doc_already_used) nor claim data their card does not print
// (doc_data_mismatch). Every applicant should be approved by a service run
// with KYCQ_KNOWN_FACES=false: the pool's two faces on many accounts are
// what the known-faces rule (rules §10) sends to manual review.
func SampleSource(ctx context.Context, o PoolOptions) (Source, error) {
	if o.Pool <= 0 {
		o.Pool = 4
	}
	faces := sample.Faces()
	type pooled struct {
		seed   int64
		face   string
		selfie client.File
	}
	pool := make([]pooled, o.Pool)
	for k := range pool {
		face := faces[k%len(faces)]
		seed := o.Seed + int64(k)
		a, err := sample.New(ctx, sample.Options{Seed: seed, Face: face, FFmpeg: o.FFmpeg})
		if err != nil {
			return nil, fmt.Errorf("loadgen: sample applicant: %w", err)
		}
		pool[k] = pooled{seed: seed, face: face, selfie: a.Files[storage.SlotSelfie]}
	}
	docs := newDocNumbers(o.Seed)
	return func(i int) (Applicant, error) {
		p := pool[i%len(pool)]
		// The pooled entry's seed makes the photos (a scene the run's seed
		// picks, as the selfie); the applicant's own seed its identity.
		so := sample.Options{Seed: p.seed, IdentitySeed: docs.seed(i), Face: p.face}
		files, err := sample.Documents(so)
		if err != nil {
			return Applicant{}, fmt.Errorf("loadgen: sample documents: %w", err)
		}
		files[storage.SlotSelfie] = p.selfie
		return Applicant{
			Account: fmt.Sprintf("load-%d-%d", o.Seed, i),
			Info:    sample.InfoOf(so),
			Files:   files,
		}, nil
	}, nil
}

// docNumbers hands out the sample seed of applicant i's ID card
// (sample.Info of that seed is its info), with a document number unique
// within the run: sample.Info draws the number at random from its seed,
// so two seeds may collide; a collision moves on to the next seed.
type docNumbers struct {
	base int64
	mu   sync.Mutex
	used map[string]bool
	byI  map[int]int64
	next int64 // next seed offset not yet tried
}

func newDocNumbers(base int64) *docNumbers {
	// The offset keeps the document seeds apart from the file-set seeds.
	return &docNumbers{base: base*1_000_003 + 7, used: map[string]bool{}, byI: map[int]int64{}}
}

// seed returns the sample seed of applicant i's ID card.
func (d *docNumbers) seed(i int) int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.byI[i]; ok {
		return s
	}
	for {
		s := d.base + d.next
		d.next++
		if s == 0 {
			continue // sample.Options.IdentitySeed 0 means Seed
		}
		if in := sample.Info(s); !d.used[in.IDNumber] {
			d.used[in.IDNumber] = true
			d.byI[i] = s
			return s
		}
	}
}

// DirSource makes applicants from sample directories, as written by
// `go run ./internal/tools/sample -out DIR`: front.jpg (or .png),
// optionally back.jpg, selfie.mp4 (or a still selfie.jpg), and info.json,
// the basic info the document prints. dir is one such directory, or holds
// several as subdirectories. Applicant i submits sample i mod the number
// of samples under an account of its own, with that sample's own
// info.json: kycq reads the document and holds the info to it, so any
// other info would be refused as doc_data_mismatch. One document opens
// one account: with more applicants than samples, the later uses of a
// sample are refused as doc_already_used unless the service is reset
// between runs.
func DirSource(dir string, seed int64) (Source, error) {
	dirs := []string{dir}
	if !hasFront(dir) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("loadgen: %w", err)
		}
		dirs = nil
		for _, e := range entries {
			if sub := filepath.Join(dir, e.Name()); e.IsDir() && hasFront(sub) {
				dirs = append(dirs, sub)
			}
		}
		if len(dirs) == 0 {
			return nil, fmt.Errorf("loadgen: %s has no front.jpg, nor subdirectories with one", dir)
		}
	}
	samples := make([]Applicant, len(dirs))
	for k, d := range dirs {
		a, err := readSample(d)
		if err != nil {
			return nil, err
		}
		samples[k] = a
	}
	return func(i int) (Applicant, error) {
		a := samples[i%len(samples)]
		a.Account = fmt.Sprintf("load-%d-%d", seed, i)
		return a, nil
	}, nil
}

// hasFront reports whether dir holds a front photo.
func hasFront(dir string) bool {
	for _, n := range []string{"front.jpg", "front.png"} {
		if st, err := os.Stat(filepath.Join(dir, n)); err == nil && !st.IsDir() {
			return true
		}
	}
	return false
}

// readSample reads one sample directory: its files and info.json.
func readSample(dir string) (Applicant, error) {
	files := map[storage.Slot]client.File{}
	for slot, names := range map[storage.Slot][]string{
		storage.SlotFront:  {"front.jpg", "front.png"},
		storage.SlotBack:   {"back.jpg", "back.png"},
		storage.SlotSelfie: {"selfie.mp4", "selfie.webm", "selfie.jpg", "selfie.png"},
	} {
		for _, n := range names {
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				continue
			}
			ct := mime.TypeByExtension(filepath.Ext(n))
			ct, _, _ = strings.Cut(ct, ";")
			files[slot] = client.File{ContentType: ct, Data: b}
			break
		}
	}
	if _, ok := files[storage.SlotFront]; !ok {
		return Applicant{}, fmt.Errorf("loadgen: %s has no front.jpg", dir)
	}
	if _, ok := files[storage.SlotSelfie]; !ok {
		return Applicant{}, fmt.Errorf("loadgen: %s has no selfie.mp4 or selfie.jpg", dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, "info.json"))
	if err != nil {
		return Applicant{}, fmt.Errorf("loadgen: %s has no info.json, the info its document prints (go run ./internal/tools/sample writes it): %w", dir, err)
	}
	var info api.BasicInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return Applicant{}, fmt.Errorf("loadgen: %s/info.json: %w", dir, err)
	}
	return Applicant{Info: info, Files: files}, nil
}
