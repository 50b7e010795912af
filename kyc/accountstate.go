package kyc

import (
	"context"

	"github.com/kycq/kycq/storage"
)

// AccountState is the exchange's view of what an account holds, asked
// before a contact migration: the source must hold no assets, no pending
// withdrawals and no open orders (rules.md §7).
//
// kycq ships a store-backed implementation (StoreAccountState over
// storage.Accounts.GetHoldings, fed by Accounts.SetHoldings). An exchange
// plugs in its own by implementing this one method against its ledger —
// for example an HTTP or gRPC call to its account service — and passing it
// to the migration task. An error means "unknown", never "empty": the task
// retries and, when it gives up, fails the migration (DetailStateFailed).
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
// the holdings last reported with SetHoldings (an account never reported
// holds nothing).
func StoreAccountState(s HoldingsGetter) AccountState { return AccountStateFunc(s.GetHoldings) }
