package workers

import (
	"context"
	"errors"
	"time"

	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/storage"
)

// ErrNoReader is returned by Pipeline.Read when the pipeline was built
// without a document reader: a worker must not start so (see
// internal/app's Pipeline).
var ErrNoReader = errors.New("workers: no document reader: the document-read check cannot run (install libtesseract and its eng and chi_sim data: scripts/setup.sh)")

// Read reads the document on one photo with the pipeline's reader. The
// typed info is the reader's hint only: which kind of document to look
// for, and which values to search a visual zone for.
func (p *Pipeline) Read(ctx context.Context, data []byte, slot storage.Slot, typed kyc.Applicant) (kyc.DocumentRead, error) {
	if p.Reader == nil {
		return kyc.DocumentRead{}, ErrNoReader
	}
	side := imagecheck.Back
	if slot == storage.SlotFront {
		side = imagecheck.Front
	}
	res, err := p.Reader.Read(ctx, data, side, docread.Hint{
		DocumentNumber: typed.IDNumber, BirthDate: typed.DateOfBirth, Name: typed.FullName, LocalName: typed.LocalName,
		Country: typed.IssuingCountry, IDType: typed.IDType,
	})
	if err != nil {
		return kyc.DocumentRead{}, err
	}
	if res == nil {
		return kyc.DocumentRead{}, nil
	}
	return res.Data, nil
}

// CompareRead holds the typed info to the reads with the rules of
// kyc.CompareRead.
func (p *Pipeline) CompareRead(a kyc.Applicant, reads []kyc.DocumentRead, now time.Time) kyc.ReadResult {
	return kyc.CompareRead(a, reads, now, p.Rules)
}
