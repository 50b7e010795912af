// Command sample writes one sample applicant into a directory: front.jpg
// and back.jpg (a synthetic ID card with a public-domain portrait; a
// passport has no back), selfie.mp4 (a selfie video of the same face, made
// with ffmpeg) and info.json (the basic info the document prints, which
// passes the document-data rules). The README's walk-through uploads them
// to a running kycq.
//
// Without -seed every run invents a new person and document (name,
// number, dates), so the walk-through can be rerun; the seed used is
// printed, and -seed N makes that applicant again.
//
//	go run ./internal/tools/sample -out /tmp/kycq-sample [-seed N] [-kind td1|td3|cn_id] [-face hopper] [-impostor] [-mismatch FIELD]
package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/storage"
)

func main() {
	out := flag.String("out", "kycq-sample", "directory to write into")
	seed := flag.Int64("seed", 0, "seed: the person, the document and the video (default: a fresh one each run)")
	kind := flag.String("kind", "td1", "document: td1 (ID card), td2 (ID-2 card), td3 (passport) or cn_id (mainland resident ID)")
	face := flag.String("face", "", "portrait to use: "+strings.Join(sample.Faces(), ", "))
	impostor := flag.Bool("impostor", false, "put another person in the selfie")
	mismatch := flag.String("mismatch", "", "print the document with this field unlike info.json: "+strings.Join(docgen.MismatchFields, ", "))
	flag.Parse()
	k, err := docgen.ParseKind(*kind)
	if err != nil || k == docgen.KindLicence {
		fmt.Fprintln(os.Stderr, "sample: -kind must be td1, td2, td3 or cn_id")
		os.Exit(2)
	}
	if *seed == 0 {
		*seed = freshSeed()
	}
	o := sample.Options{Seed: *seed, Face: *face, Kind: k, Mismatch: *mismatch}
	if *impostor {
		names := sample.Faces()
		o.SelfieFace = names[0]
		if o.Face == "" || o.Face == names[0] {
			o.SelfieFace = names[1]
		}
	}
	a, err := sample.New(context.Background(), o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sample:", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "sample:", err)
		os.Exit(1)
	}
	names := map[storage.Slot]string{storage.SlotFront: "front.jpg", storage.SlotBack: "back.jpg", storage.SlotSelfie: "selfie.mp4"}
	for slot, f := range a.Files {
		if err := os.WriteFile(filepath.Join(*out, names[slot]), f.Data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "sample:", err)
			os.Exit(1)
		}
	}
	info, _ := json.MarshalIndent(a.Info, "", "  ")
	if err := os.WriteFile(filepath.Join(*out, "info.json"), append(info, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "sample:", err)
		os.Exit(1)
	}
	var wrote []string
	for _, slot := range []storage.Slot{storage.SlotFront, storage.SlotBack, storage.SlotSelfie} {
		if _, ok := a.Files[slot]; ok {
			wrote = append(wrote, names[slot])
		}
	}
	fmt.Printf("wrote %s: %s info.json (seed %d)\n", *out, strings.Join(wrote, " "), *seed)
}

// freshSeed returns a random positive seed.
func freshSeed() int64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return int64(binary.BigEndian.Uint64(b[:])>>2) + 1
}
