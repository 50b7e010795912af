package docread

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// The mainland ID's Chinese lines are also read by PaddleOCR's Chinese
// text-line recogniser (PP-OCRv4 "rec", Apache-2.0), an SVTR-LCNet
// network with a CTC head over 6,623 characters, run by ONNX Runtime
// (MIT) through its C API (github.com/yalue/onnxruntime_go loads the
// shared library at run time). Tesseract's chi_sim never reads 鑫 and
// often misreads 磊 or a name's first character; this recogniser reads
// them (docs/reading.md).

// Files of the recogniser, in the directory PaddleDir names
// (scripts/fetch-paddle.sh puts them there).
const (
	paddleLibFile   = "libonnxruntime.so.1"
	paddleModelFile = "ch_PP-OCRv4_rec_infer.onnx"
	paddleKeysFile  = "ppocr_keys_v1.txt"
)

// paddleH is the height the model reads a line at; a line is scaled to
// it keeping its aspect and at most paddleMaxW wide.
const (
	paddleH    = 48
	paddleMaxW = 960
)

// PaddleDir returns the directory holding the recogniser: dir when set,
// else $KYCQ_PADDLE_DIR, else $KYCQ_CACHE/paddle, else .cache/paddle.
func PaddleDir(dir string, getenv func(string) string) string {
	switch {
	case dir != "":
		return dir
	case getenv("KYCQ_PADDLE_DIR") != "":
		return getenv("KYCQ_PADDLE_DIR")
	case getenv("KYCQ_CACHE") != "":
		return filepath.Join(getenv("KYCQ_CACHE"), "paddle")
	}
	return filepath.Join(".cache", "paddle")
}

// ortEnv is the process's one ONNX Runtime environment: the library is
// loaded once, from the first directory asked for.
var ortEnv struct {
	once sync.Once
	lib  string
	err  error
}

func initORT(lib string) error {
	ortEnv.once.Do(func() {
		ortEnv.lib = lib
		ort.SetSharedLibraryPath(lib)
		ortEnv.err = ort.InitializeEnvironment(ort.WithLogLevelError())
	})
	if ortEnv.err != nil {
		return ortEnv.err
	}
	if ortEnv.lib != lib {
		return fmt.Errorf("ONNX Runtime already loaded from %s", ortEnv.lib)
	}
	return nil
}

// paddleRec is the loaded recogniser. One session is shared: ONNX
// Runtime's Run may be called concurrently, and with one intra-op thread
// each call runs on its caller's thread alone.
type paddleRec struct {
	sess *ort.DynamicAdvancedSession
	keys []rune // CTC classes: 0 the blank, then the dictionary, then a space
}

// newPaddleRec loads the recogniser from dir. The error names what is
// missing and how to install it.
func newPaddleRec(dir string) (*paddleRec, error) {
	hint := fmt.Sprintf("the PaddleOCR recogniser and ONNX Runtime are missing from %s: run scripts/setup.sh (or scripts/fetch-paddle.sh DIR) and set KYCQ_PADDLE_DIR", dir)
	for _, f := range []string{paddleLibFile, paddleModelFile, paddleKeysFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return nil, fmt.Errorf("docread: %s (%s: %w)", hint, f, err)
		}
	}
	keys, err := readPaddleKeys(filepath.Join(dir, paddleKeysFile))
	if err != nil {
		return nil, fmt.Errorf("docread: %s: %w", paddleKeysFile, err)
	}
	if err := initORT(filepath.Join(dir, paddleLibFile)); err != nil {
		return nil, fmt.Errorf("docread: loading ONNX Runtime: %w", err)
	}
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("docread: ONNX Runtime session options: %w", err)
	}
	defer opts.Destroy()
	for _, set := range []error{
		opts.SetIntraOpNumThreads(1),
		opts.SetInterOpNumThreads(1),
		opts.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"),
		opts.AddSessionConfigEntry("session.inter_op.allow_spinning", "0"),
	} {
		if set != nil {
			return nil, fmt.Errorf("docread: ONNX Runtime session options: %w", set)
		}
	}
	model := filepath.Join(dir, paddleModelFile)
	ins, outs, err := ort.GetInputOutputInfoWithOptions(model, opts)
	if err != nil {
		return nil, fmt.Errorf("docread: %s: %w", paddleModelFile, err)
	}
	if len(ins) != 1 || len(outs) != 1 || len(outs[0].Dimensions) != 3 {
		return nil, fmt.Errorf("docread: %s: not a text-line recogniser (%d inputs, %d outputs)", paddleModelFile, len(ins), len(outs))
	}
	if n := outs[0].Dimensions[2]; n != int64(len(keys)) {
		return nil, fmt.Errorf("docread: %s has %d classes, %s gives %d", paddleModelFile, n, paddleKeysFile, len(keys))
	}
	sess, err := ort.NewDynamicAdvancedSession(model, []string{ins[0].Name}, []string{outs[0].Name}, opts)
	if err != nil {
		return nil, fmt.Errorf("docread: %s: %w", paddleModelFile, err)
	}
	return &paddleRec{sess: sess, keys: keys}, nil
}

// readPaddleKeys reads PaddleOCR's character dictionary: one character a
// line. The classes are the CTC blank, the dictionary's characters in
// order, then a space.
func readPaddleKeys(path string) ([]rune, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	keys := []rune{0}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		r := []rune(strings.TrimRight(sc.Text(), "\r"))
		if len(r) != 1 {
			return nil, fmt.Errorf("line %d is not one character", len(keys))
		}
		keys = append(keys, r[0])
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return append(keys, ' '), nil
}

func (p *paddleRec) close() {
	if p != nil && p.sess != nil {
		p.sess.Destroy()
		p.sess = nil
	}
}

// paddleInput turns a line (dark text on light paper, its text filling
// most of its height) into the model's input: scaled to k·paddleH rows
// keeping its aspect (at most paddleMaxW columns, at least paddleH/4),
// set in the middle of paddleH rows filled with the median of its border
// when k < 1, each sample normalised to (v/255 - 0.5)/0.5 and repeated in
// the three colour planes (a gray line is the same in BGR and RGB
// order). It returns the data, planes first (NCHW), and the width.
func paddleInput(line *plane, k float64) ([]float32, int) {
	return paddleInputSqueezed(line, k, 1)
}

// paddleInputSqueezed is paddleInput with the line's width scaled by sx
// beyond keeping its aspect: sx < 1 narrows its characters.
func paddleInputSqueezed(line *plane, k, sx float64) ([]float32, int) {
	lh := min(paddleH, max(paddleH/4, int(k*paddleH+0.5)))
	w := int(math.Ceil(sx * float64(lh) * float64(line.w) / float64(line.h)))
	w = min(max(w, paddleH/4), paddleMaxW)
	q := scaleTo(line, w, lh)
	if lh < paddleH {
		q = padRows(q, paddleH, borderMedian(line))
	}
	n := w * paddleH
	data := make([]float32, 3*n)
	for i, v := range q.pix {
		f := float32(v)/127.5 - 1
		data[i], data[n+i], data[2*n+i] = f, f, f
	}
	return data, w
}

// padRows returns q in the middle of h rows of the value v.
func padRows(q *plane, h int, v byte) *plane {
	out := newPlane(q.w, h)
	for i := range out.pix {
		out.pix[i] = v
	}
	copy(out.pix[(h-q.h)/2*q.w:], q.pix)
	return out
}

// borderMedian returns the median of the samples on p's border: the
// paper around a line.
func borderMedian(p *plane) byte {
	var hist [256]int
	n := 0
	for x := 0; x < p.w; x++ {
		hist[p.pix[x]]++
		hist[p.pix[(p.h-1)*p.w+x]]++
		n += 2
	}
	for y := 1; y < p.h-1; y++ {
		hist[p.pix[y*p.w]]++
		hist[p.pix[y*p.w+p.w-1]]++
		n += 2
	}
	c := 0
	for v, k := range hist {
		if c += k; 2*c >= n {
			return byte(v)
		}
	}
	return 255
}

// scaleTo returns r scaled to w × h.
func scaleTo(r *plane, w, h int) *plane {
	return warpArea(r, [4][2]float64{{0, 0}, {float64(r.w), 0}, {float64(r.w), float64(r.h)}, {0, float64(r.h)}}, w, h)
}

// paddleChar is one character of a CTC reading: the class's character,
// its probability (the largest over the steps it was read at) and the
// runner-up characters' largest probabilities over those steps.
type paddleChar struct {
	r       rune
	p       float32
	choices []tessChoice // runners-up, conf in 0–100
}

// paddleRunnerUps is how many runner-up classes a character keeps.
const paddleRunnerUps = 3

// ctcDecode decodes the model's output (steps × classes probabilities)
// greedily: the most probable class per step, repeats merged, blanks
// dropped (class 0). A character's probability is the largest its class
// had over its run of steps; its runners-up are the other classes
// (blank and space excluded) with the largest probability over the same
// steps.
func ctcDecode(probs []float32, steps, classes int, keys []rune) []paddleChar {
	var out []paddleChar
	prev := 0
	var run []int // the steps of the current character
	flush := func() {
		if len(run) == 0 {
			return
		}
		c := paddleChar{r: keys[prev]}
		best := map[int]float32{}
		for _, t := range run {
			row := probs[t*classes : (t+1)*classes]
			c.p = max(c.p, row[prev])
			for _, j := range topClasses(row, prev) {
				best[j] = max(best[j], row[j])
			}
		}
		for j, v := range best {
			c.choices = append(c.choices, tessChoice{text: string(keys[j]), conf: 100 * v})
		}
		slices.SortFunc(c.choices, func(a, b tessChoice) int {
			if a.conf != b.conf {
				return cmp.Compare(b.conf, a.conf)
			}
			return strings.Compare(a.text, b.text)
		})
		if len(c.choices) > paddleRunnerUps {
			c.choices = c.choices[:paddleRunnerUps]
		}
		out = append(out, c)
		run = run[:0]
	}
	for t := 0; t < steps; t++ {
		row := probs[t*classes : (t+1)*classes]
		k := 0
		for j, v := range row {
			if v > row[k] {
				k = j
			}
		}
		if k != prev {
			flush()
		}
		if k != 0 {
			run = append(run, t)
		}
		prev = k
	}
	flush()
	return out
}

// topClasses returns the paddleRunnerUps classes of row with the
// largest probabilities, the blank (0), the space (last) and class skip
// excluded.
func topClasses(row []float32, skip int) []int {
	var top [paddleRunnerUps]int
	n := 0
	for j := 1; j < len(row)-1; j++ {
		if j == skip || (n == paddleRunnerUps && row[j] <= row[top[n-1]]) {
			continue
		}
		i := min(n, paddleRunnerUps-1)
		for i > 0 && row[top[i-1]] < row[j] {
			top[i] = top[i-1]
			i--
		}
		top[i] = j
		n = min(n+1, paddleRunnerUps)
	}
	return top[:n]
}

// errPaddleOutput is returned for an output of an unexpected shape.
var errPaddleOutput = errors.New("docread: unexpected recogniser output")

// recognise reads one text line with the model.
func (p *paddleRec) recognise(line *plane) ([]paddleChar, error) {
	return p.recogniseAt(line, 1)
}

// recogniseAt reads one text line with the model, scaled to k times the
// model's height and padded (paddleInput).
func (p *paddleRec) recogniseAt(line *plane, k float64) ([]paddleChar, error) {
	return p.recogniseSqueezed(line, k, 1)
}

// recogniseSqueezed is recogniseAt with the line's width scaled by sx
// (paddleInputSqueezed).
func (p *paddleRec) recogniseSqueezed(line *plane, k, sx float64) ([]paddleChar, error) {
	var cs []paddleChar
	err := p.output(line, k, sx, func(probs []float32, steps, classes int) {
		cs = ctcDecode(probs, steps, classes, p.keys)
	})
	return cs, err
}

// output runs the model on one text line, scaled as recogniseSqueezed
// scales it, and passes its output (steps × classes probabilities) to
// use, which must not keep it. A line under two pixels either way is
// not run.
func (p *paddleRec) output(line *plane, k, sx float64, use func(probs []float32, steps, classes int)) error {
	if line == nil || line.w < 2 || line.h < 2 {
		return nil
	}
	data, w := paddleInputSqueezed(line, k, sx)
	in, err := ort.NewTensor(ort.NewShape(1, 3, paddleH, int64(w)), data)
	if err != nil {
		return err
	}
	defer in.Destroy()
	outs := []ort.Value{nil}
	if err := p.sess.Run([]ort.Value{in}, outs); err != nil {
		return err
	}
	defer outs[0].Destroy()
	t, ok := outs[0].(*ort.Tensor[float32])
	if !ok {
		return errPaddleOutput
	}
	s := t.GetShape()
	if len(s) != 3 || s[0] != 1 || s[2] != int64(len(p.keys)) {
		return errPaddleOutput
	}
	use(t.GetData(), int(s[1]), int(s[2]))
	return nil
}

// keepClasses returns a copy of probs (steps × classes probabilities)
// in which every class but the blank (0) and those whose character is
// in chars (keys[j], the class's character) has probability 0: decoded
// greedily, each step's class is the likeliest of a closed vocabulary,
// as a whitelist restricts Tesseract's.
func keepClasses(probs []float32, classes int, keys []rune, chars string) []float32 {
	out := make([]float32, len(probs))
	for j, r := range keys[:classes] {
		if j != 0 && !strings.ContainsRune(chars, r) {
			continue
		}
		for i := j; i < len(probs); i += classes {
			out[i] = probs[i]
		}
	}
	return out
}

// text reads one line and returns its characters; false when the
// recogniser failed.
func (p *paddleRec) text(line *plane) (string, bool) {
	return p.textAt(line, 1)
}

// textAt is text at k times the model's height (recogniseAt).
func (p *paddleRec) textAt(line *plane, k float64) (string, bool) {
	cs, err := p.recogniseAt(line, k)
	if err != nil {
		return "", false
	}
	return paddleText(cs), true
}

// paddleText returns the characters of a reading.
func paddleText(cs []paddleChar) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteRune(c.r)
	}
	return b.String()
}
