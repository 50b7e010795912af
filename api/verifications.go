package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kycq/kycq/kyc"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// UploadSpec is what the client declares of a file before uploading it: the
// presigned URL is signed for exactly this type and size.
type UploadSpec struct {
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	// Challenge asks for a liveness challenge (selfie videos only): the
	// answer's upload URL carries the instruction to show the applicant.
	Challenge bool `json:"challenge,omitempty"`
}

// CreateRequest is the body of POST /v1/verifications.
type CreateRequest struct {
	AccountID string      `json:"account_id"`
	Info      BasicInfo   `json:"info"`
	Uploads   UploadSpecs `json:"uploads"`
	// Flags are compliance flags the exchange sets (e.g. "pep",
	// "sanctions_hit"): any flag sends the verification to manual review.
	// Short lower-case codes only; never personal data.
	Flags []string `json:"flags,omitempty"`
}

// UploadURL tells the client where and how to upload one file.
type UploadURL struct {
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	ExpiresAt time.Time         `json:"expires_at"`
	// Challenge is the liveness instruction to show the applicant before
	// recording the selfie video ("turn_left", "turn_right", "blink",
	// "turn_left_right", "turn_right_left"), when one was asked for.
	Challenge string `json:"challenge,omitempty"`
}

// CreateResponse is the answer to POST /v1/verifications.
type CreateResponse struct {
	ID      string               `json:"id"`
	Status  storage.Status       `json:"status"`
	Uploads map[string]UploadURL `json:"uploads"`
	// Occupancy is the early answer for the typed document (see
	// OccupancyView): a hint; the decision has the final word.
	Occupancy *OccupancyView `json:"occupancy,omitempty"`
}

var (
	imageTypes  = map[string]bool{"image/jpeg": true, "image/png": true}
	selfieTypes = map[string]bool{"video/mp4": true, "video/quicktime": true, "video/webm": true, "image/jpeg": true, "image/png": true}
	idRE        = regexp.MustCompile(`^v_[a-z2-7]{26}$`)
)

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newID returns a random verification ID, or one derived from the account
// and an idempotency key so that a retried create returns the same
// verification.
func newID(accountID, idempotencyKey string) string {
	return newPrefixedID("v_", accountID, idempotencyKey)
}

// newPrefixedID returns prefix and 26 base32 characters: random, or derived
// from the scope and an idempotency key.
func newPrefixedID(prefix, scope, idempotencyKey string) string {
	var b []byte
	if idempotencyKey != "" {
		sum := sha256.Sum256([]byte(prefix + scope + "\x00" + idempotencyKey))
		b = sum[:16]
	} else {
		b = make([]byte, 16)
		_, _ = rand.Read(b)
	}
	return prefix + strings.ToLower(idEncoding.EncodeToString(b))
}

// decode reads a JSON body strictly: size-limited, unknown fields refused,
// one value only.
func (s *Server) decode(r *http.Request, v any) error {
	// A body must say it is JSON; an empty one is malformed JSON below.
	if ct := r.Header.Get("Content-Type"); (ct != "" || hasBody(r)) && !isJSON(ct) {
		return errNotJSON
	}
	body := http.MaxBytesReader(nil, r.Body, s.cfg.Limits.MaxBodyBytes)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &Error{Code: "body_too_large", Message: fmt.Sprintf("request body over %d bytes", s.cfg.Limits.MaxBodyBytes), status: http.StatusRequestEntityTooLarge}
		}
		e := badRequest("malformed_json", "the body is not valid JSON for this request: %s", jsonProblem(err))
		e.Field = jsonPath(err)
		return e
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("malformed_json", "the body holds more than one JSON value")
	}
	return nil
}

// jsonProblem describes a decoding error without echoing the client's
// values (which may be personal data).
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var path *pathError
	switch {
	case errors.As(err, &path):
		return path.Error()
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q has the wrong type", typ.Field)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return strings.TrimPrefix(err.Error(), "json: ")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "empty or truncated body"
	}
	return "invalid JSON"
}

// jsonPath is the path of the field a decoding error is about, or "".
func jsonPath(err error) string {
	var typ *json.UnmarshalTypeError
	var path *pathError
	switch {
	case errors.As(err, &path):
		return path.path
	case errors.As(err, &typ):
		return typ.Field
	}
	return ""
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var req CreateRequest
	if err := s.decode(r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if !accountRE.MatchString(req.AccountID) {
		s.fail(w, r, fieldError("account_id", "must be 1 to 64 letters, digits, '_' or '-'"))
		return
	}
	if req.Info == (BasicInfo{}) {
		s.fail(w, r, fieldError("info", "is required: the applicant's basic info ("+strings.Join(requiredInfo, ", ")+")"))
		return
	}
	if err := validateInfo(&req.Info); err != nil {
		s.fail(w, r, err)
		return
	}
	ikey, err := idempotencyKey(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	canonical, err := kyc.NormaliseDocument(req.Info.IssuingCountry, req.Info.IDType, req.Info.IDNumber)
	if err != nil {
		s.fail(w, r, fieldError("id_number", "is not a valid document number for this document type"))
		return
	}
	if err := validateFlags(req.Flags); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.accountMayVerify(r.Context(), req.AccountID); err != nil {
		s.fail(w, r, err)
		return
	}
	id := newID(req.AccountID, ikey)
	uploads, err := s.uploads(id, req.Info.IDType, req.Uploads)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	info, _ := json.Marshal(req.Info)
	now := s.cfg.Now().UTC()
	v := &storage.Verification{
		ID: id, AccountID: req.AccountID, Status: storage.StatusCreated,
		Country: req.Info.IssuingCountry, DocType: req.Info.IDType,
		DocKey:     s.cfg.Keys.Hash(kyc.DocumentHashDomain, canonical),
		Flags:      req.Flags,
		InfoSealed: s.cfg.Keys.Seal(info, id),
		Uploads:    uploads, CreatedAt: now,
	}
	// A keyed create may be a retry of one that was stored: it is logged
	// as such, not as a second creation.
	repeated := false
	if ikey != "" {
		_, err := s.cfg.State.GetVerification(r.Context(), id)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			s.fail(w, r, err)
			return
		}
		repeated = err == nil
	}
	if err := s.cfg.State.CreateVerification(r.Context(), v); err != nil {
		if errors.Is(err, storage.ErrConflict) {
			s.fail(w, r, &Error{Code: "idempotency_conflict", Message: "this Idempotency-Key was used for another request", status: http.StatusConflict})
			return
		}
		s.fail(w, r, err)
		return
	}
	if ikey != "" {
		// A retry with the same key: answer for what is stored, refuse a
		// different request under the key, and hand out no upload URLs
		// once the verification was submitted (they would let the client
		// replace what is being checked).
		stored, err := s.cfg.State.GetVerification(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !s.sameCreate(stored, v, info) {
			s.fail(w, r, &Error{Code: "idempotency_conflict", Message: "this Idempotency-Key was used for another request", status: http.StatusConflict})
			return
		}
		if stored.Status != storage.StatusCreated {
			writeJSON(w, http.StatusOK, CreateResponse{ID: id, Status: stored.Status, Uploads: map[string]UploadURL{}})
			return
		}
	}
	resp := CreateResponse{ID: id, Status: storage.StatusCreated, Uploads: map[string]UploadURL{}}
	if resp.Occupancy, err = s.occupancy(r.Context(), v.DocKey, v.AccountID); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, up := range uploads {
		url, headers, err := s.cfg.Blobs.PresignPut(r.Context(), up.Key, up.ContentType, up.MaxBytes, s.cfg.Limits.URLTTL)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		resp.Uploads[string(up.Slot)] = UploadURL{Method: http.MethodPut, URL: url, Headers: headers, ExpiresAt: now.Add(s.cfg.Limits.URLTTL), Challenge: up.Challenge}
	}
	if repeated {
		s.log.InfoContext(r.Context(), "verification create repeated", "verification_id", id)
	} else {
		s.log.InfoContext(r.Context(), "verification created", "verification_id", id)
	}
	writeJSON(w, http.StatusCreated, resp)
}

// sameCreate reports whether a stored verification is the one req would
// have created: same account, document, flags, uploads and basic info.
func (s *Server) sameCreate(stored, req *storage.Verification, info []byte) bool {
	if stored.AccountID != req.AccountID || stored.Country != req.Country || stored.DocType != req.DocType ||
		stored.DocKey != req.DocKey || !slices.Equal(stored.Flags, req.Flags) || !sameDeclared(stored.Uploads, req.Uploads) {
		return false
	}
	b, err := s.cfg.Keys.Open(stored.InfoSealed, stored.ID)
	return err == nil && bytes.Equal(b, info)
}

// sameDeclared compares uploads as the client declared them (slot, key,
// type, size), ignoring what submit recorded since (evidence keys).
func sameDeclared(a, b []storage.Upload) bool {
	return slices.EqualFunc(a, b, func(x, y storage.Upload) bool {
		x.Evidence, y.Evidence = "", ""
		return x == y
	})
}

// uploads validates the declared uploads and names their objects. MaxBytes
// of each upload is its declared, signed size.
func (s *Server) uploads(id, idType string, specs map[string]UploadSpec) ([]storage.Upload, error) {
	required := []storage.Slot{storage.SlotFront, storage.SlotSelfie}
	if HasBack(idType) {
		required = append(required, storage.SlotBack)
	}
	for slot := range specs {
		switch storage.Slot(slot) {
		case storage.SlotFront, storage.SlotSelfie:
		case storage.SlotBack:
			if !HasBack(idType) {
				return nil, fieldError("uploads."+slot, "is not expected for a "+idType)
			}
		default:
			return nil, fieldError("uploads."+slot, "is not a known slot (doc_front, doc_back, selfie)")
		}
	}
	var out []storage.Upload
	for _, slot := range required {
		spec, ok := specs[string(slot)]
		field := "uploads." + string(slot)
		if !ok {
			return nil, fieldError(field, "is required")
		}
		if err := s.checkUpload(slot, field, spec); err != nil {
			return nil, err
		}
		up := storage.Upload{Slot: slot, Key: storage.UploadPrefix + id + "/" + string(slot), ContentType: spec.ContentType, MaxBytes: spec.Size}
		if spec.Challenge {
			up.Challenge = s.challengeFor(id)
		}
		out = append(out, up)
	}
	return out, nil
}

// checkUpload validates what an app declares it will upload into slot
// (reported as field): an accepted content type for the slot, and a size
// above zero and within the limit for that type (videos have their own).
func (s *Server) checkUpload(slot storage.Slot, field string, spec UploadSpec) error {
	types, max := imageTypes, s.cfg.Limits.MaxImageBytes
	if slot == storage.SlotSelfie {
		types = selfieTypes
		if strings.HasPrefix(spec.ContentType, "video/") {
			max = s.cfg.Limits.MaxVideoBytes
		}
	}
	if !types[spec.ContentType] {
		return fieldError(field+".content_type", "is not an accepted type")
	}
	if spec.Challenge && (slot != storage.SlotSelfie || !strings.HasPrefix(spec.ContentType, "video/")) {
		return fieldError(field+".challenge", "is only for a selfie video")
	}
	if spec.Size <= 0 {
		return fieldError(field+".size", "must be more than 0 bytes: empty uploads are refused")
	}
	if spec.Size > max {
		return &Error{Code: "upload_too_large", Field: field + ".size",
			Message: fmt.Sprintf("%s is over the %d-byte limit", field, max), status: http.StatusRequestEntityTooLarge}
	}
	return nil
}

// idempotencyKey returns the request's Idempotency-Key header (empty when
// absent), refusing one longer than 128 characters.
func idempotencyKey(r *http.Request) (string, error) {
	k := r.Header.Get("Idempotency-Key")
	if len(k) > 128 {
		return "", badRequest("invalid_header", "Idempotency-Key is longer than 128 characters")
	}
	return k, nil
}

// VerificationResponse is the answer to GET /v1/verifications/{id}. It
// holds no personal data.
type VerificationResponse struct {
	ID          string            `json:"id"`
	AccountID   string            `json:"account_id"`
	Status      storage.Status    `json:"status"`
	CreatedAt   time.Time         `json:"created_at"`
	SubmittedAt *time.Time        `json:"submitted_at,omitempty"`
	DecidedAt   *time.Time        `json:"decided_at,omitempty"`
	Checks      []CheckView       `json:"checks"`
	Decision    *DecisionView     `json:"decision,omitempty"`
	Pending     []string          `json:"pending,omitempty"` // checks without a result yet
	Uploads     map[string]string `json:"uploads"`           // slot → content type
}

// CheckView is one check result as the API shows it.
type CheckView struct {
	Check   string             `json:"check"`
	OK      bool               `json:"ok"`
	Failed  bool               `json:"failed,omitempty"`
	Reasons []reason.Detail    `json:"reasons"`
	Scores  map[string]float64 `json:"scores,omitempty"`
}

// DecisionView is the decision as the API shows it.
type DecisionView struct {
	Outcome storage.Outcome `json:"outcome"`
	Reasons []reason.Detail `json:"reasons"`
	Note    string          `json:"note,omitempty"`
}

func (s *Server) lookup(w http.ResponseWriter, r *http.Request) *storage.Verification {
	id := r.PathValue("id")
	if !idRE.MatchString(id) {
		s.fail(w, r, &Error{Code: "invalid_id", Message: "not a verification id", status: http.StatusBadRequest})
		return nil
	}
	v, err := s.cfg.State.GetVerification(r.Context(), id)
	if errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, errNotFound)
		return nil
	}
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	return v
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	v := s.lookup(w, r)
	if v == nil {
		return
	}
	results, err := s.cfg.State.CheckResults(r.Context(), v.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	resp := VerificationResponse{ID: v.ID, AccountID: v.AccountID, Status: v.Status, CreatedAt: v.CreatedAt,
		Checks: []CheckView{}, Uploads: map[string]string{}}
	for _, up := range v.Uploads {
		resp.Uploads[string(up.Slot)] = up.ContentType
	}
	if !v.SubmittedAt.IsZero() {
		resp.SubmittedAt = &v.SubmittedAt
	}
	have := map[string]bool{}
	for _, c := range results {
		have[c.Check] = true
		resp.Checks = append(resp.Checks, CheckView{Check: c.Check, OK: c.OK, Failed: c.Failed, Reasons: withFields(reason.Details(c.Reasons), results), Scores: c.Scores})
	}
	for _, c := range v.Checks {
		if !have[c] {
			resp.Pending = append(resp.Pending, c)
		}
	}
	if v.Status == storage.StatusDecided {
		d, err := s.cfg.State.GetDecision(r.Context(), v.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		resp.DecidedAt = &d.DecidedAt
		resp.Decision = &DecisionView{Outcome: d.Outcome, Reasons: withFields(reason.Details(d.Reasons), results), Note: d.Note}
	}
	writeJSON(w, http.StatusOK, resp)
}

// Checks returns the checks a verification needs, in a stable order.
func Checks(v *storage.Verification) []string {
	var checks []string
	for _, up := range v.Uploads {
		if up.Slot == storage.SlotFront || up.Slot == storage.SlotBack {
			checks = append(checks, tasks.DocQualityCheck(string(up.Slot)))
		}
	}
	for _, up := range v.Uploads {
		if up.Slot == storage.SlotFront || up.Slot == storage.SlotBack {
			checks = append(checks, tasks.DocReadCheck(string(up.Slot)))
		}
	}
	return append(checks, tasks.CheckDocData, tasks.CheckFaceMatch)
}

var flagRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// validateFlags accepts at most 8 short snake_case compliance flags.
func validateFlags(flags []string) error {
	if len(flags) > 8 {
		return fieldError("flags", "holds more than 8 flags")
	}
	for _, f := range flags {
		if !flagRE.MatchString(f) {
			return fieldError("flags", "must be snake_case codes of up to 32 characters")
		}
	}
	return nil
}

// accountMayVerify refuses a new verification for an account that is
// already verified (its identity can no longer be edited by the user, rules
// §5: support only) or that is frozen or closed.
func (s *Server) accountMayVerify(ctx context.Context, accountID string) error {
	a, err := s.cfg.State.GetAccount(ctx, accountID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case a.Status == storage.AccountClosed || a.Status == storage.AccountFrozen:
		return &Error{Code: "account_inactive", Message: "the account is " + string(a.Status), status: http.StatusConflict}
	case a.KYCVerified:
		return &Error{Code: "identity_locked", Message: "the account is verified; its identity can only be changed by support", status: http.StatusConflict}
	}
	return nil
}

// isJSON reports whether a Content-Type names JSON (application/json, with
// or without parameters such as charset).
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}
