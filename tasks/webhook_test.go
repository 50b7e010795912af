package tasks

import (
	"errors"
	"testing"
)

func TestWebhookTask(t *testing.T) {
	tests := []struct {
		event, endpoint string
		redelivery      int
		wantID          string
		wantErr         bool
	}{
		{"evt_1", "ep_a", 0, "kycq:webhook:deliver:ep_a:evt_1", false},
		{"evt_1", "ep_a", 2, "kycq:webhook:deliver:ep_a:evt_1:r2", false},
		{"", "ep_a", 0, "", true},
		{"evt_1", "", 0, "", true},
		{"evt:1", "ep_a", 0, "", true},
		{"evt_1", "ep/a", 0, "", true},
		{"evt_1", "ep_a", -1, "", true},
	}
	for _, tc := range tests {
		task, err := NewWebhook(tc.event, tc.endpoint, tc.redelivery)
		if tc.wantErr {
			if !errors.Is(err, ErrPayload) {
				t.Errorf("NewWebhook(%q, %q, %d) error %v, want ErrPayload", tc.event, tc.endpoint, tc.redelivery, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if task.Type() != TypeWebhook {
			t.Errorf("type %s", task.Type())
		}
		p, err := ParseWebhook(task.Payload())
		if err != nil || p.EventID != tc.event || p.Endpoint != tc.endpoint || p.Redelivery != tc.redelivery {
			t.Errorf("round trip: %+v, %v", p, err)
		}
		if id := WebhookID(tc.event, tc.endpoint, tc.redelivery); id != tc.wantID {
			t.Errorf("WebhookID = %s, want %s", id, tc.wantID)
		}
	}
	for _, bad := range []string{`{`, `{"v":2,"event_id":"e","endpoint":"p"}`, `{"v":1,"event_id":"","endpoint":"p"}`} {
		if _, err := ParseWebhook([]byte(bad)); !errors.Is(err, ErrPayload) {
			t.Errorf("ParseWebhook(%s) = %v, want ErrPayload", bad, err)
		}
	}
}
