package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/imagecheck"
)

func init() {
	register(command{name: "read", summary: "read the MRZ or the mainland-ID text of document photos (kycq read [--json] FILE...)", run: runRead})
}

// readFields are the fields of one "kycq read --json" line.
type readFields struct {
	DocumentNumber string `json:"document_number"`
	Surname        string `json:"surname"`
	GivenNames     string `json:"given_names"`
	Name           string `json:"name"`
	Nationality    string `json:"nationality"`
	BirthDate      string `json:"birth_date"`
	ExpiryDate     string `json:"expiry_date"`
	Sex            string `json:"sex"`
}

// readOutput is one line of "kycq read --json".
type readOutput struct {
	File        string     `json:"file"`
	Document    string     `json:"document"`
	Fields      readFields `json:"fields"`
	MRZ         []string   `json:"mrz"`
	ChecksValid bool       `json:"checks_valid"`
	MS          float64    `json:"ms"`
	Error       string     `json:"error,omitempty"`
}

func runRead(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("read", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per file")
	sideFlag := fs.String("side", "", "the document side the photos show: front or back")
	idType := fs.String("id-type", "", "the document type (e.g. passport, cn_resident_id); empty: found from the photo")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: kycq read [--json] [--side front|back] [--id-type TYPE] FILE...\n\nReads each photo's machine-readable zone (TD1, TD2, TD3, MRV-A/B) or, for\na mainland China resident ID, its printed fields, and prints them. The\noutput holds personal data: keep it out of logs. The exit status is 0\nwhen every file was read, 1 when a file could not be decoded.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	side, err := imagecheck.ParseSide(*sideFlag)
	if err != nil {
		fmt.Fprintln(stderr, "kycq read:", err)
		return 2
	}
	r, err := docread.New(docread.Options{})
	if err != nil {
		fmt.Fprintln(stderr, "kycq read:", err)
		return 1
	}
	defer r.Close()
	code := 0
	var outs []readOutput
	for _, file := range fs.Args() {
		out := readOne(ctx, r, file, side, *idType)
		if out.Error != "" {
			code = 1
		}
		if *asJSON {
			b, _ := json.Marshal(out)
			fmt.Fprintln(stdout, string(b))
			continue
		}
		outs = append(outs, out)
	}
	if !*asJSON {
		printReadTable(stdout, outs)
	}
	return code
}

func readOne(ctx context.Context, r *docread.Reader, file string, side imagecheck.Side, idType string) readOutput {
	out := readOutput{File: file, MRZ: []string{}}
	data, err := os.ReadFile(file)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	res, err := r.Read(ctx, data, side, docread.Hint{IDType: idType})
	if err != nil {
		out.Error = err.Error()
		return out
	}
	d := res.Data
	if d.Kind != "visual" {
		out.Document = d.Kind
	}
	out.Fields = readFields{DocumentNumber: d.DocumentNumber, Surname: d.Surname, GivenNames: d.GivenNames, Name: d.Name,
		Nationality: d.Nationality, BirthDate: d.BirthDate, ExpiryDate: d.ExpiryDate, Sex: d.Sex}
	if d.MRZ != nil {
		out.MRZ = d.MRZ
	}
	out.ChecksValid = d.ChecksValid
	out.MS = res.Timings["total"]
	return out
}

func printReadTable(w io.Writer, outs []readOutput) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tDOCUMENT\tNUMBER\tNAME\tBIRTH\tEXPIRY\tSEX\tNAT\tCHECKS\tMS")
	for _, o := range outs {
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
