// Package docread reads identity documents from photos: the ICAO 9303
// machine-readable zone (TD1, TD2, TD3, MRV-A, MRV-B) of passports, ID
// cards, residence permits and visas; the front and back of the mainland
// China second-generation resident identity card; and, for documents
// without either, the visual zone, searched for the values the applicant
// typed.
//
// It produces one kyc.DocumentRead per photo (rules §8). The package is
// pure: no storage, no queue; the worker calls it on the uploaded bytes.
// The MRZ is recognised by a fixed-pitch OCR-B recogniser of this package
// (templates rendered from the OCR-B font, corrected with the check
// digits); the mainland ID's name, sex/ethnicity and address lines by
// PaddleOCR's PP-OCRv4 Chinese line recogniser in ONNX Runtime
// (paddle.go); other Chinese text and visual zones by Tesseract 5
// through libtesseract.
//
// A Result holds personal data: log only Result.LogSafe.
package docread

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

// Options configure a Reader. The zero value is usable.
type Options struct {
	// TessdataDir is the directory holding eng.traineddata and
	// chi_sim.traineddata; empty: libtesseract's default (the
	// TESSDATA_PREFIX environment variable, then the packaged path).
	TessdataDir string
	// Budget bounds the time spent on one photo, on top of the context's
	// deadline; zero: DefaultBudget.
	Budget time.Duration
	// MaxPixels refuses larger photos from their header; zero: the
	// imagecheck default.
	MaxPixels int
	// PaddleDir is the directory holding ONNX Runtime's shared library
	// and PaddleOCR's Chinese text-line recogniser (libonnxruntime.so.1,
	// ch_PP-OCRv4_rec_infer.onnx, ppocr_keys_v1.txt), which read the
	// mainland ID's name; empty: PaddleDir("", os.Getenv), i.e.
	// $KYCQ_PADDLE_DIR, else $KYCQ_CACHE/paddle, else .cache/paddle.
	PaddleDir string
	// NoTesseract builds a Reader with the MRZ recogniser only: mainland
	// ID and visual-zone photos are then reported unread. For tools and
	// tests that read MRZs only; a worker never sets it. Such a Reader
	// loads no PaddleOCR recogniser either.
	NoTesseract bool
}

// DefaultBudget is the time allowed for one photo when Options.Budget is
// zero.
const DefaultBudget = 5 * time.Second

// Hint carries what the applicant typed. It is used ONLY to choose the
// kind of document to look for and to search the visual zone of documents
// without an MRZ: a value of the hint never fills a field of the result.
type Hint struct {
	DocumentNumber string // as typed
	BirthDate      string // YYYY-MM-DD
	Name           string // as typed
	LocalName      string // as typed in the document's own script (a mainland name in Han characters)
	Country        string // ISO 3166-1 alpha-2 of the issuing country
	IDType         string // a kyc.IDType ("passport", "cn_resident_id", ...)
}

// Point is a position in pixels of the original photo, upright (EXIF
// orientation applied).
type Point = imagecheck.Point

// Result is what Read found on one photo.
type Result struct {
	// Data is the document read. Personal data: never log it.
	Data kyc.DocumentRead
	// Zone is the quadrilateral read (the MRZ, or the card for a mainland
	// ID or a visual zone): top-left, top-right, bottom-right, bottom-left
	// in the reading direction, in photo pixels; nil when none was found.
	Zone []Point
	// Timings in milliseconds per stage ("decode", "locate", "recognise",
	// "parse", "ocr", "total"); informative only.
	Timings map[string]float64
}

// Summary is the part of a Result that is safe to log: no field read.
type Summary struct {
	Kind        string  `json:"kind"`
	Expected    bool    `json:"expected"`
	Readable    bool    `json:"readable"`
	ChecksValid bool    `json:"checks_valid"`
	MS          float64 `json:"ms"`
}

// LogSafe returns the non-personal summary of the result.
func (r *Result) LogSafe() Summary {
	if r == nil {
		return Summary{}
	}
	return Summary{
		Kind: r.Data.Kind, Expected: r.Data.Expected, Readable: r.Data.Readable,
		ChecksValid: r.Data.ChecksValid, MS: r.Timings["total"],
	}
}

// String renders the log-safe summary, so that a Result printed by
// mistake shows no personal data.
func (r *Result) String() string {
	s := r.LogSafe()
	return fmt.Sprintf("docread.Result{kind=%q expected=%t readable=%t checks_valid=%t ms=%.1f}",
		s.Kind, s.Expected, s.Readable, s.ChecksValid, s.MS)
}

// ErrBudget is returned when a photo took longer than the time budget.
var ErrBudget = errors.New("docread: time budget exceeded")

// ErrUndecodable is wrapped by the error of a photo that is not a
// decodable image (empty, truncated, of an unsupported type, or over the
// pixel limits): a property of the upload, not a failure of the reader.
var ErrUndecodable = errors.New("docread: the photo cannot be decoded")

// Reader reads documents. It is safe for concurrent use; Close releases
// its OCR engines.
type Reader struct {
	opts Options
	tess *tessPool // nil with Options.NoTesseract
}

// New loads the recognisers. It fails with a message naming what to
// install when libtesseract's language data (eng, chi_sim), ONNX Runtime
// or the PaddleOCR recogniser (Options.PaddleDir) is missing.
func New(opts Options) (*Reader, error) {
	if opts.Budget <= 0 {
		opts.Budget = DefaultBudget
	}
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = imagecheck.DefaultOptions().MaxPixels
	}
	r := &Reader{opts: opts}
	if !opts.NoTesseract {
		rec, err := newPaddleRec(PaddleDir(opts.PaddleDir, os.Getenv))
		if err != nil {
			return nil, err
		}
		p, err := newTessPool(opts.TessdataDir, rec)
		if err != nil {
			rec.close()
			return nil, err
		}
		r.tess = p
	}
	return r, nil
}

// Close releases the OCR engines. The Reader must not be used after.
func (r *Reader) Close() error {
	if r.tess != nil {
		r.tess.close()
		r.tess = nil
	}
	return nil
}

// Read reads one photo of a document side. It fails only when the photo
// cannot be decoded, the budget or the context runs out, or on an
// internal error; a document whose zone cannot be read is a Result with
// Data.Readable false.
func (r *Reader) Read(ctx context.Context, photo []byte, side imagecheck.Side, hint Hint) (res *Result, err error) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			// A bug, not a property of the photo: never crash the worker;
			// the message holds no content of the document.
			res, err = nil, fmt.Errorf("docread: internal error: %v", p)
		}
		if res != nil {
			res.Timings["total"] = msSince(start)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, r.opts.Budget)
	defer cancel()
	return r.read(ctx, photo, side, hint)
}

func msSince(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }

// chineseName is the name typed in Han characters: the local name, or the
// name when no local name was typed; only its Han characters are kept.
func (h Hint) chineseName() string {
	if h.LocalName != "" {
		return onlyHan(h.LocalName)
	}
	return onlyHan(h.Name)
}
