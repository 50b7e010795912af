package loadgen

import (
	"fmt"
	"math/rand/v2"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/storage"
)

// DirSource makes applicants from the files of a sample directory:
// front.jpg (or .png), optionally back.jpg, and selfie.mp4 (or a still
// selfie.jpg). Every applicant gets its own account and a unique passport
// number, so they do not contend for one document.
func DirSource(dir string, seed uint64) (Source, error) {
	files := map[storage.Slot]client.File{}
	for slot, names := range map[storage.Slot][]string{
		storage.SlotFront:  {"front.jpg", "front.png"},
		storage.SlotBack:   {"back.jpg", "back.png"},
		storage.SlotSelfie: {"selfie.mp4", "selfie.webm", "selfie.jpg", "selfie.png"},
	} {
		for _, n := range names {
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				continue
			}
			ct := mime.TypeByExtension(filepath.Ext(n))
			ct, _, _ = strings.Cut(ct, ";")
			files[slot] = client.File{ContentType: ct, Data: b}
			break
		}
	}
	if _, ok := files[storage.SlotFront]; !ok {
		return nil, fmt.Errorf("loadgen: %s has no front.jpg", dir)
	}
	if _, ok := files[storage.SlotSelfie]; !ok {
		return nil, fmt.Errorf("loadgen: %s has no selfie.mp4 or selfie.jpg", dir)
	}
	idType := "passport"
	if _, ok := files[storage.SlotBack]; ok {
		idType = "id_card"
	}
	return func(i int) (Applicant, error) {
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		return Applicant{
			Account: fmt.Sprintf("load-%d-%d", seed, i),
			Info: api.BasicInfo{Country: "DE", Nationality: "DE", IssuingCountry: "DE",
				FullName: "ERIKA MUSTERMANN", DateOfBirth: "1983-08-12", IDType: idType,
				IDNumber: fmt.Sprintf("C%08d", r.IntN(100_000_000)), ExpiryDate: "2034-06-30"},
			Files: files,
		}, nil
	}, nil
}
