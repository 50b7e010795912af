package kyc

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/kycq/kycq/storage"
)

// getter is a HoldingsGetter over a map, standing in for the store.
type getter map[string]storage.Holdings

func (g getter) GetHoldings(_ context.Context, id string) (storage.Holdings, error) {
	if id == "broken" {
		return storage.Holdings{}, errors.New("connection refused")
	}
	h, ok := g[id]
	if !ok {
		return storage.Holdings{}, fmt.Errorf("holdings of %s: %w", id, storage.ErrNotFound)
	}
	return h, nil
}

func TestStoreAccountStateUnknownIsNotEmpty(t *testing.T) {
	st := StoreAccountState(getter{"empty": {}, "rich": {Assets: true}})
	for _, tc := range []struct {
		account string
		want    storage.Holdings
		unknown bool
		failed  bool
	}{
		{"empty", storage.Holdings{}, false, false},
		{"rich", storage.Holdings{Assets: true}, false, false},
		{"never-reported", storage.Holdings{}, true, false},
		{"broken", storage.Holdings{}, false, true},
	} {
		h, err := st.Holdings(context.Background(), tc.account)
		if got := errors.Is(err, ErrHoldingsUnknown); got != tc.unknown {
			t.Errorf("%s: unknown=%v (err %v), want %v", tc.account, got, err, tc.unknown)
		}
		if got := err != nil && !tc.unknown; got != tc.failed {
			t.Errorf("%s: failed=%v (err %v), want %v", tc.account, got, err, tc.failed)
		}
		if h != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.account, h, tc.want)
		}
	}
}
