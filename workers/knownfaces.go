package workers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/knownfaces"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// DefaultKnownFaceDistance is the descriptor distance within which a known
// face counts as the same person: tighter than the selfie-to-document
// match (0.54), since a false "already verified" holds up an honest
// applicant. On `kycq eval fraud`'s held-out seed every genuine selfie was
// within 0.353 of its own card face and the nearest other person (not the
// same man photographed twice, at 0.24) at 0.423.
const DefaultKnownFaceDistance = 0.40

// knownFaceCandidates is how many nearest known faces are looked at (the
// account's own earlier face may be among them).
const knownFaceCandidates = 5

// faceDescriptor opens the sealed selfie descriptor of v's face result
// (nil when the check kept none).
func (h *Handlers) faceDescriptor(v *storage.Verification, results []storage.CheckResult) ([]float32, []byte, error) {
	for _, r := range results {
		if r.Check != tasks.CheckFaceMatch || len(r.Sealed) == 0 {
			continue
		}
		b, err := h.d.Keys.Open(r.Sealed, v.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("open the face of %s: %w", v.ID, err)
		}
		d, err := privacy.DecodeFloats(b)
		return d, r.Sealed, err
	}
	return nil, nil, nil
}

// knownFaceMatches searches the verification's face among the known faces
// and returns the near ones on other, open accounts. A hit on an account
// closed since (another process closed it; its stored face is gone) is
// dropped from the index.
func (h *Handlers) knownFaceMatches(ctx context.Context, v *storage.Verification, results []storage.CheckResult) ([]kyc.KnownFaceMatch, error) {
	if h.d.KnownFaces == nil {
		return nil, nil
	}
	desc, _, err := h.faceDescriptor(v, results)
	if err != nil || desc == nil {
		return nil, err
	}
	hits, err := h.d.KnownFaces.Search(desc, knownFaceCandidates, h.d.Policy.KnownFaceDistance)
	if err != nil {
		return nil, err
	}
	doc := knownfaces.HashDocKey(v.DocKey)
	var out []kyc.KnownFaceMatch
	for _, m := range hits {
		if m.AccountID != v.AccountID {
			a, err := h.d.State.GetAccount(ctx, m.AccountID)
			switch {
			case errors.Is(err, storage.ErrNotFound):
				continue
			case err != nil:
				return nil, err
			case a.Status == storage.AccountClosed:
				h.d.KnownFaces.Delete(m.AccountID)
				continue
			}
		}
		out = append(out, kyc.KnownFaceMatch{AccountID: m.AccountID, SameDocument: m.DocHash == doc, Distance: m.Distance})
	}
	return out, nil
}

// rememberFace keeps the approved verification's face as the account's
// known face, in the store (sealed) and in the index.
func (h *Handlers) rememberFace(ctx context.Context, v *storage.Verification, results []storage.CheckResult) error {
	desc, sealed, err := h.faceDescriptor(v, results)
	if err != nil || desc == nil {
		return err
	}
	err = h.d.State.PutKnownFace(ctx, storage.KnownFace{AccountID: v.AccountID, VerificationID: v.ID, DocKey: v.DocKey,
		FaceSealed: sealed, AddedAt: h.d.Now()})
	if errors.Is(err, storage.ErrConflict) {
		return nil // the account was closed meanwhile: no face to keep
	}
	if err != nil {
		return err
	}
	if h.d.KnownFaces != nil {
		return h.d.KnownFaces.Put(knownfaces.Entry{AccountID: v.AccountID, DocKey: v.DocKey, Descriptor: desc})
	}
	return nil
}

// purgeKnownFaces deletes the known faces older than before (retention).
func (h *Handlers) purgeKnownFaces(ctx context.Context, before time.Time) error {
	gone, err := h.d.State.DeleteKnownFacesBefore(ctx, before)
	if err != nil {
		return err
	}
	for _, acct := range gone {
		if h.d.KnownFaces != nil {
			h.d.KnownFaces.Delete(acct)
		}
	}
	if len(gone) > 0 {
		h.d.Log.InfoContext(ctx, "known faces purged", "count", len(gone))
	}
	return nil
}

// LoadKnownFaces fills idx from the store's known faces, page by page,
// opening each sealed face with keys; it returns how many were loaded. A
// face that cannot be opened (sealed under another key) is an error: an
// index missing faces would miss duplicates silently.
func LoadKnownFaces(ctx context.Context, st storage.KnownFaces, keys *privacy.Keys, idx knownfaces.Index) (int, error) {
	n, after := 0, ""
	for {
		page, err := st.KnownFacesAfter(ctx, after, 1000)
		if err != nil {
			return n, err
		}
		if len(page) == 0 {
			return n, nil
		}
		for _, f := range page {
			b, err := keys.Open(f.FaceSealed, f.VerificationID)
			if err != nil {
				return n, fmt.Errorf("open the known face of verification %s: %w", f.VerificationID, err)
			}
			d, err := privacy.DecodeFloats(b)
			if err != nil {
				return n, fmt.Errorf("known face of verification %s: %w", f.VerificationID, err)
			}
			if err := idx.Put(knownfaces.Entry{AccountID: f.AccountID, DocKey: f.DocKey, Descriptor: d}); err != nil {
				return n, err
			}
			n++
		}
		after = page[len(page)-1].AccountID
	}
}
