package api

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/kycq/kycq/storage"
)

// S3Event is the part of an S3 event notification kycq reads: the AWS
// event format, which versitygw's webhook sends too.
type S3Event struct {
	Records []struct {
		EventName string `json:"eventName"`
		S3        struct {
			Object struct {
				Key string `json:"key"`
			} `json:"object"`
		} `json:"s3"`
	} `json:"Records"`
}

// WebhookTokenHeader is the header the S3 server's webhook may carry its
// token in, when it cannot send an Authorization header.
const WebhookTokenHeader = "X-Kycq-Webhook-Token"

// s3Event handles object-created notifications from the S3 server: when
// the last upload of a verification lands, the verification is submitted
// without waiting for the client's submit call.
func (s *Server) s3Event(w http.ResponseWriter, r *http.Request) {
	// The token comes in a header only: access logs keep query strings.
	token := bearer(r)
	if token == "" {
		token = r.Header.Get(WebhookTokenHeader)
	}
	if s.cfg.WebhookToken == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.WebhookToken)) != 1 {
		s.fail(w, r, errUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		s.fail(w, r, &Error{Code: "body_too_large", Message: "event over 1 MiB", status: http.StatusRequestEntityTooLarge})
		return
	}
	var ev S3Event
	if err := json.Unmarshal(body, &ev); err != nil {
		s.fail(w, r, badRequest("malformed_json", "not an S3 event: %s", jsonProblem(err)))
		return
	}
	submitted := 0
	for _, rec := range ev.Records {
		if !strings.Contains(rec.EventName, "ObjectCreated") {
			continue
		}
		key, err := url.QueryUnescape(rec.S3.Object.Key)
		if err != nil {
			continue
		}
		if hid, ok := holderCheckOfKey(key); ok {
			hc, err := s.cfg.State.GetHolderCheck(r.Context(), hid)
			if err == nil {
				err = s.startHolderCheck(r.Context(), hc)
			}
			if err != nil && !errors.Is(err, storage.ErrNotFound) {
				var e *Error
				if !errors.As(err, &e) {
					s.fail(w, r, err)
					return
				}
			}
			continue
		}
		id, ok := verificationOfKey(key)
		if !ok {
			continue
		}
		v, err := s.cfg.State.GetVerification(r.Context(), id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if v.Status != storage.StatusCreated {
			continue
		}
		if _, err := s.submitVerification(r.Context(), v); err != nil {
			var e *Error
			if errors.As(err, &e) && e.Code == "upload_missing" {
				continue // more uploads to come
			}
			if errors.As(err, &e) {
				s.log.WarnContext(r.Context(), "event submit refused", "verification_id", id, "code", e.Code)
				continue
			}
			s.fail(w, r, err)
			return
		}
		submitted++
	}
	writeJSON(w, http.StatusOK, map[string]int{"submitted": submitted})
}

// verificationOfKey parses "v/<id>/<slot>".
func verificationOfKey(key string) (string, bool) {
	parts := strings.Split(key, "/")
	if len(parts) != 3 || parts[0] != "v" || !idRE.MatchString(parts[1]) {
		return "", false
	}
	return parts[1], true
}

// holderCheckOfKey parses "h/<id>/selfie".
func holderCheckOfKey(key string) (string, bool) {
	parts := strings.Split(key, "/")
	if len(parts) != 3 || parts[0] != "h" || parts[2] != "selfie" || !holderIDRE.MatchString(parts[1]) {
		return "", false
	}
	return parts[1], true
}
