package readeval

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/kyc"
)

// Reader reads one photo (*docread.Reader is one).
type Reader interface {
	Read(ctx context.Context, photo []byte, side imagecheck.Side, hint docread.Hint) (*docread.Result, error)
}

// Key fields per document kind: a document counts as read when the kind
// is right and every key field is exact. For the visual card the fields
// are the typed values the reader must find.
var keyFields = map[Doc][]string{
	TD1:       {"document_number", "surname", "given_names", "nationality", "birth_date", "expiry_date", "sex"},
	TD2:       {"document_number", "surname", "given_names", "nationality", "birth_date", "expiry_date", "sex"},
	TD3:       {"document_number", "surname", "given_names", "nationality", "birth_date", "expiry_date", "sex"},
	CNIDFront: {"name", "sex", "birth_date", "document_number"},
	CNIDBack:  {"issue_date", "expiry_date"},
	Visual:    {"document_number", "birth_date", "name"},
}

// extraFields are compared and reported but are not key fields.
var extraFields = map[Doc][]string{
	TD1: {"issuer"}, TD2: {"issuer"}, TD3: {"issuer"},
	CNIDFront: {"ethnicity", "address"},
}

// checkedFields are the fields a document's own checks protect: the MRZ
// check digits, the MOD 11-2 check of the mainland number (with the
// front's printed birth date and sex, which must be the number's), the
// legal length of a mainland back's period (5, 10 or 20 years, or
// long-term).
var checkedFields = map[Doc][]string{
	TD1: {"document_number", "birth_date", "expiry_date"}, TD2: {"document_number", "birth_date", "expiry_date"},
	TD3: {"document_number", "birth_date", "expiry_date"}, CNIDFront: {"document_number", "birth_date", "sex"},
	CNIDBack: {"issue_date", "expiry_date"},
}

// vouchedFields are the fields a read the reader vouches for (Readable
// and ChecksValid) must have right: for an MRZ and a mainland front
// every key field, since Readable also vouches for what no check
// protects (an MRZ's names, nationality and sex: a nationality UTO read
// UYO was once vouched for; a front's name: a name missing its first
// character was once vouched for); elsewhere the checked fields. A
// front's name is judged by vouchedWrong.
func vouchedFields(d Doc) []string {
	switch d {
	case TD1, TD2, TD3, CNIDFront:
		return keyFields[d]
	}
	return checkedFields[d]
}

// vouchedWrong reports whether field of a read the reader vouches for
// differs from the card as the reader vouched for it. A mainland front's
// name is wrong when it differs in length (a character lost or added)
// or at a character the reader did not mark unsure
// (DocumentRead.NameAlternatives): a character marked unsure sends the
// holder's typed name to review, it is not vouched for.
func vouchedWrong(it Item, r kyc.DocumentRead, field string) bool {
	want, got := Expected(it, field), Got(it.Doc, r, field)
	if want == got {
		return false
	}
	if it.Doc != CNIDFront || field != "name" {
		return true
	}
	w, g := []rune(want), []rune(got)
	if len(w) != len(g) || len(r.NameAlternatives) != len(g) {
		return true
	}
	for i := range g {
		if w[i] != g[i] && r.NameAlternatives[i] == "" {
			return true
		}
	}
	return false
}

// KeyFields returns the key fields of d.
func KeyFields(d Doc) []string { return keyFields[d] }

// Expected returns the value a perfect reader reports for field of the
// item (for the visual card: "found").
func Expected(it Item, field string) string {
	id := it.Identity
	if it.Doc == Visual {
		return "found"
	}
	switch field {
	case "document_number":
		return id.Number
	case "surname":
		return strings.ReplaceAll(id.Surname, "-", " ")
	case "given_names":
		return strings.ReplaceAll(id.GivenNames, "-", " ")
	case "name":
		return id.Name
	case "nationality":
		return id.Nationality
	case "issuer":
		return id.Issuer
	case "birth_date":
		return id.BirthDate
	case "expiry_date":
		if id.LongTerm {
			return "长期"
		}
		return id.ExpiryDate
	case "issue_date":
		return id.IssueDate
	case "sex":
		return id.Sex
	case "ethnicity":
		return id.Ethnicity
	case "address":
		return id.Address
	}
	return ""
}

// Got returns the value of field in what was read, in Expected's terms.
func Got(d Doc, r kyc.DocumentRead, field string) string {
	if d == Visual {
		if r.Found[field] {
			return "found"
		}
		return "not found"
	}
	switch field {
	case "document_number":
		return r.DocumentNumber
	case "surname":
		return r.Surname
	case "given_names":
		return r.GivenNames
	case "name":
		return r.Name
	case "nationality":
		return r.Nationality
	case "issuer":
		return r.Issuer
	case "birth_date":
		return r.BirthDate
	case "expiry_date":
		if r.LongTerm {
			return "长期"
		}
		return r.ExpiryDate
	case "issue_date":
		return r.IssueDate
	case "sex":
		return r.Sex
	case "ethnicity":
		return r.Ethnicity
	case "address":
		return r.Address
	}
	return ""
}

// Hint is what the applicant of an item types, as the worker passes it.
func Hint(it Item) docread.Hint {
	id := it.Identity
	h := docread.Hint{DocumentNumber: id.Number, BirthDate: id.BirthDate, Name: id.FullName()}
	switch it.Doc {
	case TD1, TD2:
		h.IDType = string(kyc.IDCard)
	case TD3:
		h.IDType = string(kyc.Passport)
	case CNIDFront, CNIDBack:
		h.IDType, h.Country, h.Name = string(kyc.CNResidentID), "CN", id.Name
	case Visual:
		h.IDType = string(kyc.DrivingLicence)
	}
	return h
}

// Names typed for a mainland front (Outcome.Names): the card's own, as
// a genuine applicant types it, and two that are not the holder's.
const (
	TypedOwn      = "own"      // the name printed on the card
	TypedOther    = "other"    // another person's name (docgen's Mismatched name)
	TypedRelative = "relative" // the last character changed (docgen's RelativeName)
)

// TypedNames are the names typed for a mainland front, in report order.
var TypedNames = []string{TypedOwn, TypedOther, TypedRelative}

// Outcome is the reading of one item.
type Outcome struct {
	Item Item
	Read kyc.DocumentRead
	Err  error
	MS   float64
	// Names, for a mainland front, compares each of TypedNames with the
	// name read from the photo read with that name as the hint (the
	// reader checks a typed name against the line it read).
	Names map[string]kyc.NameMatch
}

// typedName returns the name of kind (TypedNames) typed for it, "" when
// there is none.
func typedName(it Item, kind string) string {
	id := it.Identity
	switch kind {
	case TypedOwn:
		return id.Name
	case TypedOther:
		m, err := id.Mismatched(docgen.FieldName, it.Spec.Seed)
		if err != nil {
			return ""
		}
		return m.Name
	case TypedRelative:
		return id.RelativeName(it.Spec.Seed)
	}
	return ""
}

// compareNames reads a mainland front again with each name that is not
// the holder's as the hint and fills o.Names.
func compareNames(ctx context.Context, r Reader, data []byte, side imagecheck.Side, o *Outcome) {
	o.Names = map[string]kyc.NameMatch{}
	for _, kind := range TypedNames {
		name := typedName(o.Item, kind)
		if name == "" {
			continue
		}
		read := o.Read
		if kind != TypedOwn {
			h := Hint(o.Item)
			h.Name = name
			res, err := r.Read(ctx, data, side, h)
			if err != nil {
				continue
			}
			read = res.Data
		}
		o.Names[kind] = kyc.CompareReadName(name, read.Name, read.NameAlternatives)
	}
}

// Evaluate reads every item of m (files in dir) with r, workers at a time.
func Evaluate(ctx context.Context, dir string, m Manifest, r Reader, workers int, progress func(done, total int)) ([]Outcome, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]Outcome, len(m.Items))
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
		fail error
	)
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			for i := range next {
				it := m.Items[i]
				o := Outcome{Item: it}
				data, err := os.ReadFile(filepath.Join(dir, it.File))
				if err != nil {
					mu.Lock()
					fail = err
					mu.Unlock()
					continue
				}
				_, side, _ := it.Doc.source()
				is := imagecheck.Front
				if side == docgen.Back {
					is = imagecheck.Back
				}
				res, err := r.Read(ctx, data, is, Hint(it))
				if err != nil {
					o.Err = err
				} else {
					o.Read, o.MS = res.Data, res.Timings["total"]
					if it.Doc == CNIDFront {
						compareNames(ctx, r, data, is, &o)
					}
				}
				out[i] = o
				mu.Lock()
				done++
				if progress != nil {
					progress(done, len(m.Items))
				}
				mu.Unlock()
			}
		})
	}
	for i := range m.Items {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if fail != nil {
		return nil, fail
	}
	return out, ctx.Err()
}

// Cell is the score of one document kind under one condition.
type Cell struct {
	N      int // photos
	KindOK int // the reader reported the right kind
	DocOK  int // right kind and every key field exact
	Errors int // Read failed (undecodable, budget, internal)
	// FalseValid counts reads the reader vouched for (Readable, its
	// checks holding) although a field it vouches for (vouchedFields:
	// for an MRZ and a mainland front every key field, names and
	// nationality included) differs from the card (vouchedWrong): the
	// dangerous error, a wrong value the rules would trust.
	FalseValid int
	// FalseValidUnchecked is the part of FalseValid whose fields that
	// a check protects were all right: a name, a nationality or a sex
	// read wrong (on a mainland front, the name).
	FalseValidUnchecked int
	FieldOK             map[string]int // exact per field (key and extra)
	Fields              []string       // key fields, then extra ones, in order
	ReadMS              []float64
	Failures            []string // files that were not read exactly (for looking at)
	// Names counts, for a mainland front, how each of TypedNames
	// compared with the name read: for the card's own name, agrees is an
	// approval, uncertain a manual review and differs an honest
	// applicant rejected; for another name, differs is the mismatch
	// caught and agrees a wrong approval.
	Names map[string]map[kyc.NameMatch]int
}

// Report is the evaluation of a set.
type Report struct {
	Cells map[Doc]map[Condition]*Cell
	// Confusions counts characters of key fields read as others:
	// [expected, got], "" standing for a missed or an extra character.
	Confusions map[[2]string]int
}

// Score builds the report from the outcomes.
func Score(outs []Outcome) Report {
	rep := Report{Cells: map[Doc]map[Condition]*Cell{}, Confusions: map[[2]string]int{}}
	for _, o := range outs {
		it := o.Item
		if it.File == "" {
			continue // not read (the context ended)
		}
		byCond := rep.Cells[it.Doc]
		if byCond == nil {
			byCond = map[Condition]*Cell{}
			rep.Cells[it.Doc] = byCond
		}
		c := byCond[it.Condition]
		if c == nil {
			c = &Cell{FieldOK: map[string]int{}, Fields: append(append([]string{}, keyFields[it.Doc]...), extraFields[it.Doc]...)}
			byCond[it.Condition] = c
		}
		c.N++
		if o.Err != nil {
			c.Errors++
			c.Failures = append(c.Failures, it.File)
			continue
		}
		c.ReadMS = append(c.ReadMS, o.MS)
		for kind, m := range o.Names {
			if c.Names == nil {
				c.Names = map[string]map[kyc.NameMatch]int{}
			}
			if c.Names[kind] == nil {
				c.Names[kind] = map[kyc.NameMatch]int{}
			}
			c.Names[kind][m]++
		}
		kindOK := o.Read.Kind == string(it.Doc)
		if kindOK {
			c.KindOK++
		}
		// Valid but wrong: a read the reader vouches for (readable, its
		// checks holding) with a protected field that is not the truth.
		if o.Read.ChecksValid && o.Read.Readable {
			wrong := func(fs []string) bool {
				for _, f := range fs {
					if vouchedWrong(it, o.Read, f) {
						return true
					}
				}
				return false
			}
			if wrong(vouchedFields(it.Doc)) {
				c.FalseValid++
				if !wrong(checkedFields[it.Doc]) {
					c.FalseValidUnchecked++
				}
			}
		}
		all := kindOK
		for _, f := range c.Fields {
			want, got := Expected(it, f), Got(it.Doc, o.Read, f)
			key := slices.Contains(keyFields[it.Doc], f)
			if want == got {
				c.FieldOK[f]++
				continue
			}
			if key {
				all = false
				if it.Doc != Visual {
					for pair, n := range confusions(want, got) {
						rep.Confusions[pair] += n
					}
				}
			}
		}
		if all {
			c.DocOK++
		} else {
			c.Failures = append(c.Failures, it.File)
		}
	}
	return rep
}

// confusions aligns want and got (Levenshtein, by character) and counts
// the substitutions, misses and extra characters.
func confusions(want, got string) map[[2]string]int {
	a, b := []rune(want), []rune(got)
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			sub := d[i-1][j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			d[i][j] = min(sub, d[i-1][j]+1, d[i][j-1]+1)
		}
	}
	out := map[[2]string]int{}
	i, j := len(a), len(b)
	for i > 0 || j > 0 {
		switch {
		case i > 0 && j > 0 && d[i][j] == d[i-1][j-1]+boolInt(a[i-1] != b[j-1]):
			if a[i-1] != b[j-1] {
				out[[2]string{string(a[i-1]), string(b[j-1])}]++
			}
			i, j = i-1, j-1
		case i > 0 && d[i][j] == d[i-1][j]+1:
			out[[2]string{string(a[i-1]), ""}]++
			i--
		default:
			out[[2]string{"", string(b[j-1])}]++
			j--
		}
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// WriteTable prints the report: one row per document kind and condition
// with the document-level rate and every field's, then the confusions.
func (r Report) WriteTable(w io.Writer, maxConfusions int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "document\tcondition\tn\tkind\tall key fields\tvalid but wrong\tof which unchecked\terrors\tp50 ms\tfields (exact rate)\t")
	for _, d := range Docs {
		for _, cond := range AllConditions {
			c := r.Cells[d][cond]
			if c == nil {
				continue
			}
			var fs []string
			for _, f := range c.Fields {
				fs = append(fs, fmt.Sprintf("%s %.2f", f, rate(c.FieldOK[f], c.N)))
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.2f\t%.3f\t%d\t%d\t%d\t%.0f\t%s\t\n", d, cond, c.N, rate(c.KindOK, c.N), rate(c.DocOK, c.N),
				c.FalseValid, c.FalseValidUnchecked, c.Errors, percentile(c.ReadMS, 0.5), strings.Join(fs, ", "))
		}
	}
	tw.Flush()
	r.writeNames(w)
	type conf struct {
		pair [2]string
		n    int
	}
	var cs []conf
	total := 0
	for p, n := range r.Confusions {
		cs = append(cs, conf{p, n})
		total += n
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].n != cs[j].n {
			return cs[i].n > cs[j].n
		}
		return cs[i].pair[0]+"\x00"+cs[i].pair[1] < cs[j].pair[0]+"\x00"+cs[j].pair[1]
	})
	fmt.Fprintf(w, "\nconfusions in key fields (expected -> read, '' = missing/extra): %d characters\n", total)
	for i, c := range cs {
		if i == maxConfusions {
			fmt.Fprintf(w, "  ... %d more pairs\n", len(cs)-i)
			break
		}
		fmt.Fprintf(w, "  %q -> %q  %d\n", c.pair[0], c.pair[1], c.n)
	}
}

func rate(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// percentile of xs (nearest rank); 0 for none.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(p*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// WriteFailures lists, per document kind and condition, the files that
// were not read exactly.
func (r Report) WriteFailures(w io.Writer) {
	for _, d := range Docs {
		for _, c := range AllConditions {
			if cell := r.Cells[d][c]; cell != nil && len(cell.Failures) > 0 {
				fmt.Fprintf(w, "  %s %s: %s\n", d, c, strings.Join(cell.Failures, " "))
			}
		}
	}
}

// Dump writes one JSON object per photo: the item (its truth) and what
// was read. The sets are synthetic: no personal data.
func Dump(w io.Writer, outs []Outcome) error {
	enc := json.NewEncoder(w)
	for _, o := range outs {
		line := struct {
			Item
			Read  kyc.DocumentRead `json:"read"`
			Error string           `json:"error,omitempty"`
		}{Item: o.Item, Read: o.Read}
		if o.Err != nil {
			line.Error = o.Err.Error()
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return nil
}

// ParseDocs parses a comma-separated list of document kinds; empty is
// all of them.
func ParseDocs(s string) ([]Doc, error) {
	var out []Doc
	for _, p := range splitList(s) {
		if !slices.Contains(Docs, Doc(p)) {
			return nil, fmt.Errorf("readeval: unknown document kind %q (have %v)", p, Docs)
		}
		out = append(out, Doc(p))
	}
	return out, nil
}

// ParseConditions parses a comma-separated list of conditions; empty is
// the default ones (Conditions).
func ParseConditions(s string) ([]Condition, error) {
	var out []Condition
	for _, p := range splitList(s) {
		if !slices.Contains(AllConditions, Condition(p)) {
			return nil, fmt.Errorf("readeval: unknown condition %q (have %v)", p, AllConditions)
		}
		out = append(out, Condition(p))
	}
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// WriteMarkdown prints the document-level rates as a Markdown table (one
// row per document kind, one column per condition: the share with every
// key field exact, with the count, and the reads vouched for with a
// wrong value, FalseValid), then the weakest field of each kind, for docs/reading.md.
func (r Report) WriteMarkdown(w io.Writer) {
	conds := Conditions
	for _, byCond := range r.Cells {
		if byCond[Hard] != nil {
			conds = AllConditions // a column for hard print only when measured
		}
	}
	fmt.Fprint(w, "| document |")
	for _, c := range conds {
		fmt.Fprintf(w, " %s |", c)
	}
	fmt.Fprint(w, " valid but wrong | weakest field (rate) |\n|---|")
	for range conds {
		fmt.Fprint(w, "---:|")
	}
	fmt.Fprintln(w, "---:|---|")
	for _, d := range Docs {
		if r.Cells[d] == nil {
			continue
		}
		fmt.Fprintf(w, "| %s |", d)
		falseValid, fieldOK, n := 0, map[string]int{}, 0
		var fields []string
		for _, c := range conds {
			cell := r.Cells[d][c]
			if cell == nil {
				fmt.Fprint(w, " – |")
				continue
			}
			fmt.Fprintf(w, " %.2f (%d/%d) |", rate(cell.DocOK, cell.N), cell.DocOK, cell.N)
			falseValid += cell.FalseValid
			n += cell.N
			fields = cell.Fields
			for f, k := range cell.FieldOK {
				fieldOK[f] += k
			}
		}
		weakest, low := "", 2.0
		for _, f := range keyFields[d] {
			if x := rate(fieldOK[f], n); x < low && slices.Contains(fields, f) {
				weakest, low = f, x
			}
		}
		fmt.Fprintf(w, " %d | %s %.2f |\n", falseValid, weakest, low)
	}
}

// writeNames prints, for the mainland fronts, how the typed names
// compared with the names read: per condition and typed name, the counts
// that agree (approved), are uncertain (manual review) and differ
// (rejected with doc_data_mismatch on name).
func (r Report) writeNames(w io.Writer) {
	if r.Cells[CNIDFront] == nil {
		return
	}
	fmt.Fprintln(w, "\nmainland names typed vs read (agrees = approved, uncertain = manual review, differs = rejected doc_data_mismatch):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "condition\ttyped\tn\tagrees\tuncertain\tdiffers\t")
	for _, cond := range AllConditions {
		c := r.Cells[CNIDFront][cond]
		if c == nil {
			continue
		}
		for _, kind := range TypedNames {
			m := c.Names[kind]
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t\n", cond, kind, m[kyc.NameAgrees]+m[kyc.NameUncertain]+m[kyc.NameDiffers],
				m[kyc.NameAgrees], m[kyc.NameUncertain], m[kyc.NameDiffers])
		}
	}
	tw.Flush()
}
