// Package sample makes realistic sample applicants for kycq: a synthetic
// identity document (internal/eval/docgen) carrying a real, public-domain
// portrait — by default a German-style ID card whose back carries a valid
// TD1 machine-readable zone, or a passport data page or a mainland China
// resident ID — and a selfie video of the same face turning its head in
// 3D (internal/eval/headmotion, encoded with ffmpeg), together with the
// basic info that is submitted. The document prints
// exactly that info (name, number, dates, nationality, sex, MRZ), unless a
// mismatch is asked for. The end-to-end tests, the load generator and
// `go run ./internal/tools/sample` use it.
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
	// A spoiled front is the image-check card, which does not print Info.
	Defect   docgen.Defect
	Strength docgen.Strength
	// Kind is the document: docgen.KindTD1 (an ID card, front and back;
	// the default), docgen.KindTD3 (a passport data page, front only) or
	// docgen.KindCNID (a mainland resident ID, front and back).
	Kind docgen.Kind
	// Mismatch, when set (a docgen.MismatchFields name), prints the
	// document with that field different from the Info submitted: an
	// applicant claiming someone else's data, which must be refused.
	Mismatch string
	// IdentitySeed, when not zero, invents the identity (Identity, InfoOf,
	// what the document prints) from it instead of from Seed, which still
	// makes the photos (pose, light, crop): many applicants of their own
	// identities in the scene of one seed known to pass the checks.
	IdentitySeed int64
}

// kind is o's document kind.
func (o Options) kind() docgen.Kind {
	if o.Kind == docgen.KindCard {
		return docgen.KindTD1
	}
	return o.Kind
}

func (o Options) withDefaults() Options {
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
	return o
}

// Documents returns the document photos of o only (front, and back when
// the document has one), without the selfie: cheap enough to give every
// applicant of a load test or a cluster test a document of its own that
// prints exactly InfoOf(o), while they share selfie videos.
func Documents(o Options) (map[storage.Slot]client.File, error) {
	o = o.withDefaults()
	portrait, err := Portrait(o.Face)
	if err != nil {
		return nil, err
	}
	id, err := printed(o)
	if err != nil {
		return nil, err
	}
	files := map[storage.Slot]client.File{}
	for _, side := range o.kind().Sides() {
		spec := docgen.Spec{Seed: o.Seed, Size: o.Size, Side: side, Defect: docgen.Clean, Portrait: portrait,
			PrintedPortrait: true, Kind: o.kind(), Identity: &id}
		var img *image.RGBA
		if side == docgen.Front && o.Defect != docgen.Clean {
			img, _ = docgen.Generate(docgen.Spec{Seed: o.Seed, Size: o.Size, Side: side, Defect: o.Defect, Strength: o.Strength, Portrait: portrait})
		} else if img, _, err = docgen.GenerateDocument(spec); err != nil {
			return nil, err
		}
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
	return files, nil
}

// Identity returns the identity o submits: invented from the seed, so
// that different seeds give different people and documents (name, number,
// dates). ID cards and passports are German-style (issuer and nationality
// D); a mainland ID is issued by CHN.
func Identity(o Options) docgen.Identity {
	k := o.kind()
	seed := o.Seed
	if o.IdentitySeed != 0 {
		seed = o.IdentitySeed
	}
	id := docgen.NewIdentity(seed, k)
	if k != docgen.KindCNID {
		id.Issuer, id.Nationality, id.Country = "D", "D", "FEDERAL REPUBLIC OF GERMANY"
		if k == docgen.KindTD1 || k == docgen.KindTD2 {
			id.DocumentCode = "ID"
		}
	}
	return id
}

// printed is the identity o's document prints: Identity, or with the
// Mismatch field changed.
func printed(o Options) (docgen.Identity, error) {
	id := Identity(o)
	if o.Mismatch == "" {
		return id, nil
	}
	return id.Mismatched(o.Mismatch, o.Seed)
}

// New makes one applicant.
func New(ctx context.Context, o Options) (*Applicant, error) {
	o = o.withDefaults()
	selfieFace, err := Portrait(o.SelfieFace)
	if err != nil {
		return nil, err
	}
	files, err := Documents(o)
	if err != nil {
		return nil, err
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
	return &Applicant{Info: InfoOf(o), Files: files}, nil
}

// Info returns the basic info of the ID card of seed (InfoOf with
// Options{Seed: seed}): what that card prints, passing the document-data
// rules. Different seeds give different people and documents.
func Info(seed int64) kyc.Applicant { return InfoOf(Options{Seed: seed}) }

// InfoOf returns the basic info o submits: Identity(o) as an applicant
// types it. A mainland ID's holder types the Chinese name as LocalName
// and its pinyin, surname first, as FullName.
func InfoOf(o Options) kyc.Applicant {
	id := Identity(o)
	a := kyc.Applicant{
		Country: "DE", Nationality: "DE", IssuingCountry: "DE",
		FullName: id.FullName(), DateOfBirth: id.BirthDate,
		IDType: string(kyc.IDCard), IDNumber: id.Number, ExpiryDate: id.ExpiryDate,
	}
	switch o.kind() {
	case docgen.KindTD3:
		a.IDType = string(kyc.Passport)
	case docgen.KindCNID:
		a.Country, a.Nationality, a.IssuingCountry = "CN", "CN", "CN"
		a.IDType = string(kyc.CNResidentID)
		a.FullName, a.LocalName = id.Surname+" "+id.GivenNames, id.Name
	}
	return a
}

// HeadVideo returns a 3-second 480×640 H.264 MP4 of the portrait's head
// turning and nodding in 3D (internal/eval/headmotion), as a live person
// recording a selfie moves; challenge "turn_left" or "turn_right" adds
// that clear turn, "turn_left_right" or "turn_right_left" that two-step
// turn (over headmotion.TwoStepSeconds), "blink" one blink. It is the plain generator (the
// mean head shape, a fixed camera: headmotion.Plain), the selfie of the
// service's end-to-end samples; HeadVideoVary takes a variation.
func HeadVideo(ctx context.Context, ffmpeg string, portrait image.Image, challenge string, seed int64) ([]byte, error) {
	return HeadVideoVary(ctx, ffmpeg, portrait, challenge, seed, headmotion.Plain())
}

// HeadVideoVary is HeadVideo with the person, hands and camera varied
// by vary (nil: headmotion.Sample of the seed).
func HeadVideoVary(ctx context.Context, ffmpeg string, portrait image.Image, challenge string, seed int64, vary *headmotion.Variation) ([]byte, error) {
	return HeadVideoVarySeconds(ctx, ffmpeg, portrait, challenge, seed, vary, 0)
}

// HeadVideoVarySeconds is HeadVideoVary lasting seconds (0: the
// motion's default length).
func HeadVideoVarySeconds(ctx context.Context, ffmpeg string, portrait image.Image, challenge string, seed int64, vary *headmotion.Variation, seconds float64) ([]byte, error) {
	lm, spec, err := HeadSpec(portrait, challenge, seed, vary, seconds)
	if err != nil {
		return nil, err
	}
	return headmotion.Video(ctx, ffmpeg, portrait, lm, spec)
}

// HeadSpec is what HeadVideoVarySeconds renders for these arguments: the
// portrait's landmarks and the video's headmotion.Spec (with them,
// headmotion.Poses and headmotion.FrameLandmarks give each frame's pose
// and landmarks as the generator made them).
func HeadSpec(portrait image.Image, challenge string, seed int64, vary *headmotion.Variation, seconds float64) ([68][2]float64, headmotion.Spec, error) {
	motion := headmotion.Natural
	switch challenge {
	case "":
	case string(face.ChallengeTurnLeft):
		motion = headmotion.TurnLeft
	case string(face.ChallengeTurnRight):
		motion = headmotion.TurnRight
	case string(face.ChallengeBlink):
		motion = headmotion.Blink
	case string(face.ChallengeTurnLeftRight):
		motion = headmotion.TurnLeftRight
	case string(face.ChallengeTurnRightLeft):
		motion = headmotion.TurnRightLeft
	default:
		return [68][2]float64{}, headmotion.Spec{}, fmt.Errorf("sample: unknown challenge %q", challenge)
	}
	lm, err := Landmarks(portrait)
	if err != nil {
		return lm, headmotion.Spec{}, err
	}
	return lm, headmotion.Spec{Motion: motion, Seed: seed, Vary: vary, Seconds: seconds}, nil
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
