package workers_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/eval/docgen"
	"github.com/kycq/kycq/internal/eval/sample"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// TestDocReadHandler runs the doc_read task on real PostgreSQL, S3 and the
// real reader: a passport page is read and the read is stored sealed, with
// only its kind and flags in the clear; a photo that is not an image is
// recorded at once as a read that could not run, not retried.
func TestDocReadHandler(t *testing.T) {
	r := newRig(t)
	o := sample.Options{Seed: 33, Kind: docgen.KindTD3, StillSelfie: true}
	files, err := sample.Documents(o)
	if err != nil {
		t.Fatal(err)
	}
	files[storage.SlotSelfie] = client.File{ContentType: "image/jpeg", Data: files[storage.SlotFront].Data}
	a := &sample.Applicant{Info: sample.InfoOf(o), Files: files}
	v := r.submit(t, "v_docread00000000000000000000", "acct-docread", a)

	task, err := tasks.NewDocRead(v.ID, string(storage.SlotFront))
	if err != nil {
		t.Fatal(err)
	}
	r.twice(t, task)
	res := result(t, r, v.ID, tasks.DocReadCheck(string(storage.SlotFront)))
	if !res.OK || res.Failed || res.Scores["kind:td3"] != 1 || res.Scores["expected"] != 1 || len(res.Sealed) == 0 {
		t.Fatalf("passport page read: %+v", res)
	}
	plain, err := r.keys.Open(res.Sealed, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	var read kyc.DocumentRead
	if err := json.Unmarshal(plain, &read); err != nil || read.Kind != kyc.ReadTD3 || len(read.MRZ) != 2 {
		t.Fatalf("sealed read: kind %q, %d MRZ lines (%v)", read.Kind, len(read.MRZ), err)
	}

	// Not an image: a result, doc_unreadable, once, with nothing read and
	// no error to retry (doc_quality rejects the same photo).
	bad := &sample.Applicant{Info: a.Info, Files: map[storage.Slot]client.File{
		storage.SlotFront:  {ContentType: "image/jpeg", Data: []byte("\xff\xd8\xff\xe0 this is not a photo")},
		storage.SlotSelfie: files[storage.SlotSelfie],
	}}
	bv := r.submit(t, "v_docreadbad00000000000000000", "acct-docread-bad", bad)
	if task, err = tasks.NewDocRead(bv.ID, string(storage.SlotFront)); err != nil {
		t.Fatal(err)
	}
	r.twice(t, task)
	res = result(t, r, bv.ID, tasks.DocReadCheck(string(storage.SlotFront)))
	if res.Failed || !slices.Equal(res.Reasons, []reason.Code{reason.DocUnreadable}) || len(res.Sealed) != 0 {
		t.Errorf("unreadable photo: %+v, want doc_unreadable and nothing read", res)
	}

	// A slot without an upload: upload_missing.
	if task, err = tasks.NewDocRead(bv.ID, string(storage.SlotBack)); err != nil {
		t.Fatal(err)
	}
	r.twice(t, task)
	res = result(t, r, bv.ID, tasks.DocReadCheck(string(storage.SlotBack)))
	if res.OK || !slices.Equal(res.Reasons, []reason.Code{reason.UploadMissing}) {
		t.Errorf("missing back: %+v, want upload_missing", res)
	}
}

// result returns the stored result of one check.
func result(t *testing.T, r *rig, id, check string) storage.CheckResult {
	t.Helper()
	results, err := r.state.CheckResults(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range results {
		if c.Check == check {
			return c
		}
	}
	t.Fatalf("no %s result among %d", check, len(results))
	return storage.CheckResult{}
}
