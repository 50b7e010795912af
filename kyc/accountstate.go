package kyc

import (
	"context"
	"errors"
	"fmt"

	"github.com/kycq/kycq/storage"
)

// ErrHoldingsUnknown is returned by an AccountState that has no answer for
// an account, as opposed to failing to answer: nothing was ever reported.
// The migration is refused (migration_holdings_unknown), not retried, and
// the operator reports the holdings before the user asks again.
var ErrHoldingsUnknown = errors.New("kyc: the account's holdings were never reported")

// AccountState is the exchange's view of what an account holds, asked
// before a contact migration: the source must hold no assets, no pending
// withdrawals and no open orders (rules.md §7).
//
// kycq ships a store-backed implementation (StoreAccountState over
// storage.Accounts.GetHoldings, fed by Accounts.SetHoldings). An exchange
// plugs in its own by implementing this one method against its ledger —
// for example an HTTP or gRPC call to its account service — and passing it
// to the migration task. An error means "unknown", never "empty":
// ErrHoldingsUnknown (nothing known of the account) refuses the migration
// with migration_holdings_unknown; any other error is retried and, when
// the task gives up, fails the migration (DetailStateFailed).
// The answer must be current: migrating while the source still holds
// something strands it.
type AccountState interface {
	Holdings(ctx context.Context, accountID string) (storage.Holdings, error)
}

// AccountStateFunc adapts a function to AccountState.
type AccountStateFunc func(ctx context.Context, accountID string) (storage.Holdings, error)

// Holdings calls f.
func (f AccountStateFunc) Holdings(ctx context.Context, accountID string) (storage.Holdings, error) {
	return f(ctx, accountID)
}

// HoldingsGetter is the part of storage.Accounts StoreAccountState needs.
type HoldingsGetter interface {
	GetHoldings(ctx context.Context, accountID string) (storage.Holdings, error)
}

// StoreAccountState returns the AccountState backed by kycq's own store:
// the holdings last reported with SetHoldings. An account never reported
// gives ErrHoldingsUnknown.
func StoreAccountState(s HoldingsGetter) AccountState {
	return AccountStateFunc(func(ctx context.Context, accountID string) (storage.Holdings, error) {
		h, err := s.GetHoldings(ctx, accountID)
		if errors.Is(err, storage.ErrNotFound) {
			return storage.Holdings{}, fmt.Errorf("%w: %w", ErrHoldingsUnknown, err)
		}
		return h, err
	})
}
