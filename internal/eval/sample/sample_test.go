package sample

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/cnid"
	"github.com/kycq/kycq/kyc/mrz"
	"github.com/kycq/kycq/storage"
)

// The info submitted is what the document prints, and it passes the
// document-data rules, with the MRZ the card prints sent along.
func TestInfoIsWhatIsPrinted(t *testing.T) {
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for _, k := range []docgen.Kind{docgen.KindTD1, docgen.KindTD2, docgen.KindTD3, docgen.KindCNID} {
		for seed := int64(1); seed <= 30; seed++ {
			o := Options{Seed: seed, Kind: k}
			id, info := Identity(o), InfoOf(o)
			if info.IDNumber != id.Number || info.DateOfBirth != id.BirthDate || info.ExpiryDate != id.ExpiryDate {
				t.Fatalf("%s seed %d: info %+v, card %+v", k, seed, info, id)
			}
			if k == docgen.KindCNID {
				n, err := cnid.Parse(info.IDNumber)
				if err != nil || n.Birth.Format(time.DateOnly) != info.DateOfBirth || info.LocalName != id.Name {
					t.Errorf("seed %d: mainland number %v, info %+v", seed, err, info)
				}
			} else {
				lines := id.MRZ(k)
				m, err := mrz.Parse(strings.Join(lines, "\n"))
				if err != nil || m.DocumentNumber != info.IDNumber || m.IssuingState != "D" || m.Nationality != "D" {
					t.Fatalf("%s seed %d: MRZ %v %+v", k, seed, err, m)
				}
				info.MRZ = strings.Join(lines, "\n")
			}
			if res := kyc.CheckData(info, now, kyc.DefaultDataPolicy()); !res.OK {
				t.Errorf("%s seed %d: %v", k, seed, res.Reasons)
			}
		}
	}
}

// Different seeds are different people holding different documents; the
// same seed is the same person.
func TestSeedsGiveFreshIdentities(t *testing.T) {
	numbers, names := map[string]bool{}, map[string]bool{}
	for seed := int64(1); seed <= 200; seed++ {
		in := Info(seed)
		numbers[in.IDNumber], names[in.FullName] = true, true
		if again := Info(seed); again != in {
			t.Fatalf("seed %d: %+v then %+v", seed, in, again)
		}
	}
	if len(numbers) < 200 || len(names) < 195 {
		t.Errorf("200 seeds gave %d numbers and %d names", len(numbers), len(names))
	}
}

// New writes the sides the document has; a mismatched applicant submits
// the true info while the card prints another value.
func TestNew(t *testing.T) {
	for _, c := range []struct {
		kind  docgen.Kind
		sides []storage.Slot
	}{
		{docgen.KindTD1, []storage.Slot{storage.SlotBack, storage.SlotFront, storage.SlotSelfie}},
		{docgen.KindTD3, []storage.Slot{storage.SlotFront, storage.SlotSelfie}},
		{docgen.KindCNID, []storage.Slot{storage.SlotBack, storage.SlotFront, storage.SlotSelfie}},
	} {
		o := Options{Seed: 3, Kind: c.kind, StillSelfie: true, Size: docgen.SizeTest}
		a, err := New(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		var got []storage.Slot
		for s, f := range a.Files {
			got = append(got, s)
			if len(f.Data) < 1000 {
				t.Errorf("%s %s: %d bytes", c.kind, s, len(f.Data))
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, c.sides) || a.Info != InfoOf(o) {
			t.Errorf("%s: slots %v, info %+v", c.kind, got, a.Info)
		}
	}
	docs, err := Documents(Options{Seed: 3, Kind: docgen.KindCNID, Size: docgen.SizeTest})
	if a, _ := New(context.Background(), Options{Seed: 3, Kind: docgen.KindCNID, StillSelfie: true, Size: docgen.SizeTest}); err != nil ||
		len(docs) != 2 || !bytes.Equal(docs[storage.SlotBack].Data, a.Files[storage.SlotBack].Data) {
		t.Errorf("Documents: %d files, %v", len(docs), err)
	}
	o := Options{Seed: 3, Mismatch: docgen.FieldNumber}
	p, err := printed(o)
	if err != nil || p.Number == InfoOf(o).IDNumber || p.BirthDate != InfoOf(o).DateOfBirth {
		t.Errorf("mismatched number: printed %+v, %v", p, err)
	}
	if _, err := New(context.Background(), Options{Seed: 3, Mismatch: "colour", StillSelfie: true}); err == nil {
		t.Error("unknown mismatch field accepted")
	}
}
