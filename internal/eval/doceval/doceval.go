// Package doceval measures imagecheck's accuracy on a labelled synthetic
// dataset (as internal/eval/docgen writes it): precision and recall per
// reason code, recall by defect strength and variant, the false-reject
// rate on clean photos, per split. "kycq eval docs" parses its flags into
// a Config and calls Run.
package doceval

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/checkrun"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/kyc/reason"
)

// Config is one evaluation run.
type Config struct {
	// Dir holds the dataset (Dir/manifest.json).
	Dir string
	// Generate, when set, writes the dataset Spec describes into Dir
	// first (files already there are kept), with Workers generating when
	// Spec sets no number of its own.
	Generate bool
	Spec     docgen.DatasetSpec
	// Split limits the evaluation to one split (docgen.SplitCalibrate or
	// docgen.SplitTest); empty evaluates both, separately.
	Split string
	// Workers is the number of concurrent checks.
	Workers int
	// FaceDetector, when not nil, lets doc_no_face be evaluated.
	FaceDetector imagecheck.FaceDetector
	// Face asks for FaceDetector to be the face engine (UseFace);
	// PortraitDir holds the photos whose faces generated fronts carry.
	Face        bool
	PortraitDir string
	// NewFace, when not nil, makes the face engine Run hands to UseFace
	// when the evaluation needs one (NeedsFace).
	NewFace func() (*face.Engine, error)
	// JSON prints the results as JSON instead of tables.
	JSON bool
	// Scores, Confusion and Compare add score quantiles, the list of
	// wrong verdicts and the pure-Go decoder's agreement to the tables.
	Scores, Confusion, Compare bool
	// Dump, when set, is a file to write one JSON line per photo to.
	Dump string
	// Annotate, when set, is a directory to write every wrongly judged
	// photo into, its report drawn over it.
	Annotate string
	// Families, when given, limits the evaluation to the photos of these
	// card design families.
	Families []docgen.Design
}

// Run generates the dataset when asked, checks every photo and prints the
// results to stdout; progress goes to stderr.
func Run(ctx context.Context, cfg Config, stdout, stderr io.Writer) error {
	if cfg.NewFace != nil && cfg.NeedsFace() {
		eng, err := cfg.NewFace()
		if err != nil {
			return fmt.Errorf("face engine: %w", err)
		}
		n, err := cfg.UseFace(eng)
		if err != nil {
			return err
		}
		if cfg.Generate {
			fmt.Fprintf(stderr, "fronts carry %d real faces\n", n)
		}
	}
	dir := cfg.Dir
	if cfg.Generate {
		start := time.Now()
		last := time.Now()
		spec := cfg.Spec
		if spec.Workers == 0 {
			spec.Workers = cfg.Workers
		}
		spec.Progress = func(done, total int) {
			if time.Since(last) > 5*time.Second || done == total {
				last = time.Now()
				fmt.Fprintf(stderr, "generated %d/%d (%s)\n", done, total, time.Since(start).Round(time.Second))
			}
		}
		if _, err := docgen.WriteDataset(dir, spec); err != nil {
			return err
		}
	}
	m, err := docgen.ReadManifest(dir)
	if err != nil {
		return fmt.Errorf("%w (generate one with -generate)", err)
	}
	fd := cfg.FaceDetector
	start := time.Now()
	items := selectFamilies(m.Items, cfg.Families)
	if len(items) == 0 {
		return fmt.Errorf("no photos of the families %v in %s", cfg.Families, dir)
	}
	outs := evalDocsRun(ctx, dir, items, fd, max(1, cfg.Workers), cfg.Compare)
	fmt.Fprintf(stderr, "checked %d files in %s\n", len(outs), time.Since(start).Round(time.Millisecond))
	splits := []string{docgen.SplitCalibrate, docgen.SplitTest}
	if cfg.Split != "" {
		splits = []string{cfg.Split}
	}
	var all []docEvalResult
	for _, s := range splits {
		var sel []docOutcome
		for _, o := range outs {
			if o.item.Split == s {
				sel = append(sel, o)
			}
		}
		r := scoreDocs(s, sel, fd != nil)
		r.Families = scoreFamilies(sel, fd != nil)
		all = append(all, r)
	}
	if cfg.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", " ")
		return enc.Encode(all)
	}
	for _, r := range all {
		printDocEval(stdout, r)
	}
	var sel []docOutcome
	for _, o := range outs {
		for _, s := range splits {
			if o.item.Split == s {
				sel = append(sel, o)
			}
		}
	}
	printFamilies(stdout, scoreFamilies(sel, fd != nil), fd != nil)
	printByBackground(stdout, outs, splits)
	if fd != nil {
		printFaceCost(stdout, outs)
	}
	if cfg.Compare {
		printDecoderAgreement(stdout, outs)
	}
	if cfg.Dump != "" {
		if err := dumpOutcomes(cfg.Dump, outs); err != nil {
			return err
		}
	}
	if cfg.Annotate != "" {
		if err := annotateWrong(cfg.Annotate, dir, outs, fd != nil); err != nil {
			return err
		}
	}
	if cfg.Scores {
		printScoreQuantiles(stdout, outs)
	}
	if cfg.Confusion {
		printConfusion(stdout, outs, fd != nil)
	}
	return nil
}

// docCodes are the codes of rules §2, in the catalogue's order.
var docCodes = []reason.Code{
	reason.DocUnreadable, reason.DocLowResolution, reason.DocBlurry, reason.DocGlare, reason.DocCutOff,
	reason.DocNotColour, reason.DocTooDark, reason.DocOverexposed, reason.DocNotOriginal, reason.DocNoFace,
}

type docOutcome struct {
	item docgen.Item
	rep  imagecheck.Report
	err  error
	// iou is the overlap of the reported outline with the true one (0
	// when none was reported, -1 when there is no true one).
	iou float64
	// goRep is the report of the pure-Go decode path (-compare-decoders).
	goRep *imagecheck.Report
	// facePasses counts the face detector's calls on the photo.
	facePasses int
}

// countingDetector counts the calls to a face detector.
type countingDetector struct {
	d imagecheck.FaceDetector
	n *int
}

func (c countingDetector) DetectFaces(img image.Image) ([]imagecheck.FaceBox, error) {
	*c.n++
	return c.d.DetectFaces(img)
}

func evalDocsRun(ctx context.Context, dir string, items []docgen.Item, fd imagecheck.FaceDetector, workers int, compare bool) []docOutcome {
	outs := make([]docOutcome, len(items))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				it := items[i]
				outs[i].item = it
				data, err := os.ReadFile(filepath.Join(dir, it.File))
				if err != nil {
					outs[i].err = err
					continue
				}
				opts := imagecheck.DefaultOptions()
				opts.Side = imagecheck.Back
				if it.Side == docgen.Front {
					opts.Side = imagecheck.Front
				}
				if fd != nil {
					opts.FaceDetector = countingDetector{fd, &outs[i].facePasses}
				}
				outs[i].rep = imagecheck.Check(data, opts)
				outs[i].iou = -1
				if it.Defect != docgen.Unreadable && it.Width > 0 {
					outs[i].iou = outlineIoU(outs[i].rep.Document, it.Quad, float64(it.Width), float64(it.Height))
				}
				if compare && outs[i].rep.Format == "jpeg" {
					opts.PureGo = true
					opts.FaceDetector = fd
					r := imagecheck.Check(data, opts)
					outs[i].goRep = &r
				}
			}
		}()
	}
	for i := range items {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return outs
}

type docCodeStats struct {
	Code      reason.Code `json:"code"`
	TP        int         `json:"tp"`
	FP        int         `json:"fp"`
	FN        int         `json:"fn"`
	Precision metric      `json:"precision"`
	Recall    metric      `json:"recall"`
	// RecallBy is the recall per strength (1 subtle, 2 moderate, 3 clear).
	RecallBy [4]metric `json:"recall_by_strength"`
	NBy      [4]int    `json:"n_by_strength"`
}

type docEvalResult struct {
	Split       string         `json:"split"`
	Photos      int            `json:"photos"`
	Clean       int            `json:"clean"`
	FalseReject float64        `json:"false_reject_rate"`
	Codes       []docCodeStats `json:"codes"`
	Errors      int            `json:"read_errors"`
	FaceEval    bool           `json:"face_evaluated"`
	// Variants is the recall of each defect's variants (a finger or the
	// frame for cut_off, ...), by strength.
	Variants []variantStats `json:"variants"`
	// Families are the figures of each card design family.
	Families []familyStats `json:"families"`
}

type variantStats struct {
	Defect   docgen.Defect `json:"defect"`
	Variant  string        `json:"variant"`
	RecallBy [4]metric     `json:"recall_by_strength"`
	NBy      [4]int        `json:"n_by_strength"`
	hits     [4]int
}

func expectedCodes(it docgen.Item, face bool) map[reason.Code]bool {
	e := map[reason.Code]bool{}
	for _, c := range it.Codes {
		if c == reason.DocNoFace && !face {
			continue
		}
		e[c] = true
	}
	return e
}

func predictedCodes(r imagecheck.Report, face bool) map[reason.Code]bool {
	p := map[reason.Code]bool{}
	for _, c := range r.Reasons {
		if c == reason.DocNoFace && !face {
			continue
		}
		p[c] = true
	}
	return p
}

func scoreDocs(split string, outs []docOutcome, face bool) docEvalResult {
	res := docEvalResult{Split: split, Photos: len(outs), FaceEval: face}
	stats := map[reason.Code]*docCodeStats{}
	hit := make([][4]int, len(docCodes))
	for _, c := range docCodes {
		stats[c] = &docCodeStats{Code: c}
	}
	rejected := 0
	variants := map[string]*variantStats{}
	for _, o := range outs {
		if o.err != nil {
			res.Errors++
			continue
		}
		e, p := expectedCodes(o.item, face), predictedCodes(o.rep, face)
		if c := o.item.Defect.Code(); c != "" && e[c] && o.item.Variant != "" {
			k := string(o.item.Defect) + "/" + o.item.Variant
			v := variants[k]
			if v == nil {
				v = &variantStats{Defect: o.item.Defect, Variant: o.item.Variant}
				variants[k] = v
			}
			v.NBy[o.item.Strength]++
			if p[c] {
				v.hits[o.item.Strength]++
			}
		}
		if o.item.Defect == docgen.Clean {
			res.Clean++
			if len(p) > 0 {
				rejected++
			}
		}
		for k, c := range docCodes {
			s := stats[c]
			switch {
			case e[c] && p[c]:
				s.TP++
			case e[c]:
				s.FN++
			case p[c]:
				s.FP++
			}
			if e[c] {
				st := int(o.item.Strength)
				s.NBy[st]++
				if p[c] {
					hit[k][st]++
				}
			}
		}
	}
	if res.Clean > 0 {
		res.FalseReject = float64(rejected) / float64(res.Clean)
	}
	for k, c := range docCodes {
		if c == reason.DocNoFace && !face {
			continue
		}
		s := stats[c]
		s.Precision = ratio(s.TP, s.TP+s.FP)
		s.Recall = ratio(s.TP, s.TP+s.FN)
		for st := 0; st < 4; st++ {
			s.RecallBy[st] = ratio(hit[k][st], s.NBy[st])
		}
		res.Codes = append(res.Codes, *s)
	}
	var keys []string
	for k := range variants {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := variants[k]
		for st := 0; st < 4; st++ {
			v.RecallBy[st] = ratio(v.hits[st], v.NBy[st])
		}
		res.Variants = append(res.Variants, *v)
	}
	return res
}

// metric is a ratio that is NaN (JSON null) when it has no samples.
type metric float64

func (m metric) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(m)) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(m))
}

func ratio(a, b int) metric {
	if b == 0 {
		return metric(math.NaN())
	}
	return metric(float64(a) / float64(b))
}

func pct(v metric) string {
	if math.IsNaN(float64(v)) {
		return "–"
	}
	return fmt.Sprintf("%.3f", v)
}

func printDocEval(w io.Writer, r docEvalResult) {
	fmt.Fprintf(w, "split %s: %d photos, %d clean; false rejects of clean photos: %s (%d read errors)\n",
		r.Split, r.Photos, r.Clean, pct(metric(r.FalseReject)), r.Errors)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "code\tTP\tFP\tFN\tprecision\trecall\trecall subtle\trecall moderate\trecall clear\t")
	for _, s := range r.Codes {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t\n", s.Code, s.TP, s.FP, s.FN,
			pct(s.Precision), pct(s.Recall), pct(s.RecallBy[1]), pct(s.RecallBy[2]), pct(s.RecallBy[3]))
	}
	tw.Flush()
	if !r.FaceEval {
		fmt.Fprintln(w, "(doc_no_face not evaluated: no face detector in this build)")
	}
	fmt.Fprint(w, "recall by variant (subtle/moderate/clear):")
	for _, v := range r.Variants {
		fmt.Fprintf(w, " %s/%s %s/%s/%s;", v.Defect, v.Variant, pct(v.RecallBy[1]), pct(v.RecallBy[2]), pct(v.RecallBy[3]))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
}

// printScoreQuantiles prints, per check, the 5/50/95% quantiles of its
// score for clean photos and for each defect and strength.
func printScoreQuantiles(w io.Writer, outs []docOutcome) {
	groups := map[string]map[string][]float64{}
	count := map[string]int{}
	var keys []string
	for _, o := range outs {
		if o.err != nil || o.rep.Error != "" {
			continue
		}
		g := string(o.item.Defect)
		if o.item.Strength > 0 {
			g += fmt.Sprintf("/s%d", o.item.Strength)
		}
		if groups[g] == nil {
			groups[g] = map[string][]float64{}
			keys = append(keys, g)
		}
		count[g]++
		for name, v := range o.rep.Scores {
			groups[g][name] = append(groups[g][name], v)
		}
	}
	sort.Strings(keys)
	checks := []string{imagecheck.CheckResolution, imagecheck.CheckBlur, imagecheck.CheckGlare, imagecheck.CheckCorners,
		imagecheck.CheckColour, imagecheck.CheckBrightness, imagecheck.CheckClipped, imagecheck.CheckRecapture, imagecheck.CheckFace,
		imagecheck.CheckBlurEdgeWidth, imagecheck.CheckColourTone, imagecheck.CheckColourCast}
	fmt.Fprintln(w, "score quantiles (min / 5% / 50% / 95% / max) by defect and strength; blur_edge_width, colour_tone and colour_cast over the photos in blur's and colour's doubt bands only:")
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprint(tw, "group\tn")
	for _, c := range checks {
		fmt.Fprintf(tw, "\t%s", c)
	}
	fmt.Fprintln(tw)
	for _, g := range keys {
		fmt.Fprintf(tw, "%s\t%d", g, count[g])
		for _, c := range checks {
			v := groups[g][c]
			if len(v) == 0 {
				fmt.Fprint(tw, "\t-")
				continue
			}
			sort.Float64s(v)
			q := func(p float64) float64 { return v[int(math.Round(p*float64(len(v)-1)))] }
			fmt.Fprintf(tw, "\t%s/%s/%s/%s/%s", g3(q(0)), g3(q(0.05)), g3(q(0.5)), g3(q(0.95)), g3(q(1)))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintln(w)
}

func g3(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%.3g", v), ".0") }

func printConfusion(w io.Writer, outs []docOutcome, face bool) {
	fmt.Fprintln(w, "wrong verdicts (file, split, expected → reported):")
	for _, o := range outs {
		if o.err != nil {
			fmt.Fprintf(w, "  %s: %v\n", o.item.File, o.err)
			continue
		}
		e, p := expectedCodes(o.item, face), predictedCodes(o.rep, face)
		same := len(e) == len(p)
		for c := range e {
			if !p[c] {
				same = false
			}
		}
		if same {
			continue
		}
		fmt.Fprintf(w, "  %s %s %s → %s\n", o.item.File, o.item.Split, codeList(e), codeList(p))
	}
	fmt.Fprintln(w)
}

// printByBackground prints, per split and background, the clean photos'
// false-reject rate and how often the outline was found (overlap with the
// true card of at least 0.9), over clean photos and over all photos.
func printByBackground(w io.Writer, outs []docOutcome, splits []string) {
	type acc struct{ clean, rejected, cleanGood, all, allGood int }
	for _, s := range splits {
		by := map[string]*acc{}
		var names []string
		tot := &acc{}
		for _, o := range outs {
			if o.item.Split != s || o.err != nil || o.iou < 0 {
				continue
			}
			bg := o.item.Background
			a := by[bg]
			if a == nil {
				a = &acc{}
				by[bg] = a
				names = append(names, bg)
			}
			for _, a := range []*acc{a, tot} {
				a.all++
				good := o.iou >= 0.9
				if good {
					a.allGood++
				}
				if o.item.Defect == docgen.Clean {
					a.clean++
					if good {
						a.cleanGood++
					}
					if len(o.rep.Reasons) > 0 {
						a.rejected++
					}
				}
			}
		}
		sort.Strings(names)
		fmt.Fprintf(w, "split %s by background: clean false rejects, and the outline found (overlap ≥ 0.9 with the true card)\n", s)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "background\tclean\trejected\tFRR\toutline ok, clean\toutline ok, all photos\t")
		row := func(name string, a *acc) {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s (%d)\t\n", name, a.clean, a.rejected, pct(ratio(a.rejected, a.clean)),
				pct(ratio(a.cleanGood, a.clean)), pct(ratio(a.allGood, a.all)), a.all)
		}
		for _, n := range names {
			row(n, by[n])
		}
		row("all", tot)
		tw.Flush()
		fmt.Fprintln(w)
	}
}

// printFaceCost prints how many detector passes and how much time the
// portrait search took on the fronts.
func printFaceCost(w io.Writer, outs []docOutcome) {
	var passes, msAll []float64
	byPasses := map[int]int{}
	for _, o := range outs {
		if o.err != nil || o.item.Side != docgen.Front || o.rep.Error != "" {
			continue
		}
		passes = append(passes, float64(o.facePasses))
		msAll = append(msAll, o.rep.Timings["face"])
		byPasses[o.facePasses]++
	}
	if len(passes) == 0 {
		return
	}
	q := func(v []float64, p float64) float64 {
		s := append([]float64(nil), v...)
		sort.Float64s(s)
		return s[min(len(s)-1, int(p*float64(len(s))))]
	}
	mean := func(v []float64) float64 {
		t := 0.0
		for _, x := range v {
			t += x
		}
		return t / float64(len(v))
	}
	fmt.Fprintf(w, "portrait search on %d fronts: detector passes mean %.2f, p50 %.0f, p90 %.0f, max %.0f; face stage ms mean %.1f, p50 %.1f, p90 %.1f, max %.1f\n",
		len(passes), mean(passes), q(passes, 0.5), q(passes, 0.9), q(passes, 1), mean(msAll), q(msAll, 0.5), q(msAll, 0.9), q(msAll, 1))
	var keys []int
	for k := range byPasses {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	fmt.Fprint(w, "  fronts by passes:")
	for _, k := range keys {
		fmt.Fprintf(w, " %d×%d", byPasses[k], k)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w)
}

// printDecoderAgreement prints how often the libjpeg-turbo and pure-Go
// decode paths reach the same verdict (the same set of reasons).
func printDecoderAgreement(w io.Writer, outs []docOutcome) {
	n, same := 0, 0
	var diff []string
	for _, o := range outs {
		if o.goRep == nil {
			continue
		}
		n++
		a, b := predictedCodes(o.rep, true), predictedCodes(*o.goRep, true)
		if codeList(a) == codeList(b) {
			same++
		} else {
			diff = append(diff, fmt.Sprintf("  %s: %s %s, go %s", o.item.File, o.rep.Decoder, codeList(a), codeList(b)))
		}
	}
	fmt.Fprintf(w, "decode paths: %d of %d JPEGs (%s) get the same verdict from the pure-Go decoder\n", same, n, pct(ratio(same, n)))
	for _, d := range diff {
		fmt.Fprintln(w, d)
	}
	fmt.Fprintln(w)
}

// dumpOutcomes writes one JSON object per photo to path.
func dumpOutcomes(path string, outs []docOutcome) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, o := range outs {
		enc.Encode(struct {
			docgen.Item
			IoU     float64            `json:"iou"`
			Reasons []reason.Code      `json:"reasons"`
			Scores  map[string]float64 `json:"scores"`
			Passes  int                `json:"face_passes"`
		}{o.item, o.iou, o.rep.Reasons, o.rep.Scores, o.facePasses})
	}
	return f.Close()
}

// annotateWrong writes each wrongly judged photo, with its report drawn
// over it, into out.
func annotateWrong(out, dir string, outs []docOutcome, face bool) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, o := range outs {
		if o.err != nil || o.item.Defect == docgen.Unreadable {
			continue
		}
		e, p := expectedCodes(o.item, face), predictedCodes(o.rep, face)
		if codeList(e) == codeList(p) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, o.item.File))
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(o.item.File, filepath.Ext(o.item.File)) + ".png"
		if err := checkrun.WriteAnnotated(filepath.Join(out, name), data, o.rep, imagecheck.DefaultOptions()); err != nil {
			return fmt.Errorf("%s: %w", o.item.File, err)
		}
	}
	return nil
}

// outlineIoU is imagecheck.Overlap of the reported outline and the true
// card quadrilateral in the w×h photo, 0 when no outline was reported.
func outlineIoU(doc []imagecheck.Point, truth [4][2]float64, w, h float64) float64 {
	if len(doc) != 4 {
		return 0
	}
	var a [4][2]float64
	for i, p := range doc {
		a[i] = [2]float64{p.X, p.Y}
	}
	return imagecheck.Overlap(a, truth, w, h)
}

func codeList(m map[reason.Code]bool) string {
	var s []string
	for c := range m {
		s = append(s, string(c))
	}
	sort.Strings(s)
	if len(s) == 0 {
		return "ok"
	}
	return strings.Join(s, ",")
}
