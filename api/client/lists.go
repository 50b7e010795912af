package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kycq/kycq/api"
	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/storage"
)

// pageQuery returns "?cursor=…&limit=…" (either may be left out) plus
// more parameters.
func pageQuery(cursor string, limit int, more url.Values) string {
	q := url.Values{}
	for k, v := range more {
		q[k] = v
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// Verifications lists the verifications in a status that reached it in
// [from, to) (zero times leave an end open), for reconciliation: pass the
// previous page's NextCursor to go on ("" for the first page; limit 0 for
// the default).
func (c *Client) Verifications(ctx context.Context, status storage.Status, from, to time.Time, cursor string, limit int) (*api.Page[api.VerificationSummary], error) {
	q := url.Values{"status": {string(status)}}
	if !from.IsZero() {
		q.Set("from", from.Format(time.RFC3339))
	}
	if !to.IsZero() {
		q.Set("to", to.Format(time.RFC3339))
	}
	var out api.Page[api.VerificationSummary]
	return &out, c.do(ctx, http.MethodGet, "/v1/verifications"+pageQuery(cursor, limit, q), nil, &out, nil)
}

// AccountVerifications lists an account's verifications, oldest first.
func (c *Client) AccountVerifications(ctx context.Context, account, cursor string, limit int) (*api.Page[api.VerificationSummary], error) {
	var out api.Page[api.VerificationSummary]
	return &out, c.do(ctx, http.MethodGet, "/v1/accounts/"+url.PathEscape(account)+"/verifications"+pageQuery(cursor, limit, nil), nil, &out, nil)
}

// AccountHolderChecks lists the holder checks an account asked for.
func (c *Client) AccountHolderChecks(ctx context.Context, account, cursor string, limit int) (*api.Page[api.HolderCheckSummary], error) {
	var out api.Page[api.HolderCheckSummary]
	return &out, c.do(ctx, http.MethodGet, "/v1/accounts/"+url.PathEscape(account)+"/holder-checks"+pageQuery(cursor, limit, nil), nil, &out, nil)
}

// AccountMigrations lists the migrations an account is the source or the
// target of.
func (c *Client) AccountMigrations(ctx context.Context, account, cursor string, limit int) (*api.Page[api.MigrationSummary], error) {
	var out api.Page[api.MigrationSummary]
	return &out, c.do(ctx, http.MethodGet, "/v1/accounts/"+url.PathEscape(account)+"/migrations"+pageQuery(cursor, limit, nil), nil, &out, nil)
}

// AccountCases lists the support cases an account opened.
func (c *Client) AccountCases(ctx context.Context, account, cursor string, limit int) (*api.Page[api.CaseSummary], error) {
	var out api.Page[api.CaseSummary]
	return &out, c.do(ctx, http.MethodGet, "/v1/accounts/"+url.PathEscape(account)+"/cases"+pageQuery(cursor, limit, nil), nil, &out, nil)
}

// CheckOccupancy asks, before anything is uploaded, whether a typed
// document already verifies an account (a hint; the decision has the
// final word).
func (c *Client) CheckOccupancy(ctx context.Context, req api.OccupancyCheckRequest) (*api.OccupancyView, error) {
	var out api.OccupancyView
	return &out, c.do(ctx, http.MethodPost, "/v1/occupancy-checks", req, &out, nil)
}

// IDTypes lists the document types and the rules attached to each.
func (c *Client) IDTypes(ctx context.Context) ([]kyc.DocSpec, error) {
	var out struct {
		IDTypes []kyc.DocSpec `json:"id_types"`
	}
	return out.IDTypes, c.do(ctx, http.MethodGet, "/v1/id-types", nil, &out, nil)
}

// DeadDeliveries lists the webhook dead-letter list.
func (c *Client) DeadDeliveries(ctx context.Context, cursor string, limit int) (*api.Page[api.DeliveryView], error) {
	var out api.Page[api.DeliveryView]
	return &out, c.do(ctx, http.MethodGet, "/v1/webhooks/dead"+pageQuery(cursor, limit, nil), nil, &out, nil)
}

// Delivery returns the delivery of one event to one endpoint.
func (c *Client) Delivery(ctx context.Context, endpoint, eventID string) (*api.DeliveryView, error) {
	var out api.DeliveryView
	return &out, c.do(ctx, http.MethodGet, "/v1/webhooks/deliveries/"+url.PathEscape(endpoint)+"/"+url.PathEscape(eventID), nil, &out, nil)
}

// Redeliver sends a dead delivery again.
func (c *Client) Redeliver(ctx context.Context, endpoint, eventID string) (*api.DeliveryView, error) {
	var out api.DeliveryView
	return &out, c.do(ctx, http.MethodPost, "/v1/webhooks/deliveries/"+url.PathEscape(endpoint)+"/"+url.PathEscape(eventID)+"/redeliver", nil, &out, nil)
}

// Appeal contests a rejection: it opens (or returns) the verification's
// appeal case, which support staff work in the review console.
func (c *Client) Appeal(ctx context.Context, verificationID string) (*api.AppealResponse, error) {
	var out api.AppealResponse
	return &out, c.do(ctx, http.MethodPost, "/v1/verifications/"+url.PathEscape(verificationID)+"/appeals", nil, &out, nil)
}
