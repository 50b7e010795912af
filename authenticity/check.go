package authenticity

import (
	"image"
	"time"

	"github.com/kycq/kycq/imagecheck"
)

// Check runs imagecheck on a document photo and, on the same decoded
// pixels and with the document and the portrait it found, Analyse; now
// is the upload time.
func Check(data []byte, opts imagecheck.Options, o Options, now time.Time) (imagecheck.Report, *Report) {
	var auth *Report
	rep := imagecheck.CheckInspect(data, opts, func(work *image.YCbCr, rep *imagecheck.Report) {
		in := Input{Data: data, Work: work, Scale: rep.Scale, Width: rep.Width, Height: rep.Height, Orientation: rep.Orientation, Now: now}
		if rep.Face != nil {
			in.Portrait = rep.Face.Rect
		}
		for _, p := range rep.Document {
			in.Document = append(in.Document, [2]float64{p.X, p.Y})
		}
		auth = Analyse(in, o)
	})
	return rep, auth
}
