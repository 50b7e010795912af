package faceeval

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // the face photos
	_ "image/png"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/sample"
)

// bundledDuplicates are the cached photos the bundled portraits were cut
// from (internal/eval/sample/faces/NOTICE.md): left out so that each person
// appears once.
var bundledDuplicates = map[string]bool{"astronaut.png": true, "grace_hopper_512x512.jpg": true}

// bundledPeople names the person of each bundled portrait as faces labels
// the photo it was cut from.
var bundledPeople = map[string]string{"collins": "astronaut", "hopper": "grace-hopper"}

// Portraits returns the portraits for the evaluation's card fronts:
// the two public-domain portraits bundled in internal/eval/sample, then every
// face the face engine finds (score ≥ 0.5, at least 48 px wide, not mostly
// inside a better face's box) in the
// photos under dir (scripts/setup.d/40-face-photos.sh fetches them; a
// missing directory just leaves the bundled two), each cut out in a
// passport-photo frame with the other faces of a group photo greyed out.
func Portraits(e *face.Engine, dir string) ([]docgen.Portrait, error) {
	var out []docgen.Portrait
	for _, name := range sample.Faces() {
		img, err := sample.Portrait(name)
		if err != nil {
			return nil, err
		}
		out = append(out, docgen.Portrait{Name: name, Image: img, Person: bundledPeople[name]})
	}
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	var files []string
	for _, en := range entries {
		n := en.Name()
		if ext := strings.ToLower(filepath.Ext(n)); (ext == ".jpg" || ext == ".png") && !bundledDuplicates[n] {
			files = append(files, n)
		}
	}
	sort.Strings(files)
	for _, n := range files {
		f, err := os.Open(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		dets, err := e.Detect(img)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		sort.Slice(dets, func(i, j int) bool { return dets[i].Box.Min.X < dets[j].Box.Min.X })
		k := 0
		for i, d := range dets {
			if d.Score < 0.5 || d.Box.Dx() < 48 || overlapsBetter(dets, i) {
				continue
			}
			k++
			name := strings.TrimSuffix(n, filepath.Ext(n))
			out = append(out, docgen.Portrait{Name: fmt.Sprintf("%s#%d", name, k), Image: passportCrop(img, dets, i), Person: labelOf(n, d.Box)})
		}
	}
	return out, nil
}

// labelOf returns the identity of the hand-labelled face of photo whose
// centre lies in box, or "" when none does.
func labelOf(photo string, box image.Rectangle) string {
	for _, f := range faces {
		if f.Photo == photo && image.Pt(f.CX, f.CY).In(box) {
			return f.Identity
		}
	}
	return ""
}

// overlapsBetter reports whether a quarter of detection i's box lies in
// the box of a better-scoring detection (in a group photo, a box between
// two faces).
func overlapsBetter(dets []face.Detection, i int) bool {
	a := dets[i].Box
	for j, d := range dets {
		in := a.Intersect(d.Box)
		if j != i && d.Score > dets[i].Score && 4*in.Dx()*in.Dy() > a.Dx()*a.Dy() {
			return true
		}
	}
	return false
}

// passportCrop cuts a 4:5 frame around face i of dets (twice the face's
// width, the face a little above the middle) out of img, greying out the
// other faces.
func passportCrop(img image.Image, dets []face.Detection, i int) image.Image {
	box := dets[i].Box
	r := FrameAround(img.Bounds(), box, 2, 1.25)
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Rect, img, r.Min, draw.Src)
	grey := image.NewUniform(color.RGBA{128, 128, 128, 255})
	for j, d := range dets {
		if j == i {
			continue
		}
		g := d.Box.Dx() / 6
		o := d.Box.Inset(-g).Sub(r.Min).Intersect(out.Rect)
		draw.Draw(out, o, grey, image.Point{}, draw.Src)
	}
	// The face itself stays whole even where a neighbour's grey box
	// reached it.
	keep := box.Sub(r.Min).Intersect(out.Rect)
	draw.Draw(out, keep, img, box.Min, draw.Src)
	return out
}
