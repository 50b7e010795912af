package storage_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/storage/blob"
	"github.com/kycq/kycq/storage/sqlstore"
)

// TestObserveState runs the wrapper over a real SQLite store: a missing
// verification is an answer, a closed store a failure.
func TestObserveState(t *testing.T) {
	ctx := context.Background()
	raw, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "kycq.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := raw.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var failed []string
	st := storage.ObserveState(raw, func(op string) { failed = append(failed, op) })

	if _, err := st.GetVerification(ctx, "v_missing"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("GetVerification of a missing id: %v, want ErrNotFound", err)
	}
	if len(failed) != 0 {
		t.Fatalf("ErrNotFound counted as a failure: %q", failed)
	}
	// A refusal for a frozen account and a reached limit are answers too.
	if err := st.SetAccountStatus(ctx, "frozen", storage.AccountFrozen, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.BindContact(ctx, storage.Contact{Kind: storage.ContactEmail, Hash: "h", AccountID: "frozen"}); !errors.Is(err, storage.ErrAccountInactive) {
		t.Fatalf("BindContact to a frozen account: %v, want ErrAccountInactive", err)
	}
	lim := storage.HolderCheckLimit{PerAccount: 1}
	for i, want := range []error{nil, storage.ErrLimit} {
		h := &storage.HolderCheck{ID: fmt.Sprintf("h%d", i), VerificationID: "v", AccountID: "a", HolderAccount: "b"}
		if _, _, err := st.CreateHolderCheckWithin(ctx, h, lim); !errors.Is(err, want) {
			t.Fatalf("holder check %d: %v, want %v", i, err, want)
		}
	}
	if len(failed) != 0 {
		t.Fatalf("answers counted as failures: %q", failed)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	st.CountRejections(cancelled, "acct", time.Now().Add(-time.Hour), time.Now())
	if len(failed) != 0 {
		t.Fatalf("a cancelled call counted as a failure: %q", failed)
	}
	raw.Close()
	if _, err := st.GetVerification(ctx, "v_missing"); err == nil {
		t.Fatal("GetVerification on a closed store succeeded")
	}
	if _, err := st.CheckResults(ctx, "v_missing"); err == nil {
		t.Fatal("CheckResults on a closed store succeeded")
	}
	if err := st.Ping(ctx); err == nil {
		t.Fatal("Ping on a closed store succeeded")
	}
	if want := []string{"get_verification", "check_results"}; !slices.Equal(failed, want) {
		t.Fatalf("failed ops %q, want %q (Ping is the probe's to count)", failed, want)
	}
}

// TestObserveBlobs runs the wrapper over the S3 client pointed at a port
// nothing listens on: every call fails and is counted under its name.
func TestObserveBlobs(t *testing.T) {
	ctx := context.Background()
	raw, err := blob.New(ctx, blob.Config{Endpoint: "http://127.0.0.1:1", Region: "us-east-1", Bucket: "kycq", AccessKey: "k", SecretKey: "s"})
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	b := storage.ObserveBlobs(raw, func(op string) { failed = append(failed, op) })
	if _, err := b.Head(ctx, "v/x/front"); err == nil {
		t.Fatal("Head against a closed port succeeded")
	}
	if _, _, err := b.Get(ctx, "v/x/front", 10); err == nil {
		t.Fatal("Get against a closed port succeeded")
	}
	if err := b.Delete(ctx, "v/x/front"); err == nil {
		t.Fatal("Delete against a closed port succeeded")
	}
	if want := []string{"head", "get", "delete"}; !slices.Equal(failed, want) {
		t.Fatalf("failed ops %q, want %q", failed, want)
	}
}
