package e2e

import (
	"context"
	"net/http"
	"testing"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/internal/systest/harness"
	"github.com/kycq/kycq/storage"
)

// approveCase has a support user take the support case id and resolve it
// through /v1/review, as the console does: for a scenario-B review case
// that approves its migration.
func approveCase(t *testing.T, svc *harness.Service, id string) {
	t.Helper()
	if _, err := svc.App.Review().AddStaff(context.Background(), nil, "sam", storage.RoleSupport, "sam-long-password"); err != nil {
		t.Fatal(err)
	}
	var sess api.StaffSessionView
	if code := callJSON(t, "POST", svc.URL+"/v1/review/sessions", "", map[string]string{"username": "sam", "password": "sam-long-password"}, &sess); code != http.StatusCreated {
		t.Fatalf("support login: %d", code)
	}
	for _, to := range []storage.CaseState{storage.CaseInProgress, storage.CaseResolved} {
		var c api.SupportCaseView
		if code := callJSON(t, "POST", svc.URL+"/v1/review/support-cases/"+id+"/transition", sess.Token,
			api.CaseTransitionRequest{To: to}, &c); code != http.StatusOK || c.State != to {
			t.Fatalf("case %s to %s: %d %+v", id, to, code, c)
		}
	}
}
