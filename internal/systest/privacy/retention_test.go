package privacy_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/api/client"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// TestRetention runs the retention task of a kycq with KYCQ_RETENTION=4s
// through its queue: the uploads of a verification decided longer ago and
// the selfie of a holder check done longer ago are deleted from S3 and
// marked purged, while their decision, check results and outcome stay; a
// verification decided just now keeps its uploads; a second run changes
// nothing.
func TestRetention(t *testing.T) {
	t.Parallel()
	const retention = 4 * time.Second
	env := harness.RealEnv(t).Clone(harness.Env{"KYCQ_RETENTION": retention.String()})
	svc := harness.Start(t, env, false)
	c, st, blobs := svc.Client, svc.App.State, svc.App.Blobs
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	files := func(seed uint64) map[storage.Slot]client.File {
		r := rand.New(rand.NewPCG(seed, 9))
		junk := func(n int) []byte {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			return b
		}
		return map[storage.Slot]client.File{
			storage.SlotFront:  {ContentType: "image/jpeg", Data: junk(1500)},
			storage.SlotBack:   {ContentType: "image/jpeg", Data: junk(1600)},
			storage.SlotSelfie: {ContentType: "video/mp4", Data: junk(2500)},
		}
	}
	info := func(number string) api.BasicInfo {
		return kyc.Applicant{Country: "DE", Nationality: "DE", IssuingCountry: "DE", FullName: "ERIKA MUSTERMANN",
			DateOfBirth: "1983-08-12", IDType: "id_card", IDNumber: number, ExpiryDate: "2034-06-30"}
	}
	decide := func(account, number string, seed uint64) (*storage.Verification, *api.VerificationResponse) {
		t.Helper()
		id, err := c.Apply(ctx, account, info(number), files(seed))
		if err != nil {
			t.Fatal(err)
		}
		v, err := c.WaitDecision(ctx, id, 50*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		sv, err := st.GetVerification(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return sv, v
	}
	present := func(key string) bool {
		t.Helper()
		_, err := blobs.Head(ctx, key)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}

	// An old verification, and a holder check of a document held by
	// another account.
	old, oldView := decide("acct-old", "L01X00T47", 1)
	occupied := createOccupied(t, ctx, svc, files(2))
	hc, err := c.HolderCheck(ctx, occupied, files(3)[storage.SlotSelfie])
	if err != nil {
		t.Fatal(err)
	}
	doneHC, err := c.WaitHolderCheck(ctx, hc.ID, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	hcBefore, err := st.GetHolderCheck(ctx, hc.ID)
	if err != nil {
		t.Fatal(err)
	}
	occupiedV, err := st.GetVerification(ctx, occupied)
	if err != nil {
		t.Fatal(err)
	}
	// What is kept after submit: the evidence copies of the uploads (the
	// uploads themselves are deleted once copied; the occupied one was
	// submitted straight in the store, so its uploads are all it has) and
	// the holder check's selfie with the copy its match read.
	var keys []string
	for _, up := range old.Uploads {
		if up.Evidence == "" {
			t.Fatalf("%s has no evidence copy recorded", up.Key)
		}
		keys = append(keys, up.Evidence)
	}
	for _, up := range occupiedV.Uploads {
		keys = append(keys, up.Key)
	}
	keys = append(keys, hcBefore.SelfieKey)
	for _, k := range keys {
		if !present(k) {
			t.Fatalf("%s is not in S3 before retention", k)
		}
	}

	// Past the retention period of those, a new verification.
	time.Sleep(time.Until(latest(old.DecidedAt, occupiedV.DecidedAt, hcBefore.UpdatedAt).Add(retention + 200*time.Millisecond)))
	fresh, _ := decide("acct-fresh", "T22000129", 4)

	run := func(slot int64) {
		t.Helper()
		task, err := tasks.NewRetention(time.Unix(slot, 0))
		if err != nil {
			t.Fatal(err)
		}
		ti, err := svc.App.Client.EnqueueContext(ctx, task)
		if err != nil {
			t.Fatal(err)
		}
		for {
			got, err := svc.App.Inspector.GetTaskInfo(ti.Queue, ti.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.State == asynq.TaskStateCompleted {
				return
			}
			if got.State == asynq.TaskStateArchived || got.LastErr != "" {
				t.Fatalf("retention task failed: %s", got.LastErr)
			}
			select {
			case <-ctx.Done():
				t.Fatal("retention task not done in time")
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	run(1)

	// (The holder here has no verified face, so no match read a copy of
	// the selfie; had one, retention removes it too.)
	for _, k := range append(keys, storage.EvidenceKey(hcBefore.SelfieKey, hcBefore.ID)) {
		if present(k) {
			t.Errorf("%s is still in S3 after retention", k)
		}
	}
	for _, up := range fresh.Uploads {
		if !present(up.Evidence) {
			t.Errorf("%s of the fresh verification was deleted", up.Evidence)
		}
	}
	purged := map[string]time.Time{}
	for _, id := range []string{old.ID, occupied} {
		v, err := st.GetVerification(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if v.PurgedAt.IsZero() {
			t.Errorf("%s is not marked purged", id)
		}
		purged[id] = v.PurgedAt
	}
	if v, _ := st.GetVerification(ctx, fresh.ID); !v.PurgedAt.IsZero() {
		t.Errorf("the fresh verification is marked purged")
	}
	hcAfter, err := st.GetHolderCheck(ctx, hc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if hcAfter.PurgedAt.IsZero() || hcAfter.State != doneHC.State || hcAfter.Score != hcBefore.Score {
		t.Errorf("holder check after retention: %+v (before %+v)", hcAfter, hcBefore)
	}
	purged[hc.ID] = hcAfter.PurgedAt
	// The decision and the results stay, as the API shows them.
	after, err := c.Get(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after.Decision, oldView.Decision) || !reflect.DeepEqual(after.Checks, oldView.Checks) || after.Status != storage.StatusDecided {
		t.Errorf("retention changed the verification:\n%+v\n→ %+v", oldView, after)
	}
	purgedLogs := strings.Count(svc.Logs.String(), "purged")

	// A second run finds nothing to do.
	run(2)
	for id, at := range purged {
		var got time.Time
		if strings.HasPrefix(id, "h_") {
			h, err := st.GetHolderCheck(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			got = h.PurgedAt
		} else {
			v, err := st.GetVerification(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			got = v.PurgedAt
		}
		if !got.Equal(at) {
			t.Errorf("second run changed the purge time of %s: %v → %v", id, at, got)
		}
	}
	if n := strings.Count(svc.Logs.String(), "purged"); n != purgedLogs {
		t.Errorf("second run purged again (%d → %d log lines)", purgedLogs, n)
	}
	for _, up := range fresh.Uploads {
		if !present(up.Evidence) {
			t.Errorf("%s of the fresh verification was deleted by the second run", up.Evidence)
		}
	}
}

// createOccupied makes a verification, with its files uploaded, that
// ended as doc_already_used (its document is held by acct-holder). The
// decision is stored directly: the pipeline claims a document only for an
// otherwise approved verification, which junk files are not.
func createOccupied(t *testing.T, ctx context.Context, svc *harness.Service, files map[storage.Slot]client.File) string {
	t.Helper()
	in := kyc.Applicant{Country: "DE", Nationality: "DE", IssuingCountry: "DE", FullName: "ERIKA MUSTERMANN",
		DateOfBirth: "1983-08-12", IDType: "id_card", IDNumber: "C01X00T47", ExpiryDate: "2034-06-30"}
	v, err := svc.Client.Create(ctx, "acct-occupied", in, files, "")
	if err != nil {
		t.Fatal(err)
	}
	for slot, f := range files {
		if err := svc.Client.Upload(ctx, v.Uploads[string(slot)], f.Data); err != nil {
			t.Fatal(err)
		}
	}
	st := svc.App.State
	sv, err := st.GetVerification(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if _, _, err := st.ClaimDocument(ctx, storage.Claim{DocKey: sv.DocKey, AccountID: "acct-holder",
		VerificationID: "v_" + strings.Repeat("h", 26), ClaimedAt: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MarkSubmitted(ctx, v.ID, api.Checks(sv), nil, now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.SaveDecision(ctx, storage.Decision{VerificationID: v.ID, Outcome: storage.Rejected,
		Reasons: []reason.Code{reason.DocAlreadyUsed}, DecidedAt: now}); err != nil {
		t.Fatal(err)
	}
	return v.ID
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}
