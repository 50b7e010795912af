package checkrun

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kycq/kycq/authenticity"
	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/imagecheck"
)

// FileReport is one file's result, a line of "kycq check --json".
type FileReport struct {
	File string  `json:"file"`
	MS   float64 `json:"ms"`
	imagecheck.Report
	Authenticity *authenticity.Report `json:"authenticity,omitempty"`
}

// FilesOptions say how Files prints and what else it writes.
type FilesOptions struct {
	// JSON prints one JSON object per file instead of a table.
	JSON bool
	// Annotate, when set, is the PNG file each photo is written to with its
	// reports drawn over it; with several files, OUT-NAME.png for each.
	Annotate string
	// Reader, when set with Annotate, reads each photo's document and the
	// zone it read (the MRZ, or the mainland ID) is drawn too, labelled by
	// its kind. Nothing read is printed or drawn.
	Reader *docread.Reader
}

// Files checks each file with opts and the authenticity signals, and
// prints the results to w as a table or JSON lines. It returns an error for
// each file it could not read or annotate; the other files are still
// checked.
func Files(files []string, opts imagecheck.Options, fo FilesOptions, w io.Writer) []error {
	var errs []error
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if !fo.JSON {
		fmt.Fprintln(tw, "file\tok\treasons\tms\tscores")
	}
	enc := json.NewEncoder(w)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		start := time.Now()
		rep, auth := authenticity.Check(data, opts, authenticity.Options{}, time.Now())
		out := FileReport{File: file, MS: float64(time.Since(start).Microseconds()) / 1000, Report: rep, Authenticity: auth}
		if fo.JSON {
			enc.Encode(out)
		} else {
			fmt.Fprintln(tw, out.Row())
		}
		if fo.Annotate != "" {
			zone, err := readZone(fo.Reader, data, opts.Side)
			if err != nil {
				errs = append(errs, fmt.Errorf("read %s: %w", file, err))
			}
			if err := WriteAnnotatedRead(AnnotatedName(fo.Annotate, file, len(files)), data, rep, auth, zone, opts); err != nil {
				errs = append(errs, fmt.Errorf("annotate %s: %w", file, err))
			}
		}
	}
	tw.Flush()
	return errs
}

// readZone reads data's document with r (none when r is nil) and returns
// the zone read and its kind: the geometry only, never a field.
func readZone(r *docread.Reader, data []byte, side imagecheck.Side) (*Zone, error) {
	if r == nil {
		return nil, nil
	}
	res, err := r.Read(context.Background(), data, side, docread.Hint{})
	if err != nil || len(res.Zone) != 4 {
		return nil, err
	}
	return &Zone{Points: res.Zone, Kind: res.Data.Kind}, nil
}

// Row is the report as one tab-separated table row: file, ok, reasons, ms
// and every check's score ("!" marks a failing check).
func (r *FileReport) Row() string {
	reasons := make([]string, len(r.Reasons))
	for i, c := range r.Reasons {
		reasons[i] = string(c)
	}
	var sc []string
	for _, c := range r.Checks {
		mark := ""
		if !c.Pass {
			mark = "!"
		}
		sc = append(sc, fmt.Sprintf("%s%s=%.4g", mark, c.Name, c.Score))
	}
	if r.Error != "" {
		sc = append(sc, "error: "+r.Error)
	}
	if r.Authenticity != nil {
		sc = append(sc, AuthenticitySummary(r.Authenticity))
	}
	return fmt.Sprintf("%s\t%v\t%s\t%.1f\t%s", r.File, r.OK, strings.Join(reasons, ","), r.MS, strings.Join(sc, " "))
}

// AnnotatedName is the file the annotated photo of file goes to: out when
// it is the only one of n files, else out with "-" and file's base name
// before out's extension.
func AnnotatedName(out, file string, n int) string {
	if n <= 1 {
		return out
	}
	ext := filepath.Ext(out)
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	return strings.TrimSuffix(out, ext) + "-" + base + ext
}
