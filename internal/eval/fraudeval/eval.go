package fraudeval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	xdraw "golang.org/x/image/draw"

	"github.com/kycq/kycq/authenticity"
	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/faceeval"
	"github.com/kycq/kycq/internal/eval/headmotion"
	"github.com/kycq/kycq/knownfaces"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/workers"
)

// HeldOutSeed is the default seed of `kycq eval fraud`: the thresholds
// were set on seeds 0–5 of the document attacks and on the two bundled
// portraits; this seed's photos and videos were not looked at before.
const HeldOutSeed = 7001

// Config says what to generate.
type Config struct {
	// Photos is the face evaluation's photo directory (a missing one
	// leaves the two bundled portraits).
	Photos string
	Seed   int64
	// Docs is the number of photos per document attack (and genuine
	// controls); Faces limits the portraits used for videos and known
	// faces (0: all).
	Docs, Faces int
	// Skip leaves out the first Skip portraits (after Faces has limited
	// them), keeping each later portrait's seed and file names: two runs
	// with -faces K and -skip K split one evaluation in two.
	Skip int
	// Size is the document photo size (default 2 MP).
	Size   docgen.Size
	FFmpeg string
	// Keep, when set, keeps every generated photo and video there.
	Keep string
	// Progress, when set, gets a line per portrait.
	Progress io.Writer
	// OtherTools adds the held-out set made by other tools
	// (othertools.go); DocsOnly skips the selfie videos and known faces;
	// SelfiesOnly skips the document photos.
	OtherTools, DocsOnly, SelfiesOnly bool
	// Videos, when not empty, keeps only the selfie video cases named
	// (the rows of the video table, e.g. genuine_selfie): the others are
	// neither rendered nor judged.
	Videos []string
	// Rows, when not empty, keeps only the document photo rows named
	// (a name both sets have keeps the row in both): the others are
	// neither generated nor scored. A photo depends only on its row and
	// seed, so a row's photos are the same whichever rows run with it.
	Rows []string
	// Reuse judges the videos already in Keep (from an earlier run with
	// the same seed and photos) instead of rendering them again.
	Reuse bool
	// Scores, when set, names a file that gets one JSON line per
	// document photo (PhotoScores): its authenticity verdict, findings,
	// scores and regions, to compare two builds photo by photo.
	Scores string
	// TurnFrames, when set, names a file that gets one JSON line per
	// video judged under a turn challenge (TurnVideo): the challenge's
	// reading of each frame and, for a video of the generated head, the
	// generator's yaw and landmarks at that frame.
	TurnFrames string
	// Head chooses the genuine heads' variation (headmotion.Variation):
	// "sampled" (the default, headmotion.Sample of each video's seed),
	// "plain" (the mean head before variations), or a comma-separated
	// list of headmotion.VariationNames, each on.
	Head string
}

// PhotoScores is a document photo's line in the Scores file: the set
// ("docs" or "other"), the attack and seed that made the photo, and its
// authenticity report. No content of the photo is written.
type PhotoScores struct {
	Set    string `json:"set"`
	Attack string `json:"attack"`
	Seed   int64  `json:"seed"`
	*authenticity.Report
}

// scoreWriter writes PhotoScores lines; a nil one writes nothing.
type scoreWriter struct {
	f   *os.File
	enc *json.Encoder
}

func openScores(path string) (*scoreWriter, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &scoreWriter{f: f, enc: json.NewEncoder(f)}, nil
}

func (w *scoreWriter) write(set string, a Attack, seed int64, r *authenticity.Report) error {
	if w == nil || r == nil {
		return nil
	}
	return w.enc.Encode(PhotoScores{Set: set, Attack: string(a), Seed: seed, Report: r})
}

func (w *scoreWriter) close() error {
	if w == nil {
		return nil
	}
	return w.f.Close()
}

// AttackRow is one line of the report.
type AttackRow struct {
	Attack string `json:"attack"`
	N      int    `json:"n"`
	// Flagged counts the photos or videos the checks did not pass as
	// genuine (for the genuine controls: the false alarms).
	Flagged int     `json:"flagged"`
	Rate    float64 `json:"rate"`
	// Located counts edited photos whose reported region overlaps the
	// edit (local forensics only).
	Located int `json:"located,omitempty"`
}

// tally scores the known-faces search of the genuine selfie of portrait
// name, whose matches are all (every indexed card face, at any distance),
// into rep, and reports whether it found its own card within Threshold.
// person maps each portrait to who it shows (docgen.Portrait's Person).
func (rep *Report) tally(name string, all []knownfaces.Match, person map[string]string) bool {
	own := false
	for _, m := range all {
		pair := fmt.Sprintf("%s~%s %.3f", name, m.AccountID, m.Distance)
		a, b := person[name], person[m.AccountID]
		within := m.Distance <= rep.Threshold
		switch {
		case m.AccountID == name:
			rep.FarthestOwn = math.Max(rep.FarthestOwn, m.Distance)
			own = within
			if !within {
				rep.Missed = append(rep.Missed, pair)
			}
		case a != "" && a == b:
			if within {
				rep.SamePairs = append(rep.SamePairs, pair)
			}
		case faceeval.Uncertain(a, b):
			if within {
				rep.UncertainPairs = append(rep.UncertainPairs, pair)
			}
		default:
			rep.NearestOther = math.Min(rep.NearestOther, m.Distance)
			if within {
				rep.FalseMatches++
				rep.FalsePairs = append(rep.FalsePairs, pair)
			}
		}
	}
	return own
}

// Report is the outcome of Run.
type Report struct {
	Seed int64 `json:"seed"`
	// Head is the genuine heads' variation (Config.Head; empty: sampled).
	Head   string      `json:"head,omitempty"`
	Docs   []AttackRow `json:"documents"`
	Videos []VideoRow  `json:"videos"`
	// TurnReads are, with Config.TurnFrames, the generated heads' turns
	// as read against the generator's truth.
	TurnReads []TurnRead `json:"turn_reads,omitempty"`
	// Parallax ranges (min, max) of the genuine and the replayed videos.
	GenuineParallax, ReplayParallax [2]float64
	// Known faces: each portrait's card face indexed, each genuine selfie
	// searched; Recall is the share that found its own card, FalseMatches
	// the selfies that matched another person's portrait, at Threshold.
	// A match with another portrait of the same person (SamePairs) is
	// true, and one with a portrait nobody can tell apart from the
	// selfie's person (UncertainPairs, faceeval.Uncertain) is neither: both
	// are listed, not counted. Missed lists the selfies farther than
	// Threshold from their own card.
	KnownFaces     int      `json:"known_faces"`
	Recall         float64  `json:"recall"`
	FalseMatches   int      `json:"false_matches"`
	FalsePairs     []string `json:"false_pairs,omitempty"`
	SamePairs      []string `json:"same_person_pairs,omitempty"`
	UncertainPairs []string `json:"uncertain_pairs,omitempty"`
	Missed         []string `json:"missed_own,omitempty"`
	Threshold      float64  `json:"threshold"`
	// NearestOther is the smallest distance from a selfie to another
	// person's portrait (uncertain pairs left out); FarthestOwn the largest
	// to its own.
	NearestOther, FarthestOwn float64
	// AuthMS is the mean time Analyse added per document photo.
	AuthMS float64 `json:"auth_ms"`
	// Other is the held-out set made by other tools (Config.OtherTools).
	Other []AttackRow `json:"other_tools,omitempty"`
}

// Run generates the set and scores it.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Docs <= 0 {
		cfg.Docs = 20
	}
	if cfg.Size == "" {
		cfg.Size = docgen.Size2MP
	}
	if cfg.FFmpeg == "" {
		cfg.FFmpeg = "ffmpeg"
	}
	if cfg.Keep != "" {
		if err := os.MkdirAll(cfg.Keep, 0o755); err != nil {
			return nil, err
		}
	}
	if cfg.DocsOnly && cfg.SelfiesOnly {
		return nil, errors.New("fraudeval: documents only and selfies only exclude each other")
	}
	if cfg.Reuse && cfg.Keep == "" {
		return nil, errors.New("fraudeval: reusing videos needs the directory they were kept in")
	}
	if err := checkRows(cfg.Rows, cfg.OtherTools); err != nil {
		return nil, err
	}
	if _, err := headmotion.ParseVariation(cfg.Head, 0); err != nil {
		return nil, err
	}
	rep := &Report{Seed: cfg.Seed, Head: cfg.Head, Threshold: workers.DefaultKnownFaceDistance}
	eng, err := face.New(face.Options{FFmpeg: cfg.FFmpeg})
	if err != nil {
		return nil, err
	}
	if !cfg.SelfiesOnly {
		opts := frontOptions(eng)
		sw, err := openScores(cfg.Scores)
		if err != nil {
			return nil, err
		}
		err = rep.documents(ctx, cfg, opts, sw)
		if err == nil && cfg.OtherTools {
			err = rep.otherTools(ctx, cfg, opts, sw)
		}
		if cerr := sw.close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
	}
	if cfg.DocsOnly {
		return rep, nil
	}
	if err := face.CheckFFmpeg(cfg.FFmpeg); err != nil {
		return nil, err
	}
	if err := rep.faces(ctx, cfg, eng); err != nil {
		return nil, err
	}
	return rep, nil
}

// frontOptions are the document check's options for the generated
// photos, all of them card fronts: as production checks a front (the
// worker pipeline's Document), with the face engine looking for the
// portrait, whose box authenticity reads.
func frontOptions(eng *face.Engine) imagecheck.Options {
	opts := imagecheck.DefaultOptions()
	opts.Side = imagecheck.Front
	opts.FaceDetector = workers.FaceDetector{Engine: eng}
	return opts
}

// flaggedDoc reports whether a document photo would not pass as genuine:
// a non-clean authenticity verdict, or the recapture check's
// doc_not_original.
func flaggedDoc(rep imagecheck.Report, auth *authenticity.Report) bool {
	return auth.Verdict != authenticity.Clean || slices.Contains(rep.Reasons, reason.DocNotOriginal)
}

func (rep *Report) documents(ctx context.Context, cfg Config, opts imagecheck.Options, sw *scoreWriter) error {
	var authTime time.Duration
	photos := 0
	for _, a := range keepRows(docRows(), cfg.Rows) {
		row := AttackRow{Attack: string(a)}
		for i := 0; i < cfg.Docs; i++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			seed := cfg.Seed*1000 + int64(i)
			p, err := Make(a, seed, cfg.Size)
			if err != nil {
				return err
			}
			r, auth := authenticity.Check(p.Data, opts, authenticity.Options{}, time.Now())
			authTime += time.Duration(r.Timings["inspect"] * float64(time.Millisecond))
			photos++
			row.N++
			if err := sw.write("docs", a, seed, auth); err != nil {
				return err
			}
			if flaggedDoc(r, auth) {
				row.Flagged++
			}
			if !p.Region.Empty() {
				for _, b := range auth.Regions {
					if b.Overlaps(p.Region) {
						row.Located++
						break
					}
				}
			}
			if cfg.Keep != "" {
				ext := ".jpg"
				if a == Screenshot {
					ext = ".png"
				}
				os.WriteFile(filepath.Join(cfg.Keep, fmt.Sprintf("%s-%d%s", a, seed, ext)), p.Data, 0o644)
			}
		}
		row.Rate = round4(float64(row.Flagged) / float64(row.N))
		rep.Docs = append(rep.Docs, row)
	}
	if photos > 0 {
		rep.AuthMS = round4(float64(authTime.Microseconds()) / 1000 / float64(photos))
	}
	return nil
}

// toFrame scales a portrait to the selfie frame.
func toFrame(img image.Image) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, headmotion.Width, headmotion.Height))
	xdraw.CatmullRom.Scale(out, out.Bounds(), img, img.Bounds(), xdraw.Src, nil)
	return out
}

func (rep *Report) faces(ctx context.Context, cfg Config, eng *face.Engine) error {
	portraits, err := faceeval.Portraits(eng, cfg.Photos)
	if err != nil {
		return err
	}
	if cfg.Faces > 0 && cfg.Faces < len(portraits) {
		portraits = portraits[:cfg.Faces]
	}
	first := min(max(cfg.Skip, 0), len(portraits))
	dir := cfg.Keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "kycq-fraud-eval-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	vids, err := newVideoRows(cfg.Videos)
	if err != nil {
		return err
	}
	tw, err := openTurnFrames(cfg.TurnFrames)
	if err != nil {
		return err
	}
	defer tw.close()
	rep.GenuineParallax = [2]float64{math.Inf(1), math.Inf(-1)}
	rep.ReplayParallax = rep.GenuineParallax
	idx := knownfaces.NewExact(len(portraits))
	type probe struct {
		name string
		desc []float32
	}
	var probes []probe
	person := make(map[string]string, len(portraits))
	for _, p := range portraits {
		person[p.Name] = p.Person
	}
	for i, p := range portraits {
		if i < first {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		seed := cfg.Seed*1000 + int64(i)
		frame := toFrame(p.Image)
		// The card face goes into the index, as an approval would put it.
		card, _ := docgen.Generate(docgen.Spec{Seed: seed, Size: docgen.Size1MP, Portrait: p.Image, PrintedPortrait: true})
		cardJPEG, err := encodeJPEG(card, 90)
		if err != nil {
			return err
		}
		ref, _ := eng.DocumentDescriptor(cardJPEG)
		if ref != nil {
			if err := idx.Put(knownfaces.Entry{AccountID: p.Name, DocKey: p.Name, Descriptor: ref}); err != nil {
				return err
			}
		}
		desc, err := vids.judge(ctx, eng, cfg, dir, i, p.Name, frame, seed, rep, tw)
		if err != nil {
			return err
		}
		if desc != nil {
			probes = append(probes, probe{p.Name, desc})
		}
	}
	rep.Videos = vids.rows()
	if tw != nil {
		rep.TurnReads = tw.rows
	}

	// Known faces: each genuine selfie searched among the card faces.
	rep.KnownFaces = idx.Len()
	rep.NearestOther = math.Inf(1)
	found := 0
	for _, pr := range probes {
		all, err := idx.Search(pr.desc, idx.Len(), math.Inf(1))
		if err != nil {
			return err
		}
		if rep.tally(pr.name, all, person) {
			found++
		}
	}
	if len(probes) > 0 {
		rep.Recall = round4(float64(found) / float64(len(probes)))
	}
	rep.NearestOther, rep.FarthestOwn = round4(rep.NearestOther), round4(rep.FarthestOwn)
	for _, r := range []*[2]float64{&rep.GenuineParallax, &rep.ReplayParallax} {
		r[0], r[1] = round4(r[0]), round4(r[1])
	}
	return nil
}

func failedOf(r *face.Result) []string {
	if r.Liveness == nil {
		return nil
	}
	return r.Liveness.Failed
}

func widen(r *[2]float64, v float64) {
	r[0], r[1] = math.Min(r[0], v), math.Max(r[1], v)
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// Print writes the report as tables.
func (rep *Report) Print(w io.Writer) {
	head := rep.Head
	if head == "" {
		head = "sampled"
	}
	fmt.Fprintf(w, "kycq eval fraud, seed %d, genuine heads %s\n\n", rep.Seed, head)
	if len(rep.Docs) > 0 || len(rep.Other) > 0 {
		rep.printDocs(w)
	}
	if len(rep.Videos) == 0 {
		return
	}
	rep.printVideos(w)
	printTurnReads(w, rep.TurnReads)
	fmt.Fprintf(w, "known faces: %d card faces indexed; genuine selfies found their own card: %.3f; false matches %d at distance ≤ %.2f (nearest other %.3f, farthest own %.3f)\n",
		rep.KnownFaces, rep.Recall, rep.FalseMatches, rep.Threshold, rep.NearestOther, rep.FarthestOwn)
	for _, p := range rep.FalsePairs {
		fmt.Fprintf(w, "  false match: %s\n", p)
	}
	for _, p := range rep.SamePairs {
		fmt.Fprintf(w, "  same person's other portrait (a true match): %s\n", p)
	}
	for _, p := range rep.UncertainPairs {
		fmt.Fprintf(w, "  a portrait that may be the same person (not counted): %s\n", p)
	}
	for _, p := range rep.Missed {
		fmt.Fprintf(w, "  own card beyond the distance: %s\n", p)
	}
}

// printDocs writes the document photo tables (-selfies-only has none;
// -rows may leave either set without a row).
func (rep *Report) printDocs(w io.Writer) {
	if len(rep.Docs) > 0 {
		writeRows(w, "document photos", rep.Docs, Painted, PaintedLowQ, Pasted, ColourChange)
		fmt.Fprintf(w, "\nauthenticity adds %.2f ms per photo on average (its share of the document check)\n", rep.AuthMS)
	}
	rep.printOther(w)
	fmt.Fprintln(w)
}

// writeRows writes one table of document rows under the heading head; the
// rows of the located attacks say how many of their regions were found.
func writeRows(w io.Writer, head string, rows []AttackRow, located ...Attack) {
	fmt.Fprintf(w, "| %s | n | flagged | rate | region located |\n", head)
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, r := range rows {
		loc := ""
		for _, a := range located {
			if r.Attack == string(a) {
				loc = fmt.Sprintf("%d/%d", r.Located, r.N)
			}
		}
		fmt.Fprintf(w, "| %s | %d | %d | %.3f | %s |\n", r.Attack, r.N, r.Flagged, r.Rate, loc)
	}
}
