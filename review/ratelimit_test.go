package review_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kycq/kycq/internal/systest/reviewtest"
	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
)

// Failed logins lock a username out after MaxUserFailures, even for the
// right password, until LoginWindow has passed; the failures and the
// lockout are in the audit log. Another user from another address is not
// affected.
func TestLoginLockoutPerUser(t *testing.T) {
	r := reviewtest.New(t, "")
	ctx := context.Background()
	rita := r.Staff(t, "rita", storage.RoleReviewer)
	r.Staff(t, "sam", storage.RoleSupport)
	for i := 0; i < review.MaxUserFailures; i++ {
		if _, err := r.Service.LoginFrom(ctx, "rita", "wrong-password", "192.0.2.1"); !errors.Is(err, review.ErrUnauthenticated) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, err := r.Service.LoginFrom(ctx, "rita", reviewtest.Password("rita"), "192.0.2.9"); !errors.Is(err, review.ErrLoginLocked) {
		t.Fatalf("right password while locked: %v", err)
	}
	if _, err := r.Service.LoginFrom(ctx, "sam", reviewtest.Password("sam"), "192.0.2.9"); err != nil {
		t.Fatalf("another user: %v", err)
	}
	trail, err := r.State.AuditTrail(ctx, "staff:"+rita.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range trail {
		if e.StaffID == "anonymous" {
			got = append(got, e.StaffID+" "+e.Action)
		}
	}
	want := []string{"anonymous staff.login_failed", "anonymous staff.login_failed", "anonymous staff.login_failed",
		"anonymous staff.login_failed", "anonymous staff.login_lockout", "anonymous staff.login_locked"}
	if len(got) != len(want) {
		t.Fatalf("audit %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("audit %v, want %v", got, want)
		}
	}
	r.Clock.Advance(review.LoginWindow)
	if _, err := r.Service.LoginFrom(ctx, "rita", reviewtest.Password("rita"), "192.0.2.1"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// Failed logins from one address, over many usernames, lock that address
// out after MaxAddrFailures; other addresses still log in.
func TestLoginLockoutPerAddress(t *testing.T) {
	r := reviewtest.New(t, "")
	ctx := context.Background()
	r.Staff(t, "rita", storage.RoleReviewer)
	for i := 0; i < review.MaxAddrFailures; i++ {
		user := "nobody" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		if _, err := r.Service.LoginFrom(ctx, user, "guess", "198.51.100.7"); !errors.Is(err, review.ErrUnauthenticated) {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, err := r.Service.LoginFrom(ctx, "rita", reviewtest.Password("rita"), "198.51.100.7"); !errors.Is(err, review.ErrLoginLocked) {
		t.Fatalf("locked address: %v", err)
	}
	if _, err := r.Service.LoginFrom(ctx, "rita", reviewtest.Password("rita"), "198.51.100.8"); err != nil {
		t.Fatalf("another address: %v", err)
	}
	r.Clock.Advance(review.LoginWindow + time.Second)
	if _, err := r.Service.LoginFrom(ctx, "rita", reviewtest.Password("rita"), "198.51.100.7"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}
