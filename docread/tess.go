package docread

/*
#cgo LDFLAGS: -ltesseract
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <tesseract/capi.h>

// kycq_tess_one_thread makes the recognitions the calling thread starts
// run on it alone. libtesseract built with OpenMP runs parts of its LSTM in
// parallel regions of four threads, whose helpers spin-wait for work
// (most of the CPU of a read on a shared machine); OMP_THREAD_LIMIT is
// read when libgomp loads, before Go runs, so instead the calling
// thread's max-active-levels is set to 0, which makes every parallel
// region it starts run on it alone. Without OpenMP the symbol is
// absent and nothing is set.
static void kycq_tess_one_thread(void) {
	static void (*set_levels)(int);
	static int looked;
	if (!looked) {
		set_levels = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
		looked = 1;
	}
	if (set_levels) set_levels(0);
}

// kycq_tess_text recognises the image set on h on the calling thread
// alone and returns its text.
static char *kycq_tess_text(TessBaseAPI *h) {
	kycq_tess_one_thread();
	return TessBaseAPIGetUTF8Text(h);
}

// kycq_tess_recognize runs the recogniser as kycq_tess_text does, for
// the result iterator.
static int kycq_tess_recognize(TessBaseAPI *h) {
	kycq_tess_one_thread();
	return TessBaseAPIRecognize(h, NULL);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// Tesseract page segmentation modes used here.
const (
	psmSingleBlock = 6 // a uniform block of text
	psmSingleLine  = 7 // one text line
	psmSparse      = 11
	psmRawLine     = 13 // one text line, straight to the recogniser
)

// tessEngine is one libtesseract instance for one language. It is not
// safe for concurrent use: the pool hands it to one goroutine at a time.
type tessEngine struct {
	h *C.TessBaseAPI
}

func newTessEngine(dir, lang string) (*tessEngine, error) {
	h := C.TessBaseAPICreate()
	if h == nil {
		return nil, errors.New("docread: libtesseract could not create an engine")
	}
	var cdir *C.char
	if dir != "" {
		cdir = C.CString(dir)
		defer C.free(unsafe.Pointer(cdir))
	}
	clang := C.CString(lang)
	defer C.free(unsafe.Pointer(clang))
	if C.TessBaseAPIInit3(h, cdir, clang) != 0 {
		C.TessBaseAPIDelete(h)
		return nil, fmt.Errorf("docread: Tesseract language data %q not found (install tesseract-ocr-eng and tesseract-ocr-chi-sim, or set the tessdata directory)", lang)
	}
	e := &tessEngine{h: h}
	e.set("debug_file", "/dev/null")
	// Tesseract retries lines it is unsure of as white on black: cards
	// print dark on light, and the retry costs a third of the time.
	e.set("tessedit_do_invert", "0")
	return e, nil
}

func (e *tessEngine) set(name, value string) {
	cn, cv := C.CString(name), C.CString(value)
	defer C.free(unsafe.Pointer(cn))
	defer C.free(unsafe.Pointer(cv))
	C.TessBaseAPISetVariable(e.h, cn, cv)
}

// recognise returns the UTF-8 text of the 8-bit gray image pix (w×h,
// stride w) in page segmentation mode psm, with only the characters of
// whitelist when it is not empty.
func (e *tessEngine) recognise(pix []byte, w, h, psm int, whitelist string) string {
	if w <= 0 || h <= 0 || len(pix) < w*h {
		return ""
	}
	e.set("tessedit_char_whitelist", whitelist)
	C.TessBaseAPISetPageSegMode(e.h, C.TessPageSegMode(psm))
	C.TessBaseAPISetImage(e.h, (*C.uchar)(unsafe.Pointer(&pix[0])), C.int(w), C.int(h), 1, C.int(w))
	C.TessBaseAPISetSourceResolution(e.h, 300)
	t := C.kycq_tess_text(e.h)
	runtime.KeepAlive(pix)
	if t == nil {
		return ""
	}
	defer C.TessDeleteText(t)
	C.TessBaseAPIClear(e.h)
	return strings.TrimSpace(C.GoString(t))
}

// tessChoice is one candidate for a recognised character and the
// recogniser's confidence in it (0–100).
type tessChoice struct {
	text string
	conf float32
}

// tessSymbol is one recognised character: the chosen text and its
// confidence, and the candidates the recogniser weighed (the chosen one
// included, best first) when the engine's choice mode is on.
type tessSymbol struct {
	tessChoice
	choices []tessChoice
}

// recogniseSymbols recognises pix as recognise does and returns its
// characters one by one with their confidences and candidates.
func (e *tessEngine) recogniseSymbols(pix []byte, w, h, psm int, whitelist string) []tessSymbol {
	if w <= 0 || h <= 0 || len(pix) < w*h {
		return nil
	}
	e.set("tessedit_char_whitelist", whitelist)
	C.TessBaseAPISetPageSegMode(e.h, C.TessPageSegMode(psm))
	C.TessBaseAPISetImage(e.h, (*C.uchar)(unsafe.Pointer(&pix[0])), C.int(w), C.int(h), 1, C.int(w))
	C.TessBaseAPISetSourceResolution(e.h, 300)
	defer C.TessBaseAPIClear(e.h)
	rc := C.kycq_tess_recognize(e.h)
	runtime.KeepAlive(pix)
	if rc != 0 {
		return nil
	}
	it := C.TessBaseAPIGetIterator(e.h)
	if it == nil {
		return nil
	}
	defer C.TessResultIteratorDelete(it)
	var out []tessSymbol
	for {
		if t := C.TessResultIteratorGetUTF8Text(it, C.RIL_SYMBOL); t != nil {
			s := tessSymbol{tessChoice: tessChoice{C.GoString(t), float32(C.TessResultIteratorConfidence(it, C.RIL_SYMBOL))}}
			C.TessDeleteText(t)
			if ci := C.TessResultIteratorGetChoiceIterator(it); ci != nil {
				for {
					if ct := C.TessChoiceIteratorGetUTF8Text(ci); ct != nil {
						s.choices = append(s.choices, tessChoice{C.GoString(ct), float32(C.TessChoiceIteratorConfidence(ci))})
					}
					if C.TessChoiceIteratorNext(ci) == 0 {
						break
					}
				}
				C.TessChoiceIteratorDelete(ci)
			}
			out = append(out, s)
		}
		if C.TessResultIteratorNext(it, C.RIL_SYMBOL) == 0 {
			break
		}
	}
	return out
}

func (e *tessEngine) close() {
	C.TessBaseAPIEnd(e.h)
	C.TessBaseAPIDelete(e.h)
}

// tessPair is an English and a simplified Chinese engine, with the
// PaddleOCR recogniser all pairs share.
type tessPair struct {
	eng, chi *tessEngine
	rec      *paddleRec
}

// tessPool hands out engine pairs, creating up to GOMAXPROCS of them.
type tessPool struct {
	dir  string
	rec  *paddleRec
	mu   sync.Mutex
	all  []*tessPair
	free chan *tessPair
	n    int
	max  int
}

func newTessPool(dir string, rec *paddleRec) (*tessPool, error) {
	// One engine uses one core: Tesseract's OpenMP threads would fight
	// the worker's own parallelism (kycq_tess_text keeps them off).
	p := &tessPool{dir: dir, rec: rec, max: max(1, runtime.GOMAXPROCS(0))}
	p.free = make(chan *tessPair, p.max)
	first, err := p.create()
	if err != nil {
		return nil, err
	}
	p.free <- first
	return p, nil
}

func (p *tessPool) create() (*tessPair, error) {
	eng, err := newTessEngine(p.dir, "eng")
	if err != nil {
		return nil, err
	}
	chi, err := newTessEngine(p.dir, "chi_sim")
	if err != nil {
		eng.close()
		return nil, err
	}
	t := &tessPair{eng: eng, chi: chi, rec: p.rec}
	p.mu.Lock()
	p.all = append(p.all, t)
	p.n++
	p.mu.Unlock()
	return t, nil
}

// get returns a free pair, creating one while under the limit.
func (p *tessPool) get() (*tessPair, error) {
	select {
	case t := <-p.free:
		return t, nil
	default:
	}
	p.mu.Lock()
	grow := p.n < p.max
	if grow {
		p.n++ // reserved: create counts it again
	}
	p.mu.Unlock()
	if grow {
		t, err := p.create()
		p.mu.Lock()
		p.n--
		p.mu.Unlock()
		return t, err
	}
	return <-p.free, nil
}

func (p *tessPool) put(t *tessPair) { p.free <- t }

func (p *tessPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, t := range p.all {
		t.eng.close()
		t.chi.close()
	}
	p.all = nil
	p.rec.close()
}
