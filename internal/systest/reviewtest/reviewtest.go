// Package reviewtest builds the real parts the staff side runs on, for
// tests: a migrated state store, the S3 test server, Redis through asynq,
// data keys, a review.Service over them, and manual-review cases made of
// sample documents (internal/sample) uploaded to S3, with check results
// and a manual_review decision stored as the workers store them.
package reviewtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/internal/privacy"
	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/blob"
	"github.com/kycq/kycq/storage/sqlstore"
	"github.com/kycq/kycq/tasks"
	"github.com/kycq/kycq/workers"
)

// Rig is a review.Service over real parts.
type Rig struct {
	State     *sqlstore.Store
	Blobs     *blob.Store
	Keys      *privacy.Keys
	Client    *asynq.Client
	Inspector *asynq.Inspector
	Service   *review.Service
	Clock     *Clock
}

// Clock is a settable clock, starting at the real time.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// New returns a rig on a fresh SQLite file (url "" ) or the given database
// URL, the S3 test server and a private Redis database.
func New(t testing.TB, dbURL string) *Rig {
	t.Helper()
	ctx := context.Background()
	if dbURL == "" {
		dbURL = "sqlite:" + filepath.Join(t.TempDir(), "kycq.db")
	}
	st, err := sqlstore.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	bl, err := blob.New(ctx, testenv.S3(t))
	if err != nil {
		t.Fatal(err)
	}
	addr, db := testenv.RedisDB(t)
	redis := asynq.RedisClientOpt{Addr: addr, DB: db}
	keys, err := privacy.NewKeys(bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{8}, 32))
	if err != nil {
		t.Fatal(err)
	}
	r := &Rig{State: st, Blobs: bl, Keys: keys, Client: asynq.NewClient(redis), Inspector: asynq.NewInspector(redis),
		Clock: &Clock{t: time.Now().UTC().Truncate(time.Second)}}
	t.Cleanup(func() { r.Client.Close(); r.Inspector.Close() })
	det := detector(t)
	opts := imagecheck.DefaultOptions()
	opts.FaceDetector = det
	r.Service = review.New(review.Service{State: st, Blobs: bl, Keys: keys, Enqueuer: r.Client, Now: r.Clock.Now,
		Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), Photos: review.ImageAnnotator{Options: opts},
		Frames: review.VideoFrames{Detector: det}})
	return r
}

var (
	engineOnce sync.Once
	engine     *face.Engine
	engineErr  error
)

// detector returns the face detector production uses, over one engine per
// process.
func detector(t testing.TB) imagecheck.FaceDetector {
	engineOnce.Do(func() { engine, engineErr = face.New(face.Options{}) })
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return workers.FaceDetector{Engine: engine}
}

var (
	sampleOnce sync.Once
	samples    [2]*sample.Applicant
	sampleErr  error
)

// applicant returns a sample applicant, with a still selfie or a selfie
// video (both made once per process).
func applicant(t testing.TB, video bool) *sample.Applicant {
	sampleOnce.Do(func() {
		if samples[0], sampleErr = sample.New(context.Background(), sample.Options{Seed: 14, StillSelfie: true}); sampleErr == nil {
			samples[1], sampleErr = sample.New(context.Background(), sample.Options{Seed: 14})
		}
	})
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	a := *samples[0]
	if video {
		a = *samples[1]
	}
	return &a
}

// Case says what manual-review case to make.
type Case struct {
	ID, Account string
	// Doc distinguishes documents: cases with the same Doc claim the same
	// document. Empty: the case's own ID.
	Doc string
	// Face is the face check's codes and whether it failed hard
	// (face_mismatch) or was borderline.
	FaceReasons []reason.Code
	Borderline  bool
	// LivenessDoubt: the face matched and passed liveness in doubt (a
	// motion cue in its doubt band): OK and Borderline, with the scores
	// liveness_texture and liveness_doubt_planar_motion.
	LivenessDoubt bool
	Submitted     time.Time // zero: the rig's clock minus one hour
	Video         bool      // a selfie video instead of a still
}

// ManualReview makes a verification with sample uploads in S3, stores its
// check results and a manual_review decision, and returns it.
func (r *Rig) ManualReview(t testing.TB, c Case) *storage.Verification {
	t.Helper()
	ctx := context.Background()
	a := applicant(t, c.Video)
	if c.Doc == "" {
		c.Doc = c.ID
	}
	if c.Submitted.IsZero() {
		c.Submitted = r.Clock.Now().Add(-time.Hour)
	}
	info, _ := json.Marshal(a.Info)
	v := &storage.Verification{ID: c.ID, AccountID: c.Account, Status: storage.StatusCreated,
		Country: a.Info.IssuingCountry, DocType: a.Info.IDType,
		DocKey: r.Keys.Hash(kyc.DocumentHashDomain, c.Doc), InfoSealed: r.Keys.Seal(info, c.ID), CreatedAt: c.Submitted.Add(-time.Minute)}
	for _, slot := range []storage.Slot{storage.SlotFront, storage.SlotBack, storage.SlotSelfie} {
		f := a.Files[slot]
		key := "v/" + c.ID + "/" + string(slot)
		if err := r.Blobs.Put(ctx, key, f.ContentType, bytes.NewReader(f.Data), int64(len(f.Data))); err != nil {
			t.Fatal(err)
		}
		v.Uploads = append(v.Uploads, storage.Upload{Slot: slot, Key: key, ContentType: f.ContentType, MaxBytes: int64(len(f.Data))})
	}
	if err := r.State.CreateVerification(ctx, v); err != nil {
		t.Fatal(err)
	}
	checks := []string{tasks.DocQualityCheck("doc_front"), tasks.CheckDocData, tasks.CheckFaceMatch}
	if _, err := r.State.MarkSubmitted(ctx, c.ID, checks, nil, c.Submitted); err != nil {
		t.Fatal(err)
	}
	results := []storage.CheckResult{
		{Check: checks[0], OK: true, Scores: map[string]float64{"blur": 0.91, "glare": 0.02}},
		{Check: checks[1], OK: true},
		{Check: checks[2], OK: len(c.FaceReasons) == 0 && !c.Borderline, Borderline: c.Borderline, Reasons: c.FaceReasons,
			Scores: map[string]float64{"similarity": 0.41, "liveness": 0.8}},
	}
	if c.LivenessDoubt {
		results[2] = storage.CheckResult{Check: checks[2], OK: true, Borderline: true,
			Scores: map[string]float64{"similarity": 0.71, "liveness": 1, "liveness_texture": 0.287, "liveness_doubt_planar_motion": 1}}
	}
	for _, res := range results {
		res.VerificationID, res.CreatedAt = c.ID, c.Submitted.Add(10*time.Second)
		if _, err := r.State.PutCheckResult(ctx, res); err != nil {
			t.Fatal(err)
		}
	}
	note := kyc.NoteBorderline
	if len(c.FaceReasons) > 0 && !c.Borderline {
		note = kyc.NoteRepeatedRejections
	}
	if _, _, err := r.State.SaveDecision(ctx, storage.Decision{VerificationID: c.ID, Outcome: storage.ManualReview,
		Reasons: []reason.Code{reason.ManualReview}, Note: note, DecidedAt: c.Submitted.Add(20 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	v, err := r.State.GetVerification(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Staff creates a staff user with role and password "password-"+username
// and returns it.
func (r *Rig) Staff(t testing.TB, username string, role storage.StaffRole) *storage.Staff {
	t.Helper()
	st, err := r.Service.AddStaff(context.Background(), nil, username, role, Password(username))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Password is the password Staff gives a user.
func Password(username string) string { return "password-" + username + "-long" }

// Login creates a staff user and logs them in.
func (r *Rig) Login(t testing.TB, username string, role storage.StaffRole) *review.Session {
	t.Helper()
	r.Staff(t, username, role)
	s, err := r.Service.Login(context.Background(), username, Password(username))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// OccupancyTasks returns the IDs of the occupancy follow-ups enqueued.
func (r *Rig) OccupancyTasks(t testing.TB) []string {
	t.Helper()
	var out []string
	pending, err := r.Inspector.ListPendingTasks(tasks.QueueCritical)
	if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
		t.Fatal(err)
	}
	for _, ti := range pending {
		if ti.Type == tasks.TypeOccupancy {
			p, err := tasks.ParseVerification(ti.Payload)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p.VerificationID)
		}
	}
	return out
}
