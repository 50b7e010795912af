//go:build cgo && !noturbo

package turbojpeg

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kycq/kycq/internal/systest/testenv"
)

// sanitizeHarness decodes every file named on its command line at ½, ¼
// and ⅛ with scaled.h into planes larger than any test picture needs
// (giving a progressive JPEG the block memory it asks for), and prints how
// many decodes were accepted.
const sanitizeHarness = `#include <stdio.h>
#include <stdlib.h>
#include "scaled.h"

int main(int argc, char **argv) {
	enum { W = 1200, H = 1200 };
	uint8_t *y = malloc(W * H), *cb = malloc(W * H), *cr = malloc(W * H);
	float *w = malloc(sizeof(float) * KQ_WORK_FLOATS);
	long ok = 0, calls = 0;
	uint64_t *blocks = NULL;
	size_t nblocks = 0;
	for (int a = 1; a < argc; a++) {
		FILE *f = fopen(argv[a], "rb");
		if (!f) return 2;
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, 0, SEEK_SET);
		uint8_t *d = malloc(n ? n : 1);
		if (fread(d, 1, n, f) != (size_t)n) return 2;
		fclose(f);
		uint8_t *scratch = malloc(n + KQ_PAD);
		for (int fac = 2; fac <= 8; fac *= 2) {
			uint8_t *planes[3] = {y, cb, cr};
			int st[3] = {W, W, W}, pw[3] = {W, W / 2, W / 2}, ph[3] = {H, H / 2, H / 2};
			calls++;
			size_t need = 0;
			int r = kycq_scaled_decode(d, n, fac, planes, st, pw, ph, w, scratch, blocks, nblocks, &need);
			if (r == KYCQ_SCALED_NEED) {
				free(blocks);
				nblocks = need;
				blocks = malloc(nblocks * sizeof(uint64_t));
				r = kycq_scaled_decode(d, n, fac, planes, st, pw, ph, w, scratch, blocks, nblocks, &need);
			}
			if (r == KYCQ_SCALED_OK) ok++;
		}
		free(d);
		free(scratch);
	}
	free(y); free(cb); free(cr); free(w); free(blocks);
	printf("%ld %ld\n", ok, calls);
	return 0;
}
`

// TestScaledUnderSanitizers: scaled.h parses untrusted uploads in C, where
// Go's fuzzer cannot see a read past a buffer that does not crash. The
// decoder is built with gcc's address and undefined-behaviour sanitizers
// (any finding aborts the run) and fed well-formed JPEGs of every sampling
// it takes, each of which it must accept, and thousands of damaged copies
// (bytes changed, cut short, inserted, removed).
func TestScaledUnderSanitizers(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		testenv.Unavailable(t, "gcc (scripts/setup.d/10-packages.sh)", err)
	}
	dir := t.TempDir()
	src, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	harness := filepath.Join(dir, "harness.c")
	if err := os.WriteFile(harness, []byte(sanitizeHarness), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "harness")
	build := exec.Command(gcc, "-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
		"-fno-omit-frame-pointer", "-I", src, "-o", bin, harness, "-lm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the sanitized harness: %v\n%s", err, out)
	}

	// Baseline JPEGs are taken at ½, ¼ and ⅛, progressive ones at ¼ and ⅛.
	var good [][]byte
	want := 0
	for i, c := range []struct {
		w, h, q, ss int
		prog        bool
	}{
		{64, 48, 90, Samp420, false}, {97, 61, 50, Samp422, false}, {200, 150, 100, Samp444, false},
		{33, 21, 80, Samp440, false}, {8, 8, 75, Samp420, false}, {1, 1, 90, Samp444, false}, {121, 77, 85, SampGray, false},
		{64, 48, 90, Samp420, true}, {97, 61, 50, Samp422, true}, {200, 150, 100, Samp444, true},
		{33, 21, 80, Samp440, true}, {121, 77, 85, SampGray, true},
	} {
		pix, pf, stride := testPicture(c.w, c.h, int64(i)), PixRGB, c.w*3
		if c.ss == SampGray {
			g := make([]byte, c.w*c.h)
			for k := range g {
				g[k] = pix[3*k]
			}
			pix, pf, stride = g, PixGray, c.w
		}
		data, err := Encode(pix, c.w, c.h, stride, pf, EncodeOptions{Quality: c.q, Subsamp: c.ss, Progressive: c.prog})
		if err != nil {
			t.Fatal(err)
		}
		good = append(good, data)
		want += map[bool]int{false: 3, true: 2}[c.prog]
	}
	if rst, err := os.ReadFile(filepath.Join("testdata", "restart.jpg")); err == nil {
		good = append(good, rst)
		want += 3
	} else {
		t.Fatal(err)
	}

	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(files []string) (ok, calls int) {
		cmd := exec.Command(bin, files...)
		cmd.Env = append(os.Environ(), "ASAN_OPTIONS=detect_leaks=0:abort_on_error=0", "UBSAN_OPTIONS=print_stacktrace=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the sanitized decoder failed (%v):\n%s", err, out)
		}
		if _, err := fmt.Sscan(strings.TrimSpace(string(out)), &ok, &calls); err != nil {
			t.Fatalf("harness output %q: %v", out, err)
		}
		return ok, calls
	}

	var files []string
	for i, g := range good {
		files = append(files, write(fmt.Sprintf("good%d.jpg", i), g))
	}
	if ok, calls := run(files); ok != want || calls != 3*len(good) {
		t.Fatalf("well-formed JPEGs: %d of %d decodes accepted, want %d", ok, calls, want)
	}

	r := rand.New(rand.NewSource(1))
	const perFile = 400
	files = files[:0]
	for i, g := range good {
		for k := 0; k < perFile; k++ {
			b := append([]byte(nil), g...)
			switch r.Intn(4) {
			case 0: // bytes changed
				for n := 1 + r.Intn(8); n > 0; n-- {
					b[r.Intn(len(b))] = byte(r.Intn(256))
				}
			case 1: // cut short
				b = b[:1+r.Intn(len(b)-1)]
			case 2: // bytes inserted
				p := r.Intn(len(b))
				ins := make([]byte, 1+r.Intn(20))
				r.Read(ins)
				b = append(b[:p], append(ins, b[p:]...)...)
			default: // bytes removed
				p := r.Intn(len(b))
				b = append(b[:p], b[min(len(b), p+1+r.Intn(50)):]...)
			}
			files = append(files, write(fmt.Sprintf("bad%d_%d.jpg", i, k), b))
		}
	}
	total := 0
	for len(files) > 0 {
		n := min(len(files), 1000)
		_, calls := run(files[:n])
		total += calls
		files = files[n:]
	}
	if total != 3*perFile*len(good) {
		t.Fatalf("damaged JPEGs: %d decodes run, want %d", total, 3*perFile*len(good))
	}
}
