package storage

import (
	"context"
	"time"
)

func (o observedState) AppendEvent(ctx context.Context, e Event) (err error) {
	err = o.State.AppendEvent(ctx, e)
	o.observe("append_event", err)
	return err
}

func (o observedState) GetEvent(ctx context.Context, id string) (r0 Event, err error) {
	r0, err = o.State.GetEvent(ctx, id)
	o.observe("get_event", err)
	return r0, err
}

func (o observedState) Undispatched(ctx context.Context, limit int) (r0 []Event, err error) {
	r0, err = o.State.Undispatched(ctx, limit)
	o.observe("undispatched", err)
	return r0, err
}

func (o observedState) AddDeliveries(ctx context.Context, eventIDs, endpoints []string, at time.Time) (err error) {
	err = o.State.AddDeliveries(ctx, eventIDs, endpoints, at)
	o.observe("add_deliveries", err)
	return err
}

func (o observedState) MarkDispatched(ctx context.Context, eventIDs []string, at time.Time) (err error) {
	err = o.State.MarkDispatched(ctx, eventIDs, at)
	o.observe("mark_dispatched", err)
	return err
}

func (o observedState) DeliveryBlocked(ctx context.Context, eventID, endpoint string) (r0 bool, err error) {
	r0, err = o.State.DeliveryBlocked(ctx, eventID, endpoint)
	o.observe("delivery_blocked", err)
	return r0, err
}

func (o observedState) RecordAttempt(ctx context.Context, eventID, endpoint string, status int, errPhrase string, state DeliveryState, at time.Time) (r0 Delivery, err error) {
	r0, err = o.State.RecordAttempt(ctx, eventID, endpoint, status, errPhrase, state, at)
	o.observe("record_attempt", err)
	return r0, err
}

func (o observedState) GetDelivery(ctx context.Context, eventID, endpoint string) (r0 Delivery, err error) {
	r0, err = o.State.GetDelivery(ctx, eventID, endpoint)
	o.observe("get_delivery", err)
	return r0, err
}

func (o observedState) DeadDeliveries(ctx context.Context, after Delivery, limit int) (r0 []Delivery, err error) {
	r0, err = o.State.DeadDeliveries(ctx, after, limit)
	o.observe("dead_deliveries", err)
	return r0, err
}

func (o observedState) Redeliver(ctx context.Context, eventID, endpoint string, at time.Time) (r0 Delivery, err error) {
	r0, err = o.State.Redeliver(ctx, eventID, endpoint, at)
	o.observe("redeliver", err)
	return r0, err
}

func (o observedState) PageAccountVerifications(ctx context.Context, accountID string, after Cursor, limit int) (r0 []*Verification, err error) {
	r0, err = o.State.PageAccountVerifications(ctx, accountID, after, limit)
	o.observe("page_account_verifications", err)
	return r0, err
}

func (o observedState) VerificationsByStatus(ctx context.Context, status Status, from, to time.Time, after Cursor, limit int) (r0 []*Verification, err error) {
	r0, err = o.State.VerificationsByStatus(ctx, status, from, to, after, limit)
	o.observe("verifications_by_status", err)
	return r0, err
}

func (o observedState) AccountHolderChecks(ctx context.Context, accountID string, after Cursor, limit int) (r0 []*HolderCheck, err error) {
	r0, err = o.State.AccountHolderChecks(ctx, accountID, after, limit)
	o.observe("account_holder_checks", err)
	return r0, err
}

func (o observedState) AccountMigrations(ctx context.Context, accountID string, after Cursor, limit int) (r0 []*Migration, err error) {
	r0, err = o.State.AccountMigrations(ctx, accountID, after, limit)
	o.observe("account_migrations", err)
	return r0, err
}

func (o observedState) AccountCases(ctx context.Context, accountID string, after Cursor, limit int) (r0 []SupportCase, err error) {
	r0, err = o.State.AccountCases(ctx, accountID, after, limit)
	o.observe("account_cases", err)
	return r0, err
}

func (o observedState) PruneEvents(ctx context.Context, before time.Time, limit int) (r0 int, err error) {
	r0, err = o.State.PruneEvents(ctx, before, limit)
	o.observe("prune_events", err)
	return r0, err
}
