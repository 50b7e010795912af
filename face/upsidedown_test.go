package face_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/storage"
)

// TestUpsideDownCard: sample seed 35 photographs its ID card upside down.
// The upright photo shows no face the detector accepts, and the photo
// turned by 90° used to find the portrait sideways and take it turned by
// 270° (similarity 0.38, face_mismatch). The photo turned by 180° is now
// searched before the sideways turns.
func TestUpsideDownCard(t *testing.T) {
	if err := face.CheckFFmpeg("ffmpeg"); err != nil {
		testenv.Unavailable(t, "ffmpeg (scripts/setup.d installs it)", err)
	}
	ctx := context.Background()
	a, err := sample.New(ctx, sample.Options{Seed: 35})
	if err != nil {
		t.Fatal(err)
	}
	video := filepath.Join(t.TempDir(), "selfie.mp4")
	if err := os.WriteFile(video, a.Files[storage.SlotSelfie].Data, 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := face.New(face.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.MatchVideo(ctx, a.Files[storage.SlotFront].Data, video)
	if err != nil {
		t.Fatal(err)
	}
	if res.Document == nil || res.Document.Rotation != 180 {
		t.Errorf("document portrait: %+v, want it turned by 180°", res.Document)
	}
	if !res.OK || res.Similarity < 0.7 {
		t.Errorf("genuine selfie: ok=%v reasons=%v similarity=%.3f", res.OK, res.Reasons, res.Similarity)
	}
}
