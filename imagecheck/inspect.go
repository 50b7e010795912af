package imagecheck

import (
	"fmt"
	"image"
	"runtime"
	"time"
)

// stageClock times the stages of one check: wall time into
// Report.Timings and, where the platform measures it, CPU time of the
// check's thread into Report.CPU.
type stageClock struct {
	wall   time.Time
	cpu    time.Duration
	hasCPU bool
}

func newStageClock() stageClock {
	cpu, ok := threadCPU()
	return stageClock{wall: time.Now(), cpu: cpu, hasCPU: ok}
}

// lap records the time since the clock was started or last lapped as
// stage name of rep, and restarts the clock.
func (c *stageClock) lap(rep *Report, name string) {
	now := newStageClock()
	if rep.Timings == nil {
		rep.Timings = map[string]float64{}
	}
	rep.Timings[name] = ms(now.wall.Sub(c.wall))
	if c.hasCPU && now.hasCPU {
		if rep.CPU == nil {
			rep.CPU = map[string]float64{}
		}
		rep.CPU[name] = ms(now.cpu - c.cpu)
	}
	*c = now
}

// CheckInspect is Check that also hands the decoded photo to inspect
// before returning, so another pure check (such as package authenticity)
// can read the same pixels without a second decode. work is the upright
// photo at working resolution (Report.Scale original pixels per pixel),
// sharing pooled buffers: inspect must not keep it. inspect is not called
// for an unreadable photo; its time is reported as Timings["inspect"].
func CheckInspect(data []byte, opts Options, inspect func(work *image.YCbCr, rep *Report)) (rep Report) {
	// One thread runs the whole check, so that its CPU time is the
	// check's own work (Report.CPU).
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := newStageClock()
	defer func() {
		if r := recover(); r != nil {
			// A bug, not a property of the photo: report it as unreadable
			// rather than crash a worker; the message holds no content.
			rep = unreadableReport(fmt.Sprintf("internal error: %v", r))
		}
		start.lap(&rep, "total")
		budgets := opts.Budgets
		if budgets == nil {
			budgets = DefaultBudgets()
		}
		spent := rep.CPU
		if spent == nil {
			spent = rep.Timings
		}
		rep.OverBudget = overBudget(spent, budgets)
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
	dec := start
	if err != nil {
		rep = unreadableReport(err.Error())
		dec.lap(&rep, "decode")
		return rep
	}
	dec.lap(&rep, "decode")
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
		c := newStageClock()
		inspect(d.p.view(), &rep)
		c.lap(&rep, "inspect")
	}
	return rep
}
