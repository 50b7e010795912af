// Package docgen generates labelled synthetic photos of identity documents
// for evaluating and exercising the document photo checks (imagecheck).
//
// A photo shows a made-up ID-1 card (guilloche, header, text fields with
// invented names and numbers, a portrait, an emblem, a TD1 machine-readable
// zone with valid check digits) lying on a procedurally textured background,
// seen in perspective, rotated, under uneven light and shadow, with sensor
// noise; optionally with one defect at a given strength. Everything is
// drawn from the seed: the same Spec always gives the same image and label.
// No real person, name or document number is used.
//
// With a Kind (GenerateDocument), a photo shows instead a document that
// prints exactly an Identity: a TD1, TD2 or TD3 document with its
// machine-readable zone in OCR-B, a mainland China resident ID (front or
// back, in Noto Sans CJK) or a driving licence, on a security background,
// photographed by a phone or scanned. The label then carries the identity
// and the MRZ printed; Identity.Mismatched makes cards that disagree with
// the identity submitted, for negative tests. These documents need the
// Debian fonts of DocumentFonts.
package docgen

import (
	"fmt"
	"image"

	"github.com/kycq/kycq/kyc/reason"
)

// Side is the side of the card shown.
type Side string

// Sides.
const (
	Front Side = "front"
	Back  Side = "back"
)

// Defect is what is wrong with a photo.
type Defect string

// Defects, one per reason code of rules §2 (doc_unreadable is produced by
// corrupting the encoded bytes, see Corrupt).
const (
	Clean       Defect = "clean"
	Blur        Defect = "blur"        // defocus or motion blur
	Glare       Defect = "glare"       // a specular highlight on the card
	CutOff      Defect = "cut_off"     // corners out of frame, or under a finger
	NotColour   Defect = "not_colour"  // black-and-white photo, or a photocopy
	TooDark     Defect = "too_dark"    // under-exposed
	Overexposed Defect = "overexposed" // over-exposed
	NotOriginal Defect = "not_original"
	LowRes      Defect = "low_resolution"
	NoFace      Defect = "no_face" // a front without a portrait: a blank photo area, or the back uploaded as the front
)

// Defects lists every defect but Clean, in a stable order.
var Defects = []Defect{Blur, Glare, CutOff, NotColour, TooDark, Overexposed, NotOriginal, LowRes, NoFace}

// Code returns the reason code a defect should produce.
func (d Defect) Code() reason.Code {
	switch d {
	case Blur:
		return reason.DocBlurry
	case Glare:
		return reason.DocGlare
	case CutOff:
		return reason.DocCutOff
	case NotColour:
		return reason.DocNotColour
	case TooDark:
		return reason.DocTooDark
	case Overexposed:
		return reason.DocOverexposed
	case NotOriginal:
		return reason.DocNotOriginal
	case LowRes:
		return reason.DocLowResolution
	case NoFace:
		return reason.DocNoFace
	}
	return ""
}

// Strength of a defect: 1 subtle, 2 moderate, 3 clearly visible.
type Strength int

// Strengths.
const (
	Subtle   Strength = 1
	Moderate Strength = 2
	Clear    Strength = 3
)

// Size is a preset photo size.
type Size string

// Sizes: a 12 MP phone photo, 2 MP and 1.2 MP uploads. Small is used for
// tests. Low-resolution defects pick their own (small) size.
const (
	Size12MP Size = "12mp" // 4032×3024
	Size2MP  Size = "2mp"  // 1600×1200
	Size1MP  Size = "1mp"  // 1280×960
	SizeTest Size = "test" // 800×600
)

func (s Size) dims() (int, int, error) {
	switch s {
	case Size12MP:
		return 4032, 3024, nil
	case Size2MP, "":
		return 1600, 1200, nil
	case Size1MP:
		return 1280, 960, nil
	case SizeTest:
		return 800, 600, nil
	}
	return 0, 0, fmt.Errorf("docgen: unknown size %q", s)
}

// Spec describes one photo to generate.
type Spec struct {
	Seed     int64
	Size     Size
	Width    int // overrides Size when both Width and Height are set
	Height   int
	Vertical bool // a portrait-orientation frame (phone held upright)
	Side     Side // Front when empty
	Defect   Defect
	Strength Strength
	// Portrait is pasted as the card's photo (scaled to fill its box);
	// nil draws a synthetic face.
	Portrait image.Image
	// PrintedPortrait renders Portrait as an ID card prints it: lower
	// contrast and saturation, and one card in three a grey
	// (laser-engraved) portrait.
	PrintedPortrait bool

	// Design is the card's design family (the image-check card only;
	// DesignClassic, the zero value, is the original card).
	Design Design

	// Kind, when set, prints a document that carries exactly Identity
	// (see GenerateDocument); the fields below apply to such documents
	// only. The zero Kind is the image-check card, unchanged.
	Kind Kind
	// Identity is what the document prints; nil draws one from the seed
	// (NewIdentity).
	Identity *Identity
	// Condition is how the document is photographed (Phone when empty).
	Condition Condition
	// DocPixels, when set, is the document's long side in photo pixels
	// (about 600 for a low-resolution upload).
	DocPixels float64
	// HardPrint prints and photographs the document as real ones are
	// hard to read: rainbow printing and a mesh of fine guilloche lines
	// darker than the usual background under all the text (the
	// machine-readable zone too), a holographic laminate over the text,
	// and a specular glare patch on the laminate. What is printed is the
	// same identity. Drawn from streams of their own: with it unset,
	// every photo is as before.
	HardPrint bool
	// RealFinger draws the fingertip of a cut_off photo's finger variant
	// as a photographed one looks (see finger), from a stream of its own:
	// with it unset, every photo is as before.
	RealFinger bool
}

// Label is the truth about a generated photo.
type Label struct {
	Seed     int64         `json:"seed"`
	Side     Side          `json:"side"`
	Defect   Defect        `json:"defect"`
	Variant  string        `json:"variant,omitempty"` // e.g. "finger", "photocopy", "motion"
	Strength Strength      `json:"strength,omitempty"`
	Codes    []reason.Code `json:"codes"` // the codes a perfect checker reports
	Width    int           `json:"width"`
	Height   int           `json:"height"`
	// Quad is the card's corners in the displayed photo: the card's own
	// top-left, top-right, bottom-right, bottom-left.
	Quad       [4][2]float64 `json:"quad"`
	Background string        `json:"background"`
	// Design is the card's design family (empty: the classic card).
	Design Design `json:"design,omitempty"`
	// DocLongSide is the card's long side in photo pixels.
	DocLongSide float64 `json:"doc_long_side"`

	// Documents of a Kind (GenerateDocument) also record what they print.
	Kind      Kind      `json:"kind,omitempty"`
	Condition Condition `json:"condition,omitempty"`
	// Read is the kind a perfect reader reports (kyc.Read*: "td1", ...,
	// "visual").
	Read     string    `json:"read,omitempty"`
	Identity *Identity `json:"identity,omitempty"`
	// MRZ is the machine-readable zone printed on the side shown.
	MRZ []string `json:"mrz,omitempty"`
}
