package doceval

import (
	"flag"
	"fmt"
	"strings"

	"github.com/kycq/kycq/internal/eval/docgen"
)

// Flags declares the configuration's flags (as "kycq eval docs" has them)
// on fs, with c's current values as their defaults.
func (c *Config) Flags(fs *flag.FlagSet) {
	fs.BoolVar(&c.Generate, "generate", c.Generate, "generate the labelled dataset into DIR first (files already there are kept)")
	fs.Int64Var(&c.Spec.Seed, "seed", c.Spec.Seed, "dataset seed (with -generate)")
	fs.IntVar(&c.Spec.PerCell, "per-cell", c.Spec.PerCell, "photos per defect and strength (with -generate)")
	fs.IntVar(&c.Spec.Clean, "clean", c.Spec.Clean, "clean photos (with -generate)")
	fs.IntVar(&c.Spec.Unreadable, "unreadable", c.Spec.Unreadable, "broken files (with -generate)")
	fs.Float64Var(&c.Spec.Share12MP, "share-12mp", c.Spec.Share12MP, "share of 12 MP photos (with -generate)")
	fs.StringVar(&c.Split, "split", c.Split, "evaluate one split only: calibrate or test (default: both, separately)")
	fs.IntVar(&c.Workers, "workers", c.Workers, "concurrent checks")
	fs.BoolVar(&c.Scores, "scores", c.Scores, "also print score quantiles per check for clean photos and each defect/strength (for calibration)")
	fs.BoolVar(&c.Confusion, "confusion", c.Confusion, "also list every wrong verdict")
	fs.BoolVar(&c.JSON, "json", c.JSON, "print the results as JSON")
	fs.BoolVar(&c.Face, "face", c.Face, "evaluate doc_no_face with the face engine")
	fs.StringVar(&c.PortraitDir, "portraits", c.PortraitDir, "face photos whose faces the generated fronts carry, besides the two bundled portraits (with -generate; scripts/setup.d/40-face-photos.sh fetches them)")
	fs.BoolVar(&c.Compare, "compare-decoders", c.Compare, "also check every JPEG with the pure-Go decoder and report how often the verdicts agree")
	fs.StringVar(&c.Annotate, "annotate", c.Annotate, "write every wrong verdict's photo with its outline drawn into this directory")
	fs.Var(familiesFlag{&c.Spec.Designs}, "designs", "card design families to draw the photos from (with -generate): names, dev (the first six development families), devall (every development family, band included) or heldout; default the classic card only")
	fs.BoolVar(&c.Spec.RealFingers, "real-fingers", c.Spec.RealFingers, "draw the fingertips over cut-off corners as photographed ones look: skin from very dark to pale, a nail or none, a soft outline and shadow (with -generate; off: the photos as before)")
	fs.Var(defectsFlag{&c.Spec.Defects}, "defects", "only these defects, comma-separated (with -generate; default every defect)")
	fs.Var(familiesFlag{&c.Families}, "family", "evaluate only the photos of these design families (names, dev, devall, heldout, classic)")
	fs.StringVar(&c.Dump, "dump", c.Dump, "write one JSON line per photo (its label, outline overlap, reasons and scores) to this file")
}

// familiesFlag is a flag.Value for a list of design families.
type familiesFlag struct{ p *[]docgen.Design }

func (f familiesFlag) String() string {
	if f.p == nil {
		return ""
	}
	var s []string
	for _, d := range *f.p {
		s = append(s, d.Name())
	}
	return strings.Join(s, ",")
}

func (f familiesFlag) Set(v string) error {
	d, err := ParseFamilies(v)
	if err != nil {
		return err
	}
	*f.p = d
	return nil
}

// defectsFlag is a flag.Value for a list of defects.
type defectsFlag struct{ p *[]docgen.Defect }

func (f defectsFlag) String() string {
	if f.p == nil {
		return ""
	}
	var s []string
	for _, d := range *f.p {
		s = append(s, string(d))
	}
	return strings.Join(s, ",")
}

func (f defectsFlag) Set(v string) error {
	*f.p = nil
	for _, name := range strings.Split(v, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		ok := false
		for _, d := range docgen.Defects {
			if string(d) == name {
				*f.p, ok = append(*f.p, d), true
			}
		}
		if !ok {
			return fmt.Errorf("unknown defect %q", name)
		}
	}
	return nil
}
