package client

import (
	"errors"
	"testing"
	"time"

	"github.com/kycq/kycq/webhooks"
)

func TestVerifyWebhook(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	now := time.Unix(1700000000, 0)
	e := webhooks.Event{ID: "evt_1", Type: webhooks.VerificationDecided, CreatedAt: now.UTC(),
		Data: []byte(`{"verification_id":"v_1","outcome":"rejected","reasons":["doc_blurry"]}`)}
	body, err := e.Body()
	if err != nil {
		t.Fatal(err)
	}
	h := webhooks.Headers([]byte(secret), e.ID, now, body)
	got, data, err := VerifyWebhook(secret, h, body, now.Add(time.Minute), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "evt_1" || got.Type != webhooks.VerificationDecided || data.VerificationID != "v_1" ||
		data.Outcome != "rejected" || len(data.Reasons) != 1 || data.Reasons[0] != "doc_blurry" {
		t.Fatalf("decoded %+v %+v", got, data)
	}
	if _, _, err := VerifyWebhook("another-secret-0123456789abcdef", h, body, now, 0); !errors.Is(err, webhooks.ErrSignature) {
		t.Errorf("other secret: %v", err)
	}
	if _, _, err := VerifyWebhook(secret, h, body, now.Add(time.Hour), 0); !errors.Is(err, webhooks.ErrTimestamp) {
		t.Errorf("replayed an hour later: %v", err)
	}
	h2 := webhooks.Headers([]byte(secret), "evt_other", now, body)
	if _, _, err := VerifyWebhook(secret, h2, body, now, 0); err == nil {
		t.Error("a webhook-id that is not the event's was accepted")
	}
}
