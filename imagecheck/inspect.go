package imagecheck

import (
	"fmt"
	"image"
	"time"
)

// CheckInspect is Check that also hands the decoded photo to inspect
// before returning, so another pure check (such as package authenticity)
// can read the same pixels without a second decode. work is the upright
// photo at working resolution (Report.Scale original pixels per pixel),
// sharing pooled buffers: inspect must not keep it. inspect is not called
// for an unreadable photo; its time is reported as Timings["inspect"].
func CheckInspect(data []byte, opts Options, inspect func(work *image.YCbCr, rep *Report)) (rep Report) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			// A bug, not a property of the photo: report it as unreadable
			// rather than crash a worker; the message holds no content.
			rep = unreadableReport(fmt.Sprintf("internal error: %v", r))
		}
		if rep.Timings == nil {
			rep.Timings = map[string]float64{}
		}
		rep.Timings["total"] = ms(time.Since(start))
		budgets := opts.Budgets
		if budgets == nil {
			budgets = DefaultBudgets()
		}
		rep.OverBudget = overBudget(rep.Timings, budgets)
	}()
	def := DefaultOptions()
	if opts.WorkSize <= 0 {
		opts.WorkSize = def.WorkSize
	}
	if opts.MaxDecodeBytes <= 0 {
		opts.MaxDecodeBytes = def.MaxDecodeBytes
	}
	ws := workspaces.Get().(*workspace)
	defer workspaces.Put(ws)

	d, err := decode(data, opts, ws)
	if err != nil {
		rep = unreadableReport(err.Error())
		rep.Timings = map[string]float64{"decode": ms(time.Since(start))}
		return rep
	}
	rep.Timings = map[string]float64{"decode": ms(time.Since(start))}
	rep.Format = d.hdr.format.String()
	rep.Width, rep.Height = d.w, d.h
	rep.DecodedWidth, rep.DecodedHeight = d.p.w, d.p.h
	rep.Scale = float64(d.w) / float64(d.p.w)
	rep.Orientation = d.hdr.orientation
	rep.Progressive = d.hdr.progressive
	rep.Decoder = decoderName
	if d.hdr.format == formatPNG || opts.PureGo {
		rep.Decoder = "go"
	}
	analyse(&d, opts, ws, &rep)
	rep.finish()
	if inspect != nil {
		t := time.Now()
		inspect(d.p.view(), &rep)
		rep.Timings["inspect"] = ms(time.Since(t))
	}
	return rep
}
