package storetest

import (
	"testing"

	"github.com/kycq/kycq/storage"
)

func testClaimDocument(t *testing.T, s storage.State) {
	_, err := s.DocumentHolder(bg(), "doc-1")
	mustIs(t, err, storage.ErrNotFound, "holder of an unclaimed document")

	first := storage.Claim{DocKey: "doc-1", AccountID: "acc-1", VerificationID: "v1", ClaimedAt: at(1)}
	holder, won, err := s.ClaimDocument(bg(), first)
	must(t, err)
	eq(t, "first claim won", won, true)
	eq(t, "first holder", holder.AccountID, "acc-1")
	eq(t, "first verification", holder.VerificationID, "v1")
	sameTime(t, "claimed", holder.ClaimedAt, at(1))

	// The same account again, even from another verification: won, the
	// first claim stays.
	holder, won, err = s.ClaimDocument(bg(), storage.Claim{DocKey: "doc-1", AccountID: "acc-1", VerificationID: "v9", ClaimedAt: at(2)})
	must(t, err)
	eq(t, "repeat won", won, true)
	eq(t, "repeat holder verification", holder.VerificationID, "v1")
	sameTime(t, "repeat claimed", holder.ClaimedAt, at(1))

	// Another account: lost, sees the holder.
	holder, won, err = s.ClaimDocument(bg(), storage.Claim{DocKey: "doc-1", AccountID: "acc-2", VerificationID: "v2", ClaimedAt: at(3)})
	must(t, err)
	eq(t, "other account won", won, false)
	eq(t, "other sees holder", holder.AccountID, "acc-1")
	eq(t, "other sees holder verification", holder.VerificationID, "v1")

	got, err := s.DocumentHolder(bg(), "doc-1")
	must(t, err)
	eq(t, "DocumentHolder", got.AccountID, "acc-1")
	eq(t, "DocumentHolder key", got.DocKey, "doc-1")

	// Another document for the losing account is independent.
	_, won, err = s.ClaimDocument(bg(), storage.Claim{DocKey: "doc-2", AccountID: "acc-2", VerificationID: "v2"})
	must(t, err)
	eq(t, "second document won", won, true)

	for _, bad := range []storage.Claim{{AccountID: "a"}, {DocKey: "d"}} {
		_, _, err := s.ClaimDocument(bg(), bad)
		mustFail(t, err, "invalid claim")
	}
}

func testAccounts(t *testing.T, s storage.State) {
	_, err := s.GetAccount(bg(), "nobody")
	mustIs(t, err, storage.ErrNotFound, "unknown account")

	must(t, s.MarkAccountVerified(bg(), "acc-1", "v1", []byte{1, 2, 3}, at(1)))
	a, err := s.GetAccount(bg(), "acc-1")
	must(t, err)
	eq(t, "verified", a.KYCVerified, true)
	eq(t, "verification", a.VerificationID, "v1")
	eq(t, "face", a.FaceSealed, []byte{1, 2, 3})
	eq(t, "status", a.Status, storage.AccountActive)
	eq(t, "referrals", a.ReferralsDropped, false)
	sameTime(t, "updated", a.UpdatedAt, at(1))

	// The first approved verification stays.
	must(t, s.MarkAccountVerified(bg(), "acc-1", "v2", []byte{4}, at(2)))
	a2, err := s.GetAccount(bg(), "acc-1")
	must(t, err)
	eq(t, "after a second approval", a2, a)

	mustFail(t, s.MarkAccountVerified(bg(), "", "v1", nil, at(1)), "verify without an account")
}

func testAccountStatus(t *testing.T, s storage.State) {
	for _, step := range []struct {
		to       storage.AccountStatus
		conflict bool
		want     storage.AccountStatus
	}{
		{storage.AccountFrozen, false, storage.AccountFrozen},
		{storage.AccountFrozen, false, storage.AccountFrozen},
		{storage.AccountActive, false, storage.AccountActive},
		{storage.AccountClosed, false, storage.AccountClosed},
		{storage.AccountClosed, false, storage.AccountClosed},
		{storage.AccountFrozen, true, storage.AccountClosed},
		{storage.AccountActive, true, storage.AccountClosed},
	} {
		err := s.SetAccountStatus(bg(), "acc-1", step.to, at(1))
		if step.conflict {
			mustIs(t, err, storage.ErrConflict, "leave closed for "+string(step.to))
		} else {
			must(t, err)
		}
		a, err := s.GetAccount(bg(), "acc-1")
		must(t, err)
		eq(t, "status after "+string(step.to), a.Status, step.want)
	}
	mustFail(t, s.SetAccountStatus(bg(), "acc-2", "deleted", at(1)), "unknown status")
}

func testBindContact(t *testing.T, s storage.State) {
	_, err := s.ContactHolder(bg(), storage.ContactEmail, "h-mail")
	mustIs(t, err, storage.ErrNotFound, "unbound contact")

	c := storage.Contact{Kind: storage.ContactEmail, Hash: "h-mail", Masked: "j***@example.com", AccountID: "acc-1", BoundAt: at(1)}
	holder, won, err := s.BindContact(bg(), c)
	must(t, err)
	eq(t, "won", won, true)
	eq(t, "holder", holder, c)

	// Same account again: a no-op, won.
	again := c
	again.Masked, again.BoundAt = "x***@example.com", at(2)
	holder, won, err = s.BindContact(bg(), again)
	must(t, err)
	eq(t, "repeat won", won, true)
	eq(t, "repeat keeps the binding", holder, c)

	// Another account: refused, the holder returned.
	other := c
	other.AccountID = "acc-2"
	holder, won, err = s.BindContact(bg(), other)
	must(t, err)
	eq(t, "other won", won, false)
	eq(t, "other sees holder", holder, c)

	// The same hash of another kind is another contact.
	phone := storage.Contact{Kind: storage.ContactPhone, Hash: "h-mail", Masked: "+86******1234", AccountID: "acc-2", BoundAt: at(3)}
	_, won, err = s.BindContact(bg(), phone)
	must(t, err)
	eq(t, "phone with the same hash", won, true)
	p2 := storage.Contact{Kind: storage.ContactPhone, Hash: "h-a", Masked: "+1*****99", AccountID: "acc-1", BoundAt: at(4)}
	_, _, err = s.BindContact(bg(), p2)
	must(t, err)

	got, err := s.ContactHolder(bg(), storage.ContactEmail, "h-mail")
	must(t, err)
	eq(t, "ContactHolder", got, c)
	list, err := s.Contacts(bg(), "acc-1")
	must(t, err)
	eq(t, "Contacts", list, []storage.Contact{c, p2})
	list, err = s.Contacts(bg(), "nobody")
	must(t, err)
	eq(t, "Contacts of nobody", len(list), 0)

	for _, bad := range []storage.Contact{
		{Kind: "fax", Hash: "h", AccountID: "a"},
		{Kind: storage.ContactEmail, AccountID: "a"},
		{Kind: storage.ContactEmail, Hash: "h"},
	} {
		_, _, err := s.BindContact(bg(), bad)
		mustFail(t, err, "invalid contact")
	}
}

func testHoldings(t *testing.T, s storage.State) {
	_, err := s.GetHoldings(bg(), "acc-1")
	mustIs(t, err, storage.ErrNotFound, "never reported: unknown, not empty")

	full := storage.Holdings{Assets: true, PendingWithdrawals: true, OpenOrders: false}
	must(t, s.SetHoldings(bg(), "acc-1", full, at(1)))
	h, err := s.GetHoldings(bg(), "acc-1")
	must(t, err)
	eq(t, "set", h, full)

	must(t, s.SetHoldings(bg(), "acc-1", storage.Holdings{OpenOrders: true}, at(2)))
	h, err = s.GetHoldings(bg(), "acc-1")
	must(t, err)
	eq(t, "overwritten", h, storage.Holdings{OpenOrders: true})

	_, err = s.GetHoldings(bg(), "acc-2")
	mustIs(t, err, storage.ErrNotFound, "other account")
}
