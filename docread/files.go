package docread

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/kycq/kycq/imagecheck"
)

// FileFields are the fields of a FileReport.
type FileFields struct {
	DocumentNumber string `json:"document_number"`
	Surname        string `json:"surname"`
	GivenNames     string `json:"given_names"`
	Name           string `json:"name"`
	Nationality    string `json:"nationality"`
	BirthDate      string `json:"birth_date"`
	ExpiryDate     string `json:"expiry_date"`
	Sex            string `json:"sex"`
}

// FileReport is what was read from one photo file, a line of
// "kycq read --json". It holds personal data: keep it out of logs.
type FileReport struct {
	File     string     `json:"file"`
	Document string     `json:"document"`
	Fields   FileFields `json:"fields"`
	// NameUncertain: the positions (0-based characters) of fields.name
	// the reader was unsure of, on a mainland front; absent when sure.
	NameUncertain []int    `json:"name_uncertain,omitempty"`
	MRZ           []string `json:"mrz"`
	ChecksValid   bool     `json:"checks_valid"`
	MS            float64  `json:"ms"`
	Error         string   `json:"error,omitempty"`
}

// ReadFile reads the photo in file (see Read); a file that cannot be read
// or decoded gives a report with its Error set.
func (r *Reader) ReadFile(ctx context.Context, file string, side imagecheck.Side, hint Hint) FileReport {
	out := FileReport{File: file, MRZ: []string{}}
	data, err := os.ReadFile(file)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	res, err := r.Read(ctx, data, side, hint)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	d := res.Data
	if d.Kind != "visual" {
		out.Document = d.Kind
	}
	out.Fields = FileFields{DocumentNumber: d.DocumentNumber, Surname: d.Surname, GivenNames: d.GivenNames, Name: d.Name,
		Nationality: d.Nationality, BirthDate: d.BirthDate, ExpiryDate: d.ExpiryDate, Sex: d.Sex}
	if d.MRZ != nil {
		out.MRZ = d.MRZ
	}
	out.NameUncertain = d.NameUncertain()
	out.ChecksValid = d.ChecksValid
	out.MS = res.Timings["total"]
	return out
}

// WriteTable writes the reports as a table, one row per file.
func WriteTable(w io.Writer, reps []FileReport) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tDOCUMENT\tNUMBER\tNAME\tBIRTH\tEXPIRY\tSEX\tNAT\tCHECKS\tMS")
	for _, o := range reps {
		if o.Error != "" {
			fmt.Fprintf(tw, "%s\terror: %s\t\t\t\t\t\t\t\t\n", o.File, o.Error)
			continue
		}
		f := o.Fields
		name := f.Name
		if name == "" {
			name = strings.TrimSpace(f.Surname + ", " + f.GivenNames)
			name = strings.Trim(name, ", ")
		}
		doc := o.Document
		if doc == "" {
			doc = "-"
		}
		checks := "no"
		if o.ChecksValid {
			checks = "ok"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\n", o.File, doc, f.DocumentNumber, name, f.BirthDate, f.ExpiryDate, f.Sex, f.Nationality, checks, o.MS)
	}
	tw.Flush()
}

// ReadFiles reads every file (ReadFile) and prints the reports to w, as
// one JSON line each when asJSON is set, else as a table (WriteTable). It
// reports whether every file was read.
func (r *Reader) ReadFiles(ctx context.Context, files []string, side imagecheck.Side, hint Hint, asJSON bool, w io.Writer) bool {
	ok := true
	var reps []FileReport
	for _, file := range files {
		rep := r.ReadFile(ctx, file, side, hint)
		ok = ok && rep.Error == ""
		if asJSON {
			b, _ := json.Marshal(rep)
			fmt.Fprintln(w, string(b))
		}
		reps = append(reps, rep)
	}
	if !asJSON {
		WriteTable(w, reps)
	}
	return ok
}
