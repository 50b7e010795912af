package tasks

import (
	"errors"

	"github.com/hibiken/asynq"
	"strings"
	"testing"
	"time"
)

func TestConstructorsSetQueueTimeoutAndStableIDs(t *testing.T) {
	q, err := NewDocQuality("v_1", "doc_front")
	if err != nil {
		t.Fatal(err)
	}
	if q.Type() != TypeDocQuality {
		t.Fatalf("type %s", q.Type())
	}
	p, err := ParseVerification(q.Payload())
	if err != nil || p.VerificationID != "v_1" || p.Slot != "doc_front" || p.V != PayloadVersion {
		t.Fatalf("payload %+v, %v", p, err)
	}
	for _, f := range []func(string) (string, []byte, error){
		wrap(NewDocData), wrap(NewFaceMatch), wrap(NewDecide), wrap(NewOccupancy),
	} {
		typ, payload, err := f("v_2")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(typ, "kycq:") {
			t.Errorf("type %q not namespaced", typ)
		}
		if p, err := ParseVerification(payload); err != nil || p.VerificationID != "v_2" {
			t.Errorf("%s payload %+v %v", typ, p, err)
		}
	}
}

func wrap(f func(string) (*asynq.Task, error)) func(string) (string, []byte, error) {
	return func(id string) (string, []byte, error) {
		tk, err := f(id)
		if err != nil {
			return "", nil, err
		}
		return tk.Type(), tk.Payload(), nil
	}
}

func TestRejectsBadIDsAndPayloads(t *testing.T) {
	for _, id := range []string{"", "a:b", "a/b", "a b", strings.Repeat("x", 65)} {
		if _, err := NewDecide(id); !errors.Is(err, ErrPayload) {
			t.Errorf("NewDecide(%q) err = %v", id, err)
		}
	}
	if _, err := NewDocQuality("v_1", ""); err == nil {
		t.Error("empty slot accepted")
	}
	if _, err := NewDocRead("v_1", ""); err == nil {
		t.Error("empty read slot accepted")
	}
	for _, b := range []string{``, `{`, `{"v":2,"verification_id":"v_1"}`, `{"v":1}`, `[]`} {
		if _, err := ParseVerification([]byte(b)); !errors.Is(err, ErrPayload) {
			t.Errorf("ParseVerification(%s) err = %v", b, err)
		}
	}
	if _, err := ParseMigration([]byte(`{"v":1,"migration_id":"m_1"}`)); err != nil {
		t.Error(err)
	}
	if _, err := ParseMigration([]byte(`{"v":0,"migration_id":"m_1"}`)); err == nil {
		t.Error("version 0 accepted")
	}
}

func TestDocReadPayloadHoldsIDsOnly(t *testing.T) {
	tk, err := NewDocRead("v_3", "doc_back")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Type() != TypeDocRead {
		t.Fatalf("type %s", tk.Type())
	}
	if got := string(tk.Payload()); got != `{"v":1,"verification_id":"v_3","slot":"doc_back"}` {
		t.Errorf("payload %s", got)
	}
	if id := ID(TypeDocRead, Verification{VerificationID: "v_3", Slot: "doc_back"}); id != "kycq:check:doc_read:v_3:doc_back" {
		t.Errorf("task ID %s", id)
	}
}

func TestPeriodicTasksDedupPerSlot(t *testing.T) {
	a, _ := NewSweep(time.Unix(600, 0))
	b, _ := NewSweep(time.Unix(600, 0))
	if string(a.Payload()) != string(b.Payload()) {
		t.Fatal("payloads differ")
	}
	if CheckFamily(DocQualityCheck("doc_back")) != CheckDocQuality || CheckFamily(CheckDocData) != CheckDocData {
		t.Fatal("CheckFamily")
	}
	w := Queues()
	if !(w[QueueCritical] > w[QueueChecks] && w[QueueChecks] > w[QueueMaintenance]) {
		t.Fatalf("queue priorities %v", w)
	}
}

func TestForCheckRoundTrips(t *testing.T) {
	for _, check := range []string{DocQualityCheck("doc_front"), DocQualityCheck("doc_back"),
		DocReadCheck("doc_front"), DocReadCheck("doc_back"), CheckDocData, CheckFaceMatch} {
		tk, err := ForCheck("v_9", check)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := ParseVerification(tk.Payload())
		got := CheckFamily(check)
		if tk.Type() != "kycq:check:"+got {
			t.Errorf("%s → %s", check, tk.Type())
		}
		if (got == CheckDocQuality && DocQualityCheck(p.Slot) != check) || (got == CheckDocRead && DocReadCheck(p.Slot) != check) {
			t.Errorf("slot lost: %s → %+v", check, p)
		}
	}
	if _, err := ForCheck("v_9", CheckDocRead); !errors.Is(err, ErrPayload) {
		t.Error("a read without a slot accepted")
	}
	if _, err := ForCheck("v_9", "nope"); !errors.Is(err, ErrPayload) {
		t.Error("unknown check accepted")
	}
	if ID(TypeDecide, Verification{VerificationID: "v_1"}) != TypeDecide+":v_1" {
		t.Error("ID")
	}
}
