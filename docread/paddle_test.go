package docread

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
)

// paddleForTest loads the PaddleOCR recogniser as New does; a missing
// one fails the test (scripts/setup.sh installs it).
func paddleForTest(t testing.TB) *paddleRec {
	t.Helper()
	p, err := newPaddleRec(PaddleDir("", os.Getenv))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.close)
	return p
}

func TestPaddleDir(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		dir  string
		env  map[string]string
		want string
	}{
		{"/x", map[string]string{"KYCQ_PADDLE_DIR": "/y", "KYCQ_CACHE": "/z"}, "/x"},
		{"", map[string]string{"KYCQ_PADDLE_DIR": "/y", "KYCQ_CACHE": "/z"}, "/y"},
		{"", map[string]string{"KYCQ_CACHE": "/z"}, "/z/paddle"},
		{"", nil, ".cache/paddle"},
	} {
		if got := PaddleDir(tc.dir, env(tc.env)); got != tc.want {
			t.Errorf("PaddleDir(%q, %v) = %q, want %q", tc.dir, tc.env, got, tc.want)
		}
	}
}

func TestNewPaddleRecMissing(t *testing.T) {
	dir := t.TempDir()
	_, err := newPaddleRec(dir)
	if err == nil {
		t.Fatal("a directory without the recogniser loaded")
	}
	t.Log(err)
	_, err = New(Options{PaddleDir: dir})
	if err == nil {
		t.Fatal("New without the recogniser succeeded")
	}
}

func TestReadPaddleKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.txt")
	if err := os.WriteFile(path, []byte("a\n中\r\n鑫"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := readPaddleKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []rune{0, 'a', '中', '鑫', ' '}; !slices.Equal(got, want) {
		t.Errorf("keys %q, want %q", got, want)
	}
	if err := os.WriteFile(path, []byte("a\nab\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readPaddleKeys(path); err == nil {
		t.Error("a line of two characters accepted")
	}
	// The installed dictionary: blank, 6,623 characters, space.
	keys, err := readPaddleKeys(filepath.Join(PaddleDir("", os.Getenv), paddleKeysFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 6625 || keys[0] != 0 || keys[len(keys)-1] != ' ' || !slices.Contains(keys, '鑫') || !slices.Contains(keys, '磊') {
		t.Errorf("installed dictionary: %d classes, first %q, last %q", len(keys), keys[0], keys[len(keys)-1])
	}
}

func TestPaddleInput(t *testing.T) {
	for _, tc := range []struct {
		w, h, wantW int
	}{
		{4, 2, 96},      // 48 high: twice as wide
		{30, 7, 206},    // ceil(48 × 30 / 7)
		{1000, 10, 960}, // at most paddleMaxW
		{1, 100, 12},    // at least a quarter of the height
	} {
		p := newPlane(tc.w, tc.h)
		for i := range p.pix {
			p.pix[i] = 51
		}
		data, w := paddleInput(p, 1)
		if w != tc.wantW || len(data) != 3*paddleH*w {
			t.Errorf("%d×%d: width %d, %d values; want %d, %d", tc.w, tc.h, w, len(data), tc.wantW, 3*paddleH*tc.wantW)
			continue
		}
		for i, v := range data {
			if d := v - (51/127.5 - 1); d > 1e-6 || d < -1e-6 {
				t.Fatalf("%d×%d: value %d is %v, want (51/255-0.5)/0.5", tc.w, tc.h, i, v)
			}
		}
	}
	// Black and white map to -1 and 1, in each of the three planes, the
	// image's columns kept in order.
	p := newPlane(2, 1)
	p.pix[0], p.pix[1] = 0, 255
	data, w := paddleInput(p, 1)
	if w != 96 {
		t.Fatalf("width %d", w)
	}
	n := paddleH * w
	for c := range 3 {
		for y := range paddleH {
			l, r := data[c*n+y*w], data[c*n+y*w+w-1]
			if l != -1 || r != 1 {
				t.Fatalf("plane %d row %d: left %v right %v, want -1 and 1", c, y, l, r)
			}
		}
	}
}

func TestCTCDecode(t *testing.T) {
	keys := []rune{0, 'a', 'b', 'c', ' '}
	// Per step the probabilities of blank, a, b, c, space.
	steps := [][]float32{
		{0.9, 0.05, 0.03, 0.01, 0.01}, // blank
		{0.1, 0.6, 0.2, 0.05, 0.05},   // a
		{0.1, 0.8, 0.05, 0.04, 0.01},  // a (merged)
		{0.7, 0.2, 0.05, 0.04, 0.01},  // blank
		{0.1, 0.5, 0.1, 0.3, 0},       // a again: a new character
		{0.1, 0.1, 0.7, 0.05, 0.05},   // b
		{0.05, 0.05, 0.1, 0.2, 0.6},   // space (a class like others)
		{0.1, 0.1, 0.1, 0.65, 0.05},   // c
		{0.1, 0.1, 0.1, 0.65, 0.05},   // c (merged)
	}
	var probs []float32
	for _, s := range steps {
		probs = append(probs, s...)
	}
	got := ctcDecode(probs, len(steps), len(keys), keys)
	var text []rune
	for _, c := range got {
		text = append(text, c.r)
	}
	if string(text) != "aab c" {
		t.Fatalf("decoded %q, want %q", string(text), "aab c")
	}
	wantP := []float32{0.8, 0.5, 0.7, 0.6, 0.65}
	for i, c := range got {
		if c.p != wantP[i] {
			t.Errorf("character %d: probability %v, want %v", i, c.p, wantP[i])
		}
	}
	// Runners-up: the other characters' largest probability over the
	// character's steps, blank and space excluded, best first.
	want := []tessChoice{{"b", 20}, {"c", 5}}
	if !choicesNear(got[0].choices, want) {
		t.Errorf("runners-up of the first a: %v, want %v", got[0].choices, want)
	}
	if want := []tessChoice{{"c", 30}, {"b", 10}}; !choicesNear(got[1].choices, want) {
		t.Errorf("runners-up of the second a: %v, want %v", got[1].choices, want)
	}
	if got := ctcDecode(probs[:5], 1, 5, keys); len(got) != 0 {
		t.Errorf("a blank step decoded as %v", got)
	}
}

func choicesNear(got, want []tessChoice) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i].text != want[i].text || got[i].conf-want[i].conf > 1e-4 || want[i].conf-got[i].conf > 1e-4 {
			return false
		}
	}
	return true
}

// renderLine renders text in Noto Sans CJK at size px per em on white,
// cut as the reader cuts a line: a quarter of its height of margin.
func renderLine(t testing.TB, text string, size float64) *plane {
	fc := face(t, loadFont(t, notoCJKPath), size)
	n := len([]rune(text))
	g := whiteGray(int(size*(float64(n)+0.5)), int(size*1.5))
	drawText(g, fc, size/4, size*1.13, text)
	return planeOf(g)
}

// TestPaddleReadsNames: the recogniser reads names rendered at the
// sizes of a name line on a 600 px and a 960 px card (Tesseract's
// chi_sim never read 鑫, and read 磊 as 舌), blurred and noisy.
func TestPaddleReadsNames(t *testing.T) {
	p := paddleForTest(t)
	for i, name := range []string{"王鑫", "李磊", "欧阳娟", "郭宇", "马霞", "张鑫磊"} {
		for _, size := range []float64{20, 34} {
			l := renderLine(t, name, size)
			degrade(l, uint64(i))
			nr := p.nameReading(l)
			if string(nr.text) != name {
				t.Errorf("%s at %v px: read %q", name, size, string(nr.text))
			}
		}
	}
}

// TestPaddleConcurrent: one session serves goroutines reading at once
// (Reader is safe for concurrent use), each getting its own line's text.
func TestPaddleConcurrent(t *testing.T) {
	p := paddleForTest(t)
	names := []string{"王鑫", "李磊", "欧阳娟", "郭宇"}
	lines := make([]*plane, len(names))
	for i, n := range names {
		lines[i] = renderLine(t, n, 30)
	}
	errs := make(chan string, 4*len(names))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range len(names) {
				i := (g + k) % len(names)
				if got := string(p.nameReading(lines[i]).text); got != names[i] {
					errs <- fmt.Sprintf("goroutine %d read %s as %q", g, names[i], got)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// degrade blurs p a little and adds noise, as a small photo would.
func degrade(p *plane, seed uint64) {
	src := slices.Clone(p.pix)
	x := seed*2654435761 + 1
	for y := 1; y < p.h-1; y++ {
		for i := y*p.w + 1; i < (y+1)*p.w-1; i++ {
			v := (4*int(src[i]) + int(src[i-1]) + int(src[i+1]) + int(src[i-p.w]) + int(src[i+p.w])) / 8
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			v += int(x%17) - 8
			p.pix[i] = byte(min(255, max(0, v)))
		}
	}
}

// BenchmarkPaddleName: the recogniser on one name line as the reader
// cuts it from a 960 px card (ink about 34 px high), CPU of the reading
// thread per line.
func BenchmarkPaddleName(b *testing.B) {
	p := paddleForTest(b)
	lines := []*plane{renderLine(b, "王鑫", 40), renderLine(b, "欧阳娟", 40), renderLine(b, "张鑫磊", 40)}
	m := newCPUMeter()
	var wall []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		m.begin()
		nr := p.nameReading(lines[i%len(lines)])
		m.end()
		wall = append(wall, time.Since(t0))
		if len(nr.text) < 2 {
			b.Fatal("nothing read")
		}
	}
	percentiles(b, wall, "wall_")
	m.report(b)
}

// BenchmarkReadCNFrontLines: mainland fronts whose text block splits
// into lines (the path where the name, sex/ethnicity and address lines
// are read one by one; BenchmarkReadCNID's front is read whole), 2 MP
// phone photos, names with 鑫 and 磊; one op is one front. Reports the
// thread CPU of the read beyond its decode (decode measured apart).
func BenchmarkReadCNFrontLines(b *testing.B) {
	fronts := []cnFront{
		{"王鑫", "男", "汉", "1990", "3", "7", []string{"北京市东城区景山前街", "4号院2号楼"}, "110101199003074514"},
		{"李磊", "男", "回", "1999", "3", "2", []string{"江苏省南京市玄武区人民路", "250号13栋"}, "320102199903024032"},
		{"欧阳娟", "女", "汉", "1986", "1", "7", []string{"广东省深圳市南山区幸福里", "24号25栋1单元"}, "440305198601075726"},
	}
	var photos [][]byte
	for i, f := range fronts {
		o := sceneOpts{w: 1600, h: 1200, fill: 0.75, angle: 2, noise: 3, jpegQ: 88, seed: uint64(11 + i)}
		photos = append(photos, photograph(b, renderCNFront(b, f, true), o))
	}
	benchReadBeyondDecode(b, photos, imagecheck.Front, func(k int, d kyc.DocumentRead) {
		if !d.Readable || d.Address == "" || slices.Equal(d.NameAlternatives, allUncertain(d.Name)) {
			b.Fatalf("front %d not read line by line (name %d characters, alternatives %d)", k, len([]rune(d.Name)), len(d.NameAlternatives))
		}
	})
}

// TestPaddleInputScaled: a line read at a share of the model's height is
// scaled to that many rows, centred, the rows above and below filled
// with the median of its border (its paper).
func TestPaddleInputScaled(t *testing.T) {
	p := newPlane(40, 10)
	for i := range p.pix {
		p.pix[i] = 200 // paper
	}
	for y := 3; y < 7; y++ {
		for x := 5; x < 35; x++ {
			p.pix[y*p.w+x] = 0 // ink
		}
	}
	data, w := paddleInput(p, 0.75)
	if w != 144 { // ceil(36 × 40 / 10)
		t.Fatalf("width %d, want 144", w)
	}
	paper := float32(200/127.5 - 1)
	for y := range paddleH {
		v := data[y*w+w/2]
		inLine := y >= 6 && y < 42
		if !inLine && v != paper {
			t.Errorf("row %d (padding) is %v, want the paper's %v", y, v, paper)
		}
		if y == paddleH/2 && v > -0.9 {
			t.Errorf("middle row is %v, want ink", v)
		}
	}
}

// TestPaddleInputSqueezed: a line squeezed by sx keeps the model's
// height and takes sx of the columns its aspect gives, its ink narrowed
// with it: a bar over the left half of the line covers the left half of
// the input.
func TestPaddleInputSqueezed(t *testing.T) {
	p := newPlane(40, 10)
	for i := range p.pix {
		p.pix[i] = 255
	}
	for y := range 10 {
		for x := range 20 {
			p.pix[y*p.w+x] = 0
		}
	}
	data, w := paddleInputSqueezed(p, 1, 0.75)
	if w != 144 { // 0.75 × 48 × 40 / 10
		t.Fatalf("width %d, want 144", w)
	}
	if _, w1 := paddleInput(p, 1); w1 != 192 {
		t.Fatalf("unsqueezed width %d, want 192", w1)
	}
	row := data[paddleH/2*w : (paddleH/2+1)*w]
	for _, x := range []int{0, 36, 66} {
		if row[x] > -0.9 {
			t.Errorf("column %d is %v, want ink", x, row[x])
		}
	}
	for _, x := range []int{78, 108, 143} {
		if row[x] < 0.9 {
			t.Errorf("column %d is %v, want paper", x, row[x])
		}
	}
}
