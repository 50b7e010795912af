package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/face"
)

// challengeBody is a valid create request for account with the given
// selfie and front uploads.
func challengeBody(t *testing.T, account string, selfie, front api.UploadSpec) []byte {
	t.Helper()
	return createBody(t, account, func(m map[string]any) {
		m["uploads"] = map[string]api.UploadSpec{"doc_front": front, "selfie": selfie}
	})
}

func TestCreateIssuesLivenessChallenge(t *testing.T) {
	fx := newFixture(t)
	img := api.UploadSpec{ContentType: "image/jpeg", Size: 10}
	vid := api.UploadSpec{ContentType: "video/mp4", Size: 20}
	asked := vid
	asked.Challenge = true
	var issued []string
	for i, c := range []struct {
		name          string
		selfie, front api.UploadSpec
		key           string
		status        int
		field         string
		challenge     bool
	}{
		{"no challenge asked", vid, img, "", http.StatusCreated, "", false},
		{"a selfie video with a challenge", asked, img, "", http.StatusCreated, "", true},
		{"with an idempotency key", asked, img, "k1", http.StatusCreated, "", true},
		{"a still selfie cannot carry one", api.UploadSpec{ContentType: "image/jpeg", Size: 10, Challenge: true}, img, "", http.StatusBadRequest, "uploads.selfie.challenge", false},
		{"nor a document photo", vid, api.UploadSpec{ContentType: "image/jpeg", Size: 10, Challenge: true}, "", http.StatusBadRequest, "uploads.doc_front.challenge", false},
	} {
		h := http.Header{}
		if c.key != "" {
			h.Set("Idempotency-Key", c.key)
		}
		w0, q0 := fx.state.Count(), fx.queue.Count()
		body := challengeBody(t, "acct-"+string(rune('a'+i)), c.selfie, c.front)
		r := fx.serve("POST", "/v1/verifications", "application/json", h, body)
		fx.checkAnswer(t, r, w0, q0, http.StatusCreated)
		if r.status != c.status || r.err.Field != c.field {
			t.Errorf("%s: %d %s, want %d field %q", c.name, r.status, r.body, c.status, c.field)
			continue
		}
		if r.status != http.StatusCreated {
			continue
		}
		var resp api.CreateResponse
		if err := json.Unmarshal(r.body, &resp); err != nil {
			t.Fatal(err)
		}
		got := resp.Uploads["selfie"].Challenge
		if c.challenge != (got != "") || resp.Uploads["doc_front"].Challenge != "" {
			t.Errorf("%s: selfie challenge %q, document %q", c.name, got, resp.Uploads["doc_front"].Challenge)
			continue
		}
		if got == "" {
			continue
		}
		if !face.Challenge(got).Valid() {
			t.Errorf("%s: challenge %q is not one the face check knows", c.name, got)
		}
		issued = append(issued, got)
		v, err := fx.state.GetVerification(context.Background(), resp.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, up := range v.Uploads {
			if want := map[bool]string{true: got}[up.Slot == "selfie"]; up.Challenge != want {
				t.Errorf("%s: stored %s challenge %q, want %q", c.name, up.Slot, up.Challenge, want)
			}
		}
		if c.key != "" {
			// The retry answers the same verification with the same
			// challenge.
			again := fx.serve("POST", "/v1/verifications", "application/json", h, body)
			var r2 api.CreateResponse
			if again.status != http.StatusCreated || json.Unmarshal(again.body, &r2) != nil ||
				r2.ID != resp.ID || r2.Uploads["selfie"].Challenge != got {
				t.Errorf("%s: retry %d %s, want the same challenge %q", c.name, again.status, again.body, got)
			}
		}
	}
	if len(issued) != 2 {
		t.Fatalf("issued %v", issued)
	}
}

// The API issues exactly the challenges configured, by default the turns
// (DefaultChallenges), and every face challenge can be configured.
func TestChallengesIssued(t *testing.T) {
	var all []string
	for _, c := range face.Challenges() {
		all = append(all, string(c))
	}
	for _, tc := range []struct {
		name       string
		configured []string
		want       []string
	}{
		{"default", nil, []string{"turn_left", "turn_right"}},
		{"every face challenge", all, all},
		{"blink only", []string{"blink"}, []string{"blink"}},
	} {
		fx := newFixture(t, func(c *api.Config) { c.Challenges = tc.configured })
		seen := map[string]bool{}
		vid := api.UploadSpec{ContentType: "video/mp4", Size: 20, Challenge: true}
		for i := 0; i < 60; i++ {
			r := fx.serve("POST", "/v1/verifications", "application/json", nil,
				challengeBody(t, "acct-"+string(rune('a'+i%26))+string(rune('a'+i/26)), vid, api.UploadSpec{ContentType: "image/jpeg", Size: 10}))
			var resp api.CreateResponse
			if r.status != http.StatusCreated || json.Unmarshal(r.body, &resp) != nil {
				t.Fatalf("%s: %d %s", tc.name, r.status, r.body)
			}
			c := resp.Uploads["selfie"].Challenge
			if !face.Challenge(c).Valid() {
				t.Errorf("%s: issued %q, not a face challenge", tc.name, c)
			}
			seen[c] = true
		}
		var got []string
		for c := range seen {
			got = append(got, c)
		}
		want := slices.Clone(tc.want)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: issued %v over 60 verifications, want exactly %v", tc.name, got, want)
		}
	}
}
