package badinput

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// TestBadUploadedContent: S3 takes any bytes of the signed type and
// length, so corrupt, truncated, bomb and non-image uploads reach the
// workers. Each must end as a doc_unreadable result and a rejection with
// its remedy: never a failed check, a retry loop or a crash.
func TestBadUploadedContent(t *testing.T) {
	t.Parallel()
	s := start(t, nil)
	good := noiseJPEG(t, 640, 400)
	bad := []struct {
		name, contentType string
		data              []byte
	}{
		{"corrupt JPEG", "image/jpeg", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, randomBytes(5000)...)},
		{"truncated JPEG", "image/jpeg", good[:len(good)/2]},
		{"JPEG header only", "image/jpeg", good[:20]},
		{"decompression-bomb PNG", "image/png", bombPNG(t, 10000, 10000)},
		{"PNG header claiming 4 billion pixels", "image/png", pngHeaderOnly(65535, 65535)},
		{"PDF labelled JPEG", "image/jpeg", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")},
		{"HTML labelled PNG", "image/png", []byte("<!doctype html><script>alert(1)</script>")},
		{"one byte", "image/jpeg", []byte{0}},
	}
	selfie := client.File{ContentType: "video/mp4", Data: randomBytes(3000)}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	ids := make([]string, len(bad))
	for i, b := range bad {
		doc := client.File{ContentType: b.contentType, Data: b.data}
		id, err := s.Client.Apply(ctx, "acct-content-"+string(rune('a'+i)), basicInfo(i), map[storage.Slot]client.File{
			storage.SlotFront: doc, storage.SlotBack: doc, storage.SlotSelfie: selfie})
		if err != nil {
			t.Fatalf("%s: apply: %v", b.name, err)
		}
		ids[i] = id
	}
	for i, b := range bad {
		v, err := s.Client.WaitDecision(ctx, ids[i], 100*time.Millisecond)
		if err != nil {
			t.Fatalf("%s: %v", b.name, err)
		}
		var got []string
		for _, c := range v.Checks {
			for _, r := range c.Reasons {
				got = append(got, c.Check+"="+string(r.Code))
			}
		}
		t.Logf("%s: %s %v", b.name, v.Decision.Outcome, got)
		if v.Decision.Outcome != storage.Rejected {
			t.Errorf("%s: decision %s %v, want rejected", b.name, v.Decision.Outcome, v.Decision.Reasons)
		}
		for _, c := range v.Checks {
			if c.Failed || has(c.Reasons, reason.CheckFailed) {
				t.Errorf("%s: check %s failed instead of giving a result: %+v", b.name, c.Check, c)
			}
			if c.Check == "doc_quality:doc_front" || c.Check == "doc_quality:doc_back" {
				if c.OK || !has(c.Reasons, reason.DocUnreadable) {
					t.Errorf("%s: %s = %+v, want doc_unreadable", b.name, c.Check, c)
				}
			}
		}
		if !has(v.Decision.Reasons, reason.DocUnreadable) {
			t.Errorf("%s: decision reasons %v lack doc_unreadable", b.name, v.Decision.Reasons)
		}
		for _, d := range v.Decision.Reasons {
			if d.Remedy == "" {
				t.Errorf("%s: reason %s without a remedy", b.name, d.Code)
			}
		}
	}
}

func has(ds []reason.Detail, c reason.Code) bool {
	return slices.ContainsFunc(ds, func(d reason.Detail) bool { return d.Code == c })
}

// basicInfo returns valid basic info with a document number of its own.
func basicInfo(i int) api.BasicInfo {
	return kyc.Applicant{Country: "DE", Nationality: "DE", IssuingCountry: "DE", FullName: "ERIKA MUSTERMANN",
		DateOfBirth: "1983-08-12", IDType: "id_card", IDNumber: "L0100" + string(rune('A'+i)) + "0T4", ExpiryDate: "2034-06-30"}
}

func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// noiseJPEG encodes a w×h image of colour noise.
func noiseJPEG(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(r.Uint32()), uint8(r.Uint32()), uint8(r.Uint32()), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bombPNG returns a valid greyscale PNG of w×h black pixels: a few
// hundred kilobytes that decode to w·h bytes.
func bombPNG(t testing.TB, w, h int) []byte {
	var idat bytes.Buffer
	z, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	row := make([]byte, 1+w) // filter byte + pixels
	for y := 0; y < h; y++ {
		if _, err := z.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return pngFile(w, h, idat.Bytes())
}

// pngHeaderOnly returns a PNG whose header claims w×h pixels, with an
// empty image data chunk.
func pngHeaderOnly(w, h int) []byte { return pngFile(w, h, nil) }

func pngFile(w, h int, idat []byte) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 0 // 8-bit greyscale
	chunk("IHDR", ihdr)
	chunk("IDAT", idat)
	chunk("IEND", nil)
	return b.Bytes()
}
