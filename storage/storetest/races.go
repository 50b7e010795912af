package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/kycq/kycq/kyc/reason"
	"github.com/kycq/kycq/storage"
)

// race runs fn(i) for i in [0, n) at once (released together) and waits.
func race(n int, fn func(i int)) {
	var start, done sync.WaitGroup
	start.Add(1)
	done.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer done.Done()
			start.Wait()
			fn(i)
		}()
	}
	start.Done()
	done.Wait()
}

// errs collects errors from racing goroutines.
type errs struct {
	mu   sync.Mutex
	list []error
}

func (e *errs) add(err error) {
	if err != nil {
		e.mu.Lock()
		e.list = append(e.list, err)
		e.mu.Unlock()
	}
}

func (e *errs) check(t *testing.T) {
	t.Helper()
	if len(e.list) > 0 {
		t.Fatalf("%d racing calls failed, first: %v", len(e.list), e.list[0])
	}
}

// 50 accounts race for one document: exactly one wins, all see it.
func testRaceClaimDocument(t *testing.T, s storage.State) {
	const n = 50
	for round := 0; round < 3; round++ {
		doc := fmt.Sprintf("doc-%d", round)
		holders := make([]storage.Claim, n)
		won := make([]bool, n)
		var e errs
		race(n, func(i int) {
			h, w, err := s.ClaimDocument(bg(), storage.Claim{DocKey: doc, AccountID: acct(i), VerificationID: fmt.Sprintf("v-%d", i), ClaimedAt: at(i)})
			e.add(err)
			holders[i], won[i] = h, w
		})
		e.check(t)
		winners := 0
		for i := range won {
			if won[i] {
				winners++
				if holders[i].AccountID != acct(i) {
					t.Fatalf("account %d won but the holder is %s", i, holders[i].AccountID)
				}
			}
			if holders[i] != holders[0] {
				t.Fatalf("callers saw different holders: %+v and %+v", holders[0], holders[i])
			}
		}
		if winners != 1 {
			t.Fatalf("%d winners for one document, want 1", winners)
		}
		stored, err := s.DocumentHolder(bg(), doc)
		must(t, err)
		eq(t, "stored holder", stored, holders[0])
	}
}

// Accounts race to bind one contact; the holder's own repeats also win.
func testRaceBindContact(t *testing.T, s storage.State) {
	const n = 30
	for round := 0; round < 3; round++ {
		hash := fmt.Sprintf("h-%d", round)
		holders := make([]storage.Contact, n)
		won := make([]bool, n)
		var e errs
		race(n, func(i int) {
			acc := acct(i % 10) // each account three times
			h, w, err := s.BindContact(bg(), storage.Contact{Kind: storage.ContactEmail, Hash: hash, Masked: "m", AccountID: acc, BoundAt: at(1)})
			e.add(err)
			holders[i], won[i] = h, w
		})
		e.check(t)
		winner := holders[0].AccountID
		for i := range won {
			if holders[i] != holders[0] {
				t.Fatalf("callers saw different bindings: %+v and %+v", holders[0], holders[i])
			}
			if won[i] != (acct(i%10) == winner) {
				t.Fatalf("call %d (account %s) won=%v with holder %s", i, acct(i%10), won[i], winner)
			}
		}
	}
}

// Decide tasks race: exactly one creates the decision, all see it.
func testRaceSaveDecision(t *testing.T, s storage.State) {
	const n = 20
	for round := 0; round < 3; round++ {
		id := fmt.Sprintf("v-%d", round)
		submitted(t, s, id, "acc-1", at(1))
		stored := make([]storage.Decision, n)
		created := make([]bool, n)
		var e errs
		race(n, func(i int) {
			o := []storage.Outcome{storage.Approved, storage.Rejected, storage.ManualReview}[i%3]
			d, c, err := s.SaveDecision(bg(), storage.Decision{VerificationID: id, Outcome: o, DecidedAt: at(10 + i)})
			e.add(err)
			stored[i], created[i] = d, c
		})
		e.check(t)
		n1 := 0
		for i := range created {
			if created[i] {
				n1++
			}
			if stored[i].Outcome != stored[0].Outcome || !stored[i].DecidedAt.Equal(stored[0].DecidedAt) {
				t.Fatalf("callers saw different decisions: %+v and %+v", stored[0], stored[i])
			}
		}
		if n1 != 1 {
			t.Fatalf("%d decisions created, want 1", n1)
		}
		got, err := s.GetDecision(bg(), id)
		must(t, err)
		eq(t, "stored outcome", got.Outcome, stored[0].Outcome)
		v, err := s.GetVerification(bg(), id)
		must(t, err)
		eq(t, "status", v.Status, storage.StatusDecided)
		sameTime(t, "decided", v.DecidedAt, got.DecidedAt)
	}
}

// Check results of one verification arrive at once, some twice: at least
// one caller learns the set is complete, none before it is.
func testRacePutCheckResult(t *testing.T, s storage.State) {
	checks := []string{"a", "b", "c", "d", "e", "f"}
	for round := 0; round < 10; round++ {
		id := fmt.Sprintf("v-%d", round)
		submitted(t, s, id, "acc-1", at(1), checks...)
		n := len(checks) * 2
		complete := make([]bool, n)
		var e errs
		race(n, func(i int) {
			c, err := s.PutCheckResult(bg(), storage.CheckResult{VerificationID: id, Check: checks[i%len(checks)], OK: i < len(checks), CreatedAt: at(2)})
			e.add(err)
			complete[i] = c
		})
		e.check(t)
		seen := 0
		for _, c := range complete {
			if c {
				seen++
			}
		}
		if seen == 0 {
			t.Fatalf("round %d: no caller saw the results complete", round)
		}
		rs, err := s.CheckResults(bg(), id)
		must(t, err)
		eq(t, "results stored", len(rs), len(checks))
	}
	// With one result missing nobody sees complete.
	submitted(t, s, "partial", "acc-1", at(1), checks...)
	var e errs
	var mu sync.Mutex
	anyComplete := false
	race(20, func(i int) {
		c, err := s.PutCheckResult(bg(), storage.CheckResult{VerificationID: "partial", Check: checks[i%(len(checks)-1)], CreatedAt: at(2)})
		e.add(err)
		mu.Lock()
		anyComplete = anyComplete || c
		mu.Unlock()
	})
	e.check(t)
	eq(t, "complete with one missing", anyComplete, false)
}

// Redelivered transitions race; rival transitions from one state race.
func testRaceTransitionMigration(t *testing.T, s storage.State) {
	_, _, err := s.CreateMigration(bg(), contactMigration("m1", "dup", "main", phone))
	must(t, err)
	var e errs
	race(20, func(i int) {
		m, err := s.TransitionMigration(bg(), "m1", storage.MigrationRequested, storage.MigrationValidated, "", "ok", at(2))
		e.add(err)
		if err == nil && m.State != storage.MigrationValidated {
			e.add(fmt.Errorf("returned state %s", m.State))
		}
	})
	e.check(t)
	eq(t, "one validated step audited", trail(t, s, "m1"), [][2]storage.MigrationState{
		{"", storage.MigrationRequested}, {storage.MigrationRequested, storage.MigrationValidated}})

	// executing vs refused from validated: exactly one wins, the other
	// gets a conflict (unless it is a redelivery of the winner).
	var mu sync.Mutex
	results := map[storage.MigrationState]int{}
	conflicts := 0
	race(20, func(i int) {
		to := storage.MigrationExecuting
		if i%2 == 1 {
			to = storage.MigrationRefused
		}
		m, err := s.TransitionMigration(bg(), "m1", storage.MigrationValidated, to, reason.MigrationSourceNotEmpty, "rival", at(3))
		mu.Lock()
		defer mu.Unlock()
		switch {
		case errors.Is(err, storage.ErrConflict):
			conflicts++
		case err != nil:
			e.add(err)
		default:
			results[m.State]++
		}
	})
	e.check(t)
	final, err := s.GetMigration(bg(), "m1")
	must(t, err)
	if results[final.State] != 10 || conflicts != 10 {
		t.Fatalf("final %s: successes %v, conflicts %d; want the 10 callers asking for %s to succeed, the 10 others to conflict",
			final.State, results, conflicts, final.State)
	}
	if got := len(trail(t, s, "m1")); got != 3 {
		t.Fatalf("%d events after the rival steps, want 3", got)
	}
}

// Two migrations of one phone race through ExecuteMigration: one
// completes, the other is refused migration_already_used. The same
// migration executed many times at once completes once.
func testRaceExecuteMigration(t *testing.T, s storage.State) {
	for round := 0; round < 5; round++ {
		ref := storage.ContactRef{Kind: storage.ContactPhone, Hash: fmt.Sprintf("h-%d", round), Masked: "+1***"}
		src := fmt.Sprintf("dup-%d", round)
		bind(t, s, ref, src)
		m1, m2 := fmt.Sprintf("m1-%d", round), fmt.Sprintf("m2-%d", round)
		toExecuting(t, s, contactMigration(m1, src, "main-a", ref))
		toExecuting(t, s, contactMigration(m2, src, "main-b", ref))
		out := make([]*storage.Migration, 2)
		var e errs
		race(2, func(i int) {
			m, err := s.ExecuteMigration(bg(), []string{m1, m2}[i], at(5))
			e.add(err)
			out[i] = m
		})
		e.check(t)
		completed, refused := 0, 0
		var winner *storage.Migration
		for _, m := range out {
			switch {
			case m.State == storage.MigrationCompleted:
				completed++
				winner = m
			case m.State == storage.MigrationRefused && m.Refusal == reason.MigrationAlreadyUsed:
				refused++
			default:
				t.Fatalf("migration ended %s (%s)", m.State, m.Refusal)
			}
		}
		if completed != 1 || refused != 1 {
			t.Fatalf("completed %d, refused %d; want 1 and 1", completed, refused)
		}
		h, err := s.ContactHolder(bg(), ref.Kind, ref.Hash)
		must(t, err)
		eq(t, "phone bound to the winner's target", h.AccountID, winner.TargetAccount)
		a, err := s.GetAccount(bg(), src)
		must(t, err)
		eq(t, "source closed", a.Status, storage.AccountClosed)
	}

	bind(t, s, email, "dup-x")
	toExecuting(t, s, contactMigration("m-same", "dup-x", "main-x", email))
	var e errs
	race(10, func(i int) {
		m, err := s.ExecuteMigration(bg(), "m-same", at(5))
		e.add(err)
		if err == nil && m.State != storage.MigrationCompleted {
			e.add(fmt.Errorf("execution %d ended %s (%s)", i, m.State, m.Refusal))
		}
	})
	e.check(t)
	eq(t, "trail of the same migration executed 10 times", len(trail(t, s, "m-same")), 4)
}

// Face-match completions and answers race: first writer wins.
func testRaceHolderCheck(t *testing.T, s storage.State) {
	_, _, err := s.CreateHolderCheck(bg(), newHolderCheck("h1"))
	must(t, err)
	out := make([]*storage.HolderCheck, 20)
	var e errs
	race(20, func(i int) {
		h, err := s.CompleteHolderCheck(bg(), "h1", i%2 == 0, float64(i)/100, nil, at(2))
		e.add(err)
		out[i] = h
	})
	e.check(t)
	for _, h := range out {
		if h.State != out[0].State || h.Score != out[0].Score {
			t.Fatalf("callers saw different outcomes: %+v and %+v", out[0], h)
		}
	}
	_, _, err = s.CreateHolderCheck(bg(), newHolderCheck("h2"))
	must(t, err)
	_, err = s.CompleteHolderCheck(bg(), "h2", true, 0.9, nil, at(2))
	must(t, err)
	race(20, func(i int) {
		answer, mig, cs := "mine", fmt.Sprintf("m-%d", i), ""
		if i%2 == 1 {
			answer, mig, cs = "not_mine", "", fmt.Sprintf("c-%d", i)
		}
		h, err := s.ResolveHolderCheck(bg(), "h2", answer, mig, cs, at(3))
		e.add(err)
		out[i] = h
	})
	e.check(t)
	for _, h := range out {
		if h.Answer != out[0].Answer || h.MigrationID != out[0].MigrationID || h.CaseID != out[0].CaseID {
			t.Fatalf("callers saw different answers: %+v and %+v", out[0], h)
		}
	}
}
