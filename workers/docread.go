package workers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/docread"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// DocumentReader reads the document on one photo. *docread.Reader
// satisfies it.
type DocumentReader interface {
	Read(ctx context.Context, photo []byte, side imagecheck.Side, hint docread.Hint) (*docread.Result, error)
}

// ReadObserver receives what the document-read handler measures. An
// Observer may implement it. Labels are a document kind and an outcome
// from fixed sets: never anything read.
type ReadObserver interface {
	ObserveRead(kind, outcome string, d time.Duration)
}

// Outcomes of one document read, as kycq_doc_read_total labels them.
const (
	ReadOutcomeReadable   = "readable"   // a machine-readable zone was read, every check holding
	ReadOutcomeUnreadable = "unreadable" // a zone that must be read was found but not read
	ReadOutcomeVisual     = "visual"     // no such zone: the visual zone was searched
	ReadOutcomeNone       = "none"       // nothing was recognised
	ReadOutcomeBudget     = "budget"     // the photo used up its time budget
	ReadOutcomeError      = "error"      // the photo could not be decoded, or the reader failed on it
)

// Scores of a per-slot doc_read result: 0 or 1 each, nothing read.
const (
	ScoreReadExpected    = "expected"
	ScoreReadReadable    = "readable"
	ScoreReadChecksValid = "checks_valid"
	// ScoreReadKindPrefix + the document kind ("kind:td3") is 1.
	ScoreReadKindPrefix = "kind:"
)

// DocRead reads the document on one photo and stores what was read, sealed
// like the applicant's info; the result's public part says only which kind
// of document was recognised, whether its zone was readable and its checks
// held, with doc_text_unreadable when a zone that must be read was not.
// The typed info is opened only to hint the reader (which kind of document
// to look for, which values to search a visual zone for).
func (h *Handlers) DocRead(ctx context.Context, t *asynq.Task) error {
	p, v, err := h.load(ctx, t)
	if err != nil {
		return err
	}
	check := tasks.DocReadCheck(p.Slot)
	if v.Status == storage.StatusDecided {
		return nil
	}
	return h.finalAttempt(ctx, v, check, func() error {
		start := time.Now()
		data, _, err := h.readUpload(ctx, v, storage.Slot(p.Slot))
		if r, ok := photoUnreadable(check, err); ok {
			return h.record(ctx, v, r)
		}
		if err != nil {
			return err
		}
		info, err := h.applicant(v)
		if err != nil {
			return err
		}
		read, err := h.d.Checks.Read(ctx, data, storage.Slot(p.Slot), info)
		outcome := readOutcome(read)
		switch {
		case err != nil && ctx.Err() != nil:
			return fmt.Errorf("read %s of %s: %w", p.Slot, v.ID, err) // retried
		case errors.Is(err, docread.ErrBudget):
			// The photo is too hard to read in time: nothing was read,
			// and the decision treats it so (retake).
			read, outcome = kyc.DocumentRead{}, ReadOutcomeBudget
		case errors.Is(err, ErrNoReader):
			return err // retried: a worker without its reader is misconfigured
		case errors.Is(err, docread.ErrUndecodable):
			// Not an image kycq can decode: nothing was read, as for a
			// photo over the size limit (doc_quality says doc_unreadable).
			if o, ok := h.d.Observer.(ReadObserver); ok {
				o.ObserveRead(kyc.ReadNone, ReadOutcomeError, time.Since(start))
			}
			return h.record(ctx, v, storage.CheckResult{Check: check, Reasons: []reason.Code{reason.DocUnreadable},
				Duration: time.Since(start)})
		case err != nil:
			// The reader failed on a decodable photo: the same photo
			// fails the same way again, so the read is
			// recorded as one that could not run (manual review, unless
			// doc_quality's doc_unreadable already rejects the photo).
			h.d.Log.ErrorContext(ctx, "document read failed", "verification_id", v.ID, "check", check, "error", err)
			if o, ok := h.d.Observer.(ReadObserver); ok {
				o.ObserveRead(kyc.ReadNone, ReadOutcomeError, time.Since(start))
			}
			return h.record(ctx, v, storage.CheckResult{Check: check, Failed: true, Reasons: []reason.Code{reason.CheckFailed},
				Duration: time.Since(start)})
		}
		plain, err := json.Marshal(read)
		if err != nil {
			return err
		}
		r := readCheckResult(read)
		r.Check = check
		r.Sealed = h.d.Keys.Seal(plain, v.ID)
		r.Duration = time.Since(start)
		if o, ok := h.d.Observer.(ReadObserver); ok {
			o.ObserveRead(read.Kind, outcome, r.Duration)
		}
		return h.record(ctx, v, r)
	})
}

// readCheckResult is the public part of one photo's read: kind, whether
// the zone was expected, readable, its checks valid, and
// doc_text_unreadable when an expected machine-readable zone (an MRZ, a
// mainland ID's text) was not read. A visual zone's typed values not found
// are judged with the other photo (a TD1 card's front has no MRZ, its back
// does). Whether the read
// is enough for the document is decided with every photo's read
// (kyc.CompareRead).
func readCheckResult(read kyc.DocumentRead) storage.CheckResult {
	bit := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	r := storage.CheckResult{OK: true, Scores: map[string]float64{
		ScoreReadExpected: bit(read.Expected), ScoreReadReadable: bit(read.Readable),
		ScoreReadChecksValid: bit(read.ChecksValid),
	}}
	if slices.Contains(readKinds, read.Kind) && read.Kind != kyc.ReadNone {
		r.Scores[ScoreReadKindPrefix+read.Kind] = 1
	}
	if read.Expected && !read.Readable && read.Kind != kyc.ReadVisual {
		r.OK, r.Reasons = false, []reason.Code{reason.DocTextUnreadable}
	}
	return r
}

// readKinds are the document kinds a read may report.
var readKinds = []string{kyc.ReadNone, kyc.ReadTD1, kyc.ReadTD2, kyc.ReadTD3, kyc.ReadMRVA, kyc.ReadMRVB,
	kyc.ReadCNIDFront, kyc.ReadCNIDBack, kyc.ReadVisual}

// ReadKinds returns the document kinds a read may report, the fixed set
// of the kind label ("" is reported as "none").
func ReadKinds() []string { return slices.Clone(readKinds) }

// readOutcome classifies a read for its metric.
func readOutcome(read kyc.DocumentRead) string {
	switch {
	case read.Readable && read.Kind != kyc.ReadVisual:
		return ReadOutcomeReadable
	case read.Kind == kyc.ReadVisual:
		return ReadOutcomeVisual
	case read.Expected:
		return ReadOutcomeUnreadable
	}
	return ReadOutcomeNone
}

// expectsReads reports whether v was submitted with document reads among
// its checks (verifications submitted before reading existed were not).
func expectsReads(v *storage.Verification) bool {
	return slices.ContainsFunc(v.Checks, func(c string) bool { return tasks.CheckFamily(c) == tasks.CheckDocRead })
}

// compareReads holds the typed info of v to what was read from its photos
// and stores the outcome as the doc_read result, once (the first stored
// stands, so a redelivered decision decides on the same one). It returns
// the results to decide on and the document number read, for the
// occupancy claim. When a read could not run (Failed) nothing is compared:
// the decision sends the verification to manual review.
func (h *Handlers) compareReads(ctx context.Context, v *storage.Verification, results []storage.CheckResult) ([]storage.CheckResult, string, error) {
	if !expectsReads(v) {
		return results, "", nil
	}
	var reads []kyc.DocumentRead
	for _, r := range results {
		if tasks.CheckFamily(r.Check) != tasks.CheckDocRead || r.Check == tasks.CheckDocRead {
			continue
		}
		if r.Failed {
			return results, "", nil
		}
		if len(r.Sealed) == 0 {
			continue // the photo was missing or too large: nothing was read
		}
		b, err := h.d.Keys.Open(r.Sealed, v.ID)
		if err != nil {
			return nil, "", fmt.Errorf("open document read of %s: %w: %w", v.ID, err, asynq.SkipRetry)
		}
		var read kyc.DocumentRead
		if err := json.Unmarshal(b, &read); err != nil {
			return nil, "", fmt.Errorf("decode document read of %s: %w", v.ID, asynq.SkipRetry)
		}
		reads = append(reads, read)
	}
	info, err := h.applicant(v)
	if err != nil {
		return nil, "", err
	}
	rr := h.d.Checks.CompareRead(info, reads, h.d.Now())
	res := rr.CheckResult()
	res.VerificationID, res.Check, res.CreatedAt = v.ID, tasks.CheckDocRead, h.d.Now()
	if _, err := h.d.State.PutCheckResult(ctx, res); err != nil {
		return nil, "", err
	}
	if results, err = h.d.State.CheckResults(ctx, v.ID); err != nil {
		return nil, "", err
	}
	return results, rr.DocumentNumber, nil
}

// claimKey returns the occupancy key of the document v names: the keyed
// hash of the number read from the document (rules §6, §8). It reports
// false when no number was read or the number read does not name the
// document typed: such a verification is never approved.
func (h *Handlers) claimKey(v *storage.Verification, number string) (string, bool) {
	if !expectsReads(v) {
		return v.DocKey, true
	}
	canonical, err := kyc.NormaliseDocument(v.Country, v.DocType, number)
	if number == "" || err != nil {
		return "", false
	}
	key := h.d.Keys.Hash(kyc.DocumentHashDomain, canonical)
	return key, key == v.DocKey
}
