package main

import (
	"context"
	"io"

	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/imagecheck"
)

func runRead(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("read", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per file")
	sideFlag := fs.String("side", "", "the document side the photos show: front or back")
	idType := fs.String("id-type", "", "the document type (e.g. passport, cn_resident_id); empty: found from the photo")
	if _, ok := parse(fs, args, "Usage: kycq read [--json] [--side front|back] [--id-type TYPE] FILE...\n\nReads each photo's machine-readable zone (TD1, TD2, TD3, MRV-A/B) or, for\na mainland China resident ID, its printed fields, and prints them. The\noutput holds personal data: keep it out of logs. The exit status is 0\nwhen every file was read, 1 when a file could not be decoded.\n\nFlags:"); !ok {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	side, err := imagecheck.ParseSide(*sideFlag)
	if err != nil {
		return fail(stderr, "kycq read", err, 2)
	}
	r, err := docread.New(docread.Options{})
	if err != nil {
		return fail(stderr, "kycq read", err, 1)
	}
	defer r.Close()
	if !r.ReadFiles(ctx, fs.Args(), side, docread.Hint{IDType: *idType}, *asJSON, stdout) {
		return 1
	}
	return 0
}
