package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/kycq/kycq/storage"
)

func testKnownFaces(t *testing.T, s storage.State) {
	face := func(acc, vid, doc string, b byte, n int) storage.KnownFace {
		return storage.KnownFace{AccountID: acc, VerificationID: vid, DocKey: doc, FaceSealed: []byte{b, 1, 2, 3}, AddedAt: at(n)}
	}
	list := func() []storage.KnownFace {
		t.Helper()
		var all []storage.KnownFace
		after := ""
		for {
			page, err := s.KnownFacesAfter(bg(), after, 2)
			must(t, err)
			if len(page) == 0 {
				return all
			}
			all = append(all, page...)
			after = page[len(page)-1].AccountID
		}
	}
	eq(t, "empty", len(list()), 0)

	// Bad input changes nothing.
	for _, f := range []storage.KnownFace{
		{VerificationID: "v1", DocKey: "d1", FaceSealed: []byte{1}},
		{AccountID: "a1", DocKey: "d1", FaceSealed: []byte{1}},
		{AccountID: "a1", VerificationID: "v1", FaceSealed: []byte{1}},
		{AccountID: "a1", VerificationID: "v1", DocKey: "d1"},
	} {
		mustFail(t, s.PutKnownFace(bg(), f), fmt.Sprintf("put %+v", f))
	}
	_, err := s.KnownFacesAfter(bg(), "", 0)
	mustFail(t, err, "a zero limit")
	eq(t, "nothing stored by bad input", len(list()), 0)

	must(t, s.PutKnownFace(bg(), face("b", "vb", "db", 2, 1)))
	must(t, s.PutKnownFace(bg(), face("a", "va", "da", 1, 2)))
	must(t, s.PutKnownFace(bg(), face("c", "vc", "dc", 3, 3)))
	// The same face again is a no-op (its time stays the first one).
	must(t, s.PutKnownFace(bg(), face("a", "va", "da", 1, 9)))
	got := list()
	eq(t, "accounts in order", []string{got[0].AccountID, got[1].AccountID, got[2].AccountID}, []string{"a", "b", "c"})
	eq(t, "a's face", got[0].FaceSealed, []byte{1, 1, 2, 3})
	eq(t, "a's document", got[0].DocKey, "da")
	sameTime(t, "a's time", got[0].AddedAt, at(2))

	// A newer approval of the same account replaces its face.
	must(t, s.PutKnownFace(bg(), face("a", "va2", "da2", 7, 10)))
	got = list()
	eq(t, "still three", len(got), 3)
	eq(t, "replaced", [3]string{got[0].VerificationID, got[0].DocKey, string(got[0].FaceSealed[:1])}, [3]string{"va2", "da2", "\x07"})

	// Deleting: one account, an absent one, and by retention.
	must(t, s.DeleteKnownFace(bg(), "b"))
	must(t, s.DeleteKnownFace(bg(), "nobody"))
	gone, err := s.DeleteKnownFacesBefore(bg(), at(5))
	must(t, err)
	eq(t, "retention deletes c (added at 3), not a (added at 10)", gone, []string{"c"})
	got = list()
	eq(t, "left", len(got), 1)
	eq(t, "left a", got[0].AccountID, "a")

	// Closing the account deletes its face, and a closed account takes no
	// new one.
	must(t, s.SetAccountStatus(bg(), "a", storage.AccountClosed, at(11)))
	eq(t, "closure deleted a's face", len(list()), 0)
	mustIs(t, s.PutKnownFace(bg(), face("a", "va3", "da3", 8, 12)), storage.ErrConflict, "put on a closed account")
	eq(t, "nothing stored for a closed account", len(list()), 0)
}

// testRaceKnownFaces puts the faces of one account from many goroutines
// at once: each put succeeds and one of them is the face kept.
func testRaceKnownFaces(t *testing.T, s storage.State) {
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.PutKnownFace(bg(), storage.KnownFace{AccountID: "race", VerificationID: fmt.Sprintf("v%d", i%4),
				DocKey: "d", FaceSealed: []byte{byte(i % 4)}, AddedAt: at(i)})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		must(t, err)
	}
	got, err := s.KnownFacesAfter(bg(), "", 10)
	must(t, err)
	eq(t, "one face for the account", len(got), 1)
	eq(t, "its sealed face is one that was put", fmt.Sprintf("v%d", got[0].FaceSealed[0]), got[0].VerificationID)
}
