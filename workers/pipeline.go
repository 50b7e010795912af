package workers

import (
	"context"
	"fmt"
	"image"
	"os"
	"strings"
	"time"

	"github.com/kycq/kycq/authenticity"
	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// Pipeline is the production Checks: imagecheck for document photos, face
// for the selfie, kyc for document data and the decision. It is the one
// place that knows both the pure packages and the shapes the store keeps.
type Pipeline struct {
	Engine   *face.Engine       // required
	Reader   DocumentReader     // required for the doc_read check (a *docread.Reader)
	Image    imagecheck.Options // base options; Side and FaceDetector are set per call
	Rules    kyc.DataPolicy
	Decision kyc.Policy
	// Authenticity holds the document forensics' thresholds (zero:
	// defaults).
	Authenticity authenticity.Options
}

// NewPipeline returns the production checks around a face engine.
func NewPipeline(engine *face.Engine, data kyc.DataPolicy, decision kyc.Policy) *Pipeline {
	return &Pipeline{Engine: engine, Image: imagecheck.DefaultOptions(), Rules: data, Decision: decision}
}

// Document runs imagecheck on one document photo; on the front it also
// looks for the portrait with the face detector.
func (p *Pipeline) Document(_ context.Context, data []byte, slot storage.Slot) storage.CheckResult {
	opts := p.Image
	opts.Side = imagecheck.Back
	if slot == storage.SlotFront {
		opts.Side = imagecheck.Front
		opts.FaceDetector = FaceDetector{p.Engine}
	}
	rep, auth := authenticity.Check(data, opts, p.Authenticity, time.Now())
	return documentResult(rep, auth)
}

// Data runs the document-data rules.
func (p *Pipeline) Data(_ context.Context, a kyc.Applicant, now time.Time) storage.CheckResult {
	return kyc.CheckData(a, now, p.Rules).CheckResult()
}

// Face matches the selfie (a video, or a still image) against the
// document front; a video recorded under a challenge must show it done.
func (p *Pipeline) Face(ctx context.Context, doc []byte, selfiePath, contentType, challenge string) (storage.CheckResult, []float32, error) {
	var (
		res *face.Result
		err error
	)
	if c := face.Challenge(challenge); !c.Valid() {
		return storage.CheckResult{}, nil, fmt.Errorf("workers: unknown liveness challenge %q", challenge)
	}
	if strings.HasPrefix(contentType, "video/") {
		res, err = p.Engine.MatchVideoChallenge(ctx, doc, selfiePath, face.Challenge(challenge))
	} else {
		var selfie []byte
		if selfie, err = os.ReadFile(selfiePath); err == nil {
			res, err = p.Engine.MatchImage(ctx, doc, selfie)
		}
	}
	if err != nil {
		return storage.CheckResult{}, nil, err
	}
	return storage.CheckResult{OK: res.OK, Reasons: res.Reasons, Scores: res.Scores, Borderline: res.Borderline},
		res.Descriptor, nil
}

// Holder matches a fresh selfie against the holder's stored descriptor.
// Only a clear match counts: a borderline score shows nothing, and reads
// as face_mismatch when the face rules gave no other reason.
func (p *Pipeline) Holder(ctx context.Context, ref []float32, selfiePath, contentType string) (HolderMatch, error) {
	res, err := p.Engine.MatchDescriptor(ctx, ref, selfiePath, contentType)
	if err != nil {
		return HolderMatch{}, err
	}
	return holderMatch(res.OK, res.Borderline, res.Similarity, res.Reasons), nil
}

// holderMatch turns a face result into a holder check's outcome: matched
// only when clear; otherwise the face rules' reasons, or face_mismatch
// when they gave none (a borderline similarity).
func holderMatch(ok, borderline bool, similarity float64, reasons []reason.Code) HolderMatch {
	if ok && !borderline {
		return HolderMatch{Matched: true, Score: similarity}
	}
	if len(reasons) == 0 {
		reasons = []reason.Code{reason.FaceMismatch}
	}
	return HolderMatch{Score: similarity, Reasons: append([]reason.Code(nil), reasons...)}
}

// Decide fans in every result with the rules of kyc.Decide.
func (p *Pipeline) Decide(v *storage.Verification, results []storage.CheckResult, recentRejections int) storage.Decision {
	d := kyc.Decide(kyc.DecisionInput{
		Expected: v.Checks, Results: results, Flags: v.Flags, RecentRejections: recentRejections,
	}, p.Decision)
	d.VerificationID = v.ID
	return d
}

// FaceDetector adapts a face engine to imagecheck's detector interface.
type FaceDetector struct{ Engine *face.Engine }

// DetectFaces implements imagecheck.FaceDetector.
func (d FaceDetector) DetectFaces(img image.Image) ([]imagecheck.FaceBox, error) {
	if d.Engine == nil {
		return nil, fmt.Errorf("workers: no face engine")
	}
	dets, err := d.Engine.Detect(img)
	if err != nil {
		return nil, err
	}
	out := make([]imagecheck.FaceBox, len(dets))
	for i, f := range dets {
		out[i] = imagecheck.FaceBox{Rect: f.Box, Score: f.Score}
	}
	return out, nil
}
