package workers

import (
	"context"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"

	"github.com/kycq/kycq/kyc"
	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
	"github.com/kycq/kycq/tasks"
)

// maxMigrationSteps bounds the steps one run of the migration task takes
// (requested → validated → executing → completed is three).
const maxMigrationSteps = 6

// Migration advances a contact migration through its state machine
// (kyc.NextMigrationStep) until it is final. Every step is a conditional
// write in the store, so a redelivered task, or two copies running at once,
// repeat nothing: a step already taken is a no-op, and a step another copy
// took first is re-read. A worker killed half way resumes from the stored
// state. When the task gives up after its retries, the migration ends as
// failed; it never stays half done, because execution is one transaction.
func (h *Handlers) Migration(ctx context.Context, t *asynq.Task) error {
	p, err := tasks.ParseMigration(t.Payload())
	if err != nil {
		return permanent(err)
	}
	m, err := h.d.State.GetMigration(ctx, p.MigrationID)
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("migration %s: %w: %w", p.MigrationID, err, asynq.SkipRetry)
	}
	if err != nil {
		return err
	}
	if m.State.Final() {
		return nil
	}
	err = h.advanceMigration(ctx, m)
	if err == nil || !lastAttempt(ctx) {
		return err
	}
	// Out of retries: end the migration as failed, so nobody waits on it.
	step := kyc.FailMigration(*m, kyc.DetailGaveUp)
	if current, gerr := h.d.State.GetMigration(ctx, m.ID); gerr == nil {
		step = kyc.FailMigration(*current, kyc.DetailGaveUp)
	}
	if step.Action == kyc.ActionTransition {
		if _, ferr := h.d.State.TransitionMigration(ctx, m.ID, step.From, step.To, step.Refusal, step.Detail, h.d.Now()); ferr == nil {
			h.d.Observer.ObserveMigration(string(storage.MigrationFailed))
			h.d.Log.ErrorContext(ctx, "migration failed", "migration_id", m.ID, "error", err)
		}
	}
	return err
}

func (h *Handlers) advanceMigration(ctx context.Context, m *storage.Migration) error {
	for i := 0; i < maxMigrationSteps && !m.State.Final(); i++ {
		facts, err := h.migrationFacts(ctx, m)
		if err != nil {
			return err
		}
		step := kyc.NextMigrationStep(*m, facts)
		var next *storage.Migration
		switch step.Action {
		case kyc.ActionNone:
			return nil
		case kyc.ActionTransition:
			next, err = h.d.State.TransitionMigration(ctx, m.ID, step.From, step.To, step.Refusal, step.Detail, h.d.Now())
		case kyc.ActionExecute:
			next, err = h.d.State.ExecuteMigration(ctx, m.ID, h.d.Now())
		default:
			return fmt.Errorf("migration %s: unknown action %q: %w", m.ID, step.Action, asynq.SkipRetry)
		}
		switch {
		case errors.Is(err, storage.ErrConflict):
			// Another copy moved it first: re-read and decide again.
			if next, err = h.d.State.GetMigration(ctx, m.ID); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		if next.State != m.State {
			h.d.Log.InfoContext(ctx, "migration step", "migration_id", m.ID, "from", m.State, "to", next.State)
			if next.State.Final() {
				h.d.Observer.ObserveMigration(migrationOutcome(next))
			}
		}
		m = next
	}
	if !m.State.Final() {
		return fmt.Errorf("migration %s still %s after %d steps", m.ID, m.State, maxMigrationSteps)
	}
	return nil
}

func migrationOutcome(m *storage.Migration) string {
	if m.State == storage.MigrationRefused && m.Refusal != "" {
		return string(m.Refusal)
	}
	return string(m.State)
}

// migrationFacts gathers what kyc.NextMigrationStep decides from.
func (h *Handlers) migrationFacts(ctx context.Context, m *storage.Migration) (kyc.MigrationFacts, error) {
	var f kyc.MigrationFacts
	var err error
	if f.Source, err = h.accountFacts(ctx, m.SourceAccount); err != nil {
		return f, err
	}
	if f.Target, err = h.accountFacts(ctx, m.TargetAccount); err != nil {
		return f, err
	}
	f.SourceHoldings, err = h.d.AccountState.Holdings(ctx, m.SourceAccount)
	switch {
	case errors.Is(err, kyc.ErrHoldingsUnknown):
		// Never reported: unknown, never empty; the rules refuse.
		f.SourceHoldings, f.HoldingsUnknown = storage.Holdings{}, true
	case err != nil:
		return f, fmt.Errorf("account state of the migration source: %w", err)
	}
	for _, c := range m.Contacts {
		cf := kyc.ContactFacts{Kind: c.Kind, Hash: c.Hash}
		holder, err := h.d.State.ContactHolder(ctx, c.Kind, c.Hash)
		switch {
		case err == nil:
			cf.BoundTo = holder.AccountID
		case !errors.Is(err, storage.ErrNotFound):
			return f, err
		}
		if cf.Migrated, err = h.d.State.ContactMigrated(ctx, c.Kind, c.Hash); err != nil {
			return f, err
		}
		f.Contacts = append(f.Contacts, cf)
	}
	if m.Kind == storage.MigrationOccupancy {
		if f.Occupancy, err = h.occupancyFacts(ctx, m); err != nil {
			return f, err
		}
	}
	return f, nil
}

func (h *Handlers) accountFacts(ctx context.Context, id string) (kyc.AccountFacts, error) {
	a, err := h.d.State.GetAccount(ctx, id)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return kyc.AccountFacts{}, nil
	case err != nil:
		return kyc.AccountFacts{}, err
	}
	return kyc.AccountFacts{Status: a.Status, KYCVerified: a.KYCVerified}, nil
}

// occupancyFacts gathers the facts of a scenario-B migration: the holder
// check that started it, its review case, the verification that found the
// document held, and who holds that document now.
func (h *Handlers) occupancyFacts(ctx context.Context, m *storage.Migration) (kyc.OccupancyFacts, error) {
	var f kyc.OccupancyFacts
	if id, ok := kyc.HolderCheckOf(m.ID); ok {
		hc, err := h.d.State.GetHolderCheck(ctx, id)
		switch {
		case err == nil:
			f.HolderMatched = hc.State == storage.HolderCheckResolved && hc.Answer == kyc.AnswerMine
		case !errors.Is(err, storage.ErrNotFound):
			return f, err
		}
		if f.HolderMatched {
			f.Reviewed = true
			c, err := h.d.State.GetCase(ctx, kyc.MisuseCaseID(id))
			switch {
			case err == nil:
				f.Review = c.State
			case !errors.Is(err, storage.ErrNotFound):
				return f, err
			}
		}
	}
	v, err := h.d.State.GetVerification(ctx, m.VerificationID)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return f, nil
	case err != nil:
		return f, err
	}
	f.VerificationAccount = v.AccountID
	if d, err := h.d.State.GetDecision(ctx, v.ID); err == nil {
		f.DocAlreadyUsed = d.Outcome == storage.Rejected && hasCode(d.Reasons, reason.DocAlreadyUsed)
	} else if !errors.Is(err, storage.ErrNotFound) {
		return f, err
	}
	claim, err := h.d.State.DocumentHolder(ctx, v.DocKey)
	switch {
	case err == nil:
		f.Holder = claim.AccountID
	case !errors.Is(err, storage.ErrNotFound):
		return f, err
	}
	return f, nil
}

func hasCode(codes []reason.Code, c reason.Code) bool {
	for _, x := range codes {
		if x == c {
			return true
		}
	}
	return false
}

// lastAttempt reports whether the running task has no retry left.
func lastAttempt(ctx context.Context) bool {
	retried, ok1 := asynq.GetRetryCount(ctx)
	max, ok2 := asynq.GetMaxRetry(ctx)
	return ok1 && ok2 && retried >= max
}
