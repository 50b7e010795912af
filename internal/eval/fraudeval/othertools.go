package fraudeval

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kycq/kycq/authenticity"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
)

// The held-out set made by other tools: the same kinds of attack, but
// every file written and every edit made by programs that are not
// kycq's (ImageMagick, GraphicsMagick, Debian's Python imaging library,
// libjpeg-turbo's cjpeg/djpeg, ffmpeg; scripts/setup.d/45-forensics-
// tools.sh installs them). Only the card pictures come from docgen. No
// threshold was set on this set: it is scored, never tuned on.

// The other-tools attacks and controls.
const (
	OTGenuineCamera  Attack = "genuine_camera"     // cjpeg or ffmpeg writes the camera's JPEG
	OTGenuineResaved Attack = "genuine_app_resave" // the camera JPEG saved again (cjpeg, ImageMagick, PIL, GraphicsMagick)
	OTGenuineResized Attack = "genuine_app_resize" // the camera JPEG downscaled and saved again
	OTGenuineLowQ    Attack = "genuine_app_lowq"   // the camera JPEG saved again at quality 50–60 (cjpeg, ImageMagick, PIL, GraphicsMagick)
	OTPainted        Attack = "painted_field"      // a field painted over (ImageMagick/GraphicsMagick -draw)
	OTPaintedLowQ    Attack = "painted_lowq"       // a field painted over, the photo saved at quality 50–60 by the painter or a messenger
	OTPasted         Attack = "pasted_portrait"    // a portrait composited over the card's (GraphicsMagick/ImageMagick)
	OTColour         Attack = "colour_change"      // a field's hue turned (ImageMagick -modulate, PIL)
	OTEditorTables   Attack = "editor_tables"      // re-saved with Photoshop's tables (PIL presets), no metadata
	OTScreenshot     Attack = "screenshot"         // a phone screenshot of the photo (ImageMagick, PNG)
)

// OtherToolsAttacks lists the set's rows in report order, controls first.
func OtherToolsAttacks() []Attack {
	return []Attack{OTGenuineCamera, OTGenuineResaved, OTGenuineResized, OTGenuineLowQ, OTPainted, OTPaintedLowQ, OTPasted, OTColour, OTEditorTables, OTScreenshot}
}

// Tools are the programs the set is made with.
type Tools struct {
	Convert, GM, Python, CJPEG, DJPEG, FFmpeg string
}

// FindTools looks the programs up. ImageMagick's convert is found under
// its Debian names first (a PATH may hold other programs called convert).
func FindTools(ffmpeg string) (Tools, error) {
	var t Tools
	var missing []string
	look := func(dst *string, check string, names ...string) {
		for _, n := range names {
			p, err := exec.LookPath(n)
			if err != nil {
				continue
			}
			if check != "" {
				out, _ := exec.Command(p, "-version").CombinedOutput()
				if !bytes.Contains(out, []byte(check)) {
					continue
				}
			}
			*dst = p
			return
		}
		missing = append(missing, names[0])
	}
	look(&t.Convert, "ImageMagick", "convert-im6.q16", "convert-im6", "magick", "/usr/bin/convert")
	look(&t.GM, "", "gm")
	look(&t.Python, "", "/usr/bin/python3")
	look(&t.CJPEG, "", "cjpeg")
	look(&t.DJPEG, "", "djpeg")
	look(&t.FFmpeg, "", ffmpeg)
	if t.Python != "" {
		if out, err := exec.Command(t.Python, "-c", "import PIL").CombinedOutput(); err != nil {
			missing = append(missing, "python3-pil ("+strings.TrimSpace(string(out))+")")
		}
	}
	if len(missing) > 0 {
		return t, fmt.Errorf("fraudeval: other tools missing: %s (scripts/setup.d/45-forensics-tools.sh installs them)", strings.Join(missing, ", "))
	}
	return t, nil
}

// run runs a program, failing with its output.
func run(ctx context.Context, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", filepath.Base(name), strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// writePPM writes img as a binary PPM, the input cjpeg and ffmpeg read.
func writePPM(path string, img *image.RGBA) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "P6\n%d %d\n255\n", img.Rect.Dx(), img.Rect.Dy())
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			o := img.PixOffset(x, y)
			w.Write(img.Pix[o : o+3])
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// borderColour is the median colour of r's border, the colour a forger
// picks to paint a field over.
func borderColour(img *image.RGBA, r image.Rectangle) color.RGBA {
	r = r.Intersect(img.Rect)
	var ch [3][]int
	for x := r.Min.X; x < r.Max.X; x++ {
		for _, y := range []int{r.Min.Y, r.Max.Y - 1} {
			c := img.RGBAAt(x, y)
			ch[0], ch[1], ch[2] = append(ch[0], int(c.R)), append(ch[1], int(c.G)), append(ch[2], int(c.B))
		}
	}
	var out [3]uint8
	for k := range ch {
		slices.Sort(ch[k])
		if len(ch[k]) > 0 {
			out[k] = uint8(ch[k][len(ch[k])/2])
		}
	}
	return color.RGBA{out[0], out[1], out[2], 255}
}

// MakeOther generates one photo of the other-tools set in dir (a scratch
// directory): a docgen card photo, written as the camera's JPEG by cjpeg
// or ffmpeg, then edited and saved as the attack says by the other tools.
func MakeOther(ctx context.Context, t Tools, dir string, a Attack, seed int64, size docgen.Size) (Photo, error) {
	r := rand.New(rand.NewPCG(uint64(seed), 0x07e2))
	img, label := docgen.Generate(docgen.Spec{Seed: seed, Size: size, Side: docgen.Front, Defect: docgen.Clean})
	p := Photo{Attack: a, Seed: seed}
	base := filepath.Join(dir, fmt.Sprintf("%s-%d", a, seed))
	ppm, cam, out := base+".ppm", base+"-camera.jpg", base+".jpg"
	if err := writePPM(ppm, img); err != nil {
		return p, err
	}
	defer os.Remove(ppm)
	defer os.Remove(cam)
	// The camera's save: high quality.
	if r.IntN(2) == 0 {
		if err := run(ctx, t.CJPEG, "-quality", fmt.Sprint(90+r.IntN(8)), "-outfile", cam, ppm); err != nil {
			return p, err
		}
	} else {
		if err := run(ctx, t.FFmpeg, "-v", "error", "-y", "-i", ppm, "-q:v", fmt.Sprint(1+r.IntN(3)), "-frames:v", "1", "-update", "1", cam); err != nil {
			return p, err
		}
	}
	q := fmt.Sprint(70 + r.IntN(23)) // the second save's quality
	tool := r.IntN(4)
	geom := func(b image.Rectangle) string { return fmt.Sprintf("%dx%d+%d+%d", b.Dx(), b.Dy(), b.Min.X, b.Min.Y) }
	var err error
	switch a {
	case OTGenuineCamera:
		out = cam
	case OTGenuineResaved, OTGenuineLowQ:
		if a == OTGenuineLowQ {
			q = fmt.Sprint(50 + r.IntN(11)) // an app's lowest setting
		}
		switch tool {
		case 0:
			err = run(ctx, "sh", "-c", fmt.Sprintf("%q %q | %q -quality %s -outfile %q", t.DJPEG, cam, t.CJPEG, q, out))
		case 1:
			err = run(ctx, t.Convert, cam, "-quality", q, out)
		case 2:
			err = run(ctx, t.Python, "-c", "import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).save(sys.argv[2], quality=int(sys.argv[3]))", cam, out, q)
		default:
			err = run(ctx, t.GM, "convert", cam, "-quality", q, out)
		}
	case OTGenuineResized:
		pct := fmt.Sprintf("%d%%", 50+r.IntN(40))
		if tool%2 == 0 {
			err = run(ctx, t.Convert, cam, "-resize", pct, "-quality", q, out)
		} else {
			err = run(ctx, t.GM, "convert", cam, "-resize", pct, "-quality", q, out)
		}
	case OTPainted, OTPaintedLowQ:
		u0, v0 := 0.42+0.2*r.Float64(), 0.3+0.4*r.Float64()
		p.Region = cardRect(label, u0, v0, u0+0.25+0.1*r.Float64(), v0+0.06+0.04*r.Float64())
		c := borderColour(img, p.Region)
		fill := fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
		draw := fmt.Sprintf("rectangle %d,%d %d,%d", p.Region.Min.X, p.Region.Min.Y, p.Region.Max.X-1, p.Region.Max.Y-1)
		// painted_lowq: the painter saves at quality 50–60 itself, or
		// at q and a messenger (djpeg|cjpeg or PIL) saves that again at
		// 50–60 (issue 15).
		painted, messenger, low := out, -1, ""
		if a == OTPaintedLowQ {
			low = fmt.Sprint(50 + r.IntN(11))
			if messenger = r.IntN(3) - 1; messenger >= 0 {
				painted = base + "-painted.jpg"
				defer os.Remove(painted)
			} else {
				q = low
			}
		}
		if tool%2 == 0 {
			err = run(ctx, t.Convert, cam, "-fill", fill, "-draw", draw, "-quality", q, painted)
		} else {
			err = run(ctx, t.GM, "convert", cam, "-fill", fill, "-draw", draw, "-quality", q, painted)
		}
		if err == nil && messenger == 0 {
			err = run(ctx, "sh", "-c", fmt.Sprintf("%q %q | %q -quality %s -outfile %q", t.DJPEG, painted, t.CJPEG, low, out))
		} else if err == nil && messenger == 1 {
			err = run(ctx, t.Python, "-c", "import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).save(sys.argv[2], quality=int(sys.argv[3]))", painted, out, low)
		}
	case OTPasted:
		p.Region = cardRect(label, 0.05, 0.22, 0.32, 0.82).Intersect(img.Rect)
		face := image.NewRGBA(image.Rect(0, 0, p.Region.Dx(), p.Region.Dy()))
		pasteDigital(face, face.Rect, r)
		fp := base + "-face.png"
		if err := writePNG(fp, face); err != nil {
			return p, err
		}
		defer os.Remove(fp)
		at := fmt.Sprintf("+%d+%d", p.Region.Min.X, p.Region.Min.Y)
		if tool%2 == 0 {
			err = run(ctx, t.GM, "composite", "-geometry", at, "-quality", q, fp, cam, out)
		} else {
			err = run(ctx, t.Convert, cam, fp, "-geometry", at, "-composite", "-quality", q, out)
		}
	case OTColour:
		u0, v0 := 0.4+0.2*r.Float64(), 0.25+0.4*r.Float64()
		p.Region = cardRect(label, u0, v0, u0+0.3, v0+0.12).Intersect(img.Rect)
		hue := 100 + (30+r.IntN(60))*(1-2*r.IntN(2)) // ImageMagick: 100 is no turn, ±100 half a turn
		if tool%2 == 0 {
			err = run(ctx, t.Convert, cam, "-region", geom(p.Region), "-modulate", fmt.Sprintf("100,%d,%d", 100+r.IntN(60), hue), "+region", "-quality", q, out)
		} else {
			script := "import sys\nfrom PIL import Image\nim=Image.open(sys.argv[1]).convert('RGB')\nx0,y0,x1,y1=map(int,sys.argv[4:8])\n" +
				"h,s,v=im.crop((x0,y0,x1,y1)).convert('HSV').split()\nsh=int(sys.argv[8])\nh=h.point(lambda p:(p+sh)%256)\n" +
				"im.paste(Image.merge('HSV',(h,s,v)).convert('RGB'),(x0,y0))\nim.save(sys.argv[2],quality=int(sys.argv[3]))"
			err = run(ctx, t.Python, "-c", script, cam, out, q, fmt.Sprint(p.Region.Min.X), fmt.Sprint(p.Region.Min.Y), fmt.Sprint(p.Region.Max.X), fmt.Sprint(p.Region.Max.Y), fmt.Sprint(40+r.IntN(176)))
		}
	case OTEditorTables:
		presets := []string{"web_low", "web_medium", "web_high", "web_very_high", "web_maximum", "low", "medium", "high", "maximum"}
		err = run(ctx, t.Python, "-c", "import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).save(sys.argv[2], quality=sys.argv[3])", cam, out, presets[r.IntN(len(presets))])
	case OTScreenshot:
		w, h := 1170, 2532
		if r.IntN(2) == 0 {
			w, h = 1080, 2340
		}
		bg := []string{"#fafafa", "#101014", "#000000"}[r.IntN(3)]
		out = base + ".png"
		err = run(ctx, t.Convert, "-size", fmt.Sprintf("%dx%d", w, h), "xc:"+bg, "(", cam, "-resize", fmt.Sprintf("%dx", w), ")",
			"-gravity", "center", "-composite", "-gravity", "northwest", "-fill", "#2a2a3a", "-draw", fmt.Sprintf("rectangle 0,0 %d,140", w),
			"-draw", fmt.Sprintf("rectangle 0,%d %d,%d", h-180, w, h), out)
	default:
		return p, fmt.Errorf("fraudeval: no other-tools attack %q", a)
	}
	if err != nil {
		return p, err
	}
	p.Data, err = os.ReadFile(out)
	if out != cam {
		os.Remove(out)
	}
	return p, err
}

func writePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// OtherToolsSeedOffset separates the other-tools set's cards from the
// main set's at the same seed.
const OtherToolsSeedOffset = 500

// otherTools scores the other-tools set into rep.Other, checking the
// photos with opts.
func (rep *Report) otherTools(ctx context.Context, cfg Config, opts imagecheck.Options, sw *scoreWriter) error {
	rows := keepRows(OtherToolsAttacks(), cfg.Rows)
	if len(rows) == 0 {
		return nil
	}
	t, err := FindTools(cfg.FFmpeg)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "kycq-fraud-other-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	for _, a := range rows {
		row := AttackRow{Attack: string(a)}
		for i := 0; i < cfg.Docs; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			seed := cfg.Seed*1000 + OtherToolsSeedOffset + int64(i)
			p, err := MakeOther(ctx, t, dir, a, seed, cfg.Size)
			if err != nil {
				return err
			}
			r, auth := authenticity.Check(p.Data, opts, authenticity.Options{}, time.Now())
			row.N++
			if err := sw.write("other", a, seed, auth); err != nil {
				return err
			}
			if flaggedDoc(r, auth) {
				row.Flagged++
			}
			for _, b := range auth.Regions {
				if !p.Region.Empty() && b.Overlaps(p.Region) {
					row.Located++
					break
				}
			}
			if cfg.Keep != "" {
				ext := ".jpg"
				if a == OTScreenshot {
					ext = ".png"
				}
				os.WriteFile(filepath.Join(cfg.Keep, fmt.Sprintf("other-%s-%d%s", a, seed, ext)), p.Data, 0o644)
			}
			if cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "other %-20s %d %s %v\n", a, seed, auth.Verdict, auth.Findings)
			}
		}
		row.Rate = round4(float64(row.Flagged) / float64(max(row.N, 1)))
		rep.Other = append(rep.Other, row)
	}
	return nil
}

// printOther writes the other-tools table.
func (rep *Report) printOther(w io.Writer) {
	if len(rep.Other) == 0 {
		return
	}
	fmt.Fprintln(w, "\nheld-out set made by other tools (ImageMagick, GraphicsMagick, PIL, cjpeg/djpeg, ffmpeg; no threshold set on it):")
	writeRows(w, "document photos (other tools)", rep.Other, OTPainted, OTPaintedLowQ, OTPasted, OTColour)
}
