package doceval

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/kyc/reason"
)

// familyStats are one card design family's figures: the clean photos'
// false-reject rate and, per reason code, the recall at the clearly
// visible strength (the goal of issue 16 on designs never seen) and over
// every strength.
type familyStats struct {
	Family      string  `json:"family"`
	Photos      int     `json:"photos"`
	Clean       int     `json:"clean"`
	Rejected    int     `json:"clean_rejected"`
	FalseReject metric  `json:"false_reject_rate"`
	Codes       []fcode `json:"codes"`
}

type fcode struct {
	Code        reason.Code `json:"code"`
	Clear       int         `json:"n_clear"`
	ClearHits   int         `json:"hits_clear"`
	RecallClear metric      `json:"recall_clear"`
	All         int         `json:"n"`
	AllHits     int         `json:"hits"`
	Recall      metric      `json:"recall"`
}

// selectFamilies returns the items of the given design families (all of
// them when none is given).
func selectFamilies(items []docgen.Item, fams []docgen.Design) []docgen.Item {
	if len(fams) == 0 {
		return items
	}
	var out []docgen.Item
	for _, it := range items {
		for _, f := range fams {
			if it.Design == f {
				out = append(out, it)
				break
			}
		}
	}
	return out
}

// ParseFamilies parses a comma-separated list of design families; "dev"
// stands for docgen.DevDesigns, "devall" for docgen.DevBandDesigns (the
// development families with those added later, such as band) and
// "heldout" for docgen.HeldOutDesigns.
func ParseFamilies(s string) ([]docgen.Design, error) {
	var out []docgen.Design
	for _, f := range strings.Split(s, ",") {
		switch f = strings.TrimSpace(f); f {
		case "":
		case "dev":
			out = append(out, docgen.DevDesigns...)
		case "devall":
			out = append(out, docgen.DevBandDesigns...)
		case "heldout":
			out = append(out, docgen.HeldOutDesigns...)
		default:
			d, err := docgen.ParseDesign(f)
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
	}
	return out, nil
}

// scoreFamilies returns the figures of each design family among outs.
func scoreFamilies(outs []docOutcome, face bool) []familyStats {
	by := map[string]*familyStats{}
	var names []string
	for _, o := range outs {
		if o.err != nil || o.item.Defect == docgen.Unreadable {
			continue
		}
		name := o.item.Design.Name()
		f := by[name]
		if f == nil {
			f = &familyStats{Family: name}
			for _, c := range docCodes {
				if c != reason.DocUnreadable && (c != reason.DocNoFace || face) {
					f.Codes = append(f.Codes, fcode{Code: c})
				}
			}
			by[name] = f
			names = append(names, name)
		}
		f.Photos++
		e, p := expectedCodes(o.item, face), predictedCodes(o.rep, face)
		if o.item.Defect == docgen.Clean {
			f.Clean++
			if len(p) > 0 {
				f.Rejected++
			}
		}
		for i := range f.Codes {
			c := &f.Codes[i]
			if !e[c.Code] {
				continue
			}
			c.All++
			if p[c.Code] {
				c.AllHits++
			}
			if o.item.Strength == docgen.Clear || o.item.Defect == docgen.NoFace {
				c.Clear++
				if p[c.Code] {
					c.ClearHits++
				}
			}
		}
	}
	sort.Strings(names)
	var res []familyStats
	for _, n := range names {
		f := by[n]
		f.FalseReject = ratio(f.Rejected, f.Clean)
		for i := range f.Codes {
			c := &f.Codes[i]
			c.RecallClear, c.Recall = ratio(c.ClearHits, c.Clear), ratio(c.AllHits, c.All)
		}
		res = append(res, *f)
	}
	return res
}

// printFamilies prints one row per design family: the clean false
// rejects, then per code the recall at the clearly visible strength (hits
// of photos; doc_no_face counts all its photos).
func printFamilies(w io.Writer, fams []familyStats, face bool) {
	if len(fams) == 0 {
		return
	}
	fmt.Fprintln(w, "by card design family (the splits above together): clean false rejects; recall at the clearly visible strength, hits/photos")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "family\tphotos\tclean FRR\t")
	for _, c := range fams[0].Codes {
		fmt.Fprintf(tw, "%s\t", strings.TrimPrefix(string(c.Code), "doc_"))
	}
	fmt.Fprintln(tw)
	for _, f := range fams {
		fmt.Fprintf(tw, "%s\t%d\t%s (%d/%d)\t", f.Family, f.Photos, pct(f.FalseReject), f.Rejected, f.Clean)
		for _, c := range f.Codes {
			fmt.Fprintf(tw, "%d/%d\t", c.ClearHits, c.Clear)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	if !face {
		fmt.Fprintln(w, "(doc_no_face not evaluated)")
	}
	fmt.Fprintln(w)
}
