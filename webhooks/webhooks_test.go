package webhooks

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

var secret = []byte("whsec-test-0123456789abcdef")

func TestSignKnownAnswer(t *testing.T) {
	// HMAC-SHA256("whsec-test-0123456789abcdef", "1700000000.{}") computed
	// independently with: printf '1700000000.{}' | openssl dgst -sha256 -hmac whsec-test-0123456789abcdef -binary | base64
	got := Sign(secret, 1700000000, []byte("{}"))
	if got != knownSig {
		t.Fatalf("Sign = %s, want %s", got, knownSig)
	}
}

func TestVerify(t *testing.T) {
	now := time.Unix(1700000000, 0)
	body := []byte(`{"id":"evt_1","type":"verification.decided","created_at":"2023-11-14T22:13:20Z","data":{}}`)
	good := Headers(secret, "evt_1", now, body)
	with := func(k, v string) http.Header {
		h := good.Clone()
		if v == "" {
			h.Del(k)
		} else {
			h.Set(k, v)
		}
		return h
	}
	tests := []struct {
		name   string
		secret []byte
		h      http.Header
		body   []byte
		now    time.Time
		want   error
	}{
		{"good", secret, good, body, now, nil},
		{"clock 4m ahead", secret, good, body, now.Add(4 * time.Minute), nil},
		{"clock 4m behind", secret, good, body, now.Add(-4 * time.Minute), nil},
		{"replayed 6m later", secret, good, body, now.Add(6 * time.Minute), ErrTimestamp},
		{"from the future", secret, good, body, now.Add(-6 * time.Minute), ErrTimestamp},
		{"body changed", secret, good, append([]byte(nil), append(body[:len(body)-1], ' ', '}')...), now, ErrSignature},
		{"other secret", []byte("another-secret-0123456789"), good, body, now, ErrSignature},
		{"timestamp changed", secret, with(HeaderTimestamp, strconv.FormatInt(now.Unix()+1, 10)), body, now, ErrSignature},
		{"timestamp not a number", secret, with(HeaderTimestamp, "soon"), body, now, ErrTimestamp},
		{"no id", secret, with(HeaderID, ""), body, now, ErrMissingHeader},
		{"no signature", secret, with(HeaderSignature, ""), body, now, ErrMissingHeader},
		{"unknown version only", secret, with(HeaderSignature, "v2,"+good.Get(HeaderSignature)[3:]), body, now, ErrSignature},
		{"rotation: second of two matches", secret, with(HeaderSignature, "v1,AAAA "+good.Get(HeaderSignature)), body, now, nil},
		{"garbage base64", secret, with(HeaderSignature, "v1,%%%"), body, now, ErrSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Verify(tc.secret, tc.h, tc.body, tc.now, 0)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestBody(t *testing.T) {
	e := Event{ID: "evt_1", Type: VerificationDecided, CreatedAt: time.Unix(1700000000, 0).UTC()}
	b, err := e.Body()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"evt_1","type":"verification.decided","created_at":"2023-11-14T22:13:20Z","data":{}}`
	if string(b) != want {
		t.Fatalf("Body = %s, want %s", b, want)
	}
	if _, err := (Event{Type: VerificationDecided}).Body(); err == nil {
		t.Fatal("an event without id has a body")
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		n    int
		want time.Duration
	}{
		{0, time.Second}, {1, time.Second}, {2, 2 * time.Second}, {5, 16 * time.Second},
		{12, 2048 * time.Second}, {13, time.Hour}, {40, time.Hour},
	}
	for _, tc := range tests {
		if got := Backoff(tc.n); got != tc.want {
			t.Errorf("Backoff(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}

const knownSig = "v1,YD6+5mdlhdMVzagBImuhcUhMidv9TwFZ9Lt/zAKbaik="

func TestNewEndpoint(t *testing.T) {
	long := "0123456789abcdef01234567"
	tests := []struct {
		url, secret string
		ok          bool
	}{
		{"https://exchange.example/kyc/events", long, true},
		{"http://127.0.0.1:9000/hook", long, true},
		{"https://exchange.example/kyc/events", long[:MinSecretLen-1], false},
		{"ftp://exchange.example/x", long, false},
		{"/relative", long, false},
		{"https://user:pw@exchange.example/x", long, false},
		{"https://", long, false},
	}
	for _, tc := range tests {
		ep, err := NewEndpoint(tc.url, tc.secret)
		if (err == nil) != tc.ok {
			t.Errorf("NewEndpoint(%q, %d bytes) error %v, want ok=%v", tc.url, len(tc.secret), err, tc.ok)
			continue
		}
		if err != nil && strings.Contains(err.Error(), tc.secret) {
			t.Errorf("error quotes the secret: %v", err)
		}
		if tc.ok && (ep.ID != EndpointID(tc.url) || len(ep.ID) != 15) {
			t.Errorf("endpoint id %q", ep.ID)
		}
	}
	if EndpointID("https://a.example/x") == EndpointID("https://a.example/y") {
		t.Error("two URLs share an id")
	}
}
