// Package sample makes realistic sample applicants for kycq: a synthetic
// ID card (internal/eval/docgen) carrying a real, public-domain portrait, its
// back, and a selfie video of the same face turning its head in 3D
// (internal/eval/headmotion, encoded with ffmpeg), together with
// basic info that passes the document-data rules. The end-to-end tests, the
// load generator and `go run ./internal/tools/sample` use it.
//
// Nothing here is a real document: names and numbers are invented; the
// faces are two public-domain portraits (see faces/NOTICE.md).
package sample

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/face"

	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/headmotion"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/storage"
)

//go:embed faces/*.jpg
var faces embed.FS

// Faces lists the bundled portraits by name ("collins", "hopper").
func Faces() []string {
	entries, _ := faces.ReadDir("faces")
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".jpg"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Portrait returns a bundled portrait.
func Portrait(name string) (image.Image, error) {
	b, err := faces.ReadFile("faces/" + name + ".jpg")
	if err != nil {
		return nil, fmt.Errorf("sample: no portrait %q (have %v)", name, Faces())
	}
	return jpeg.Decode(bytes.NewReader(b))
}

// Applicant is one sample application.
type Applicant struct {
	Info  kyc.Applicant
	Files map[storage.Slot]client.File
}

// Options say what to make. The zero value makes a clean ID card (front
// and back, 2 MP) of the first portrait and a moving selfie video.
type Options struct {
	Seed   int64
	Face   string      // a name from Faces; the first one when empty
	Size   docgen.Size // document photo size; docgen.Size2MP when empty
	FFmpeg string      // ffmpeg binary; "ffmpeg" when empty
	// StillSelfie makes the selfie a JPEG photo instead of a video.
	StillSelfie bool
	// FrozenSelfie makes a video without any motion (a photo held to the
	// camera): liveness must refuse it.
	FrozenSelfie bool
	// ReplaySelfie makes a video of the still portrait panned, zoomed and
	// tilted (a photo or screen moved in front of the camera): liveness
	// must refuse it as planar motion.
	ReplaySelfie bool
	// Challenge makes the head in the selfie video carry out a liveness
	// challenge ("turn_left" or "turn_right", as the API issues them).
	Challenge string
	// SelfieFace, when set, puts another portrait in the selfie (an
	// impostor).
	SelfieFace string
	// Defect and Strength spoil the front photo (docgen.Clean when empty).
	Defect   docgen.Defect
	Strength docgen.Strength
}

// New makes one applicant.
func New(ctx context.Context, o Options) (*Applicant, error) {
	if o.Face == "" {
		o.Face = Faces()[0]
	}
	if o.SelfieFace == "" {
		o.SelfieFace = o.Face
	}
	if o.Size == "" {
		o.Size = docgen.Size2MP
	}
	if o.FFmpeg == "" {
		o.FFmpeg = "ffmpeg"
	}
	if o.Defect == "" {
		o.Defect = docgen.Clean
	}
	portrait, err := Portrait(o.Face)
	if err != nil {
		return nil, err
	}
	selfieFace, err := Portrait(o.SelfieFace)
	if err != nil {
		return nil, err
	}
	files := map[storage.Slot]client.File{}
	for _, side := range []docgen.Side{docgen.Front, docgen.Back} {
		spec := docgen.Spec{Seed: o.Seed, Size: o.Size, Side: side, Defect: docgen.Clean, Portrait: portrait}
		if side == docgen.Front {
			spec.Defect, spec.Strength = o.Defect, o.Strength
		}
		img, _ := docgen.Generate(spec)
		data, err := docgen.Encode(img, docgen.Encoding{Quality: 90})
		if err != nil {
			return nil, err
		}
		slot := storage.SlotFront
		if side == docgen.Back {
			slot = storage.SlotBack
		}
		files[slot] = client.File{ContentType: "image/jpeg", Data: data}
	}
	if o.StillSelfie {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, selfieFace, &jpeg.Options{Quality: 90}); err != nil {
			return nil, err
		}
		files[storage.SlotSelfie] = client.File{ContentType: "image/jpeg", Data: buf.Bytes()}
	} else {
		var video []byte
		switch {
		case o.FrozenSelfie:
			video, err = SelfieVideo(ctx, o.FFmpeg, selfieFace, false, o.Seed)
		case o.ReplaySelfie:
			video, err = ReplayVideo(ctx, o.FFmpeg, selfieFace, o.Seed)
		default:
			video, err = HeadVideo(ctx, o.FFmpeg, selfieFace, o.Challenge, o.Seed)
		}
		if err != nil {
			return nil, err
		}
		files[storage.SlotSelfie] = client.File{ContentType: "video/mp4", Data: video}
	}
	return &Applicant{Info: Info(o.Seed), Files: files}, nil
}

// Info returns invented basic info for a German ID card that passes the
// document-data rules; the seed varies the document number, so applicants
// made from different seeds do not hold the same document.
func Info(seed int64) kyc.Applicant {
	r := rand.New(rand.NewPCG(uint64(seed), 3))
	return kyc.Applicant{
		Country: "DE", Nationality: "DE", IssuingCountry: "DE",
		FullName: "ERIKA MUSTERMANN", DateOfBirth: "1983-08-12",
		IDType: "id_card", IDNumber: fmt.Sprintf("L%08d", r.IntN(100_000_000)), ExpiryDate: "2034-06-30",
	}
}

// HeadVideo returns a 3-second 480×640 H.264 MP4 of the portrait's head
// turning and nodding in 3D (internal/eval/headmotion), as a live person
// recording a selfie moves; challenge "turn_left" or "turn_right" adds
// that clear turn.
func HeadVideo(ctx context.Context, ffmpeg string, portrait image.Image, challenge string, seed int64) ([]byte, error) {
	motion := headmotion.Natural
	switch challenge {
	case "":
	case string(face.ChallengeTurnLeft):
		motion = headmotion.TurnLeft
	case string(face.ChallengeTurnRight):
		motion = headmotion.TurnRight
	default:
		return nil, fmt.Errorf("sample: unknown challenge %q", challenge)
	}
	lm, err := Landmarks(portrait)
	if err != nil {
		return nil, err
	}
	return headmotion.Video(ctx, ffmpeg, portrait, lm, headmotion.Spec{Motion: motion, Seed: seed})
}

var landmarker struct {
	once sync.Once
	eng  *face.Engine
	err  error
}

// Landmarks returns the 68 landmarks of the portrait's face.
func Landmarks(portrait image.Image) ([68][2]float64, error) {
	var out [68][2]float64
	landmarker.once.Do(func() { landmarker.eng, landmarker.err = face.New(face.Options{}) })
	if landmarker.err != nil {
		return out, landmarker.err
	}
	lm, found, err := landmarker.eng.FindLandmarks(portrait)
	if err != nil {
		return out, err
	}
	if !found {
		return out, fmt.Errorf("sample: no face in the portrait")
	}
	for i, p := range lm {
		out[i] = [2]float64{p.X, p.Y}
	}
	return out, nil
}

// ReplayVideo returns a 3-second 480×640 H.264 MP4 of the still portrait
// moved in front of the camera: a slow push-in with sway, a little roll and
// changing light. It is the replay attack liveness must refuse (planar
// motion).
func ReplayVideo(ctx context.Context, ffmpeg string, portrait image.Image, seed int64) ([]byte, error) {
	return SelfieVideo(ctx, ffmpeg, portrait, true, seed)
}

// SelfieVideo returns a 3-second 480×640 H.264 MP4 of the still portrait:
// with moving true, panned and zoomed (see ReplayVideo); otherwise the
// still picture with sensor noise only. Neither is a live selfie: use
// HeadVideo for one.
func SelfieVideo(ctx context.Context, ffmpeg string, portrait image.Image, moving bool, seed int64) ([]byte, error) {
	dir, err := os.MkdirTemp("", "kycq-selfie-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "face.jpg")
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, portrait, &jpeg.Options{Quality: 95}); err != nil {
		return nil, err
	}
	if err := os.WriteFile(src, buf.Bytes(), 0o600); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(uint64(seed), 5))
	vf := "scale=480:640,setsar=1"
	if moving {
		zoom := 0.002 + 0.002*r.Float64()
		sway := 5 + 6*r.Float64()
		roll := 0.02 + 0.03*r.Float64()
		light := 0.04 + 0.06*r.Float64()
		vf = fmt.Sprintf("scale=600:800,setsar=1,"+
			"zoompan=z='1+%.4f*on':x='iw/2-(iw/zoom/2)+%.1f*sin(on/6)':y='ih/2-(ih/zoom/2)+%.1f*cos(on/8)':d=1:s=480x640:fps=15,"+
			"rotate='%.3f*sin(t*2)':fillcolor=black,eq=brightness='%.3f*sin(t*1.5)':eval=frame",
			zoom, sway, sway/2, roll, light)
	}
	vf += ",noise=alls=4:allf=t,format=yuv420p"
	out := filepath.Join(dir, "selfie.mp4")
	cmd := exec.CommandContext(ctx, ffmpeg, "-nostdin", "-v", "error", "-y", "-loop", "1", "-framerate", "15",
		"-i", src, "-t", "3", "-vf", vf, "-c:v", "libx264", "-preset", "veryfast", "-crf", "26",
		"-movflags", "+faststart", "-threads", "1", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("sample: ffmpeg: %v: %s", err, bytes.TrimSpace(b))
	}
	return os.ReadFile(out)
}
