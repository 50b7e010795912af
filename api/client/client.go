// Package client is a Go client for kycq's HTTP API, used by the load
// generator and the end-to-end tests, and a reference for app developers.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/storage"
)

// Client talks to one kycq API.
type Client struct {
	BaseURL string
	Token   string
	HTTP    *http.Client
}

// New returns a client for the API at baseURL.
func New(baseURL, token string) *Client {
	return &Client{BaseURL: baseURL, Token: token, HTTP: &http.Client{Timeout: 60 * time.Second}}
}

// APIError is a non-2xx answer.
type APIError struct {
	Status int
	Body   api.Error
}

func (e *APIError) Error() string {
	return fmt.Sprintf("kycq: %d %s: %s", e.Status, e.Body.Code, e.Body.Message)
}

// File is one file to upload into a slot.
type File struct {
	ContentType string
	Data        []byte
}

func (c *Client) do(ctx context.Context, method, path string, in, out any, header http.Header) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+path, body)
	if err != nil {
		return err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Error api.Error }
		_ = json.Unmarshal(b, &e)
		return &APIError{Status: resp.StatusCode, Body: e.Error}
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// Create creates a verification for the files' types and sizes.
func (c *Client) Create(ctx context.Context, account string, info api.BasicInfo, files map[storage.Slot]File, idempotencyKey string) (*api.CreateResponse, error) {
	req := api.CreateRequest{AccountID: account, Info: info, Uploads: map[string]api.UploadSpec{}}
	for slot, f := range files {
		req.Uploads[string(slot)] = api.UploadSpec{ContentType: f.ContentType, Size: int64(len(f.Data))}
	}
	var h http.Header
	if idempotencyKey != "" {
		h = http.Header{"Idempotency-Key": {idempotencyKey}}
	}
	var out api.CreateResponse
	return &out, c.do(ctx, http.MethodPost, "/v1/verifications", req, &out, h)
}

// Upload PUTs data to a presigned URL, as an app would: a plain HTTP client
// with no S3 library.
func (c *Client) Upload(ctx context.Context, u api.UploadURL, data []byte) error {
	req, err := http.NewRequestWithContext(ctx, u.Method, u.URL, bytes.NewReader(data))
	if err != nil {
		return err
	}
	for k, v := range u.Headers {
		if http.CanonicalHeaderKey(k) == "Content-Length" || http.CanonicalHeaderKey(k) == "Host" {
			continue // set by net/http from the body and URL
		}
		req.Header.Set(k, v)
	}
	req.ContentLength = int64(len(data))
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("kycq: upload refused by storage: %d %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	return nil
}

// Submit submits a verification.
func (c *Client) Submit(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodPost, "/v1/verifications/"+id+"/submit", nil, nil, nil)
}

// Get returns a verification's status, results and decision.
func (c *Client) Get(ctx context.Context, id string) (*api.VerificationResponse, error) {
	var out api.VerificationResponse
	return &out, c.do(ctx, http.MethodGet, "/v1/verifications/"+id, nil, &out, nil)
}

// Apply runs a whole application: create, upload every file, submit.
func (c *Client) Apply(ctx context.Context, account string, info api.BasicInfo, files map[storage.Slot]File) (string, error) {
	v, err := c.Create(ctx, account, info, files, "")
	if err != nil {
		return "", err
	}
	for slot, f := range files {
		u, ok := v.Uploads[string(slot)]
		if !ok {
			return v.ID, fmt.Errorf("kycq: no upload URL for %s", slot)
		}
		if err := c.Upload(ctx, u, f.Data); err != nil {
			return v.ID, err
		}
	}
	return v.ID, c.Submit(ctx, v.ID)
}

// ErrTimeout is returned by WaitDecision when ctx ends first.
var ErrTimeout = errors.New("kycq: no decision before the deadline")

// WaitDecision polls until the verification is decided or ctx ends.
func (c *Client) WaitDecision(ctx context.Context, id string, every time.Duration) (*api.VerificationResponse, error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		v, err := c.Get(ctx, id)
		if err == nil && v.Decision != nil {
			return v, nil
		}
		var ae *APIError
		if errors.As(err, &ae) && ae.Status/100 == 4 {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return v, fmt.Errorf("%w (%s)", ErrTimeout, id)
		case <-t.C:
		}
	}
}

// Account returns kycq's view of an account: status, verification, masked
// contacts and holdings.
func (c *Client) Account(ctx context.Context, account string) (*api.AccountResponse, error) {
	var out api.AccountResponse
	return &out, c.do(ctx, http.MethodGet, "/v1/accounts/"+url.PathEscape(account), nil, &out, nil)
}

// BindContact binds an email or phone number to an account.
func (c *Client) BindContact(ctx context.Context, account string, kind storage.ContactKind, value string) (*api.ContactView, error) {
	var out api.ContactView
	return &out, c.do(ctx, http.MethodPost, "/v1/accounts/"+url.PathEscape(account)+"/contacts",
		api.ContactRequest{Kind: kind, Value: value}, &out, nil)
}

// SetHoldings reports what an account holds on the exchange.
func (c *Client) SetHoldings(ctx context.Context, account string, h storage.Holdings) error {
	return c.do(ctx, http.MethodPut, "/v1/accounts/"+url.PathEscape(account)+"/holdings",
		api.HoldingsRequest{Assets: &h.Assets, PendingWithdrawals: &h.PendingWithdrawals, OpenOrders: &h.OpenOrders}, nil, nil)
}

// Migrate asks to move a contact from a duplicate account to the main one.
func (c *Client) Migrate(ctx context.Context, req api.MigrationRequest, idempotencyKey string) (*api.MigrationView, error) {
	var h http.Header
	if idempotencyKey != "" {
		h = http.Header{"Idempotency-Key": {idempotencyKey}}
	}
	var out api.MigrationView
	return &out, c.do(ctx, http.MethodPost, "/v1/migrations", req, &out, h)
}

// Migration returns a migration with its audit trail.
func (c *Client) Migration(ctx context.Context, id string) (*api.MigrationView, error) {
	var out api.MigrationView
	return &out, c.do(ctx, http.MethodGet, "/v1/migrations/"+url.PathEscape(id), nil, &out, nil)
}

// WaitMigration polls until the migration is final or ctx ends.
func (c *Client) WaitMigration(ctx context.Context, id string, every time.Duration) (*api.MigrationView, error) {
	for {
		m, err := c.Migration(ctx, id)
		if err == nil && m.State.Final() {
			return m, nil
		}
		select {
		case <-ctx.Done():
			return m, fmt.Errorf("%w (%s)", ErrTimeout, id)
		case <-time.After(every):
		}
	}
}

// HolderCheck asks to see the account holding the document of a
// verification that ended as doc_already_used, with a fresh selfie: it
// creates the check, uploads the selfie and submits it.
func (c *Client) HolderCheck(ctx context.Context, verificationID string, selfie File) (*api.HolderCheckView, error) {
	var out api.HolderCheckView
	err := c.do(ctx, http.MethodPost, "/v1/verifications/"+url.PathEscape(verificationID)+"/holder-checks",
		api.HolderCheckRequest{Selfie: api.UploadSpec{ContentType: selfie.ContentType, Size: int64(len(selfie.Data))}}, &out, nil)
	if err != nil {
		return nil, err
	}
	if err := c.Upload(ctx, *out.Upload, selfie.Data); err != nil {
		return &out, err
	}
	return &out, c.do(ctx, http.MethodPost, "/v1/holder-checks/"+out.ID+"/submit", nil, nil, nil)
}

// GetHolderCheck returns a holder check; after a match it shows the
// holder, masked.
func (c *Client) GetHolderCheck(ctx context.Context, id string) (*api.HolderCheckView, error) {
	var out api.HolderCheckView
	return &out, c.do(ctx, http.MethodGet, "/v1/holder-checks/"+url.PathEscape(id), nil, &out, nil)
}

// WaitHolderCheck polls until the face match of a holder check is done.
func (c *Client) WaitHolderCheck(ctx context.Context, id string, every time.Duration) (*api.HolderCheckView, error) {
	for {
		h, err := c.GetHolderCheck(ctx, id)
		if err == nil && h.State != storage.HolderCheckPending {
			return h, nil
		}
		select {
		case <-ctx.Done():
			return h, fmt.Errorf("%w (%s)", ErrTimeout, id)
		case <-time.After(every):
		}
	}
}

// AnswerHolder answers a matched holder check: "mine" or "not_mine".
func (c *Client) AnswerHolder(ctx context.Context, id string, req api.HolderAnswerRequest) (*api.HolderCheckView, error) {
	var out api.HolderCheckView
	return &out, c.do(ctx, http.MethodPost, "/v1/holder-checks/"+url.PathEscape(id)+"/answer", req, &out, nil)
}
