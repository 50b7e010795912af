package loadgen

import (
	"context"
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

// info returns the basic info of applicant i's ID card.
func (d *docNumbers) info(i int) api.BasicInfo { return sample.Info(d.seed(i)) }

// DirSource makes applicants from the files of a sample directory (as
// written by `go run ./internal/tools/sample`): front.jpg (or .png),
// optionally back.jpg, and selfie.mp4 (or a still selfie.jpg). Every
// applicant gets its own account and a document number of its own.
func DirSource(dir string, seed int64) (Source, error) {
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
		return nil, fmt.Errorf("loadgen: %s has no front.jpg", dir)
	}
	if _, ok := files[storage.SlotSelfie]; !ok {
		return nil, fmt.Errorf("loadgen: %s has no selfie.mp4 or selfie.jpg", dir)
	}
	docs := newDocNumbers(seed)
	_, hasBack := files[storage.SlotBack]
	return func(i int) (Applicant, error) {
		info := docs.info(i)
		if !hasBack {
			info.IDType = "passport"
		}
		return Applicant{Account: fmt.Sprintf("load-%d-%d", seed, i), Info: info, Files: files}, nil
	}, nil
}
