package fraudeval

import (
	"context"
	"strings"
	"testing"

	"github.com/kycq/kycq/face"
)

// TestRunSmall runs the evaluation on 3 photos per attack and the two
// bundled portraits (no photo directory): every attack but the colour
// change is flagged, no genuine photo (nor one an app saved again) or
// selfie is, replays of every kind are refused
// and each selfie finds its own card face and no other.
func TestRunSmall(t *testing.T) {
	if err := face.CheckFFmpeg("ffmpeg"); err != nil {
		t.Skip(err)
	}
	rep, err := Run(context.Background(), Config{Photos: t.TempDir(), Seed: 3, Docs: 3})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	rep.Print(&b)
	t.Log("\n" + b.String())
	want := map[string]int{
		string(Genuine): 0, string(GenuineResaved): 0, string(GenuineResized): 0, string(Painted): 3, string(Pasted): 3, string(EditorSaved): 3,
		string(Screenshot): 3, string(ScreenPhoto): 3,
	}
	for _, r := range rep.Docs {
		if w, ok := want[r.Attack]; ok && r.Flagged != w {
			t.Errorf("%s: %d of %d flagged, want %d", r.Attack, r.Flagged, r.N, w)
		}
		if (r.Attack == string(Painted) || r.Attack == string(Pasted)) && r.Located != r.N {
			t.Errorf("%s: %d of %d located", r.Attack, r.Located, r.N)
		}
	}
	if len(rep.Videos) != len(videoCases()) {
		t.Fatalf("videos: %+v", rep.Videos)
	}
	for _, r := range rep.Videos {
		want := r.N // every replay refused
		if r.Attack == ReplayRecorded {
			// A real head that does not blink: the challenge's power
			// against it is measured, not asserted.
			want = r.Refused
		}
		if strings.HasPrefix(r.Attack, "genuine") {
			want = 0
			if r.Challenge != "" {
				continue // the blink challenge's misses are measured, not asserted
			}
		}
		if r.N != 2 || r.Refused != want {
			t.Errorf("%s (%s): %d of %d refused, want %d", r.Attack, r.Challenge, r.Refused, r.N, want)
		}
		if len(r.Scores) == 0 {
			t.Errorf("%s: no scores", r.Attack)
		}
	}
	if rep.KnownFaces != 2 || rep.Recall != 1 || rep.FalseMatches != 0 {
		t.Errorf("known faces: %d indexed, recall %v, false matches %d", rep.KnownFaces, rep.Recall, rep.FalseMatches)
	}
	if !strings.Contains(b.String(), "| painted_field | 3 | 3 |") {
		t.Errorf("the printed table lacks the painted row:\n%s", b.String())
	}
}
