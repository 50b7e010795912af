package review

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/kycq/kycq/imagecheck"
	"github.com/kycq/kycq/storage"
)

// Framer extracts still frames from a selfie video for the case view.
type Framer interface {
	Frames(ctx context.Context, video []byte, n int) ([][]byte, error)
}

// VideoFrames is the production Framer: ffmpeg takes n frames spread over
// the video's first seconds, and a face detector, when set, boxes the
// faces it finds (blue), as the face check looked for them.
type VideoFrames struct {
	FFmpeg   string // ffmpeg binary; "ffmpeg" when empty
	Detector imagecheck.FaceDetector
	TempDir  string // "" = os.TempDir
}

// Frames implements Framer. Each frame is a JPEG at most 480 pixels wide.
func (f VideoFrames) Frames(ctx context.Context, video []byte, n int) ([][]byte, error) {
	dir, err := os.MkdirTemp(f.TempDir, "kycq-frames-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "selfie")
	if err := os.WriteFile(in, video, 0o600); err != nil {
		return nil, err
	}
	bin := f.FFmpeg
	if bin == "" {
		bin = "ffmpeg"
	}
	cmd := exec.CommandContext(ctx, bin, "-nostdin", "-v", "error", "-i", in,
		"-vf", "fps=2,scale='min(480,iw)':-2", "-frames:v", fmt.Sprint(n), "-q:v", "4", filepath.Join(dir, "f%02d.jpg"))
	if out, err := cmd.CombinedOutput(); err != nil {
		// ffmpeg's message may name the temporary file, nothing personal.
		return nil, fmt.Errorf("ffmpeg: %v: %s", err, bytes.TrimSpace(out))
	}
	names, _ := filepath.Glob(filepath.Join(dir, "f*.jpg"))
	sort.Strings(names)
	var frames [][]byte
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		frames = append(frames, f.boxed(b))
	}
	return frames, nil
}

// boxed draws the detected faces on a frame; a frame that does not decode
// or a detector that fails leaves it as it is.
func (f VideoFrames) boxed(frame []byte) []byte {
	if f.Detector == nil {
		return frame
	}
	src, err := jpeg.Decode(bytes.NewReader(frame))
	if err != nil {
		return frame
	}
	faces, err := f.Detector.DetectFaces(src)
	if err != nil || len(faces) == 0 {
		return frame
	}
	img := image.NewRGBA(src.Bounds())
	draw.Draw(img, img.Rect, src, src.Bounds().Min, draw.Src)
	blue := color.RGBA{0, 200, 255, 255}
	for _, fb := range faces {
		r := fb.Rect.Intersect(img.Rect)
		for t := 0; t < 3; t++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				img.Set(x, r.Min.Y+t, blue)
				img.Set(x, r.Max.Y-1-t, blue)
			}
			for y := r.Min.Y; y < r.Max.Y; y++ {
				img.Set(r.Min.X+t, y, blue)
				img.Set(r.Max.X-1-t, y, blue)
			}
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return frame
	}
	return buf.Bytes()
}

// SelfieFrames is how many frames the case view shows of a selfie video.
const SelfieFrames = 4

// Frame returns frame i (0-based, below SelfieFrames) of a verification's
// selfie video, with face boxes, audited as a view of personal data.
func (s *Service) Frame(ctx context.Context, sess *Session, id string, i int) ([]byte, error) {
	if err := require(sess, PermRead); err != nil {
		return nil, err
	}
	if i < 0 || i >= SelfieFrames {
		return nil, invalid("frame is 0 to %d", SelfieFrames-1)
	}
	if s.Frames == nil {
		return nil, fmt.Errorf("no frame extractor: %w", storage.ErrNotFound)
	}
	frames, err := s.selfieFrames(ctx, id)
	if err != nil {
		return nil, err
	}
	if i >= len(frames) {
		return nil, fmt.Errorf("frame %d: %w", i, storage.ErrNotFound)
	}
	if err := s.State.Audit(ctx, storage.AuditEntry{At: s.now(), StaffID: sess.Staff.ID, Action: "photo.view",
		Subject: "verification:" + id, After: fmt.Sprintf("selfie frame %d", i)}); err != nil {
		return nil, err
	}
	return frames[i], nil
}

// framesCached bounds how many verifications' frames the service keeps in
// memory: the case page asks for every frame of one video at once.
const framesCached = 8

// frameCache keeps the frames of the last few videos (personal data, in
// memory only, for the minutes a case is looked at).
type frameCache struct {
	mu    sync.Mutex
	order []string
	byID  map[string][][]byte
}

// selfieFrames extracts (once, while cached) the frames of a
// verification's selfie video.
func (s *Service) selfieFrames(ctx context.Context, id string) ([][]byte, error) {
	c := s.frames
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.byID[id]; ok {
		return f, nil
	}
	video, ct, err := s.upload(ctx, id, storage.SlotSelfie)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(ct, "video/") {
		return nil, invalid("the selfie is not a video")
	}
	frames, err := s.Frames.Frames(ctx, video, SelfieFrames)
	if err != nil {
		return nil, err
	}
	if c.byID == nil {
		c.byID = map[string][][]byte{}
	}
	if len(c.order) == framesCached {
		delete(c.byID, c.order[0])
		c.order = c.order[1:]
	}
	c.byID[id] = frames
	c.order = append(c.order, id)
	return frames, nil
}
