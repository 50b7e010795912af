package app

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/kycq/kycq/review"
	"github.com/kycq/kycq/storage"
)

// kycq run creates a first admin once, whose password logs in.
func TestEnsureFirstAdmin(t *testing.T) {
	ctx := context.Background()
	a, err := OpenState(ctx, Config{DatabaseURL: "sqlite:" + filepath.Join(t.TempDir(), "kycq.db")}, Production,
		slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	admin, err := a.EnsureFirstAdmin(ctx)
	if err != nil || admin == nil || admin.Username != "admin" || len(admin.Password) < review.MinPassword {
		t.Fatalf("first admin %+v %v", admin, err)
	}
	again, err := a.EnsureFirstAdmin(ctx)
	if err != nil || again != nil {
		t.Fatalf("second start created another admin: %+v %v", again, err)
	}
	svc := review.New(review.Service{State: a.State})
	sess, err := svc.Login(ctx, "admin", admin.Password)
	if err != nil || sess.Staff.Role != storage.RoleAdmin {
		t.Fatalf("admin login: %+v %v", sess, err)
	}
}
