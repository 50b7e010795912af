package checkrun

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"strings"

	"github.com/kycq/kycq/authenticity"
	"github.com/kycq/kycq/imagecheck"
)

// regionColour is the colour authenticity regions are drawn in.
var regionColour = color.RGBA{255, 0, 200, 255}

// AuthenticitySummary is the one-word-per-signal text kycq check prints:
// the verdict and the findings.
func AuthenticitySummary(a *authenticity.Report) string {
	s := "authenticity=" + string(a.Verdict)
	if len(a.Findings) > 0 {
		s += "(" + strings.Join(a.Findings, ",") + ")"
	}
	return s
}

// WriteAnnotatedAuthenticity is WriteAnnotated that also draws the
// authenticity report's regions (magenta boxes).
func WriteAnnotatedAuthenticity(out string, data []byte, rep imagecheck.Report, auth *authenticity.Report, opts imagecheck.Options) error {
	return WriteAnnotatedRead(out, data, rep, auth, nil, opts)
}

// Zone is the zone a document reader read on a photo: its quadrilateral
// in photo pixels and the document kind ("td3", "cn_id_front", ...).
type Zone struct {
	Points []imagecheck.Point
	Kind   string
}

// WriteAnnotatedRead is WriteAnnotatedAuthenticity that also draws the
// zone read, when zone is not nil (orange, labelled by its kind).
func WriteAnnotatedRead(out string, data []byte, rep imagecheck.Report, auth *authenticity.Report, zone *Zone, opts imagecheck.Options) error {
	img, err := imagecheck.Preview(data, opts)
	if err != nil {
		return err
	}
	imagecheck.Annotate(img, rep)
	if auth != nil {
		DrawRegions(img, auth.Regions, rep.Scale)
	}
	if zone != nil {
		imagecheck.AnnotateZone(img, zone.Points, rep.Scale, zone.Kind)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := annotatedPNG.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("checkrun: %w", err)
	}
	return f.Close()
}

// DrawRegions outlines boxes given in original photo pixels on img, the
// working-resolution preview (scale original pixels per preview pixel).
func DrawRegions(img *image.RGBA, boxes []image.Rectangle, scale float64) {
	if scale <= 0 {
		scale = 1
	}
	th := max(2, img.Rect.Dx()/300)
	for _, b := range boxes {
		r := image.Rect(int(float64(b.Min.X)/scale), int(float64(b.Min.Y)/scale), int(float64(b.Max.X)/scale), int(float64(b.Max.Y)/scale)).Intersect(img.Rect)
		for t := 0; t < th; t++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				img.SetRGBA(x, min(r.Min.Y+t, img.Rect.Max.Y-1), regionColour)
				img.SetRGBA(x, max(r.Max.Y-1-t, 0), regionColour)
			}
			for y := r.Min.Y; y < r.Max.Y; y++ {
				img.SetRGBA(min(r.Min.X+t, img.Rect.Max.X-1), y, regionColour)
				img.SetRGBA(max(r.Max.X-1-t, 0), y, regionColour)
			}
		}
	}
}
