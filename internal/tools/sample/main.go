// Command sample writes one sample applicant into a directory: front.jpg
// and back.jpg (a synthetic ID card with a public-domain portrait),
// selfie.mp4 (a selfie video of the same face, made with ffmpeg) and
// info.json (basic info that passes the document-data rules). The README's
// walk-through uploads them to a running kycq.
//
//	go run ./internal/tools/sample -out /tmp/kycq-sample [-seed N] [-face hopper] [-impostor]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/storage"
)

func main() {
	out := flag.String("out", "kycq-sample", "directory to write into")
	seed := flag.Int64("seed", 1, "seed: varies the card, the video and the document number")
	face := flag.String("face", "", "portrait to use: "+strings.Join(sample.Faces(), ", "))
	impostor := flag.Bool("impostor", false, "put another person in the selfie")
	flag.Parse()
	o := sample.Options{Seed: *seed, Face: *face}
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
	fmt.Printf("wrote %s: front.jpg back.jpg selfie.mp4 info.json\n", *out)
}
