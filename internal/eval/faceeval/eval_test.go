package faceeval

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kycq/kycq/face"
	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/kyc/reason"
)

func photoDir() string {
	if c := os.Getenv("KYCQ_CACHE"); c != "" {
		return filepath.Join(c, "face", "photos")
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", ".cache", "face", "photos")
}

// TestRunSmall runs the evaluation on the first three faces only: two
// people, one of them (gocv's man) on two photos. `kycq eval face` runs
// all of them.
func TestRunSmall(t *testing.T) {
	if err := face.CheckFFmpeg("ffmpeg"); err != nil {
		testenv.Unavailable(t, "ffmpeg (scripts/setup.d installs it)", err)
	}
	if _, err := os.Stat(filepath.Join(photoDir(), "face.jpg")); err != nil {
		testenv.Unavailable(t, "face photos (scripts/setup.d/40-face-photos.sh fetches them)", err)
	}
	rep, err := Run(context.Background(), Config{Photos: photoDir(), Seed: 1, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rep.Print(&b)
	t.Log("\n" + b.String())
	if rep.Faces != 3 || rep.Identities != 2 || rep.Genuine != 5 || rep.CrossPhoto != 2 || rep.Impostor != 4 {
		t.Errorf("set: %d faces %d people, %d genuine (%d cross), %d impostor", rep.Faces, rep.Identities, rep.Genuine, rep.CrossPhoto, rep.Impostor)
	}
	if rep.DocFaceFound != 3 {
		t.Errorf("portrait found on %d/3 cards", rep.DocFaceFound)
	}
	if rep.FMR != 0 || rep.FNMR != 0 {
		t.Errorf("FMR %.3f FNMR %.3f on three clear faces", rep.FMR, rep.FNMR)
	}
	if rep.ImpostorAutoAccepted != 0 {
		t.Errorf("%d impostor pairs accepted without review", rep.ImpostorAutoAccepted)
	}
	if len(rep.ROC) == 0 || rep.EER != 0 {
		t.Errorf("ROC %v EER %v", rep.ROC, rep.EER)
	}
	if rep.RefusedStill != rep.Still || rep.LiveMoving != rep.Moving {
		t.Errorf("liveness: %d/%d moving live, %d/%d still refused", rep.LiveMoving, rep.Moving, rep.RefusedStill, rep.Still)
	}
	for _, p := range rep.Pairs {
		if !p.Genuine && p.OK {
			t.Errorf("impostor pair accepted: %+v", p)
		}
		if p.Genuine && len(p.Reasons) > 0 && p.Reasons[0] != reason.FaceMismatch {
			t.Logf("genuine pair refused: %+v", p)
		}
	}
}

// TestLabelOf: a detection box is labelled with the identity of the
// hand-labelled face of its photo whose centre it holds, and with nothing
// when it holds none or the photo differs.
func TestLabelOf(t *testing.T) {
	tests := []struct {
		photo string
		box   image.Rectangle
		want  string
	}{
		{"face.jpg", image.Rect(300, 230, 410, 340), "gocv-man"},
		{"face-detect.jpg", image.Rect(150, 110, 260, 230), "gocv-man"},
		{"sample1.jpg", image.Rect(1500, 280, 1650, 430), "s1-right"},
		{"sample1.jpg", image.Rect(0, 0, 100, 100), ""},
		{"other.jpg", image.Rect(300, 230, 410, 340), ""},
	}
	for _, tt := range tests {
		if got := labelOf(tt.photo, tt.box); got != tt.want {
			t.Errorf("labelOf(%s, %v) = %q, want %q", tt.photo, tt.box, got, tt.want)
		}
	}
	if !Uncertain("s1-right", "s3-centre") || !Uncertain("s3-centre", "s1-right") || Uncertain("s1-right", "gocv-man") {
		t.Error("Uncertain: the sample1/sample3 pair is the one uncertain pair")
	}
}
