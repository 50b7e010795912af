// Package webhooks defines the events kycq sends to the exchange and how
// they are signed and verified.
//
// An event names what changed with its type, the ids it is about and the
// outcome codes, and nothing else: no names, numbers, faces or contacts.
// Each event is POSTed as JSON to every configured endpoint with three
// headers in the style of Standard Webhooks:
//
//	webhook-id:        the event id, the receiver's de-duplication key
//	webhook-timestamp: seconds since the Unix epoch when the attempt was signed
//	webhook-signature: "v1," + base64(HMAC-SHA256(secret, timestamp + "." + body))
//
// A receiver recomputes the signature over the exact bytes it received,
// compares it in constant time, and refuses a timestamp further than a
// tolerance from its clock (replay protection). Delivery is at least once:
// the receiver de-duplicates by the event id.
//
// The package does no I/O.
package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Event types. A producer that changes state in a way the exchange cares
// about appends one of these to the outbox in the same transaction.
const (
	VerificationSubmitted = "verification.submitted"
	VerificationDecided   = "verification.decided"
	HolderCheckCompleted  = "holder_check.completed" // the fresh selfie matched the holder, or not
	HolderCheckAnswered   = "holder_check.answered"  // the user answered "mine" or "not_mine"
	MigrationStep         = "migration.step"
	MigrationCompleted    = "migration.completed"
	MigrationRefused      = "migration.refused"
	MigrationFailed       = "migration.failed"
	SupportCaseOpened     = "support_case.opened"
	ReviewClaimed         = "review.claimed"        // a reviewer took a manual_review verification
	VerificationReviewed  = "verification.reviewed" // a reviewer's final decision replaced manual_review
	SupportCaseResolved   = "support_case.resolved" // resolved or dismissed in the console
	DocumentReleased      = "document.released"     // a misused document freed; its reporter's verification back in review
)

// Types lists every event type kycq emits, for documentation and tests.
func Types() []string {
	return []string{VerificationSubmitted, VerificationDecided, HolderCheckCompleted, HolderCheckAnswered,
		MigrationStep, MigrationCompleted, MigrationRefused, MigrationFailed, SupportCaseOpened,
		ReviewClaimed, VerificationReviewed, SupportCaseResolved, DocumentReleased}
}

// Header names.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// DefaultTolerance is how far a signed timestamp may be from the
// receiver's clock.
const DefaultTolerance = 5 * time.Minute

// MinSecretLen is the shortest signing secret kycq accepts.
const MinSecretLen = 24

// Event is one outgoing event as the receiver sees it.
type Event struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	CreatedAt time.Time       `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

// Body returns the JSON body of e as it is sent.
func (e Event) Body() ([]byte, error) {
	if e.ID == "" || e.Type == "" {
		return nil, errors.New("webhooks: event needs an id and a type")
	}
	if len(e.Data) == 0 {
		e.Data = json.RawMessage("{}")
	}
	return json.Marshal(e)
}

// Data is the payload of an event: ids and outcome codes only. Empty
// fields are left out.
type Data struct {
	VerificationID string   `json:"verification_id,omitempty"`
	AccountID      string   `json:"account_id,omitempty"`
	HolderCheckID  string   `json:"holder_check_id,omitempty"`
	MigrationID    string   `json:"migration_id,omitempty"`
	CaseID         string   `json:"case_id,omitempty"`
	Outcome        string   `json:"outcome,omitempty"` // approved, rejected, manual_review, matched, mismatch, mine, not_mine
	Reasons        []string `json:"reasons,omitempty"` // reason codes
	From           string   `json:"from,omitempty"`    // migration state before the step
	To             string   `json:"to,omitempty"`      // migration state after the step
	Kind           string   `json:"kind,omitempty"`    // migration or case kind
}

// Sign returns the webhook-signature value of body signed at timestamp
// (Unix seconds) with secret.
func Sign(secret []byte, timestamp int64, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(mac(secret, timestamp, body))
}

func mac(secret []byte, timestamp int64, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strconv.FormatInt(timestamp, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return m.Sum(nil)
}

// Headers returns the three headers of one delivery attempt of event id.
func Headers(secret []byte, id string, at time.Time, body []byte) http.Header {
	ts := at.Unix()
	h := http.Header{}
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderSignature, Sign(secret, ts, body))
	return h
}

// Errors of Verify.
var (
	ErrMissingHeader = errors.New("webhooks: missing webhook-id, webhook-timestamp or webhook-signature")
	ErrTimestamp     = errors.New("webhooks: timestamp outside the tolerance")
	ErrSignature     = errors.New("webhooks: no signature matches")
)

// Verify checks that body was signed with secret, at a timestamp no
// further than tolerance from now (DefaultTolerance when tolerance is not
// positive). The signature header may carry several space-separated
// signatures (during a secret rotation); one match is enough.
func Verify(secret []byte, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	id, tsText, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || tsText == "" || sigs == "" {
		return ErrMissingHeader
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q is not Unix seconds", ErrTimestamp, tsText)
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return ErrTimestamp
	}
	want := mac(secret, ts, body)
	for _, s := range strings.Fields(sigs) {
		version, b64, ok := strings.Cut(s, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrSignature
}

// Backoff is the delay before retry n (n ≥ 1) of a failed delivery:
// exponential from one second, doubling, capped at an hour.
func Backoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	if n > 13 {
		return time.Hour
	}
	return min(time.Second<<(n-1), time.Hour)
}
