package face

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kycq/kycq/internal/eval/headmotion"
	"github.com/kycq/kycq/internal/systest/testenv"
	"github.com/kycq/kycq/kyc/reason"
)

func testEngine(t testing.TB, o Options) *Engine {
	t.Helper()
	e, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func readPhoto(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(photoDir(), name))
	if err != nil {
		testenv.Unavailable(t, "face photos (scripts/setup.d/40-face-photos.sh fetches them)", err)
	}
	return data
}

func needFFmpeg(t testing.TB) {
	t.Helper()
	if err := CheckFFmpeg("ffmpeg"); err != nil {
		testenv.Unavailable(t, "ffmpeg (scripts/setup.d installs it)", err)
	}
}

// makeVideo renders a short H.264 video from a photo with ffmpeg; filter
// is applied after looping the still (e.g. a zoom for motion).
func makeVideo(t testing.TB, photo, filter string, seconds float64) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "selfie.mp4")
	args := []string{"-nostdin", "-v", "error", "-y", "-loop", "1", "-framerate", "15", "-i", filepath.Join(photoDir(), photo),
		"-t", strconv.FormatFloat(seconds, 'f', -1, 64), "-vf", filter + ",format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast", out}
	if b, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v: %s", err, b)
	}
	return out
}

func hasReason(r *Result, c reason.Code) bool { return slices.Contains(r.Reasons, c) }

// zoom is a slow push-in with a little sway: the face moves and grows, as
// a flat picture (a replay) does.
const zoom = "scale=640:-2,zoompan=z='1+0.004*on':x='iw/2-(iw/zoom/2)+8*sin(on/4)':y='ih/2-(ih/zoom/2)':d=1:s=480x360:fps=15"

func TestMatchImage(t *testing.T) {
	e := testEngine(t, Options{})
	ctx := context.Background()
	man1, man2 := readPhoto(t, "face.jpg"), readPhoto(t, "face-detect.jpg")
	other := readPhoto(t, "astronaut.png")

	res, err := e.MatchImage(ctx, man1, man2)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || len(res.Reasons) != 0 || res.Similarity < 0.6 {
		t.Errorf("same man, two photos: ok=%v reasons=%v similarity=%.3f", res.OK, res.Reasons, res.Similarity)
	}
	if !res.Borderline {
		t.Error("a still-image match should go to manual review")
	}
	if len(res.Descriptor) != 128 || res.Document == nil || res.Scores["still_image"] != 1 {
		t.Errorf("descriptor %d, document %v, scores %v", len(res.Descriptor), res.Document, res.Scores)
	}

	res, err = e.MatchImage(ctx, man1, other)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || !hasReason(res, reason.FaceMismatch) || res.Similarity >= e.Options().Threshold {
		t.Errorf("different people: ok=%v reasons=%v similarity=%.3f", res.OK, res.Reasons, res.Similarity)
	}

	accept := testEngine(t, Options{AcceptStillImage: true})
	if res, _ := accept.MatchImage(ctx, man1, man2); !res.OK || res.Borderline {
		t.Errorf("AcceptStillImage: ok=%v borderline=%v", res.OK, res.Borderline)
	}
}

// noFacePNG is a plain gradient: no face anywhere.
func noFacePNG(w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// hugePNGHeader claims 60000×60000 pixels: refused from its header.
func hugePNGHeader() []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	p := b.Bytes()
	// IHDR width and height live at bytes 16..23; the CRC is not checked
	// by DecodeConfig.
	copy(p[16:], []byte{0, 0, 0xea, 0x60, 0, 0, 0xea, 0x60})
	return p
}

func TestBadInputIsAResult(t *testing.T) {
	e := testEngine(t, Options{})
	ctx := context.Background()
	man := readPhoto(t, "face.jpg")
	for _, c := range []struct {
		name        string
		doc, selfie []byte
		want        reason.Code
		score       string
	}{
		{"garbage document", []byte("not an image"), man, reason.FaceNotFound, "doc_unreadable"},
		{"empty document", nil, man, reason.FaceNotFound, "doc_unreadable"},
		{"document over the pixel limit", hugePNGHeader(), man, reason.FaceNotFound, "doc_unreadable"},
		{"document without a face", noFacePNG(300, 200), man, reason.FaceNotFound, "doc_face_score"},
		{"garbage selfie", man, []byte{0xff, 0xd8, 0xff}, reason.FaceNotFound, "selfie_unreadable"},
		{"selfie without a face", man, noFacePNG(320, 240), reason.FaceNotFound, "frames_with_face"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := e.MatchImage(ctx, c.doc, c.selfie)
			if err != nil {
				t.Fatalf("bad input must be a Result, got error %v", err)
			}
			if res.OK || !hasReason(res, c.want) {
				t.Errorf("ok=%v reasons=%v, want %s", res.OK, res.Reasons, c.want)
			}
			if _, ok := res.Scores[c.score]; !ok {
				t.Errorf("scores %v lack %s", res.Scores, c.score)
			}
		})
	}
	// A cancelled context is an error: the check did not run.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := e.MatchImage(cctx, man, man); err == nil {
		t.Error("cancelled context: want an error")
	}
}

func TestMatchVideo(t *testing.T) {
	needFFmpeg(t)
	e := testEngine(t, Options{})
	ctx := context.Background()
	doc := readPhoto(t, "face-detect.jpg")

	moving := headVideo(t, e, "face.jpg", headmotion.Natural, 3)
	res, err := e.MatchVideo(ctx, doc, moving)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK || res.Borderline || res.Liveness == nil || !res.Liveness.Live {
		t.Fatalf("moving genuine selfie: ok=%v borderline=%v reasons=%v scores=%v liveness=%+v", res.OK, res.Borderline, res.Reasons, res.Scores, res.Liveness)
	}
	if res.Scores["frames_used"] < 3 || len(res.Frames) < 3 || len(res.Descriptor) != 128 {
		t.Errorf("frames_used=%v frames=%d descriptor=%d", res.Scores["frames_used"], len(res.Frames), len(res.Descriptor))
	}

	still := makeVideo(t, "face.jpg", "scale=480:-2", 3)
	res, err = e.MatchVideo(ctx, doc, still)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || !hasReason(res, reason.LivenessFailed) || hasReason(res, reason.FaceMismatch) {
		t.Errorf("a still picture as video: ok=%v reasons=%v liveness=%+v", res.OK, res.Reasons, res.Liveness)
	}

	impostor := headVideo(t, e, "astronaut.png", headmotion.Natural, 4)
	res, err = e.MatchVideo(ctx, doc, impostor)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || !hasReason(res, reason.FaceMismatch) {
		t.Errorf("impostor video: ok=%v reasons=%v similarity=%.3f", res.OK, res.Reasons, res.Similarity)
	}

	// The stored descriptor of the genuine selfie matches a fresh video of
	// the same man and not the astronaut.
	genuine, _ := e.MatchVideo(ctx, doc, moving)
	if r, err := e.MatchDescriptor(ctx, genuine.Descriptor, moving, "video/mp4"); err != nil || !r.OK {
		t.Errorf("MatchDescriptor same video: %v %+v", err, r)
	}
	if r, err := e.MatchDescriptor(ctx, genuine.Descriptor, impostor, "video/mp4"); err != nil || r.OK || !hasReason(r, reason.FaceMismatch) {
		t.Errorf("MatchDescriptor impostor: %v %+v", err, r)
	}
	img := filepath.Join(photoDir(), "face.jpg")
	if r, err := e.MatchDescriptor(ctx, genuine.Descriptor, img, "image/jpeg"); err != nil || !r.OK || !r.Borderline {
		t.Errorf("MatchDescriptor still image: %v %+v", err, r)
	}
	if _, err := e.MatchDescriptor(ctx, genuine.Descriptor[:10], img, "image/jpeg"); err == nil {
		t.Error("a short stored descriptor must be an error")
	}
}

func TestUnusableVideos(t *testing.T) {
	needFFmpeg(t)
	e := testEngine(t, Options{})
	ctx := context.Background()
	doc := readPhoto(t, "face-detect.jpg")
	dir := t.TempDir()

	text := filepath.Join(dir, "notavideo.mp4")
	os.WriteFile(text, []byte("this is not a video"), 0o644)
	pngFile := filepath.Join(dir, "photo.mp4")
	os.WriteFile(pngFile, noFacePNG(64, 64), 0o644)
	short := makeVideo(t, "face.jpg", "scale=320:-2", 0.2)
	noFace := filepath.Join(dir, "noface.mp4")
	if b, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15:duration=2",
		"-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", noFace).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, b)
	}
	for _, c := range []struct {
		name, path string
		want       reason.Code
	}{
		{"text file", text, reason.FaceTimeout},
		{"image in a video's clothing", pngFile, reason.FaceTimeout},
		{"too short", short, reason.FaceTimeout},
		{"no face", noFace, reason.FaceNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := e.MatchVideo(ctx, doc, c.path)
			if err != nil {
				t.Fatalf("unusable video must be a Result, got %v", err)
			}
			if res.OK || !hasReason(res, c.want) {
				t.Errorf("ok=%v reasons=%v scores=%v, want %s", res.OK, res.Reasons, res.Scores, c.want)
			}
		})
	}
	if _, err := e.MatchVideo(ctx, doc, filepath.Join(dir, "missing.mp4")); err == nil {
		t.Error("a missing file is an I/O error")
	}
	broken := testEngine(t, Options{FFmpeg: filepath.Join(dir, "no-ffmpeg")})
	if _, err := broken.MatchVideo(ctx, doc, short); err == nil || !strings.Contains(err.Error(), "apt-get install ffmpeg") {
		t.Errorf("missing ffmpeg: %v", err)
	}
}

func TestCheckFFmpeg(t *testing.T) {
	err := CheckFFmpeg("/nonexistent/ffmpeg")
	if err == nil || !strings.Contains(err.Error(), "apt-get install ffmpeg") {
		t.Errorf("CheckFFmpeg(missing) = %v", err)
	}
}

// TestConcurrent runs detection and matching from several goroutines and
// checks every one gets the sequential answer.
func TestConcurrent(t *testing.T) {
	e := testEngine(t, Options{})
	var img rgbImage
	data := readPhoto(t, "sample5.jpg")
	if err := decodeImage(data, 40e6, &img); err != nil {
		t.Fatal(err)
	}
	want, err := e.Detect(img.toNRGBA())
	if err != nil || len(want) < 4 {
		t.Fatalf("Detect: %v, %d faces", err, len(want))
	}
	man1, man2 := readPhoto(t, "face.jpg"), readPhoto(t, "face-detect.jpg")
	wantRes, _ := e.MatchImage(context.Background(), man1, man2)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				got, err := e.Detect(img.toNRGBA())
				if err != nil || !slices.Equal(got, want) {
					t.Errorf("concurrent Detect differs: %v", err)
				}
				r, err := e.MatchImage(context.Background(), man1, man2)
				if err != nil || r.Similarity != wantRes.Similarity {
					t.Errorf("concurrent MatchImage differs: %v", err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestOptions(t *testing.T) {
	for _, o := range []Options{
		{Threshold: 1.5}, {Borderline: 0.7}, {DetectInput: 100}, {VideoDetectInput: 330}, {Frames: 100},
		{SampleFPS: 100}, {FrameSide: 50}, {FFmpegThreads: 99}, {DetectScore: 2},
	} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
	e := testEngine(t, Options{})
	if o := e.Options(); o.Threshold != DefaultThreshold || o.Frames != 6 || o.FFmpeg != "ffmpeg" {
		t.Errorf("defaults: %+v", o)
	}
}
